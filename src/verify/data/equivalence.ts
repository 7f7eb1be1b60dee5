// L5 file equivalence: the listing of source `.snapshot/<T1>` against target `.snapshot/<T1>`,
// streamed and merged in sorted order in bounded memory (sorted-listing.ts, merge-compare.ts) —
// file count, bytes, per-path type and length — then COMPOSITE_CRC checksums of the files the
// checksum mode selects (checksum-plan.ts).
import { snapshotPath } from '../../adapters/hdfs/commands.js';
import type { CallOptions, HdfsPorts } from '../../adapters/hdfs/hdfs.js';
import type { SortStats } from '../../util/external-sort.js';
import { ChecksumGroups } from './checksum-groups.js';
import { compareChecksums, DEFAULT_SAMPLE, PathSpool, RotatingSample, type ChecksumMode } from './checksum-plan.js';
import { mergeCompare, type Mismatch } from './merge-compare.js';
import { sortedListing, type ExcludedCount, type ListingOptions, type ListingRecord } from './sorted-listing.js';

export type { Mismatch, MismatchKind } from './merge-compare.js';
export type { ChecksumMode } from './checksum-plan.js';

/** Mismatches kept in the result per path (all are counted). */
export const MAX_MISMATCHES_KEPT = 1000;

export interface ChecksumCoverage {
  mode: ChecksumMode;
  /** Files of equal length compared by checksum because this run's snapshot diff created or modified them. */
  changed: number;
  /** Unchanged files of the rotating sample (`changed` mode). */
  sample: number;
  /** The rest (`all` mode). */
  other: number;
}

export interface PathEquivalence {
  source: string;
  target: string;
  snapshot: string;
  files: { source: number; target: number };
  dirs: { source: number; target: number };
  bytes: { source: number; target: number };
  /** Files present on both sides with the same length. */
  lengthCompared: number;
  checksumsCompared: number;
  checksums: ChecksumCoverage;
  /** Left out by `exclude` (files and bytes, per side). */
  excluded: { source: ExcludedCount; target: ExcludedCount };
  /** Extra on the target because the engine copied them after T1 (`newerThanT1`): expected, counted. */
  newerOnTarget?: { files: number; dirs: number; bytes: number };
  /** The first MAX_MISMATCHES_KEPT, sorted by path; `mismatchCount` counts them all. */
  mismatches: Mismatch[];
  mismatchCount: number;
  ok: boolean;
}

export interface EquivalenceOptions extends CallOptions, Pick<ListingOptions, 'exclude' | 'maxInMemory' | 'tmpDir'> {
  /** `true` = `all`, `false` = `none` (the boolean of older callers). Default `none`. */
  checksums?: boolean | ChecksumMode | undefined;
  /** `changed` mode: created or modified by this run's snapshot diff (relative path). */
  changed?: ((rel: string) => boolean) | undefined;
  /** `changed` mode: unchanged files check-summed per run (default DEFAULT_SAMPLE). */
  sample?: number | undefined;
  /** `changed` mode: what rotates the sample between runs (the run id or snapshot name). */
  rotation?: string | undefined;
  checksumBatch?: number | undefined;
  /** Sorting statistics of both sides (tests assert bounded memory with them). */
  sortStats?: { source: SortStats; target: SortStats } | undefined;
  /**
   * Relative paths of target files an engine copied from the live source after T1 (Cloudera
   * Manager replicates the live tree): extra on the target as expected, counted, not mismatches.
   */
  newerThanT1?: readonly string[] | undefined;
  /** Every file of the source listing at T1 (not excluded), in sorted order: listing.csv. */
  onSourceFile?: ((rel: string, length: number) => void) | undefined;
  /** Every source file `exclude` left out: status.csv's SKIPPED. */
  onSourceExcluded?: ((rel: string, length: number) => void) | undefined;
}

/** The same records, and `onFile` for each file among them. */
async function* tapFiles(
  records: AsyncGenerator<ListingRecord>,
  onFile: (rel: string, length: number) => void,
): AsyncGenerator<ListingRecord> {
  for await (const r of records) {
    if (!r.dir) onFile(r.rel, r.length);
    yield r;
  }
}

export const checksumModeOf = (c: EquivalenceOptions['checksums']): ChecksumMode =>
  c === true ? 'all' : c === false || c === undefined ? 'none' : c;

/** Compare one pair at `snapshot`. */
export async function compareSnapshotListings(
  hdfs: HdfsPorts,
  pair: { source: string; target: string },
  snapshot: string,
  options: EquivalenceOptions = {},
): Promise<PathEquivalence> {
  const srcRoot = snapshotPath(pair.source, snapshot);
  const dstRoot = snapshotPath(pair.target, snapshot);
  const mode = checksumModeOf(options.checksums);
  const excluded = { source: { files: 0, bytes: 0 }, target: { files: 0, bytes: 0 } };
  const listing = { ...options };
  const sorted = sortedListing(hdfs.source, srcRoot, listing, {
    excluded: excluded.source,
    ...(options.sortStats ? { sort: options.sortStats.source } : {}),
    ...(options.onSourceExcluded ? { onExcluded: options.onSourceExcluded } : {}),
  });
  const src = options.onSourceFile ? tapFiles(sorted, options.onSourceFile) : sorted;
  const dst = sortedListing(hdfs.dr, dstRoot, listing, {
    excluded: excluded.target,
    ...(options.sortStats ? { sort: options.sortStats.target } : {}),
  });
  const mismatches: Mismatch[] = [];
  let mismatchCount = 0;
  const newerFiles = new Set(options.newerThanT1 ?? []);
  const newerDirs = new Set(
    [...newerFiles].flatMap((rel) =>
      rel
        .split('/')
        .slice(0, -1)
        .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
    ),
  );
  const newerOnTarget = { files: 0, dirs: 0, bytes: 0 };
  const onMismatch = (m: Mismatch): void => {
    if (m.kind === 'extra-on-target' && (newerFiles.has(m.path) || newerDirs.has(m.path))) {
      const [type, length] = (m.target ?? 'file 0').split(' ');
      if (type === 'dir') newerOnTarget.dirs++;
      else {
        newerOnTarget.files++;
        newerOnTarget.bytes += Number(length) || 0;
      }
      return;
    }
    mismatchCount++;
    if (mismatches.length < MAX_MISMATCHES_KEPT) mismatches.push(m);
  };
  const spool = new PathSpool(options.tmpDir);
  const sample = new RotatingSample(mode === 'changed' ? (options.sample ?? DEFAULT_SAMPLE) : 0, options.rotation ?? snapshot);
  const coverage: ChecksumCoverage = { mode, changed: 0, sample: 0, other: 0 };
  try {
    // Whole directories of candidates go as one `<dir>/*` argument (checksum-groups.ts).
    const groups = mode === 'none' ? undefined : new ChecksumGroups((entry) => spool.push(entry));
    const merged = await mergeCompare(
      src,
      dst,
      (m) => {
        groups?.other(m.path);
        onMismatch(m);
      },
      async (rel) => {
        if (mode === 'all') {
          coverage.other++;
          groups?.candidate(rel);
        } else if (mode === 'changed') {
          if (options.changed?.(rel)) {
            coverage.changed++;
            groups?.candidate(rel);
          } else {
            sample.offer(rel);
            groups?.other(rel);
          }
        }
        await spool.flushIfFull();
      },
      (dir) => groups?.other(dir),
    );
    groups?.end();
    for (const rel of sample.paths()) {
      coverage.sample++;
      await spool.add(rel);
    }
    const checksumsCompared =
      spool.count === 0
        ? 0
        : await compareChecksums(hdfs, { source: srcRoot, target: dstRoot }, spool.batches(options.checksumBatch ?? 2000), onMismatch, {
            ...(options.signal ? { signal: options.signal } : {}),
            ...(options.checksumBatch ? { batchSize: options.checksumBatch } : {}),
          });
    mismatches.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const s = merged.source;
    const d = merged.target;
    return {
      source: pair.source,
      target: pair.target,
      snapshot,
      files: { source: s.files, target: d.files },
      dirs: { source: s.dirs, target: d.dirs },
      bytes: { source: s.bytes, target: d.bytes },
      lengthCompared: merged.equalFiles,
      checksumsCompared,
      checksums: coverage,
      excluded,
      ...(newerOnTarget.files + newerOnTarget.dirs > 0 ? { newerOnTarget } : {}),
      mismatches,
      mismatchCount,
      ok: mismatchCount === 0 && s.files === d.files - newerOnTarget.files && s.bytes === d.bytes - newerOnTarget.bytes,
    };
  } finally {
    spool.remove();
    await Promise.all([src.return(undefined), sorted.return(undefined), dst.return(undefined)]);
  }
}

/** `compared by length: X files; by checksum: Y (changed Z + sample W)`. */
export function coverageText(r: Pick<PathEquivalence, 'lengthCompared' | 'checksumsCompared' | 'checksums'>): string {
  const c = r.checksums;
  const how =
    c.mode === 'none'
      ? 'checksums off'
      : c.mode === 'all'
        ? 'all files of equal length'
        : `changed ${c.changed.toLocaleString('en-US')} + sample ${c.sample.toLocaleString('en-US')}`;
  return `compared by length: ${r.lengthCompared.toLocaleString('en-US')} files; by checksum: ${r.checksumsCompared.toLocaleString('en-US')} (${how})`;
}

/** Human-readable lines of an L5 result. */
export function renderEquivalence(results: readonly PathEquivalence[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(
      `${r.ok ? 'OK  ' : 'FAIL'} ${r.source} → ${r.target} at ${r.snapshot}: files ${r.files.source}/${r.files.target}, bytes ${r.bytes.source}/${r.bytes.target}${r.checksumsCompared > 0 ? `, ${r.checksumsCompared} checksums compared` : ''}`,
    );
    lines.push(`     ${coverageText(r)}`);
    const ex = r.excluded;
    if (ex.source.files + ex.target.files > 0)
      lines.push(
        `     excluded: ${ex.source.files} files, ${ex.source.bytes} bytes on the source; ${ex.target.files} files, ${ex.target.bytes} bytes on the target`,
      );
    for (const m of r.mismatches.slice(0, 200))
      lines.push(
        `     ${m.kind.padEnd(17)} ${m.path}${m.source !== undefined || m.target !== undefined ? `  (source ${m.source ?? '-'}, target ${m.target ?? '-'})` : ''}`,
      );
    if (r.mismatchCount > 200) lines.push(`     … ${r.mismatchCount - 200} more`);
  }
  return lines.join('\n');
}
