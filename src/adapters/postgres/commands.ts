// pg_dump / psql invocations as Command data (printed by `plan`, run by an Executor). The
// password travels in PGPASSWORD (secretEnv), never in argv; TLS and app name through libpq env.
import { join } from 'node:path';
import type { Command } from '../../actions/command.js';
import type { MetastoreConfig } from '../../config/schema.js';

export interface PgCommandOptions {
  /** Directory holding the client programs (default: metastore.binDir, else PATH). */
  binDir?: string | undefined;
  /** From metastorePassword(); omitted when the server trusts the client or .pgpass is used. */
  password?: string | undefined;
}

export interface PgDumpOptions extends PgCommandOptions {
  /** Database to dump (default: metastore.database). */
  database?: string;
  /** One of pg_dump's sections; default all. */
  section?: 'pre-data' | 'data' | 'post-data';
  /** An exported snapshot id (pg_export_snapshot()) so several dumps see the same data. */
  snapshot?: string;
  /** Only these tables (exact names, e.g. `public."SDS"`), for per-table transfers. */
  tables?: readonly string[];
}

const program = (name: string, binDir: string | undefined): string => (binDir ? join(binDir, name) : name);

/** libpq environment: app name, TLS, connect timeout, and the password as a secret. */
export function libpqEnv(metastore: MetastoreConfig, password: string | undefined): { env: Record<string, string>; secretEnv: string[] } {
  const env: Record<string, string> = {
    PGAPPNAME: 'hmsdr',
    PGSSLMODE: metastore.sslmode,
    PGCONNECT_TIMEOUT: String(Math.max(1, Math.ceil(metastore.connectTimeoutMs / 1000))),
  };
  if (metastore.sslRootCert) env.PGSSLROOTCERT = metastore.sslRootCert;
  if (password === undefined) return { env, secretEnv: [] };
  return { env: { ...env, PGPASSWORD: password }, secretEnv: ['PGPASSWORD'] };
}

function connectionArgs(metastore: MetastoreConfig): string[] {
  return ['-h', metastore.host, '-p', String(metastore.port), '-U', metastore.user];
}

/**
 * Plain-format dump to stdout. Flags, and why:
 * - `--no-owner --no-privileges`: the restore runs as the DR role into a database that role owns;
 *   source role names (hive, grants to readers) need not exist on DR, and with ON_ERROR_STOP an
 *   `ALTER ... OWNER TO hive` for a missing role would abort the whole restore.
 * - `--no-publications --no-subscriptions --no-security-labels --no-tablespaces`: server-level
 *   objects that would fail or do harm on the DR server.
 * - `--encoding=UTF8`: the rewriter works on UTF-8 bytes whatever the server encoding.
 * - `--lock-wait-timeout` (ms): fail, not wait for ever, when a session holds an exclusive lock on a
 *   metastore table (DDL, VACUUM FULL) as pg_dump takes its shared locks.
 */
export function pgDumpCommand(metastore: MetastoreConfig, options: PgDumpOptions = {}): Command {
  const args = [
    ...connectionArgs(metastore),
    '--format=plain',
    '--encoding=UTF8',
    '--no-owner',
    '--no-privileges',
    '--no-publications',
    '--no-subscriptions',
    '--no-security-labels',
    '--no-tablespaces',
    `--lock-wait-timeout=${metastore.lockWaitTimeoutMs}`,
  ];
  if (options.section) args.push(`--section=${options.section}`);
  if (options.snapshot) args.push(`--snapshot=${options.snapshot}`);
  for (const table of options.tables ?? []) args.push(`--table=${table}`);
  args.push('-d', options.database ?? metastore.database);
  return { file: program('pg_dump', options.binDir ?? metastore.binDir), args, ...libpqEnv(metastore, options.password) };
}

export interface PsqlRestoreOptions extends PgCommandOptions {
  /** Role the restored objects belong to (default: metastore.owner when it differs from user). */
  role?: string;
}

/** The role a restore switches to (SET ROLE) so objects belong to the owner: only when it is not the login user. */
export const restoreRole = (metastore: MetastoreConfig): string | undefined =>
  metastore.owner && metastore.owner !== metastore.user ? metastore.owner : undefined;

/**
 * Restore a plain dump (`file`, or stdin when `-`) into `database`: `-X` ignores ~/.psqlrc,
 * ON_ERROR_STOP=1 + --single-transaction make any error roll everything back and exit 3.
 * With an owner role, `SET ROLE` runs first inside the same transaction so every object is
 * created owned by it.
 */
export function psqlRestoreCommand(metastore: MetastoreConfig, database: string, file: string, options: PsqlRestoreOptions = {}): Command {
  const role = options.role ?? restoreRole(metastore);
  const args = [...connectionArgs(metastore), '-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-d', database];
  if (role) args.push('-c', `SET ROLE "${role.replaceAll('"', '""')}"`);
  args.push('-f', file);
  return { file: program('psql', options.binDir ?? metastore.binDir), args, ...libpqEnv(metastore, options.password) };
}

/** `psql -c <sql>` (read-only checks on a remote host, where pg is not reachable from here). */
export function psqlQueryCommand(metastore: MetastoreConfig, database: string, sql: string, options: PgCommandOptions = {}): Command {
  const args = [...connectionArgs(metastore), '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', database, '-c', sql];
  return { file: program('psql', options.binDir ?? metastore.binDir), args, ...libpqEnv(metastore, options.password) };
}

/** `pg_dump --version` / `psql --version`. */
export function clientVersionCommand(name: 'pg_dump' | 'psql', binDir?: string): Command {
  return { file: program(name, binDir), args: ['--version'] };
}

export interface PgVersion {
  /** 15 for 15.20; 9.6 for 9.6.24. */
  major: number;
  minor: number;
  /** Like server_version_num: 150020 for 15.20, 90624 for 9.6.24. */
  num: number;
}

/** Parse `pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)` or a server_version string. */
export function parsePgVersion(text: string): PgVersion | undefined {
  const m = /(?:PostgreSQL\)?\s*)?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  const first = Number(m[1]);
  const second = Number(m[2] ?? 0);
  if (first < 10) {
    const minor = Number(m[3] ?? 0);
    return { major: first + second / 10, minor, num: first * 10000 + second * 100 + minor };
  }
  return { major: first, minor: second, num: first * 10000 + second };
}

/** Comparable major key of a version number: 1500 for 15.x, 906 for 9.6.x. */
const majorKey = (num: number): number => (num >= 100000 ? Math.floor(num / 10000) * 100 : Math.floor(num / 100));

/** pg_dump refuses servers newer than its own major: the preflight rule. */
export function dumpClientCanDump(client: PgVersion, serverVersionNum: number): boolean {
  return majorKey(client.num) >= majorKey(serverVersionNum);
}
