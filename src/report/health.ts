// `hmsdr check`: the health of DR judged from the runs directory alone (last-success.json, the newest
// run's state.json and the lock file), in the Nagios/Icinga plugin convention. No network, no lock
// taken: safe to run every minute from NRPE. The verdict table: docs/monitoring.md.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Ledger, listRuns, type RunState } from '../runbook/ledger.js';
import { isAlive, lockPath, readLockHolder, type LockTarget } from '../runbook/lock.js';
import { readLastSuccess, type LastSuccess } from './freshness.js';
import { epochSeconds, gauge, renderExposition, type MetricFamily } from './prometheus.js';

export type CheckStatus = 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';
/** The plugin exit codes (not hmsdr's own table). */
export const CHECK_EXIT_CODES: Readonly<Record<CheckStatus, 0 | 1 | 2 | 3>> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };
const SEVERITY: readonly CheckStatus[] = ['OK', 'WARNING', 'UNKNOWN', 'CRITICAL'];
const worst = (a: CheckStatus, b: CheckStatus): CheckStatus => (SEVERITY.indexOf(a) >= SEVERITY.indexOf(b) ? a : b);

export type RunHealth = 'ok' | 'failed' | 'blocked' | 'interrupted' | 'running' | 'incomplete' | 'rolled-back' | 'unreadable';

export interface LatestRun {
  runId: string;
  mode: string | null;
  state: RunHealth;
  /** The step it failed at, stopped at or is running. */
  step: string | null;
  code: string | null;
  startedAt: string | null;
}

export interface Thresholds {
  rpoWarningSeconds: number;
  rpoCriticalSeconds: number;
}

export interface HealthReport {
  status: CheckStatus;
  exitCode: 0 | 1 | 2 | 3;
  /** The text after `HMSDR <STATUS> - `. */
  message: string;
  checkedAt: string;
  runsDir: string;
  thresholds: Thresholds;
  lastSuccess: LastSuccess | null;
  /** The older of T0 and T1 of the last success: what DR holds. */
  recoveryPoint: string | null;
  /** Now − recoveryPoint: the RPO if the source were lost this instant. */
  rpoSeconds: number | null;
  rtoSeconds: number | null;
  latestRun: LatestRun | null;
}

/** What the newest run is doing or how it ended, from its ledger and the lock file. */
export function judgeRun(state: Readonly<RunState>, holderAlive: boolean): Omit<LatestRun, 'runId'> {
  const base = { mode: state.mode, startedAt: state.createdAt };
  const records = state.order.map((id) => ({ id, record: state.steps[id] }));
  const running = records.find((r) => r.record?.status === 'running');
  if (holderAlive)
    return { ...base, state: 'running', step: running?.id ?? records.find((r) => r.record?.status === 'pending')?.id ?? null, code: null };
  const failed = records.find((r) => r.record?.status === 'failed');
  if (failed) return { ...base, state: 'failed', step: failed.id, code: failed.record?.error?.code ?? null };
  const stopped = records.find((r) => r.record?.status === 'interrupted' || r.record?.status === 'running');
  if (stopped) return { ...base, state: 'interrupted', step: stopped.id, code: null };
  const blocked = records.find((r) => r.record?.status === 'pending' && r.record.error);
  if (blocked) return { ...base, state: 'blocked', step: blocked.id, code: blocked.record?.error?.code ?? null };
  const pending = records.find((r) => !['done', 'skipped'].includes(r.record?.status ?? 'pending'));
  if (pending) return { ...base, state: 'incomplete', step: pending.id, code: null };
  return { ...base, state: state.mode === 'rollback' ? 'rolled-back' : 'ok', step: null, code: null };
}

function latestRun(runsDir: string, lock: LockTarget | undefined): LatestRun | null {
  const runId = listRuns(runsDir)[0];
  if (runId === undefined) return null;
  let state: Readonly<RunState>;
  try {
    state = Ledger.load(join(runsDir, runId)).snapshot;
  } catch {
    return { runId, mode: null, state: 'unreadable', step: null, code: null, startedAt: null };
  }
  const holder = lock ? readLockHolder(lockPath(runsDir, lock)) : undefined;
  // A holder on another host cannot be probed from here: its lock says it runs.
  const alive = holder?.runId === runId && (holder.host !== hostname() || isAlive(holder.pid));
  return { runId, ...judgeRun(state, alive) };
}

const pad = (n: number): string => String(n).padStart(2, '0');
/** `2026-12-01 02:31 UTC`. */
export function utcMinute(iso: string): string {
  const d = new Date(iso);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** `40 s`, `45 min`, `19 h`: whole units, as an operator reads an age. */
export function roughAge(seconds: number): string {
  if (seconds < 120) return `${Math.max(0, Math.floor(seconds))} s`;
  return seconds < 3600 ? `${Math.floor(seconds / 60)} min` : `${Math.floor(seconds / 3600)} h`;
}

function describeLatest(run: LatestRun | null, success: LastSuccess | null): { text: string; status: CheckStatus } {
  if (run === null) return { text: 'no run yet', status: 'OK' };
  if (success && run.runId === success.runId) return { text: 'last run ok', status: 'OK' };
  const at = run.step ? ` at ${run.step}` : '';
  const code = run.code ? ` (${run.code})` : '';
  switch (run.state) {
    case 'ok':
      return { text: 'last run ok', status: 'OK' };
    case 'running':
      return { text: `run ${run.runId} running${run.step ? ` (${run.step})` : ''}`, status: 'WARNING' };
    case 'failed':
      return { text: `last run ${run.runId} failed${at}${code}`, status: 'WARNING' };
    case 'blocked':
      return { text: `last run ${run.runId} blocked${at}${code}`, status: 'WARNING' };
    case 'interrupted':
      return { text: `last run ${run.runId} interrupted${at}`, status: 'WARNING' };
    case 'incomplete':
      return { text: `last run ${run.runId} stopped before${at}`, status: 'WARNING' };
    case 'rolled-back':
      return { text: `run ${run.runId} rolled DR back to an earlier metastore`, status: 'WARNING' };
    case 'unreadable':
      return { text: `the state of run ${run.runId} is unreadable`, status: 'UNKNOWN' };
  }
}

export interface HealthInput {
  runsDir: string;
  /** The DR metastore the lock file is keyed by (config.dr.metastore). */
  lock?: LockTarget;
  thresholds: Thresholds;
  now?: Date;
}

export function evaluateHealth(input: HealthInput): HealthReport {
  const now = input.now ?? new Date();
  const { runsDir, thresholds } = input;
  const base = { checkedAt: now.toISOString(), runsDir, thresholds };
  let success: LastSuccess | null;
  try {
    success = readLastSuccess(runsDir) ?? null;
  } catch (error) {
    return {
      ...base,
      status: 'UNKNOWN',
      exitCode: 3,
      message: (error as Error).message,
      lastSuccess: null,
      recoveryPoint: null,
      rpoSeconds: null,
      rtoSeconds: null,
      latestRun: null,
    };
  }
  const run = latestRun(runsDir, input.lock);
  const latest = describeLatest(run, success);
  const recoveryPoint = success?.recoveryPoint ?? success?.t0 ?? null;
  const pointSeconds = epochSeconds(recoveryPoint);
  const rpoSeconds = pointSeconds === null ? null : Math.max(0, Math.round(now.getTime() / 1000 - pointSeconds));
  let status: CheckStatus;
  let message: string;
  if (!success || rpoSeconds === null) {
    // Never verified: DR holds nothing hmsdr vouches for, which is as bad as a stale copy.
    status = 'CRITICAL';
    message = `no successful run recorded in ${runsDir} (DR not verified yet), ${latest.text}`;
  } else {
    const over =
      rpoSeconds > thresholds.rpoCriticalSeconds
        ? thresholds.rpoCriticalSeconds
        : rpoSeconds > thresholds.rpoWarningSeconds
          ? thresholds.rpoWarningSeconds
          : null;
    status = worst(rpoSeconds > thresholds.rpoCriticalSeconds ? 'CRITICAL' : over !== null ? 'WARNING' : 'OK', latest.status);
    const age = `${roughAge(rpoSeconds)} ago${over !== null ? `, over ${roughAge(over)}` : ''}`;
    message = `DR metastore at T0 ${utcMinute(success.t0 ?? recoveryPoint!)} (${age}), ${latest.text}`;
  }
  return {
    ...base,
    status,
    exitCode: CHECK_EXIT_CODES[status],
    message,
    lastSuccess: success,
    recoveryPoint,
    rpoSeconds,
    rtoSeconds: success?.rtoSeconds ?? null,
    latestRun: run,
  };
}

/** The plugin's one line: status, message, performance data. */
export function nagiosLine(report: HealthReport): string {
  const { rpoWarningSeconds: w, rpoCriticalSeconds: c } = report.thresholds;
  const perf = [
    `rpo=${report.rpoSeconds === null ? 'U' : `${report.rpoSeconds}s`};${w};${c}`,
    ...(report.rtoSeconds === null ? [] : [`rto=${report.rtoSeconds}s`]),
  ];
  return `HMSDR ${report.status} - ${report.message} | ${perf.join(' ')}`;
}

/** The same facts for a Prometheus scrape (e.g. a textfile written by the NRPE host's cron). */
export function healthMetrics(report: HealthReport): string {
  const families: MetricFamily[] = [
    gauge('hmsdr_check_status', 'hmsdr check verdict: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.', report.exitCode),
    gauge(
      'hmsdr_last_success_timestamp_seconds',
      'When verify-live last passed: DR known good since then.',
      epochSeconds(report.lastSuccess?.succeededAt),
    ),
    gauge(
      'hmsdr_recovery_point_timestamp_seconds',
      'Recovery point DR serves: the older of T0 and T1 of the last success.',
      epochSeconds(report.recoveryPoint),
    ),
    gauge('hmsdr_check_rpo_seconds', 'Now minus the recovery point DR serves.', report.rpoSeconds),
    gauge('hmsdr_check_rpo_warning_seconds', 'The --rpo-warning threshold.', report.thresholds.rpoWarningSeconds),
    gauge('hmsdr_check_rpo_critical_seconds', 'The --rpo-critical threshold.', report.thresholds.rpoCriticalSeconds),
    gauge('hmsdr_rto_seconds', 'RTO of the last successful run: run start to Hive started on DR.', report.rtoSeconds),
    {
      name: 'hmsdr_latest_run_info',
      help: 'The newest run in the runs directory: its id, state and the step it stopped at or is running.',
      type: 'gauge',
      samples: report.latestRun
        ? [{ labels: { run_id: report.latestRun.runId, state: report.latestRun.state, step: report.latestRun.step ?? '' }, value: 1 }]
        : [],
    },
  ];
  return renderExposition(families);
}
