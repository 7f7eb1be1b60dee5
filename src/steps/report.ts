// Step 11: the run report (summary.json, report.md, report.html), the monitoring files
// (last-success.json, HDFS markers, the Prometheus textfile) and retention of staged dumps.
// Reports are also written when a run stops early (the CLI does that), so a failure is documented.
import type { ResolvedConfig } from '../config/load.js';
import type { Action, RunInfo, Step, StepContext } from './step.js';
import { titlesOf } from '../report/model.js';
import type { ReportOutput } from './outputs.js';
import { writeReports } from '../report/write.js';
import { isStagedDumpName, stagedDumpName } from '../names/run-names.js';
import { recordFreshness, recordMetrics } from './report-freshness.js';
import { openStaging } from '../transfer/staging.js';
import { pruneRuns } from '../report/prune-runs.js';
import { join } from 'node:path';

export type { ReportOutput } from './outputs.js';

/** Keep the newest `keep` staged dumps (names carry the run id, so they sort by time); never this run's. */
async function pruneStagedDumps(ctx: StepContext): Promise<string[]> {
  const staging = await openStaging(ctx.adapters.dr, ctx.config.dr.stagingDir, ctx.signal);
  const mine = stagedDumpName(ctx.run.id);
  const dumps = (await staging.list())
    .filter((name) => isStagedDumpName(name) && name !== mine)
    .sort()
    .reverse();
  const old = dumps.slice(Math.max(0, ctx.config.retention.dumps - 1));
  for (const name of old) {
    await staging.remove(join(ctx.config.dr.stagingDir, name));
    ctx.log.info('pruned-staged-dump', { name });
  }
  return old;
}

/** The report step of a runbook whose other steps are `steps`: the report labels each step with its title. */
export function createReportStep(steps: readonly Step[]): Step {
  const step: Step = {
    id: 'report',
    title: 'Write the run report (JSON, Markdown, HTML) and prune old staged dumps',
    destructive: false,
    recovery: 'Only the report failed; the DR side is complete. Resume to write it again.',
    plan(config: ResolvedConfig, run: RunInfo): Action[] {
      return [
        { kind: 'note', text: `${run.dir}/summary.json, report.md, report.html` },
        { kind: 'note', text: `keep the newest ${config.retention.dumps} staged dumps in ${config.dr.stagingDir}` },
        ...(config.retention.runs
          ? [
              {
                kind: 'note' as const,
                text: `keep the newest ${config.retention.runs} run directories in ${config.runsDirAbs} (and the one DR serves)`,
              },
            ]
          : []),
        {
          kind: 'note',
          text: `when verify-live passed: ${config.runsDirAbs}/last-success.json${config.freshness?.hdfsMarker ? ' and _HMSDR_SUCCESS in each DR data root (hdfs dfs -put -f -)' : ''}`,
        },
        ...(config.metrics ? [{ kind: 'note' as const, text: `Prometheus textfile ${config.metrics.textfile}` }] : []),
      ];
    },
    async probe() {
      return { status: 'todo', reason: 'the report is always written' };
    },
    async run(ctx): Promise<ReportOutput> {
      // First what DR now serves (freshness for sensors and `hmsdr check`), then the housekeeping.
      const freshness = await recordFreshness(ctx);
      const prunedDumps = await pruneStagedDumps(ctx);
      const prunedRuns = pruneRuns(ctx.config.runsDirAbs, ctx.config.retention.runs, ctx.run.id).removed;
      for (const runId of prunedRuns) ctx.log.info('pruned-run', { runId });
      const paths = writeReports(ctx.run.dir, { titles: titlesOf([...steps, step]) });
      const { warnings, ...written } = freshness;
      const metrics = recordMetrics(ctx, warnings);
      for (const warning of warnings) ctx.log.warn('monitoring-file-not-written', { message: warning });
      return {
        summary: paths.summaryPath,
        markdown: paths.markdownPath,
        html: paths.htmlPath,
        prunedDumps,
        ...(prunedRuns.length > 0 ? { prunedRuns } : {}),
        ...written,
        ...(metrics ? { metrics } : {}),
        ...(warnings.length > 0 ? { warnings } : {}),
      };
    },
  };
  return step;
}
