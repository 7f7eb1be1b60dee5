// Every server-level statement hmsdr sends to a metastore's PostgreSQL server, one builder each.
// The plan text (dry-run, interactive prompt, events.ndjson) and the real call use the same
// builder, so what is printed is what runs.
import { HMSDR_APPLICATION_NAME } from '../service-control/sessions.js';
import { likePrefix, quoteIdent, quoteLiteral } from './sql-text.js';

/** A statement with its bind parameters ($1, $2, …). */
export interface Statement {
  readonly text: string;
  readonly values?: readonly unknown[];
}

export interface Rename {
  readonly from: string;
  readonly to: string;
}

export const serverVersionStatement = (): Statement => ({ text: `SELECT current_setting('server_version_num') AS v` });

export const currentDatabaseBytesStatement = (): Statement => ({ text: 'SELECT pg_database_size(current_database()) AS n' });

/** May the login role create databases, and act as `owner` (no row: `owner` does not exist)? */
export const loginPrivilegesStatement = (owner: string): Statement => ({
  text:
    `SELECT (SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user) AS createdb, ` +
    `pg_has_role(current_user, (SELECT oid FROM pg_roles WHERE rolname = $1), 'MEMBER') AS member ` +
    `WHERE EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)`,
  values: [owner],
});

/**
 * Sessions on `database` other than this connection; `clientsOnly` leaves out hmsdr's own
 * connections (they announce themselves with application_name hmsdr). Only sessions of a user:
 * autovacuum and other background workers (no user) are ended by PostgreSQL itself when the
 * database is renamed or dropped, and a non-superuser could not end them anyway (42501).
 */
export function listSessionsStatement(database: string, options: { clientsOnly?: boolean } = {}): Statement {
  return {
    text:
      `SELECT pid, usename, application_name, client_addr::text AS client_addr, state, backend_start FROM pg_stat_activity ` +
      `WHERE datname = $1 AND pid <> pg_backend_pid() AND usesysid IS NOT NULL${options.clientsOnly ? ' AND application_name <> $2' : ''} ORDER BY backend_start, pid`,
    values: options.clientsOnly ? [database, HMSDR_APPLICATION_NAME] : [database],
  };
}

/**
 * The other sessions on `database` that this login may end: a non-superuser can never end a
 * superuser's session (those are left out, and named by the caller when they stay connected).
 */
export const terminableSessionsStatement = (database: string): Statement => ({
  text:
    `SELECT a.pid FROM pg_stat_activity a WHERE a.datname = $1 AND a.pid <> pg_backend_pid() AND a.usesysid IS NOT NULL ` +
    `AND (NOT COALESCE((SELECT r.rolsuper FROM pg_roles r WHERE r.oid = a.usesysid), false) ` +
    `OR (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user))`,
  values: [database],
});

/** End one backend; true when it was signalled. */
export const terminateBackendStatement = (pid: number): Statement => ({
  text: 'SELECT pg_terminate_backend($1) AS ok',
  values: [pid],
});

export const databaseFactsStatement = (database: string): Statement => ({
  text: `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
  values: [database],
});

export const listDatabasesByPrefixStatement = (prefix: string): Statement => ({
  text: `SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname`,
  values: [likePrefix(prefix)],
});

export function createDatabaseStatement(
  database: string,
  options: { owner?: string | undefined; template?: string | undefined } = {},
): Statement {
  let text = `CREATE DATABASE ${quoteIdent(database)}`;
  if (options.owner) text += ` OWNER ${quoteIdent(options.owner)}`;
  if (options.template) text += ` TEMPLATE ${quoteIdent(options.template)}`;
  return { text };
}

export const renameDatabaseStatement = ({ from, to }: Rename): Statement => ({
  text: `ALTER DATABASE ${quoteIdent(from)} RENAME TO ${quoteIdent(to)}`,
});

/**
 * Renames as one transaction: ALTER DATABASE … RENAME is allowed in a transaction block, so every
 * other session sees either all of them or none (a crash part-way rolls back).
 */
export const renameAtomicallyStatements = (renames: readonly Rename[]): Statement[] => [
  { text: 'BEGIN' },
  ...renames.map(renameDatabaseStatement),
  { text: 'COMMIT' },
];

/** DROP DATABASE cannot run in a transaction block: it always runs on its own. */
export const dropDatabaseStatement = (database: string, options: { force?: boolean } = {}): Statement => ({
  text: `DROP DATABASE IF EXISTS ${quoteIdent(database)}${options.force ? ' WITH (FORCE)' : ''}`,
});

export const commentOnDatabaseStatement = (database: string, comment: string): Statement => ({
  text: `COMMENT ON DATABASE ${quoteIdent(database)} IS ${quoteLiteral(comment)}`,
});

/** The statement as one line of plan text, parameters shown as literals. */
export function renderStatement(statement: Statement): string {
  const values = statement.values ?? [];
  return statement.text.replace(/\$(\d+)/g, (whole, n: string) => {
    const value = values[Number(n) - 1];
    return value === undefined ? whole : quoteLiteral(String(value));
  });
}
