// `hmsdr verify data` and the verify steps (one implementation): L5 per configured path at a
// snapshot (default: the newest hmsdr snapshot both sides have), plus L4 over a list of metastore
// locations when given; the rungs say what failed, and `ok` is theirs.
import type { CallOptions, HdfsPorts } from '../../adapters/hdfs/hdfs.js';
import { isSyncSnapshot } from '../../names/run-names.js';
import type { PathPair } from '../../config/data-paths.js';
import { PreconditionError } from '../../errors/errors.js';
import { rung, type RungResult } from '../ladder.js';
import { forEachLimit } from '../../util/limit.js';
import { changedMatcher } from './checksum-plan.js';
import type { SnapshotDiffEntry } from '../../adapters/hdfs/parse.js';
import type { CopyListingSink } from './copy-listing.js';
import {
  checksumModeOf,
  compareSnapshotListings,
  coverageText,
  renderEquivalence,
  type ChecksumMode,
  type EquivalenceOptions,
  type PathEquivalence,
} from './equivalence.js';
import { checkLocations, type LocationReport } from './presence.js';

export type PresenceRung = RungResult & { checked: number };
export type EquivalenceRung = RungResult & { paths: PathEquivalence[] };

export interface DataVerification {
  equivalence: PathEquivalence[];
  presence?: LocationReport;
  /** L4 (when locations were given), then L5 (when compared). */
  rungs: Array<PresenceRung | EquivalenceRung>;
  ok: boolean;
}

/** What the run's copy did on a path (the copy-data output's fields that verification reads). */
export interface CopiedPath {
  source: string;
  previous: string | null;
  snapshot: string;
  mode?: string;
  newerThanT1?: readonly string[] | undefined;
}

export interface VerifyDataOptions extends CallOptions {
  /** Compare at this snapshot (default: per pair the newest hmsdr snapshot both sides have). */
  snapshot?: string | undefined;
  /** `none | changed | all` (`true` = all, `false` = none, the boolean of older callers). Default none. */
  checksums?: boolean | ChecksumMode | undefined;
  /** `changed` mode: unchanged files check-summed per path and run (default 100). */
  sample?: number | undefined;
  /** `changed` mode: what rotates the sample between runs (default the snapshot name). */
  rotation?: string | undefined;
  /**
   * `changed` mode: what this run's copy did per path (the copy-data output): the files its
   * snapshot diff `previous → snapshot` created or modified are check-summed; none after a
   * bootstrap (`previous` null). Without it, the diff from the source's hmsdr snapshot before T1.
   */
  copied?: readonly CopiedPath[] | undefined;
  /** Rows of the run's listing.csv and status.csv (copy-listing.ts), for the paths in `copied`. */
  listing?: CopyListingSink | undefined;
  /** Per data path (`data.exclude`), relative to it: left out of L5 on both sides (counted), reported as `excluded` by L4. */
  exclude?: ((relativePath: string, pair: PathPair) => boolean) | undefined;
  /** Data paths compared at once (default 2; each runs two listings). */
  concurrency?: number | undefined;
  /** Listing records held in memory per side before spilling to disk (default 5,000). */
  maxInMemory?: number | undefined;
  /** Where spilled listings go (default the OS temp dir). */
  tmpDir?: string | undefined;
  /** L4: metastore locations that must exist on DR (at the snapshot under a data path). */
  locations?: readonly string[];
  /** L5: compare the snapshot listings (default true). Without it and without a snapshot, L4 checks the live tree. */
  equivalence?: boolean;
  /** Who checked (step id, or `verify data`), recorded in the rungs. */
  by?: string;
  /** One line of progress (locations checked of total). */
  onProgress?: (text: string) => void;
}

/** The checksum mode of a config's `data` (`data.checksums: true`, the older switch, means all). */
export function configuredChecksums(data: { checksums: boolean; verify: { checksums: ChecksumMode } }): ChecksumMode {
  return data.checksums ? 'all' : data.verify.checksums;
}

/** L4 as a rung: every location present on DR. */
export function presenceRung(by: string, report: LocationReport, snapshot: string | undefined): PresenceRung {
  const differences = report.missing.slice(0, 200).map((m) => `missing on DR: ${m.location} (checked ${m.checkedPath})`);
  if (report.missing.length > 200) differences.push(`… ${report.missing.length - 200} more missing`);
  const outside = report.outsideSnapshotRoots.length
    ? ` (${report.outsideSnapshotRoots.length} outside the copied paths, checked live)`
    : '';
  const excluded = report.excluded?.length ? ` (${report.excluded.length} under excluded paths, not checked)` : '';
  return {
    ...rung(
      'L4',
      by,
      differences,
      `${report.checked} locations present on DR${snapshot ? ` at snapshot ${snapshot}` : ''}${outside}${excluded}`,
    ),
    checked: report.checked,
  };
}

/** L5 as a rung: every path's snapshot listings equal (and checksums when compared). */
export function equivalenceRung(by: string, paths: PathEquivalence[], checksums: boolean | ChecksumMode): EquivalenceRung {
  const mode = checksumModeOf(checksums);
  const differences = paths.flatMap((p) => [
    ...p.mismatches
      .slice(0, 100)
      .map(
        (m) =>
          `${p.target}/${m.path}: ${m.kind}${m.source ? ` (source ${m.source}` : ''}${m.target ? `${m.source ? ', ' : ' ('}target ${m.target})` : m.source ? ')' : ''}`,
      ),
    ...(p.mismatchCount > 100 ? [`${p.target}: … ${p.mismatchCount - 100} more differences`] : []),
    ...(p.ok || p.mismatches.length > 0
      ? []
      : [`${p.target} at ${p.snapshot}: files ${p.files.source}/${p.files.target}, bytes ${p.bytes.source}/${p.bytes.target}`]),
  ]);
  const files = paths.reduce((n, p) => n + p.files.source, 0);
  const bytes = paths.reduce((n, p) => n + p.bytes.source, 0);
  const at = [...new Set(paths.map((p) => p.snapshot))].join(', ');
  const sum = (f: (p: PathEquivalence) => number): number => paths.reduce((n, p) => n + f(p), 0);
  const coverage = coverageText({
    lengthCompared: sum((p) => p.lengthCompared),
    checksumsCompared: sum((p) => p.checksumsCompared),
    checksums: { mode, changed: sum((p) => p.checksums.changed), sample: sum((p) => p.checksums.sample), other: 0 },
  });
  // Per path, as the report lists it: what data.exclude left out on the source side.
  const excluded = paths
    .filter((p) => p.excluded.source.files > 0 || p.excluded.target.files > 0)
    .map((p) => `${p.source} ${p.excluded.source.files} files, ${p.excluded.source.bytes} bytes (DR: ${p.excluded.target.files} files)`);
  const newer = sum((p) => p.newerOnTarget?.files ?? 0);
  const newerText = newer > 0 ? `; ${newer} file(s) on DR newer than T1 (the engine copied the live source), not compared` : '';
  return {
    ...rung(
      'L5',
      by,
      differences,
      `${paths.length} path(s): ${files} files, ${bytes} bytes equal at ${at}${mode !== 'none' ? ', COMPOSITE_CRC checksums equal' : ''}; ${coverage}${excluded.length > 0 ? `; excluded by data.exclude, not compared: ${excluded.join('; ')}` : ''}${newerText}`,
    ),
    paths,
  };
}

/** Newest hmsdr snapshot present on both sides of a pair. */
export async function latestCommonSnapshot(hdfs: HdfsPorts, pair: PathPair, options: CallOptions = {}): Promise<string | undefined> {
  const onTarget = new Set((await hdfs.dr.listSnapshots(pair.target, options)).map((s) => s.name));
  const common = (await hdfs.source.listSnapshots(pair.source, options)).filter((s) => isSyncSnapshot(s.name) && onTarget.has(s.name));
  return common.pop()?.name;
}

/** The hmsdr snapshot of the source taken just before `snapshot` (undefined when none). */
async function snapshotBefore(hdfs: HdfsPorts, pair: PathPair, snapshot: string, options: CallOptions): Promise<string | undefined> {
  const names = (await hdfs.source.listSnapshots(pair.source, options)).map((s) => s.name);
  const at = names.indexOf(snapshot);
  return names
    .slice(0, at < 0 ? names.length : at)
    .filter(isSyncSnapshot)
    .pop();
}

/** The snapshot diff `previous → snapshot` of this run's copy on a pair (undefined after a bootstrap). */
async function runDiff(
  hdfs: HdfsPorts,
  pair: PathPair,
  snapshot: string,
  copied: CopiedPath | undefined,
  options: VerifyDataOptions,
): Promise<SnapshotDiffEntry[] | undefined> {
  const call = options.signal ? { signal: options.signal } : {};
  const previous = copied ? copied.previous : await snapshotBefore(hdfs, pair, snapshot, call);
  if (!previous) return undefined;
  return (await hdfs.source.snapshotDiff(pair.source, previous, snapshot, call)).entries;
}

/**
 * The listing.csv / status.csv rows of one pair: the diff's deletions and renames now, then (through
 * the returned taps) every source file the copy sent and every file data.exclude left out.
 */
function listingTaps(
  sink: CopyListingSink,
  pair: PathPair,
  copied: CopiedPath,
  diff: readonly SnapshotDiffEntry[] | undefined,
): Pick<EquivalenceOptions, 'onSourceFile' | 'onSourceExcluded'> {
  const onSourceExcluded = (rel: string, length: number): void => sink.status(pair, 'SKIPPED', rel, length, 'data.exclude');
  if (copied.mode === 'full-copy') {
    // A full -update pass: every file was compared, the equal ones were not sent again.
    return { onSourceFile: (rel, length) => sink.listed(pair, 'checked', rel, length, 'copied unless already equal'), onSourceExcluded };
  }
  if (!diff) return { onSourceFile: (rel, length) => sink.listed(pair, 'copied', rel, length), onSourceExcluded };
  for (const e of diff) {
    if (e.label === '-') {
      sink.listed(pair, 'deleted', e.path, null);
      sink.status(pair, 'DELETED', e.path, null, `not in ${copied.snapshot}`);
    } else if (e.label === 'R' && e.target !== undefined) sink.listed(pair, 'renamed', e.target, null, `from ${e.path}`);
  }
  const sent = changedMatcher(diff);
  return { onSourceFile: (rel, length) => sent(rel) && sink.listed(pair, 'copied', rel, length), onSourceExcluded };
}

/**
 * What the comparison needs of this run's snapshot diff: the `changed` matcher and the listing.csv
 * taps. The diff itself (a hundred thousand entries at field scale) is not kept through the
 * comparison, whose heap it would grow.
 */
async function diffConsumers(
  hdfs: HdfsPorts,
  pair: PathPair,
  snapshot: string,
  copied: CopiedPath | undefined,
  options: VerifyDataOptions,
  mode: ChecksumMode,
): Promise<{ changed?: (rel: string) => boolean; taps: Pick<EquivalenceOptions, 'onSourceFile' | 'onSourceExcluded'> }> {
  const listing = options.listing && copied ? options.listing : undefined;
  const diff = mode === 'changed' || listing ? await runDiff(hdfs, pair, snapshot, copied, options) : undefined;
  return {
    ...(mode === 'changed' && diff ? { changed: changedMatcher(diff) } : {}),
    taps: listing && copied ? listingTaps(listing, pair, copied, diff) : {},
  };
}

export async function verifyData(hdfs: HdfsPorts, pairs: readonly PathPair[], options: VerifyDataOptions = {}): Promise<DataVerification> {
  const by = options.by ?? 'verify data';
  const mode = checksumModeOf(options.checksums);
  const snapshots = new Map<PathPair, string>();
  const compared = options.equivalence === false ? [] : pairs;
  for (const pair of compared) {
    const snapshot = options.snapshot ?? (await latestCommonSnapshot(hdfs, pair, options));
    if (!snapshot) {
      throw new PreconditionError(`${pair.source} → ${pair.target}: no hmsdr snapshot exists on both sides`, {
        hint: 'run the copy-data step first (hmsdr run), or name a snapshot with --snapshot',
      });
    }
    snapshots.set(pair, snapshot);
  }
  const results: PathEquivalence[] = [];
  await forEachLimit(compared, options.concurrency ?? 2, async (pair, i) => {
    const snapshot = snapshots.get(pair)!;
    const copied = options.copied?.find((c) => c.source === pair.source && c.snapshot === snapshot);
    const fromDiff = await diffConsumers(hdfs, pair, snapshot, copied, options, mode);
    results[i] = await compareSnapshotListings(hdfs, pair, snapshot, {
      ...fromDiff.taps,
      ...(options.signal ? { signal: options.signal } : {}),
      checksums: mode,
      changed: fromDiff.changed,
      sample: options.sample,
      rotation: options.rotation,
      exclude: options.exclude ? (rel: string) => options.exclude!(rel, pair) : undefined,
      newerThanT1: copied?.newerThanT1,
      maxInMemory: options.maxInMemory,
      tmpDir: options.tmpDir,
    });
  });
  const equivalence = results;
  const rungs: DataVerification['rungs'] = [];
  let presence: LocationReport | undefined;
  if (options.locations) {
    // One snapshot for L4: the named one, or the one of the first pair (a run snapshots every path with the same name).
    const snapshot = options.snapshot ?? [...snapshots.values()][0];
    presence = await checkLocations(hdfs.dr, options.locations, {
      signal: options.signal,
      roots: pairs.map((p) => p.target),
      ...(snapshot ? { snapshot } : {}),
      exclude: options.exclude
        ? (rel: string, root: string) => pairs.some((p) => p.target === root && options.exclude!(rel, p))
        : undefined,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    rungs.push(presenceRung(by, presence, snapshot));
  }
  if (options.equivalence !== false) rungs.push(equivalenceRung(by, equivalence, mode));
  return { equivalence, ...(presence ? { presence } : {}), rungs, ok: rungs.every((r) => r.ok) };
}

export function renderDataVerification(result: DataVerification): string {
  const lines = [renderEquivalence(result.equivalence)];
  const p = result.presence;
  if (p) {
    lines.push(
      `${p.ok ? 'OK  ' : 'FAIL'} L4: ${p.checked} locations, ${p.missing.length} missing on DR${p.foreign.length > 0 ? `, ${p.foreign.length} on other file systems (not checked)` : ''}${p.outsideSnapshotRoots.length > 0 ? `, ${p.outsideSnapshotRoots.length} outside data.paths (checked live)` : ''}`,
    );
    for (const m of p.missing.slice(0, 200)) lines.push(`     missing           ${m.location}  (checked ${m.checkedPath})`);
    if (p.excluded?.length) lines.push(`     ${p.excluded.length} location(s) under excluded paths (data.exclude): not checked`);
  }
  lines.push(result.ok ? 'data verification passed' : 'data verification FAILED');
  return lines.join('\n');
}
