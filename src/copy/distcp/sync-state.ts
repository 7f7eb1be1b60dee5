// The snapshot state machine of one source → target pair: reads both sides and decides bootstrap,
// incremental (from which snapshot) or blocked (the exact situation and the manual fix).
import { qualify } from '../../adapters/hdfs/commands.js';
import type { CallOptions, HdfsPort, HdfsPorts, SnapshotInfo } from '../../adapters/hdfs/hdfs.js';
import type { StepContext } from '../engine.js';
import { forEachLimit } from '../../util/limit.js';
import { dataPairs, type PathPair } from '../pairs.js';

export type { PathPair } from '../pairs.js';

import { isSafetySnapshot, isSyncSnapshot, syncSnapshotName } from '../../names/run-names.js';

// Snapshot names are owned by src/names/run-names.ts (re-exported for the HDFS code's callers).
export {
  isSafetySnapshot,
  isSyncSnapshot,
  SAFETY_PREFIX,
  safetySnapshotName,
  SYNC_PREFIX,
  syncSnapshotName,
} from '../../names/run-names.js';

/** What one side looks like. */
export interface SideState {
  exists: boolean;
  snapshottable: boolean;
  /** Has any file or sub-directory (live tree). */
  nonEmpty: boolean;
  /** All snapshots, oldest first. */
  snapshots: SnapshotInfo[];
}

export type SyncDecision =
  | { kind: 'bootstrap'; reason: string }
  | { kind: 'incremental'; previous: string; reason: string }
  | { kind: 'blocked'; situation: string; fix: string };

/**
 * How many Hadoop client processes a read of several paths starts at once: each is a JVM on a
 * field cluster (1–2 s of start-up), so reading paths side by side hides that latency; bounded so
 * that a config with dozens of paths does not start dozens of JVMs on the edge node.
 */
export const READ_CONCURRENCY = 4;

/** Read one side (a few hdfs commands). */
export async function readSide(hdfs: HdfsPort, dir: string, options: CallOptions = {}): Promise<SideState> {
  return (await readSides(hdfs, [dir], options))[0]!;
}

/**
 * Read several directories of one side: one batched `-count -x` and one `lsSnapshottableDir` for
 * all of them (side by side), then each snapshottable directory's snapshots, a few at a time.
 */
export async function readSides(hdfs: HdfsPort, dirs: readonly string[], options: CallOptions = {}): Promise<SideState[]> {
  if (dirs.length === 0) return [];
  const [{ found }, snapshottable] = await Promise.all([hdfs.countMany(dirs, options), hdfs.snapshottableDirs(options)]);
  const listed = new Set(snapshottable.map((d) => qualify(hdfs.site, d.path)));
  const states: SideState[] = new Array(dirs.length);
  await forEachLimit(dirs, READ_CONCURRENCY, async (dir, i) => {
    const summary = found.get(dir);
    if (!summary) {
      states[i] = { exists: false, snapshottable: false, nonEmpty: false, snapshots: [] };
      return;
    }
    // lsSnapshottableDir shows only the caller's dirs unless superuser: ask the directory itself too.
    const isSnapshottable = listed.has(qualify(hdfs.site, dir)) || (await hdfs.exists(`${dir.replace(/\/$/, '')}/.snapshot`, options));
    const snapshots = isSnapshottable ? await hdfs.listSnapshots(dir, options) : [];
    states[i] = { exists: true, snapshottable: isSnapshottable, nonEmpty: summary.dirs > 1 || summary.files > 0, snapshots };
  });
  return states;
}

/**
 * Decide what the run does for a pair. `current` is this run's snapshot name (ignored when
 * present: a resumed run). Pure: tests feed it side states directly.
 */
export function decideSync(
  pair: PathPair,
  src: SideState,
  dst: SideState,
  current: string,
  options: { allowSnapshot: boolean; sourceUri: string; targetUri: string },
): SyncDecision {
  const S = src.snapshots.map((s) => s.name).filter((n) => isSyncSnapshot(n) && n !== current);
  const D = dst.snapshots.map((s) => s.name).filter((n) => isSyncSnapshot(n) && n !== current);
  if (!src.exists) {
    return {
      kind: 'blocked',
      situation: `source directory ${options.sourceUri} does not exist`,
      fix: `create it on the source cluster or correct data.paths in the config (source: ${pair.source})`,
    };
  }
  if (!src.snapshottable && !options.allowSnapshot) {
    return {
      kind: 'blocked',
      situation: `source directory ${options.sourceUri} is not snapshottable and data.allowSnapshot is false`,
      fix: `as the HDFS superuser run: hdfs dfsadmin -allowSnapshot ${options.sourceUri} (and the same for ${options.targetUri}), or set data.allowSnapshot: true`,
    };
  }
  if (D.length === 0) {
    if (dst.exists && dst.nonEmpty) {
      const situation =
        S.length === 0
          ? `target ${options.targetUri} is not empty but has no hmsdr snapshots (and the source has none either): hmsdr will not overwrite data it did not put there`
          : `source has hmsdr snapshots (${S.join(', ')}) but target ${options.targetUri} has none and is not empty: the target's snapshots were deleted or it was written outside hmsdr`;
      return {
        kind: 'blocked',
        situation,
        fix: `if the DR copy is disposable, move it aside (hdfs dfs -mv ${options.targetUri} ${options.targetUri}.old) or empty it (hdfs dfs -rm -r -skipTrash '${options.targetUri}/*'), then run again to bootstrap a full copy; if a previous hmsdr run was interrupted during its bootstrap copy, resume that run (hmsdr resume) instead`,
      };
    }
    if (!options.allowSnapshot && dst.exists && !dst.snapshottable) {
      return {
        kind: 'blocked',
        situation: `target ${options.targetUri} is not snapshottable and data.allowSnapshot is false`,
        fix: `as the HDFS superuser run: hdfs dfsadmin -allowSnapshot ${options.targetUri}, or set data.allowSnapshot: true`,
      };
    }
    return {
      kind: 'bootstrap',
      reason: dst.exists
        ? `target ${options.targetUri} is empty and has no hmsdr snapshot: full copy`
        : `target ${options.targetUri} does not exist yet: full copy`,
    };
  }
  const latestTarget = D[D.length - 1]!;
  if (S.length === 0) {
    return {
      kind: 'blocked',
      situation: `target ${options.targetUri} has hmsdr snapshots (${D.join(', ')}) but the source ${options.sourceUri} has none: the source snapshots were deleted, or source and target were swapped (switchover)`,
      fix: `check which side holds the newest data; to re-baseline, move the target aside (hdfs dfs -mv) or delete its hmsdr snapshots (hdfs dfs -deleteSnapshot ${options.targetUri} <name>) and empty it, then run again`,
    };
  }
  if (!S.includes(latestTarget)) {
    return {
      kind: 'blocked',
      situation: `latest snapshots differ: the target's newest hmsdr snapshot ${latestTarget} does not exist on the source (source has: ${S.join(', ')}); usually after a switchover or a manual snapshot`,
      fix: `find the newest snapshot present on both sides; rewind the target to it (hadoop distcp -update -rdiff ${latestTarget} <common> ${options.sourceUri} ${options.targetUri}) and delete the target's newer snapshots (hdfs dfs -deleteSnapshot ${options.targetUri} ${latestTarget}); or re-baseline by moving the target aside`,
    };
  }
  return { kind: 'incremental', previous: latestTarget, reason: `incremental from ${latestTarget} (newest hmsdr snapshot on both sides)` };
}

/** What snapshot-source decided for one path (the DistCp engine follows it). */
export interface PathSnapshot {
  source: string;
  target: string;
  snapshot: string;
  mode: 'bootstrap' | 'incremental';
  previous: string | null;
  /** Source snapshot creation time (T1), ISO. */
  takenAt: string | null;
}

export interface PairFacts {
  pair: PathPair;
  src: SideState;
  dst: SideState;
  decision: SyncDecision;
}

/** Both sides of every pair: each cluster's paths read together (readSides), both clusters at once (independent NameNodes). */
export async function readPairSides(
  hdfs: HdfsPorts,
  pairs: readonly PathPair[],
  options: CallOptions = {},
): Promise<{ src: SideState; dst: SideState }[]> {
  const [sources, targets] = await Promise.all([
    readSides(
      hdfs.source,
      pairs.map((p) => p.source),
      options,
    ),
    readSides(
      hdfs.dr,
      pairs.map((p) => p.target),
      options,
    ),
  ]);
  return pairs.map((_, i) => ({ src: sources[i]!, dst: targets[i]! }));
}

/** The newest snapshot of the target's hmsdr snapshots the source also has, and the target's newer ones. */
export function commonSnapshot(sourceNames: readonly string[], targetNames: readonly string[]): { common?: string; newer: string[] } {
  const onSource = new Set(sourceNames.filter(isSyncSnapshot));
  const ours = targetNames.filter(isSyncSnapshot);
  let at = -1;
  for (let i = ours.length - 1; i >= 0 && at < 0; i--) if (onSource.has(ours[i]!)) at = i;
  return at < 0 ? { newer: ours } : { common: ours[at]!, newer: ours.slice(at + 1) };
}

/** The target as a failback's rewind leaves it: its hmsdr snapshots newer than the common one set aside (renamed). */
function withoutNewer(src: SideState, dst: SideState): SideState {
  const { newer } = commonSnapshot(
    src.snapshots.map((s) => s.name),
    dst.snapshots.map((s) => s.name),
  );
  return { ...dst, snapshots: dst.snapshots.filter((s) => !newer.includes(s.name)) };
}

/**
 * Read both sides of every configured pair and decide (read-only). `failback`: decide for the target
 * as the failback's rewind will leave it (its snapshots of copies that never reached the source set aside).
 */
export async function assessPairs(
  ctx: Pick<StepContext, 'config' | 'signal' | 'run'>,
  hdfs: HdfsPorts,
  options: { failback?: boolean } = {},
): Promise<PairFacts[]> {
  const current = syncSnapshotName(ctx.run.id);
  const pairs = dataPairs(ctx.config);
  const sides = await readPairSides(hdfs, pairs, { signal: ctx.signal });
  return pairs.map((pair, i) => {
    const src = sides[i]!.src;
    const dst = options.failback ? withoutNewer(src, sides[i]!.dst) : sides[i]!.dst;
    const decision = decideSync(pair, src, dst, current, {
      allowSnapshot: ctx.config.data.allowSnapshot,
      sourceUri: qualify(hdfs.source.site, pair.source),
      targetUri: qualify(hdfs.dr.site, pair.target),
    });
    return { pair, src, dst, decision };
  });
}

/**
 * Retention: keep the newest `keep` hmsdr sync snapshots (and `keep` safety snapshots) of `dir`,
 * never one named in `protect`. Returns the names deleted.
 */
export async function pruneSnapshots(
  hdfs: HdfsPort,
  dir: string,
  keep: number,
  protect: readonly string[],
  options: CallOptions = {},
): Promise<string[]> {
  const snapshots = await hdfs.listSnapshots(dir, options);
  const deleted: string[] = [];
  for (const kind of [isSyncSnapshot, isSafetySnapshot]) {
    const ours = snapshots.filter((s) => kind(s.name));
    const excess = ours.slice(0, Math.max(0, ours.length - keep)).filter((s) => !protect.includes(s.name));
    for (const s of excess) {
      await hdfs.deleteSnapshot(dir, s.name, options);
      deleted.push(s.name);
    }
  }
  return deleted;
}
