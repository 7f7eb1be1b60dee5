// Test harness: a private real PostgreSQL server per test file (see src/lab/pg-cluster.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPgCluster, type PgCluster } from '../../src/lab/pg-cluster.js';

export type { PgCluster };

/** Start a fresh server in a temp dir; call `destroy()` in afterAll. */
export async function startTestPg(label = 'pg'): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), `hmsdr-${label}-`));
  return startPgCluster({ dir });
}
