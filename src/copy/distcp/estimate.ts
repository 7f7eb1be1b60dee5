// For `hmsdr plan`: what the DistCp engine would do per path (read-only) — mode, previous snapshot,
// and files/bytes to copy from the snapshot diff of the source since that snapshot (or its full size).
import type { CallOptions, HdfsPorts } from '../../adapters/hdfs/hdfs.js';
import { qualify } from '../../adapters/hdfs/commands.js';
import type { CopyEstimate } from '../engine.js';
import { decideSync, readSide, syncSnapshotName, type PathPair } from './sync-state.js';

/** Estimate every pair; `runId` names the snapshot the run would take. */
export async function estimateDataCopy(
  hdfs: HdfsPorts,
  pairs: readonly PathPair[],
  settings: { runId: string; allowSnapshot: boolean },
  options: CallOptions = {},
): Promise<CopyEstimate[]> {
  const out: CopyEstimate[] = [];
  for (const pair of pairs) {
    const src = await readSide(hdfs.source, pair.source, options);
    const dst = await readSide(hdfs.dr, pair.target, options);
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
      out.push({ ...base, mode: 'bootstrap', previous: null, files: summary?.files ?? 0, bytes: summary?.bytes ?? 0 });
    } else {
      const report = await hdfs.source.snapshotDiff(pair.source, decision.previous, '.', options);
      const changes = { created: 0, modified: 0, deleted: 0, renamed: 0 };
      const toCount: string[] = [];
      for (const e of report.entries) {
        if (e.label === '+') changes.created++;
        if (e.label === '-') changes.deleted++;
        if (e.label === 'R') changes.renamed++;
        if (e.label === 'M' && e.path !== '') changes.modified++;
        if ((e.label === '+' || e.label === 'M') && e.path !== '') toCount.push(`${pair.source.replace(/\/$/, '')}/${e.path}`);
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
      out.push({ ...base, mode: 'incremental', previous: decision.previous, files, bytes, changes });
    }
  }
  return out;
}
