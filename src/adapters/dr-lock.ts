// The cross-host run lock on the DR PostgreSQL server (docs/runbook.md, "One run at a time"): the
// file lock in runsDir stops a second run on this host; this one stops a second edge node, or a
// second config with another runsDir, from running against the same DR metastore.
import { hostname } from 'node:os';
import type { ResolvedConfig } from '../config/load.js';
import { LockedError } from '../errors/errors.js';
import {
  advisoryLockHolder,
  advisoryLockKey,
  lockApplicationName,
  tryAdvisoryLock,
  type AdvisoryLockHolder,
} from './postgres/advisory-lock.js';
import type { PgClient } from './postgres/connection.js';
import { createSite } from './site.js';

export interface HeldDrLock {
  /** The session's application name, `hmsdr <run-id> @<host>`. */
  readonly applicationName: string;
  /** Why the lock's connection was lost during the run (the server then released the lock), if it was. */
  lost(): string | undefined;
  release(): Promise<void>;
}

/** How the holder is named in the refusal: application name, client host, run id, since when. */
export function describeHolder(holder: AdvisoryLockHolder | undefined): string {
  if (!holder) return 'a session that ended while it was looked up (try again)';
  const parts = [`application '${holder.applicationName || '(none)'}'`];
  if (holder.runId) parts.push(`run ${holder.runId}`);
  if (holder.host) parts.push(`on ${holder.host}`);
  parts.push(`client ${holder.clientHost ?? 'local socket'}`);
  parts.push(`backend pid ${holder.backendPid}`);
  if (holder.backendStart) parts.push(`connected since ${holder.backendStart}`);
  return parts.join(', ');
}

/**
 * Take the DR server's advisory lock for `runId` on a dedicated connection (through the DR site's
 * SSH channel when `dr.metastore.via` is ssh), or throw LockedError (exit 6) naming the holder.
 */
export async function holdDrLock(config: ResolvedConfig, runId: string, host = hostname()): Promise<HeldDrLock> {
  const site = createSite(config, 'dr');
  const { database, host: server, port } = config.dr.metastore;
  const key = advisoryLockKey(database);
  const applicationName = lockApplicationName(runId, host);
  let client: PgClient | undefined;
  let lostReason: string | undefined;
  try {
    client = await site.connect('postgres', undefined, applicationName);
    const opened = client;
    opened.on('error', (error: Error) => {
      lostReason ??= error.message;
    });
    opened.on('end', () => {
      lostReason ??= 'the connection closed';
    });
    if (!(await tryAdvisoryLock(opened, key))) {
      const holder = await advisoryLockHolder(opened, key);
      throw new LockedError(
        `the DR metastore ${database} on ${server}:${port} is locked on the server by another hmsdr run: ${describeHolder(holder)}`,
        holder
          ? {
              pid: holder.backendPid,
              host: holder.host ?? holder.clientHost ?? '?',
              runId: holder.runId ?? '?',
              startedAt: holder.backendStart ?? '?',
            }
          : undefined,
        {
          hint: `wait for that run to finish; the lock goes when its session ends (SELECT pg_terminate_backend(${holder?.backendPid ?? '<pid>'}) on ${server} ends it, only if that run is really gone)`,
        },
      );
    }
  } catch (error) {
    await client?.end().catch(() => undefined);
    await site.close();
    throw error;
  }
  const held = client;
  let released = false;
  return {
    applicationName,
    lost: () => (released ? undefined : lostReason),
    async release() {
      if (released) return;
      released = true;
      // Ending the session releases a session-level advisory lock.
      await held.end().catch(() => undefined);
      await site.close();
    },
  };
}
