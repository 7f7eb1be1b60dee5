// The cross-host run lock: a session-level PostgreSQL advisory lock on the DR server, keyed by the
// DR metastore's database name, held on a dedicated connection (to the maintenance database, so the
// swap can still rename the metastore database) for the whole run. Whoever holds it is found through
// pg_locks joined with pg_stat_activity: its application_name says `hmsdr <run-id> @<host>`.
import { createHash } from 'node:crypto';
import type { PgClient } from './connection.js';

/** The 64-bit advisory lock key of a DR metastore database: the first 8 bytes of sha256('hmsdr:' + name), signed. */
export function advisoryLockKey(database: string): bigint {
  return createHash('sha256').update(`hmsdr:${database}`).digest().readBigInt64BE(0);
}

/** `hmsdr <run-id> @<host>`, cut to PostgreSQL's 63 bytes (the run id and the start of the host survive). */
export function lockApplicationName(runId: string, host: string): string {
  return Buffer.from(`hmsdr ${runId} @${host}`)
    .subarray(0, 63)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
}

/** What the server says about the session holding the lock. */
export interface AdvisoryLockHolder {
  applicationName: string;
  /** The client's address (or host name when log_hostname is on); undefined for a Unix socket. */
  clientHost?: string;
  backendPid: number;
  backendStart?: string;
  /** From the application name, when it is hmsdr's. */
  runId?: string;
  host?: string;
}

/** Parse `hmsdr <run-id> @<host>`. */
export function parseLockApplicationName(name: string): { runId?: string; host?: string } {
  const match = /^hmsdr (\S+)(?: @(.*))?$/.exec(name);
  if (!match) return {};
  return { runId: match[1], ...(match[2] ? { host: match[2] } : {}) };
}

/** pg_try_advisory_lock on the session: true when taken (or already held by this session). */
export async function tryAdvisoryLock(client: PgClient, key: bigint): Promise<boolean> {
  const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key.toString()]);
  return result.rows[0]?.locked === true;
}

export async function releaseAdvisoryLock(client: PgClient, key: bigint): Promise<void> {
  await client.query('SELECT pg_advisory_unlock($1::bigint)', [key.toString()]);
}

/**
 * The session holding the advisory lock `key` in the current database, if any. A bigint key is
 * shown in pg_locks as classid = high 32 bits, objid = low 32 bits, objsubid = 1.
 */
export async function advisoryLockHolder(client: PgClient, key: bigint): Promise<AdvisoryLockHolder | undefined> {
  const unsigned = BigInt.asUintN(64, key);
  const result = await client.query<{
    application_name: string | null;
    client_addr: string | null;
    client_hostname: string | null;
    pid: number;
    backend_start: Date | null;
  }>(
    `SELECT a.application_name, host(a.client_addr) AS client_addr, a.client_hostname, a.pid, a.backend_start
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid::text::bigint = $1::bigint AND l.objid::text::bigint = $2::bigint
      LIMIT 1`,
    [(unsigned >> 32n).toString(), (unsigned & 0xffffffffn).toString()],
  );
  const row = result.rows[0];
  if (!row) return undefined;
  const applicationName = row.application_name ?? '';
  const clientHost = row.client_hostname ?? row.client_addr ?? undefined;
  return {
    applicationName,
    ...(clientHost ? { clientHost } : {}),
    backendPid: row.pid,
    ...(row.backend_start ? { backendStart: row.backend_start.toISOString() } : {}),
    ...parseLockApplicationName(applicationName),
  };
}
