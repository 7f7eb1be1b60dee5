// What the swap and rollback steps read on the DR server before they rename anything: which run's
// restore a database holds (its hmsdr comment), whose renames are unfinished, the sessions to
// clear, and whether Hive is provably stopped (a swap never runs while Hive runs).
import { setTimeout as sleep } from 'node:timers/promises';
import type { MetastoreAdmin, MetastoreSession } from '../adapters/postgres/metastore-admin.js';
import { assessState } from '../adapters/service-control/assess.js';
import { describeSession } from '../adapters/service-control/sessions.js';
import { PreconditionError } from '../errors/errors.js';
import type { EventLog, StepContext } from './step.js';
import type { PgClient } from '../adapters/postgres/connection.js';
import { withQueryPool, type SqlRunner } from '../adapters/postgres/query-pool.js';
import { INSPECTION_CONNECTIONS } from '../verify/metastore/inspect.js';
import type { SitePort } from '../adapters/site.js';
import { hmsdrDatabasePrefix, parseRestoredComment, previousDatabase, previousRunId, stagingDatabase } from '../names/run-names.js';

export interface DatabaseFacts {
  exists: boolean;
  /** Parsed hmsdr comment, when the database was restored by hmsdr. */
  restoredBy?: { runId: string; sha256: string };
}

export async function readFacts(admin: MetastoreAdmin, database: string): Promise<DatabaseFacts> {
  const info = await admin.databaseInfo(database);
  if (!info.exists) return { exists: false };
  const restoredBy = parseRestoredComment(info.comment);
  return restoredBy ? { exists: true, restoredBy } : { exists: true };
}

/** How long a session that just closed (or was just terminated) may still be listed while its backend exits. */
const SESSION_EXIT_GRACE_MS = 3_000;

/** The sessions on `database`, waiting up to `graceMs` for ones already on their way out to leave. */
async function sessionsAfterGrace(admin: MetastoreAdmin, database: string, graceMs: number): Promise<MetastoreSession[]> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const sessions = await admin.listSessions(database);
    if (sessions.length === 0 || Date.now() >= deadline) return sessions;
    await sleep(100);
  }
}

/**
 * Refuse (or, when configured, terminate) sessions on `database` right before it is renamed. A
 * client that disconnected a moment ago can still be listed while its backend exits: it is given
 * a short grace before it counts. Sessions this login may not end (a superuser's, when hmsdr's
 * login is not one) are named in the refusal instead of failing on PostgreSQL's bare 42501.
 */
export async function clearSessions(admin: MetastoreAdmin, database: string, terminate: boolean, log: EventLog): Promise<number> {
  // Terminating needs no grace first: a backend already exiting is either signalled harmlessly or waited for below.
  const sessions = await sessionsAfterGrace(admin, database, terminate ? 0 : SESSION_EXIT_GRACE_MS);
  if (sessions.length === 0) return 0;
  const list = (found: MetastoreSession[]) => found.map((s) => `    ${describeSession(s)}`).join('\n');
  if (!terminate) {
    throw new PreconditionError(`${sessions.length} session(s) still connected to ${database}:\n${list(sessions)}`, {
      hint: 'stop those clients (a Hive component still running? Ranger/Atlas hooks? Impala catalogd?), or set restore.terminateSessions: true',
    });
  }
  log.warn('terminating-sessions', { database, sessions });
  const terminated = await admin.terminateSessions(database);
  const left = await sessionsAfterGrace(admin, database, SESSION_EXIT_GRACE_MS);
  if (left.length > 0) {
    throw new PreconditionError(`${left.length} session(s) on ${database} could not be ended by hmsdr's login:\n${list(left)}`, {
      hint: "a non-superuser cannot end a superuser's session: close those clients, or end them as a superuser (SELECT pg_terminate_backend(<pid>)), then resume",
    });
  }
  return terminated;
}

/**
 * Why the live metastore must not be renamed now because Hive runs on DR, or undefined. Only a
 * controller that can read the state can tell (with `none`, the operator confirmed at stop-hive).
 * Matters on resume: stop-hive is recorded done, but Hive may have been started since.
 */
export async function hiveRunning(ctx: StepContext): Promise<string | undefined> {
  const controller = ctx.adapters.serviceControl;
  if (!controller) return undefined;
  const state = await controller.getState(ctx.signal);
  if (!state.observable) return undefined;
  const assessment = assessState(state, 'stopped');
  return assessment.status === 'todo' ? `Hive runs on the DR cluster (${assessment.reason})` : undefined;
}

export const HIVE_RUNNING_HINT =
  'stop Hive on the DR cluster (Ambari / Cloudera Manager, or your service commands) and resume; the renames never run under a running Hive';

/** The live name missing: a swap or rollback of an hmsdr that renamed in two steps stopped between them. */
export interface UnfinishedRenames {
  /** Runs whose restore and previous database both exist under their names: only a half-done swap or rollback leaves that. */
  runIds: string[];
  /** hmsdr's databases on the server, for the operator. */
  databases: string[];
}

/**
 * Another run's renames are unfinished (the live name is missing), so renaming for `runId` now
 * could put the wrong metastore live: read from the database names and hmsdr comments, not the
 * ledger (another run, an older hmsdr or a hand rename may have left it). Undefined when the live
 * name exists or only `runId`'s own renames are unfinished.
 */
export async function findUnfinishedRenames(admin: MetastoreAdmin, live: string, runId: string): Promise<UnfinishedRenames | undefined> {
  if ((await admin.databaseInfo(live)).exists) return undefined;
  const databases = await admin.listByPrefix(hmsdrDatabasePrefix(live));
  const runIds: string[] = [];
  for (const name of databases) {
    const id = previousRunId(live, name);
    if (id === undefined || !databases.includes(stagingDatabase(live, id))) continue;
    if ((await readFacts(admin, stagingDatabase(live, id))).restoredBy?.runId === id) runIds.push(id);
  }
  return runIds.some((id) => id !== runId) ? { runIds, databases } : undefined;
}

/** Why another run's unfinished renames forbid touching the DR databases now, with what to do. */
export function unfinishedRenamesRefusal(live: string, found: UnfinishedRenames): { reason: string; hint: string } {
  const listed = found.databases.length > 0 ? found.databases.join(', ') : 'none';
  const [only] = found.runIds;
  if (found.runIds.length !== 1 || only === undefined) {
    return {
      reason: `there is no database named ${live} on the DR server and the renames of several runs look unfinished (${found.runIds.join(', ')}; hmsdr databases: ${listed})`,
      hint: `rename the right database to ${live} by hand (compare their comments: \\l+ on the DR server), then try again`,
    };
  }
  return {
    reason: `there is no database named ${live} on the DR server: run ${only}'s swap (or rollback) stopped between its two renames (${previousDatabase(live, only)} and run ${only}'s restore both exist)`,
    hint: `complete it first with \`hmsdr resume ${only}\` (or, if that run was a rollback, resume that rollback's run), then try again`,
  };
}

/** Connect to a DR database through the site (over SSH or direct), run `use`, disconnect. */
export async function withDrDatabase<T>(
  dr: SitePort,
  database: string,
  signal: AbortSignal | undefined,
  use: (client: PgClient) => Promise<T>,
): Promise<T> {
  const client = await dr.connect(database, signal);
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `use` a pool of INSPECTION_CONNECTIONS read-only connections to a DR database (JIT off), closed after. */
export function withDrQueryPool<T>(
  dr: SitePort,
  database: string,
  signal: AbortSignal | undefined,
  use: (pool: SqlRunner) => Promise<T>,
): Promise<T> {
  return withQueryPool(() => dr.connect(database, signal), INSPECTION_CONNECTIONS, use);
}
