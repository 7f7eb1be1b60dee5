// Test harness: a private real PostgreSQL server per test file (see src/lab/pg-cluster.ts).
import { startPgCluster, type PgCluster } from '../../src/lab/pg-cluster.js';
import { makeTempDir, removeTempDir } from './temp.js';

export type { PgCluster };

/** Start a fresh server in a temp dir; call `destroy()` in afterAll. */
export async function startTestPg(label = 'pg'): Promise<PgCluster> {
  const dir = makeTempDir(label);
  try {
    return await startPgCluster({ dir });
  } catch (error) {
    removeTempDir(dir);
    throw error;
  }
}
