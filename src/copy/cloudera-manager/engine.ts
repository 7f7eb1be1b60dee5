// The Cloudera Manager replication engine behind the DataCopyEngine seam (`data.engine:
// cloudera-manager`): per path, an HDFS replication schedule of the DR Cloudera Manager is run
// after hmsdr's own source snapshot T1; the DR side is then checked against T1 and snapshotted as T1.
import type { CmReplicationClient } from '../../adapters/cloudera-manager/replication-client.js';
import { writeFailedFiles } from '../../verify/data/copy-listing.js';
import { recordedPathCopy, recordPathCopy } from '../path-records.js';
import { PreconditionError, StepFailedError } from '../../errors/errors.js';
import type { HdfsPorts } from '../../adapters/hdfs/hdfs.js';
import type { DataCopyEngine, PathCopyResult, StepContext } from '../engine.js';
import { requireHdfs } from '../pairs.js';
import { probeTargetSnapshots } from '../probe.js';
import { pruneSnapshots, syncSnapshotName, type PathSnapshot } from '../distcp/sync-state.js';
import { cmEstimate } from './estimate.js';
import { cmPlan } from './plan.js';
import { ensurePeer, openCmClient } from './connect.js';
import { collectDiagnostics, ensureSchedule, runAndWait, type Reporter } from './replicator.js';
import { cmSettings, type CmSettings } from './schedule.js';
import { checkAgainstT1, t1Violations } from './t1-check.js';

function plannedPaths(ctx: StepContext): PathSnapshot[] {
  const recorded = ctx.outputs['snapshot-source'] as { paths?: PathSnapshot[] } | undefined;
  if (recorded?.paths) return recorded.paths;
  throw new PreconditionError(
    'the Cloudera Manager engine copies after hmsdr took snapshot T1, and snapshot-source has no output in this run',
    {
      hint: 'run the snapshot-source step first (hmsdr resume runs it again)',
      stepId: 'copy-data',
    },
  );
}

async function copyPath(
  ctx: StepContext,
  hdfs: HdfsPorts,
  cm: CmReplicationClient,
  settings: CmSettings,
  plan: PathSnapshot,
): Promise<PathCopyResult> {
  const { signal } = ctx;
  const pair = { source: plan.source, target: plan.target };
  const reporter: Reporter = { progress: (t) => ctx.progress(t), info: (e, f) => ctx.log.info(e, f), warn: (e, f) => ctx.log.warn(e, f) };
  const base = { ...pair, snapshot: plan.snapshot, previous: plan.previous, safetySnapshot: null };
  const onSource = await hdfs.source.listSnapshots(plan.source, { signal });
  if (!onSource.some((s) => s.name === plan.snapshot)) {
    throw new PreconditionError(`source snapshot ${plan.snapshot} of ${plan.source} is missing`, {
      hint: 'run the snapshot-source step first (hmsdr resume runs it again)',
      stepId: 'copy-data',
    });
  }
  const onTarget = await hdfs.dr.listSnapshots(plan.target, { signal }).catch(() => []);
  if (onTarget.some((s) => s.name === plan.snapshot)) {
    // Done by an earlier attempt of this run: its figures, not "0 files".
    const earlier = recordedPathCopy(ctx.run.dir, plan.target, plan.snapshot);
    if (earlier) return { ...earlier, earlierAttempt: true };
    return {
      ...base,
      mode: 'already-done',
      filesExpected: null,
      bytesExpected: null,
      filesCopied: 0,
      bytesCopied: 0,
      filesSkipped: 0,
      bytesSkipped: 0,
      filesFailed: 0,
      filesDeleted: null,
      durationMs: 0,
      passes: [],
      pruned: { source: [], target: [] },
    };
  }
  const schedule = await ensureSchedule(cm, settings.engine, pair, signal, reporter);
  const { command, durationMs } = await runAndWait(cm, settings.engine, schedule, false, signal, reporter);
  // Cloudera Manager wrote to DR behind the port's back.
  hdfs.dr.forget?.();
  const r = command.hdfsResult ?? {};
  const id = command.id ?? -1;
  const failed = command.success !== true || Boolean(r.setupError) || (r.numFilesCopyFailed ?? 0) > 0;
  ctx.log.info('cm-replication-end', { schedule: schedule.id, command: id, success: command.success, jobId: r.jobId, result: r });
  if (failed) {
    const bundle = await collectDiagnostics(cm, settings.engine, schedule, id, ctx.run.dir, signal);
    if ((r.failedFiles ?? []).length > 0)
      writeFailedFiles(
        ctx.run.dir,
        [{ target: plan.target, files: r.failedFiles ?? [], detail: `Cloudera Manager command ${id} failed to copy it` }],
        (e, f) => ctx.log.warn(e, f),
      );
    const files = (r.failedFiles ?? []).slice(0, 20);
    throw new StepFailedError(
      'copy-data',
      `${plan.source} → ${plan.target}: Cloudera Manager replication command ${id} (schedule ${schedule.name}, id ${schedule.id}) ${command.success === true ? 'copied with failures' : 'failed'}: ` +
        `${command.resultMessage ?? 'no result message'}${r.setupError ? `; setup error: ${r.setupError}` : ''}` +
        `${(r.numFilesCopyFailed ?? 0) > 0 ? `; ${r.numFilesCopyFailed} file(s) failed${files.length ? `: ${files.join(', ')}` : ''}` : ''}` +
        ('path' in bundle ? `; diagnostic bundle: ${bundle.path}` : `; no diagnostic bundle (${bundle.error})`),
      {
        hint: `look at command ${id} in Cloudera Manager (Replication > Replication Policies > ${schedule.name} > history)${r.jobId ? ` and job ${r.jobId}` : ''}; fix the cause, then resume (the schedule is re-run)`,
      },
    );
  }
  const check = await checkAgainstT1(hdfs, pair, plan.snapshot, { signal, tmpDir: ctx.run.dir });
  if (t1Violations(check) > 0) {
    const named = [
      ...check.missing.map((p) => `${p} (missing)`),
      ...check.wrongLength.map((w) => `${w.path} (length ${w.dr}, ${w.t1} at T1)`),
    ];
    throw new StepFailedError(
      'copy-data',
      `${plan.source} → ${plan.target}: after Cloudera Manager command ${id}, ${named.length} file(s) of snapshot ${plan.snapshot} (T1) are not on DR as they were at T1: ${named.slice(0, 20).join(', ')}`,
      {
        hint: 'the source changed these files after T1, or the replication skipped them (exclusionFilters?); look at the command in Cloudera Manager, then resume',
      },
    );
  }
  if (check.newerThanT1.length > 0)
    ctx.log.info('cm-newer-than-t1', { target: plan.target, files: check.newerThanT1.slice(0, 100), count: check.newerThanT1.length });
  if (check.stale.length > 0)
    ctx.log.warn('cm-stale-on-target', { target: plan.target, files: check.stale.slice(0, 100), count: check.stale.length });
  if (!(await hdfs.dr.snapshottableDirs({ signal })).some((d) => d.path === plan.target)) {
    if (!ctx.config.data.allowSnapshot)
      throw new PreconditionError(`${plan.target} on DR is not snapshottable and data.allowSnapshot is false`, {
        hint: `run hdfs dfsadmin -allowSnapshot ${plan.target} on DR (or set data.allowSnapshot: true), then resume`,
        stepId: 'copy-data',
      });
    await hdfs.dr.allowSnapshot(plan.target, { signal });
  }
  await hdfs.dr.createSnapshot(plan.target, plan.snapshot, { signal });
  const rate = r.throughput !== undefined ? `, ${r.throughput} KB/s` : '';
  const result: PathCopyResult = {
    ...base,
    mode: plan.mode === 'incremental' ? 'incremental' : 'bootstrap',
    filesExpected: r.numFilesExpected ?? null,
    bytesExpected: r.numBytesExpected ?? null,
    filesCopied: r.numFilesCopied ?? 0,
    bytesCopied: r.numBytesCopied ?? 0,
    filesSkipped: r.numFilesSkipped ?? 0,
    bytesSkipped: r.numBytesSkipped ?? 0,
    filesFailed: r.numFilesCopyFailed ?? 0,
    filesDeleted: r.numFilesDeleted ?? null,
    durationMs,
    passes: [
      {
        kind: 'replication',
        id: String(id),
        exitCode: 0,
        durationMs,
        filesCopied: r.numFilesCopied ?? 0,
        bytesCopied: r.numBytesCopied ?? 0,
        bytesSkipped: r.numBytesSkipped ?? 0,
      },
    ],
    pruned: { source: [], target: [] },
    newerThanT1: check.newerThanT1,
    detail: `Cloudera Manager schedule ${schedule.name} (${schedule.id}${schedule.created ? ', created' : schedule.updated.length ? `, updated: ${schedule.updated.join(', ')}` : ''}), command ${id}${r.jobId ? `, job ${r.jobId}` : ''}${rate}`,
  };
  // Recorded once the target holds T1, before the pruning a kill could interrupt.
  recordPathCopy(ctx.run.dir, result, (e, f) => ctx.log.warn(e, f));
  const keep = ctx.config.retention.snapshots;
  const pruned = {
    source: await pruneSnapshots(hdfs.source, plan.source, keep, [plan.snapshot], { signal }),
    target: await pruneSnapshots(hdfs.dr, plan.target, keep, [plan.snapshot], { signal }),
  };
  return { ...result, pruned };
}

export function createClouderaManagerEngine(): DataCopyEngine {
  return {
    id: 'cloudera-manager',
    title: 'Copy HDFS data to DR (Cloudera Manager replication) and snapshot the target',
    recovery:
      "A replication run may have copied part of a path (Cloudera Manager has no undo). Resume: a path whose target already has this run's snapshot is skipped; " +
      "otherwise hmsdr's schedule is run again (it copies only what differs) and the DR side is checked against the source snapshot T1. " +
      'Nothing on the source is changed except snapshots (hmsdr T1 and those Cloudera Manager takes for its own snapshot-diff).',
    plan: cmPlan,
    estimate: cmEstimate,
    probe: (ctx) => probeTargetSnapshots(ctx, 'cloudera-manager'),
    async run(ctx) {
      const hdfs = requireHdfs(ctx);
      const settings = cmSettings(ctx.config);
      const cm = openCmClient(settings);
      try {
        const reporter: Reporter = {
          progress: (t) => ctx.progress(t),
          info: (e, f) => ctx.log.info(e, f),
          warn: (e, f) => ctx.log.warn(e, f),
        };
        await ensurePeer(cm, settings, ctx.signal, reporter);
        const paths: PathCopyResult[] = [];
        for (const plan of plannedPaths(ctx)) paths.push(await copyPath(ctx, hdfs, cm, settings, plan));
        return { engine: 'cloudera-manager', snapshot: syncSnapshotName(ctx.run.id), paths };
      } finally {
        await cm.close();
      }
    },
  };
}
