// Server-level operations on an open connection (to the maintenance database, usually
// `postgres`): server version, sessions, and create/rename/drop/list of databases.
import { AdapterError } from '../../errors/errors.js';
import { ExitCode } from '../../errors/exit-codes.js';
import type { PgClient } from './connection.js';
import { likePrefix, quoteIdent } from './sql-text.js';

/** One backend connected to a database, as pg_stat_activity shows it. */
export interface PgSession {
  pid: number;
  user: string | null;
  applicationName: string;
  clientAddr: string | null;
  state: string | null;
  backendStart: string | null;
}

export async function serverVersionNum(client: PgClient): Promise<number> {
  const { rows } = await client.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
  return Number(rows[0]?.v);
}

/** Sessions on `database` other than this connection. */
export async function listSessions(client: PgClient, database: string): Promise<PgSession[]> {
  const { rows } = await client.query<{ pid: number; usename: string | null; application_name: string; client_addr: string | null; state: string | null; backend_start: Date | null }>(
    `SELECT pid, usename, application_name, client_addr::text AS client_addr, state, backend_start
       FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() ORDER BY backend_start, pid`,
    [database],
  );
  return rows.map((r) => ({
    pid: r.pid, user: r.usename, applicationName: r.application_name, clientAddr: r.client_addr, state: r.state,
    backendStart: r.backend_start ? r.backend_start.toISOString() : null,
  }));
}

/** Terminate every other session on `database`; returns how many were signalled. */
export async function terminateSessions(client: PgClient, database: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [database],
  );
  return Number(rows[0]?.n ?? 0);
}

export async function databaseExists(client: PgClient, database: string): Promise<boolean> {
  const { rows } = await client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [database]);
  return rows.length > 0;
}

/** Names starting with `prefix` (e.g. `hive_hmsdr_prev_`), sorted by name. */
export async function listDatabasesByPrefix(client: PgClient, prefix: string): Promise<string[]> {
  const { rows } = await client.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname`,
    [likePrefix(prefix)],
  );
  return rows.map((r) => r.datname);
}

export interface CreateDatabaseOptions {
  owner?: string | undefined;
  /** Copy this database (it must have no other sessions). */
  template?: string;
}

export async function createDatabase(client: PgClient, database: string, options: CreateDatabaseOptions = {}): Promise<void> {
  let sql = `CREATE DATABASE ${quoteIdent(database)}`;
  if (options.owner) sql += ` OWNER ${quoteIdent(options.owner)}`;
  if (options.template) sql += ` TEMPLATE ${quoteIdent(options.template)}`;
  try {
    await client.query(sql);
  } catch (error) {
    throw statementError(error, `create database "${database}"`);
  }
}

/** ALTER DATABASE … RENAME; refuses with E_PG_DB_IN_USE (exit 4) while sessions are open on it. */
export async function renameDatabase(client: PgClient, from: string, to: string): Promise<void> {
  try {
    await client.query(`ALTER DATABASE ${quoteIdent(from)} RENAME TO ${quoteIdent(to)}`);
  } catch (error) {
    throw inUse(error, from, 'rename');
  }
}

/** DROP DATABASE IF EXISTS; `force` terminates sessions first (WITH (FORCE), PostgreSQL 13+). */
export async function dropDatabase(client: PgClient, database: string, options: { force?: boolean } = {}): Promise<void> {
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}${options.force ? ' WITH (FORCE)' : ''}`);
  } catch (error) {
    throw inUse(error, database, 'drop');
  }
}

/** A refused server-level statement as an AdapterError: privilege problems say which grant is missing. */
function statementError(error: unknown, what: string): unknown {
  const e = error as { code?: string; message?: string };
  if (typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return error;
  if (e.code === '42501') {
    return new AdapterError('E_PG_PRIVILEGE', `PostgreSQL refused to ${what}: ${e.message ?? ''}`, {
      cause: error,
      hint: 'the DR role needs CREATEDB and membership in the owner role (ALTER ROLE <user> CREATEDB; GRANT <owner> TO <user>)',
    });
  }
  return new AdapterError('E_PG_STATEMENT', `PostgreSQL refused to ${what}: ${e.message ?? ''} (SQLSTATE ${e.code})`, { cause: error });
}

function inUse(error: unknown, database: string, what: string): unknown {
  if ((error as { code?: string }).code !== '55006') return statementError(error, `${what} database "${database}"`);
  return new AdapterError('E_PG_DB_IN_USE', `cannot ${what} database "${database}": other sessions are connected to it`, {
    cause: error, exitCode: ExitCode.PRECONDITION,
    hint: 'stop the clients (Hive, Ranger/Atlas hooks, Impala catalogd) or set restore.terminateSessions: true',
  });
}
