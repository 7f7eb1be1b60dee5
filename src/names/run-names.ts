// The one owner of every name derived from a run id, and of the matchers that recognise them: run
// ids, run directories, the DR databases a run creates (and their hmsdr comments), HDFS snapshots
// and staged dump files. Imports nothing of the project, so every layer may use it.
import { join } from 'node:path';

// ---- run ids ----

/**
 * A run id as a regular-expression source: UTC time to the second, lower-case, usable inside
 * PostgreSQL identifiers and HDFS snapshot names (`20261121t053012`). Two runs that start in the
 * same second get consecutive seconds (`nextRunId`), never a longer id: `<db>_hmsdr_prev_<run-id>`
 * must fit PostgreSQL's 63 bytes for a 36-character database name.
 */
export const RUN_ID_SOURCE = '\\d{8}t\\d{6}';
const RUN_ID = new RegExp(`^${RUN_ID_SOURCE}$`);

export const isRunId = (text: string): boolean => RUN_ID.test(text);

/** The run id of the second `now` falls in. */
export function newRunId(now = new Date()): string {
  const iso = now.toISOString(); // 2026-11-21T05:30:12.345Z
  return `${iso.slice(0, 10).replaceAll('-', '')}t${iso.slice(11, 19).replaceAll(':', '')}`;
}

/** The id one second after `runId` (for a run that starts in a second another run already took). */
export function nextRunId(runId: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})t(\d{2})(\d{2})(\d{2})$/.exec(runId);
  if (!m) throw new Error(`not a run id: ${runId}`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return newRunId(new Date(Date.UTC(y, mo - 1, d, h, mi, s) + 1000));
}

// ---- run directories ----

/** `runs/<run-id>/`: the run's ledger, events, reports. */
export const runDirectory = (runsDir: string, runId: string): string => join(runsDir, runId);

// ---- DR databases ----

/** Where a run restores: `<db>_hmsdr_<run-id>` (also where a rollback parks the database it took out). */
export const stagingDatabase = (db: string, runId: string): string => `${db}_hmsdr_${runId}`;
/** The live database a swap replaced, kept for rollback: `<db>_hmsdr_prev_<run-id>`. */
export const previousDatabase = (db: string, runId: string): string => `${db}_hmsdr_prev_${runId}`;
/** Prefix of every database hmsdr creates for `db` (staging and previous ones). */
export const hmsdrDatabasePrefix = (db: string): string => `${db}_hmsdr_`;
export const previousPrefix = (db: string): string => `${db}_hmsdr_prev_`;

/** The run id of a staging database name of `db`, or undefined (previous databases are not staging ones). */
export function stagingRunId(db: string, name: string): string | undefined {
  const prefix = hmsdrDatabasePrefix(db);
  const rest = name.startsWith(prefix) ? name.slice(prefix.length) : '';
  return isRunId(rest) ? rest : undefined;
}

/** The run id of a previous database name of `db`, or undefined. */
export function previousRunId(db: string, name: string): string | undefined {
  const prefix = previousPrefix(db);
  const rest = name.startsWith(prefix) ? name.slice(prefix.length) : '';
  return isRunId(rest) ? rest : undefined;
}

/** The database comment that proves what a database holds: which run restored it, from which dump. */
export const restoredComment = (runId: string, sha256: string): string => `hmsdr run=${runId} sha256=${sha256}`;

export function parseRestoredComment(comment: string | null | undefined): { runId: string; sha256: string } | undefined {
  const m = /^hmsdr run=(\S+) sha256=([0-9a-f]{64})$/.exec(comment ?? '');
  return m ? { runId: m[1]!, sha256: m[2]! } : undefined;
}

// ---- HDFS snapshots ----

export const SYNC_PREFIX = 'hmsdr-';
export const SAFETY_PREFIX = 'hmsdr-safety-';

/** The snapshot a run takes on both sides of every path: `hmsdr-<runid>`. */
export const syncSnapshotName = (runId: string): string => `${SYNC_PREFIX}${runId}`;
/** Taken on the target before `-rdiff` rewinds it: keeps what was found there. */
export const safetySnapshotName = (runId: string, attempt = 1): string => `${SAFETY_PREFIX}${runId}${attempt > 1 ? `-${attempt}` : ''}`;
/**
 * Failback keeps production as it found it (`hmsdr-kept-<run-id>`) and production's snapshots of runs
 * whose copy never reached DR (`hmsdr-kept-<run-id>-<their name>`): writes that were never
 * replicated, for the operator to decide about. Neither a sync nor a safety snapshot: retention never
 * deletes them.
 */
export const KEPT_PREFIX = 'hmsdr-kept-';
export const keptSnapshotName = (runId: string, original?: string): string =>
  `${KEPT_PREFIX}${runId}${original === undefined ? '' : `-${original}`}`;
export const isKeptSnapshot = (name: string): boolean => name.startsWith(KEPT_PREFIX);
export const isSyncSnapshot = (name: string): boolean =>
  name.startsWith(SYNC_PREFIX) && !name.startsWith(SAFETY_PREFIX) && !name.startsWith(KEPT_PREFIX);
export const isSafetySnapshot = (name: string): boolean => name.startsWith(SAFETY_PREFIX);

// ---- staged dumps ----

/** The dump file in dr.stagingDir: `hmsdr-<run-id>.sql`. */
export const stagedDumpName = (runId: string): string => `hmsdr-${runId}.sql`;
/** The run's manifest next to its staged dump on the DR host. */
export const stagedManifestName = (runId: string): string => `hmsdr-${runId}.manifest.json`;
const STAGED_DUMP = new RegExp(`^hmsdr-(${RUN_ID_SOURCE})\\.sql$`);
export const isStagedDumpName = (name: string): boolean => STAGED_DUMP.test(name);
