// Read-only facts about the DR server's databases that the restore and swap steps decide on.
import type { PgClient } from '../adapters/postgres/connection.js';
import { parseRestoredComment } from './names.js';

export interface DatabaseFacts {
  exists: boolean;
  /** Parsed hmsdr comment, when the database was restored by hmsdr. */
  restoredBy?: { runId: string; sha256: string };
}

export async function getDatabaseFacts(client: PgClient, database: string): Promise<DatabaseFacts> {
  const { rows } = await client.query<{ comment: string | null }>(
    `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
    [database],
  );
  if (rows.length === 0) return { exists: false };
  const restoredBy = parseRestoredComment(rows[0]?.comment);
  return restoredBy ? { exists: true, restoredBy } : { exists: true };
}

/** Run `fn` with a connection to the server's maintenance database, always closing it. */
export async function withAdmin<T>(connect: (database: string) => Promise<PgClient>, fn: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await connect('postgres');
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
