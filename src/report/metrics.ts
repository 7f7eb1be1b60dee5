// `metrics.textfile`: the Prometheus textfile-collector file rewritten at every run end (the report
// step, and the CLI when a run fails or is interrupted). Names and meaning: docs/monitoring.md.
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from '../runbook/ledger.js';
import { readLastSuccess, type LastSuccess } from './freshness.js';
import type { RunSummary } from './model.js';
import { epochSeconds, gauge, renderExposition, type MetricFamily } from './prometheus.js';

const secondsOf = (ms: number | null | undefined): number | null => (ms === null || ms === undefined ? null : ms / 1000);

/** The families of the textfile: the run that just ended, and what DR serves (the last success). */
export function runMetricFamilies(summary: RunSummary, success: LastSuccess | undefined): MetricFamily[] {
  return [
    {
      name: 'hmsdr_last_run_timestamp_seconds',
      help: 'End of the last hmsdr run (seconds since the epoch), labelled with its outcome.',
      type: 'gauge',
      samples: [{ labels: { outcome: summary.outcome }, value: epochSeconds(summary.endedAt) ?? 0 }],
    },
    gauge(
      'hmsdr_last_success_timestamp_seconds',
      'When verify-live last passed: DR known good since then.',
      epochSeconds(success?.succeededAt),
    ),
    gauge(
      'hmsdr_recovery_point_timestamp_seconds',
      'Recovery point DR serves: the older of T0 (metastore dump) and T1 (data snapshot). Live RPO = time() - this.',
      epochSeconds(success?.recoveryPoint),
    ),
    gauge('hmsdr_rpo_seconds', 'RPO of the last successful run: its end minus its recovery point.', success?.rpoSeconds),
    gauge('hmsdr_rto_seconds', 'RTO of the last successful run: run start to Hive started on DR.', success?.rtoSeconds),
    gauge(
      'hmsdr_hive_downtime_seconds',
      'Hive down on DR during the last run: stop-hive start to start-hive end (or to the run end).',
      secondsOf(summary.rto.downtimeMs),
    ),
    {
      name: 'hmsdr_step_duration_seconds',
      help: 'Duration of each step of the last run (its last attempt).',
      type: 'gauge',
      samples: summary.steps
        .filter((s) => s.durationMs !== null)
        .map((s) => ({ labels: { step: s.id }, value: (s.durationMs ?? 0) / 1000 })),
    },
    {
      name: 'hmsdr_data_bytes_copied',
      help: 'Bytes the data copy wrote per source path in the last run.',
      type: 'gauge',
      samples: (summary.data?.paths ?? [])
        .filter((p) => p.bytesCopied !== null)
        .map((p) => ({ labels: { path: p.source }, value: p.bytesCopied ?? 0 })),
    },
    {
      name: 'hmsdr_ladder_rung_passed',
      help: 'Verification ladder of the last run: 1 passed, 0 failed (rungs that did not run are absent).',
      type: 'gauge',
      samples: summary.ladder.filter((r) => r.ran).map((r) => ({ labels: { rung: r.rung }, value: r.passed ? 1 : 0 })),
    },
    gauge('hmsdr_exit_code', 'Exit code of the last run (docs/exit-codes.md).', summary.exitCode),
  ];
}

export function renderRunMetrics(summary: RunSummary, success: LastSuccess | undefined): string {
  return renderExposition(runMetricFamilies(summary, success));
}

/** Where `metrics.textfile` points (relative to the config file), or undefined when not configured. */
export function metricsTextfilePath(config: {
  readonly file: string;
  readonly metrics?: { readonly textfile: string } | undefined;
}): string | undefined {
  return config.metrics ? resolve(dirname(config.file), config.metrics.textfile) : undefined;
}

/**
 * Rewrite the textfile atomically (the collector never reads half a file; its temp name does not end
 * in .prom). Mode 0644: node_exporter runs as another user. Undefined when not configured.
 */
export function writeRunMetrics(
  config: Parameters<typeof metricsTextfilePath>[0],
  runsDir: string,
  summary: RunSummary,
): string | undefined {
  const path = metricsTextfilePath(config);
  if (!path) return undefined;
  let success: LastSuccess | undefined;
  try {
    success = readLastSuccess(runsDir);
  } catch {
    success = undefined;
  }
  writeFileAtomic(path, renderRunMetrics(summary, success), 0o644);
  return path;
}
