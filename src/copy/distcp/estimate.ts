// For `hmsdr plan`: what the DistCp engine would do per path (read-only) — mode, previous snapshot,
// and files/bytes to copy from the snapshot diff of the source since that snapshot (or its full size).
import type { CallOptions, HdfsPorts } from '../../adapters/hdfs/hdfs.js';
import { qualify } from '../../adapters/hdfs/commands.js';
import type { CopyEstimate } from '../engine.js';
import type { ResolvedConfig } from '../../config/load.js';
import { compileExclusions, type Exclusions } from '../../config/exclusions.js';
import { copyPolicy, pairOptions } from './options.js';
import { optionNotes } from './plan.js';
import { fullCopyReason, readSyncRecord } from './sync-record.js';
import { decideSync, readPairSides, syncSnapshotName, type PathPair } from './sync-state.js';
import { streamListing } from '../../adapters/hdfs/hdfs.js';
import type { LsEntry } from '../../adapters/hdfs/parse.js';

/** The source listing of `dir`, streamed; an unreadable tree counts as empty (the plan still shows the rest). */
async function* readableListing(hdfs: HdfsPorts, dir: string, options: CallOptions): AsyncGenerator<LsEntry> {
  try {
    yield* streamListing(hdfs.source, dir, options);
  } catch {
    // as before: nothing excluded is counted when the listing fails
  }
}

/** What the path's copy options add to its estimate: a forced full copy, files/bytes excluded, warnings. */
async function policyFacts(
  hdfs: HdfsPorts,
  config: Pick<ResolvedConfig, 'data'>,
  pair: PathPair,
  exclusions: Exclusions,
  options: CallOptions,
): Promise<Pick<CopyEstimate, 'fullCopyReason' | 'excluded' | 'notes'>> {
  const copyOptions = pairOptions(config, pair);
  const out: Pick<CopyEstimate, 'fullCopyReason' | 'excluded' | 'notes'> = {};
  if (copyOptions.deletePolicy === 'keep') {
    out.fullCopyReason = 'deletePolicy keep: an -update of the whole snapshot without -delete';
  } else {
    const { record } = await readSyncRecord(hdfs.dr, pair.target, options).catch(() => ({ record: undefined }));
    const reason = fullCopyReason(record, copyPolicy(config, pair));
    if (reason) out.fullCopyReason = reason;
  }
  if (exclusions.patterns.length > 0) {
    // The live source tree (T1 is taken by the run): files whose relative path is excluded. Read as
    // it is printed, in constant memory (a field tree has millions of files).
    const root = pair.source.replace(/\/+$/, '');
    const excluded = { files: 0, bytes: 0 };
    for await (const entry of readableListing(hdfs, pair.source, options)) {
      const path = entry.path.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*/, '');
      if (entry.type !== 'file' || !path.startsWith(`${root}/`)) continue;
      if (exclusions.excluded(path.slice(root.length + 1))) {
        excluded.files++;
        excluded.bytes += entry.length;
      }
    }
    out.excluded = excluded;
  }
  const notes = optionNotes(copyOptions);
  if (notes.length > 0) out.notes = notes;
  return out;
}

/** Estimate every pair; `runId` names the snapshot the run would take. */
export async function estimateDataCopy(
  hdfs: HdfsPorts,
  pairs: readonly PathPair[],
  settings: { runId: string; allowSnapshot: boolean; config?: Pick<ResolvedConfig, 'data'> },
  options: CallOptions = {},
): Promise<CopyEstimate[]> {
  const out: CopyEstimate[] = [];
  // Both clusters' snapshot state in a few batched commands (sync-state.ts), not path after path.
  const sides = await readPairSides(hdfs, pairs, options);
  for (const [i, pair] of pairs.entries()) {
    const copyOptions = settings.config ? pairOptions(settings.config, pair) : undefined;
    const exclusions = compileExclusions(copyOptions?.exclude ?? []);
    const extra = settings.config ? await policyFacts(hdfs, settings.config, pair, exclusions, options) : {};
    const { src, dst } = sides[i]!;
    const decision = decideSync(pair, src, dst, syncSnapshotName(settings.runId), {
      allowSnapshot: settings.allowSnapshot,
      sourceUri: qualify(hdfs.source.site, pair.source),
      targetUri: qualify(hdfs.dr.site, pair.target),
    });
    const base = { source: pair.source, target: pair.target, changes: { created: 0, modified: 0, deleted: 0, renamed: 0 } };
    if (decision.kind === 'blocked') {
      out.push({
        ...base,
        mode: 'blocked',
        previous: null,
        files: 0,
        bytes: 0,
        blocked: { situation: decision.situation, fix: decision.fix },
      });
    } else if (decision.kind === 'bootstrap') {
      const summary = await hdfs.source.summary(pair.source, options);
      const left = extra.excluded ?? { files: 0, bytes: 0 };
      const { fullCopyReason: _full, ...facts } = extra;
      out.push({
        ...base,
        ...facts,
        mode: 'bootstrap',
        previous: null,
        files: (summary?.files ?? 0) - left.files,
        bytes: (summary?.bytes ?? 0) - left.bytes,
      });
    } else {
      const report = await hdfs.source.snapshotDiff(pair.source, decision.previous, '.', options);
      const changes = { created: 0, modified: 0, deleted: 0, renamed: 0 };
      const toCount: string[] = [];
      for (const e of report.entries) {
        if (e.label === '+') changes.created++;
        if (e.label === '-') changes.deleted++;
        if (e.label === 'R') changes.renamed++;
        if (e.label === 'M' && e.path !== '') changes.modified++;
        if ((e.label === '+' || e.label === 'M') && e.path !== '' && !exclusions.excluded(e.path))
          toCount.push(`${pair.source.replace(/\/$/, '')}/${e.path}`);
      }
      // Modified directories only changed their child lists: count files (dirs = 0) and created trees.
      const { found } = await hdfs.source.countMany(toCount, options);
      let files = 0;
      let bytes = 0;
      for (const [path, row] of found) {
        const isModifiedDir =
          row.dirs > 0 && report.entries.some((e) => e.label === 'M' && `${pair.source.replace(/\/$/, '')}/${e.path}` === path);
        if (isModifiedDir) continue;
        files += row.files;
        bytes += row.bytes;
      }
      out.push({ ...base, ...extra, mode: 'incremental', previous: decision.previous, files, bytes, changes });
    }
  }
  return out;
}
