// `hmsdr plan`'s estimate with the Cloudera Manager engine: a dry run (`run?dryRun=true`) of each
// path's existing hmsdr schedule gives numFilesDryRun / numBytesDryRun. A path without a schedule yet
// (hmsdr creates schedules only in a run) is estimated from the source snapshots, as DistCp's is.
import type { CopyEstimate, CopyEstimateContext } from '../engine.js';
import { dataPairs } from '../pairs.js';
import { estimateDataCopy } from '../distcp/estimate.js';
import { openCmClient } from './connect.js';
import { findOurs, runAndWait } from './replicator.js';
import { cmSettings, scheduleName } from './schedule.js';

export async function cmEstimate(ctx: CopyEstimateContext): Promise<CopyEstimate[]> {
  const signal = ctx.signal ?? new AbortController().signal;
  const settings = cmSettings(ctx.config);
  const fromSnapshots = await estimateDataCopy(
    ctx.hdfs,
    dataPairs(ctx.config),
    { runId: ctx.runId, allowSnapshot: ctx.config.data.allowSnapshot },
    { signal },
  );
  const cm = openCmClient(settings);
  try {
    const schedules = await cm.listSchedules(signal);
    const out: CopyEstimate[] = [];
    for (const estimate of fromSnapshots) {
      const pair = { source: estimate.source, target: estimate.target };
      const ours = findOurs(schedules, pair);
      if (estimate.mode === 'blocked' || ours?.id === undefined) {
        out.push(estimate);
        continue;
      }
      const quiet = { progress: () => undefined, info: () => undefined, warn: () => undefined };
      const { command } = await runAndWait(cm, settings.engine, { id: ours.id, name: scheduleName(pair) }, true, signal, quiet);
      const r = command.hdfsResult;
      if (command.success !== true || !r) {
        out.push({
          ...estimate,
          mode: 'blocked',
          blocked: {
            situation: `Cloudera Manager dry run ${command.id ?? -1} failed: ${command.resultMessage ?? 'no result'}${r?.setupError ? ` (${r.setupError})` : ''}`,
            fix: 'fix the cause in Cloudera Manager or data.cm, then plan again',
          },
        });
        continue;
      }
      out.push({ ...estimate, files: r.numFilesDryRun ?? 0, bytes: r.numBytesDryRun ?? 0 });
    }
    return out;
  } finally {
    await cm.close();
  }
}
