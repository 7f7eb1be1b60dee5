// The DistCp engine behind the DataCopyEngine seam: snapshot-diff DistCp per path, run on the DR
// site, following the decision snapshot-source recorded (or deciding now when run on its own).
import { PreconditionError, VerifyError } from '../../errors/errors.js';
import type { StepContext } from '../engine.js';
import type { DataCopyEngine, PathCopyResult } from '../engine.js';
import { estimateDataCopy } from './estimate.js';
import { PathCopier } from './path-copier.js';
import { distcpPlan } from './plan.js';
import { dataPairs, requireHdfs } from '../pairs.js';
import { probeTargetSnapshots } from '../probe.js';
import { assessPairs, syncSnapshotName, type PathSnapshot } from './sync-state.js';
import { writeFailedFiles } from '../../verify/data/copy-listing.js';

/**
 * abortOnError: false and DistCp went on past files it could not copy: every path was copied, the
 * failed ones are named, and the run stops before anything on the metastore side (exit 5). The
 * targets with failures have no T1 snapshot, so a resume (or the next run) copies them again in full.
 */
export function copiedWithFailures(failed: readonly string[]): VerifyError {
  const shown = failed.slice(0, 20);
  return new VerifyError(
    `copied with failures: ${failed.length} file(s) could not be copied: ${shown.join('; ')}${failed.length > shown.length ? `; … and ${failed.length - shown.length} more` : ''}`,
    [...failed],
    {
      stepId: 'copy-data',
      hint: 'the DistCp job log (-log, under data.logDir) has the cause of each FAIL line; fix it (permissions, a file removed under the snapshot, a bad block) and resume: the paths with failures are copied again in full',
    },
  );
}

/** The per-path decisions to follow: snapshot-source's output, or decided now from the live state. */
async function plannedPaths(ctx: StepContext): Promise<PathSnapshot[]> {
  const recorded = ctx.outputs['snapshot-source'] as { paths?: PathSnapshot[] } | undefined;
  if (recorded?.paths) return recorded.paths;
  const name = syncSnapshotName(ctx.run.id);
  return (await assessPairs(ctx, requireHdfs(ctx))).map((f) => {
    if (f.decision.kind === 'blocked')
      throw new PreconditionError(`${f.pair.source} → ${f.pair.target}: ${f.decision.situation}`, {
        hint: f.decision.fix,
        stepId: 'copy-data',
      });
    return {
      source: f.pair.source,
      target: f.pair.target,
      snapshot: name,
      mode: f.decision.kind,
      previous: f.decision.kind === 'incremental' ? f.decision.previous : null,
      takenAt: null,
    };
  });
}

export function createDistcpEngine(): DataCopyEngine {
  return {
    id: 'distcp',
    title: 'Copy HDFS data to DR (snapshot-diff DistCp) and snapshot the target',
    recovery:
      "The DR copy of a path may be half-applied (DistCp has no undo). Resume: a path whose target already has this run's snapshot is skipped; " +
      'a bootstrap copy is repeated with -update -delete; an incremental one detects the dirty target, takes a safety snapshot, rewinds it with ' +
      '-rdiff and retries. Nothing on the source is changed except hmsdr snapshots.',
    plan: distcpPlan,
    estimate: ({ config, hdfs, runId, signal }) =>
      estimateDataCopy(hdfs, dataPairs(config), { runId, allowSnapshot: config.data.allowSnapshot, config }, signal ? { signal } : {}),
    probe: (ctx) => probeTargetSnapshots(ctx, 'distcp'),
    async run(ctx) {
      const hdfs = requireHdfs(ctx);
      const paths: PathCopyResult[] = [];
      for (const plan of await plannedPaths(ctx)) {
        const onSource = await hdfs.source.listSnapshots(plan.source, { signal: ctx.signal });
        if (!onSource.some((s) => s.name === plan.snapshot)) {
          throw new PreconditionError(`source snapshot ${plan.snapshot} of ${plan.source} is missing`, {
            hint: 'run the snapshot-source step first (hmsdr resume runs it again)',
            stepId: 'copy-data',
          });
        }
        paths.push(await new PathCopier(ctx, hdfs, plan).copy());
      }
      const failed = paths.flatMap((p) => (p.failedFiles ?? []).map((f) => `${p.target}: ${f}`));
      if (failed.length > 0) {
        const detail = 'DistCp -i went on past it (a FAIL line of the job log)';
        const failures = paths.map((p) => ({ target: p.target, files: p.failedFiles ?? [], detail }));
        writeFailedFiles(ctx.run.dir, failures, (e, f) => ctx.log.warn(e, f));
        throw copiedWithFailures(failed);
      }
      return { engine: 'distcp', snapshot: syncSnapshotName(ctx.run.id), paths };
    },
  };
}
