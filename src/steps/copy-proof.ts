// Hadoop 2.7 (HDP 2.6): DistCp `-diff` against a target modified since the previous snapshot
// silently falls back to a plain `-update` (no deletes, no renames) and exits 0. On a 2.7 client
// (read by preflight), copy-data proves each target equals the source snapshot T1 — L5 by length —
// before the copy counts as done, in run() and again in probe() (a resumed run never takes a 2.7
// copy as done unproven).
import type { ResolvedConfig } from '../config/load.js';
import { VerifyError } from '../errors/errors.js';
import { isHadoop27 } from '../adapters/hdfs/parse.js';
import type { CopyResult } from '../copy/index.js';
import { compareSnapshotListings } from '../verify/data/equivalence.js';
import type { StepContext } from './step.js';

/** The DR client's Hadoop version as preflight recorded it (DistCp runs on DR). */
export function drHadoopVersion(ctx: StepContext): string | undefined {
  // Read raw: outputs.ts imports this step's types (no cycle); preflight records a string or nothing.
  const dr = (ctx.outputs.preflight as { hadoop?: { dr?: unknown } } | undefined)?.hadoop?.dr;
  return typeof dr === 'string' ? dr : undefined;
}

const repair = (pair: { source: string; target: string }, snapshot: string, config: ResolvedConfig): string =>
  `on DR: hadoop distcp -update -delete ${config.source.nameNode.replace(/\/$/, '')}${pair.source}/.snapshot/${snapshot} ${config.dr.nameNode.replace(/\/$/, '')}${pair.target}, ` +
  `then hdfs dfs -deleteSnapshot ${pair.target} ${snapshot} && hdfs dfs -createSnapshot ${pair.target} ${snapshot}, then resume`;

/** Differences between each copied path's source T1 and target T1 (by type and length); empty when equal or not on 2.7. */
export async function proveCopyOn27(ctx: StepContext, result: Pick<CopyResult, 'paths'>): Promise<{ differences: string[]; hint: string }> {
  const hdfs = ctx.adapters.hdfs;
  if (!hdfs || !isHadoop27(drHadoopVersion(ctx))) return { differences: [], hint: '' };
  const differences: string[] = [];
  const hints: string[] = [];
  for (const path of result.paths) {
    ctx.progress(`Hadoop 2.7: proving ${path.target} equals ${path.source} at ${path.snapshot} (L5 by length)`);
    const r = await compareSnapshotListings(hdfs, path, path.snapshot, {
      checksums: 'none',
      tmpDir: ctx.run.dir,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    if (r.ok) continue;
    differences.push(
      ...r.mismatches.slice(0, 50).map((m) => `${path.target}/${m.path}: ${m.kind}`),
      ...(r.mismatchCount > 50 ? [`${path.target}: … ${r.mismatchCount - 50} more`] : []),
      ...(r.mismatchCount === 0
        ? [`${path.target}: files ${r.files.source}/${r.files.target}, bytes ${r.bytes.source}/${r.bytes.target}`]
        : []),
    );
    hints.push(repair(path, path.snapshot, ctx.config));
  }
  return { differences, hint: hints.join('; ') };
}

/** run(): fail when a 2.7 copy left a target different from the source snapshot. */
export async function assertCopyOn27(ctx: StepContext, result: CopyResult): Promise<void> {
  const { differences, hint } = await proveCopyOn27(ctx, result);
  if (differences.length > 0) {
    throw new VerifyError(
      `copy-data: on Hadoop ${drHadoopVersion(ctx)} DistCp -diff may have fallen back to -update: the target differs from the source snapshot (${hint})`,
      differences,
    );
  }
}
