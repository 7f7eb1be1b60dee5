// The report step's monitoring outputs: last-success.json (and the `_HMSDR_SUCCESS` markers on DR
// HDFS) once verify-live passed, and the Prometheus textfile. None of them fails the run: the DR
// side is complete whatever happens here, so a file that cannot be written is a warning.
import { lastSuccessOf, markerPath, markerText, servesThisRun, writeLastSuccess } from '../report/freshness.js';
import { writeRunMetrics } from '../report/metrics.js';
import { buildRunSummary } from '../report/summary.js';
import type { StepContext } from './step.js';

export interface FreshnessResult {
  lastSuccess?: string;
  markers?: string[];
  warnings: string[];
}

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

/** Write last-success.json and the markers when this run is now what DR serves; nothing otherwise. */
export async function recordFreshness(ctx: StepContext): Promise<FreshnessResult> {
  const warnings: string[] = [];
  const summary = buildRunSummary(ctx.run.dir);
  if (!servesThisRun(summary)) return { warnings };
  const verified = summary.steps.find((s) => s.id === 'verify-live')?.finishedAt ?? new Date().toISOString();
  const record = lastSuccessOf(summary, verified);
  let lastSuccess: string | undefined;
  try {
    lastSuccess = writeLastSuccess(ctx.config.runsDirAbs, record);
    ctx.log.info('last-success-written', { path: lastSuccess });
  } catch (error) {
    warnings.push(`last-success.json could not be written: ${reason(error)}`);
  }
  const markers: string[] = [];
  const hdfs = ctx.adapters.hdfs.dr;
  if (ctx.config.freshness?.hdfsMarker) {
    const targets =
      record.serves.paths.length > 0 ? record.serves.paths.map((p) => p.target) : ctx.config.data.paths.map((p) => p.target ?? p.source);
    for (const target of [...new Set(targets)]) {
      const path = markerPath(target);
      if (!path) {
        warnings.push(`no freshness marker for the DR data root ${target}: it has no parent directory to hold one`);
        continue;
      }
      try {
        ctx.progress(`writing ${path}`);
        await hdfs.putText(path, markerText(record), { signal: ctx.signal });
        markers.push(path);
        ctx.log.info('hdfs-marker-written', { path });
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        warnings.push(`the freshness marker ${path} could not be written on DR HDFS: ${reason(error)}`);
      }
    }
  }
  return { ...(lastSuccess ? { lastSuccess } : {}), ...(ctx.config.freshness?.hdfsMarker ? { markers } : {}), warnings };
}

/** Rewrite metrics.textfile from the run directory as it is now; a warning when it cannot be written. */
export function recordMetrics(ctx: StepContext, warnings: string[]): string | undefined {
  try {
    return writeRunMetrics(ctx.config, ctx.config.runsDirAbs, buildRunSummary(ctx.run.dir));
  } catch (error) {
    warnings.push(`metrics.textfile could not be written: ${reason(error)}`);
    return undefined;
  }
}
