// Server-level operations on an open connection (to the maintenance database, usually
// `postgres`), as functions: thin wrappers over the MetastoreAdmin seam (metastore-admin.ts), whose
// statements come from statements.ts. Kept for callers that hold a PgClient.
import type { PgClient } from './connection.js';
import { postgresAdmin, type MetastoreSession } from './metastore-admin.js';

/** One backend connected to a database, as pg_stat_activity shows it. */
export type PgSession = MetastoreSession;

export const serverVersionNum = (client: PgClient): Promise<number> => postgresAdmin(client).serverVersion();

/** Sessions on `database` other than this connection. */
export const listSessions = (client: PgClient, database: string): Promise<PgSession[]> => postgresAdmin(client).listSessions(database);

/** Terminate every other session on `database`; returns how many were signalled. */
export const terminateSessions = (client: PgClient, database: string): Promise<number> => postgresAdmin(client).terminateSessions(database);

export async function databaseExists(client: PgClient, database: string): Promise<boolean> {
  return (await postgresAdmin(client).databaseInfo(database)).exists;
}

/** Names starting with `prefix` (e.g. `hive_hmsdr_prev_`), sorted by name. */
export const listDatabasesByPrefix = (client: PgClient, prefix: string): Promise<string[]> => postgresAdmin(client).listByPrefix(prefix);

export interface CreateDatabaseOptions {
  owner?: string | undefined;
  /** Copy this database (it must have no other sessions). */
  template?: string;
}

export const createDatabase = (client: PgClient, database: string, options: CreateDatabaseOptions = {}): Promise<void> =>
  postgresAdmin(client).create(database, options);

/** ALTER DATABASE … RENAME; refuses with E_PG_DB_IN_USE (exit 4) while sessions are open on it. */
export const renameDatabase = (client: PgClient, from: string, to: string): Promise<void> =>
  postgresAdmin(client).renameAtomically([{ from, to }]);

/** DROP DATABASE IF EXISTS; `force` terminates sessions first (WITH (FORCE), PostgreSQL 13+). */
export const dropDatabase = (client: PgClient, database: string, options: { force?: boolean } = {}): Promise<void> =>
  postgresAdmin(client).drop(database, options);
