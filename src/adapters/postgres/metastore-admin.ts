// The metastore database server as the steps see it: sessions, databases by name, facts about one
// database, and an atomic set of renames. Steps use this seam instead of a raw PgClient and SQL, so
// another metastore backend (MySQL/MariaDB) can implement it later: no method speaks PostgreSQL.
// `planned` gives the plan text of each operation from the same statement builders `open` runs.
import { AdapterError } from '../../errors/errors.js';
import { ExitCode } from '../../errors/exit-codes.js';
import type { PgClient } from './connection.js';
import {
  commentOnDatabaseStatement,
  createDatabaseStatement,
  currentDatabaseBytesStatement,
  databaseFactsStatement,
  loginPrivilegesStatement,
  dropDatabaseStatement,
  listDatabasesByPrefixStatement,
  listSessionsStatement,
  renameAtomicallyStatements,
  renderStatement,
  serverVersionStatement,
  terminableSessionsStatement,
  terminateBackendStatement,
  type Rename,
  type Statement,
} from './statements.js';

export type { Rename } from './statements.js';

/** One client connected to a database. */
export interface MetastoreSession {
  pid: number;
  user: string | null;
  applicationName: string;
  clientAddr: string | null;
  state: string | null;
  backendStart: string | null;
}

export interface DatabaseInfo {
  exists: boolean;
  /** The database's comment (hmsdr writes `hmsdr run=<id> sha256=<…>` on the databases it fills). */
  comment: string | null;
}

/** What the login role may do, for the role that will own the restored metastore. */
export interface LoginPrivileges {
  ownerExists: boolean;
  mayCreateDatabases: boolean;
  /** The login may create and rename databases owned by `owner` (a member of that role). */
  mayActAsOwner: boolean;
}

export interface MetastoreAdmin {
  /** The server's version as one number (PostgreSQL: server_version_num, e.g. 150004). */
  serverVersion(): Promise<number>;
  /** Size on disk of the database this connection is on. */
  currentDatabaseBytes(): Promise<number>;
  loginPrivileges(owner: string): Promise<LoginPrivileges>;
  /** Sessions on `database` but this one; `clientsOnly` leaves out hmsdr's own. */
  listSessions(database: string, options?: { clientsOnly?: boolean }): Promise<MetastoreSession[]>;
  /** End every other session on `database`; how many were signalled. */
  terminateSessions(database: string): Promise<number>;
  databaseInfo(database: string): Promise<DatabaseInfo>;
  /** Database names starting with `prefix`, sorted. */
  listByPrefix(prefix: string): Promise<string[]>;
  create(database: string, options?: { owner?: string | undefined; template?: string }): Promise<void>;
  /** Replace the database's comment (hmsdr's proof of what it holds). */
  setComment(database: string, comment: string): Promise<void>;
  /**
   * All renames or none, in one transaction: no other session ever sees a state in between. Refused
   * (E_PG_DB_IN_USE, nothing renamed) when a session is connected to a database being renamed.
   */
  renameAtomically(renames: readonly Rename[]): Promise<void>;
  /** Drop if it exists; `force` ends its sessions first. Never inside a transaction. */
  drop(database: string, options?: { force?: boolean }): Promise<void>;
}

/** The plan text of the operations that change something (the `sql` actions of a step's plan). */
export const planned = {
  listSessions: (database: string, options: { clientsOnly?: boolean } = {}): string =>
    renderStatement(listSessionsStatement(database, options)),
  renameAtomically: (renames: readonly Rename[]): string[] => renameAtomicallyStatements(renames).map(renderStatement),
  drop: (database: string, options: { force?: boolean } = {}): string => renderStatement(dropDatabaseStatement(database, options)),
  create: (database: string, options: { owner?: string | undefined; template?: string } = {}): string =>
    renderStatement(createDatabaseStatement(database, options)),
  setComment: (database: string, comment: string): string => renderStatement(commentOnDatabaseStatement(database, comment)),
};

/**
 * The PostgreSQL implementation on a connection: to the maintenance database (`postgres`) for the
 * operations on databases; currentDatabaseBytes reads the database the connection is on.
 */
export function postgresAdmin(client: PgClient): MetastoreAdmin {
  const query = <R extends Record<string, unknown>>(s: Statement) => client.query<R>(s.text, s.values ? [...s.values] : undefined);
  return {
    async serverVersion() {
      const { rows } = await query<{ v: string }>(serverVersionStatement());
      return Number(rows[0]?.v);
    },
    async currentDatabaseBytes() {
      const { rows } = await query<{ n: string }>(currentDatabaseBytesStatement());
      return Number(rows[0]?.n ?? 0);
    },
    async loginPrivileges(owner) {
      const { rows } = await query<{ createdb: boolean | null; member: boolean | null }>(loginPrivilegesStatement(owner));
      const row = rows[0];
      return row
        ? { ownerExists: true, mayCreateDatabases: row.createdb === true, mayActAsOwner: row.member === true }
        : { ownerExists: false, mayCreateDatabases: false, mayActAsOwner: false };
    },
    async listSessions(database, options) {
      const { rows } = await query<{
        pid: number;
        usename: string | null;
        application_name: string;
        client_addr: string | null;
        state: string | null;
        backend_start: Date | null;
      }>(listSessionsStatement(database, options));
      return rows.map((r) => ({
        pid: r.pid,
        user: r.usename,
        applicationName: r.application_name,
        clientAddr: r.client_addr,
        state: r.state,
        backendStart: r.backend_start ? r.backend_start.toISOString() : null,
      }));
    },
    async terminateSessions(database) {
      // One backend at a time: a session whose role the listing could not see (one that was just
      // exiting, say) may still be a superuser's, and its 42501 must not stop the others.
      const { rows } = await query<{ pid: number }>(terminableSessionsStatement(database));
      let signalled = 0;
      for (const { pid } of rows) {
        try {
          const result = await query<{ ok: boolean }>(terminateBackendStatement(pid));
          if (result.rows[0]?.ok === true) signalled++;
        } catch (error) {
          if ((error as { code?: string }).code !== '42501') throw error;
        }
      }
      return signalled;
    },
    async databaseInfo(database) {
      const { rows } = await query<{ comment: string | null }>(databaseFactsStatement(database));
      return rows.length === 0 ? { exists: false, comment: null } : { exists: true, comment: rows[0]?.comment ?? null };
    },
    async listByPrefix(prefix) {
      const { rows } = await query<{ datname: string }>(listDatabasesByPrefixStatement(prefix));
      return rows.map((r) => r.datname);
    },
    async create(database, options = {}) {
      try {
        await query(createDatabaseStatement(database, options));
      } catch (error) {
        throw statementError(error, `create database "${database}"`);
      }
    },
    async setComment(database, comment) {
      try {
        await query(commentOnDatabaseStatement(database, comment));
      } catch (error) {
        throw statementError(error, `comment on database "${database}"`);
      }
    },
    async renameAtomically(renames) {
      const [begin, ...rest] = renameAtomicallyStatements(renames);
      const commit = rest.pop()!;
      await query(begin!);
      let current: Rename | undefined;
      try {
        for (const [i, statement] of rest.entries()) {
          current = renames[i];
          await query(statement);
        }
        current = undefined;
        await query(commit);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw current ? inUse(error, current.from, 'rename') : statementError(error, 'commit the renames');
      }
    },
    async drop(database, options = {}) {
      try {
        await query(dropDatabaseStatement(database, options));
      } catch (error) {
        throw inUse(error, database, 'drop');
      }
    },
  };
}

/** Run `fn` with the admin seam on a new connection to the maintenance database, always closing it. */
export async function withMetastoreAdmin<T>(
  connect: (database: string) => Promise<PgClient>,
  fn: (admin: MetastoreAdmin) => Promise<T>,
): Promise<T> {
  const client = await connect('postgres');
  try {
    return await fn(postgresAdmin(client));
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A refused server-level statement as an AdapterError: privilege problems say which grant is missing. */
export function statementError(error: unknown, what: string): unknown {
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

/** 55006 (object in use) as E_PG_DB_IN_USE, exit 4: clients are still connected. */
export function inUse(error: unknown, database: string, what: string): unknown {
  if ((error as { code?: string }).code !== '55006') return statementError(error, `${what} database "${database}"`);
  return new AdapterError('E_PG_DB_IN_USE', `cannot ${what} database "${database}": other sessions are connected to it`, {
    cause: error,
    exitCode: ExitCode.PRECONDITION,
    hint: 'stop the clients (Hive, Ranger/Atlas hooks, Impala catalogd) or set restore.terminateSessions: true',
  });
}
