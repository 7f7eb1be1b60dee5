// `hmsdr check`'s verdict against run directories in each state: none yet, fresh, stale (warning and
// critical), a later run that failed, is running or was interrupted, and an unreadable record.
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { at, completeRun, failedAtCopyRun, interruptedRun, RUN_ID, T0 } from '../../test/harness/report-runs.js';
import { parsePrometheusText } from '../../test/harness/prom-text.js';
import { lockPath } from '../runbook/lock.js';
import { LAST_SUCCESS_FILE, lastSuccessOf, markerPath, readLastSuccess, servesThisRun, writeLastSuccess } from './freshness.js';
import { evaluateHealth, healthMetrics, nagiosLine, type HealthReport } from './health.js';
import { buildRunSummary } from './summary.js';

const LATER = '20261122t053000';
const LOCK = { host: 'dr-db1.example.com', port: 5432, database: 'metastore' };
const THRESHOLDS = { rpoWarningSeconds: 26 * 3600, rpoCriticalSeconds: 50 * 3600 };
const T0_MS = Date.parse(T0);
const hoursAfterT0 = (h: number): Date => new Date(T0_MS + h * 3600_000);

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function runsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hmsdr-check-'));
  roots.push(dir);
  return dir;
}

/** A fabricated run moved into `dir` under another run id. */
function placeAs(
  fabricated: { dir: string },
  dir: string,
  runId: string,
  patch: (state: Record<string, unknown>) => void = () => undefined,
): string {
  const target = join(dir, runId);
  renameSync(fabricated.dir, target);
  rmSync(join(fabricated.dir, '..'), { recursive: true, force: true });
  const file = join(target, 'state.json');
  const state = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  state.runId = runId;
  patch(state);
  writeFileSync(file, JSON.stringify(state));
  return target;
}

/** The complete fixture run, with last-success.json written as the report step does. */
function succeeded(dir: string): void {
  const summary = buildRunSummary(placeAs(completeRun(), dir, RUN_ID));
  expect(servesThisRun(summary)).toBe(true);
  writeLastSuccess(dir, lastSuccessOf(summary, at(310)));
}

const check = (dir: string, now: Date): HealthReport => evaluateHealth({ runsDir: dir, lock: LOCK, thresholds: THRESHOLDS, now });

describe('last-success.json', () => {
  it('records the run, T0, T1, RPO, RTO and what DR serves, mode 0600', () => {
    const dir = runsDir();
    succeeded(dir);
    expect(statSync(join(dir, LAST_SUCCESS_FILE)).mode & 0o777).toBe(0o600);
    const record = readLastSuccess(dir)!;
    expect(record).toMatchObject({
      runId: RUN_ID,
      t0: T0,
      t1: at(47),
      recoveryPoint: T0,
      succeededAt: at(310),
      rtoSeconds: 298,
      serves: {
        database: 'metastore',
        paths: [{ target: '/warehouse/tablespace/managed/hive', snapshot: `hmsdr-${RUN_ID}` }, { target: '/dr/landing' }],
      },
    });
    expect(record.rpoSeconds).toBeGreaterThan(300);
  });

  it('is written only for a run whose metastore went live and passed verify-live', () => {
    const failed = failedAtCopyRun();
    roots.push(join(failed.dir, '..'));
    expect(servesThisRun(buildRunSummary(failed.dir))).toBe(false);
    expect(servesThisRun(buildRunSummary('test/fixtures/run-dirs/staged-20261202t003939'))).toBe(true);
    const copy = join(runsDir(), 'x');
    cpSync('test/fixtures/run-dirs/parallel-20261202t004004', copy, { recursive: true });
    expect(lastSuccessOf(buildRunSummary(copy), '2026-12-02T00:41:00.000Z').serves.database).toBe('hive');
  });

  it('puts the HDFS marker beside the data root, never inside the snapshottable tree', () => {
    expect(markerPath('/dr/landing')).toBe('/dr/_HMSDR_SUCCESS.landing');
    expect(markerPath('/warehouse/tablespace/managed/hive/')).toBe('/warehouse/tablespace/managed/_HMSDR_SUCCESS.hive');
    expect(markerPath('/')).toBeUndefined();
  });
});

describe('hmsdr check', () => {
  it('no success yet: CRITICAL, and says so', () => {
    const dir = runsDir();
    const report = check(dir, hoursAfterT0(1));
    expect(nagiosLine(report)).toBe(
      `HMSDR CRITICAL - no successful run recorded in ${dir} (DR not verified yet), no run yet | rpo=U;93600;180000`,
    );
    expect(report.exitCode).toBe(2);
    placeAs(failedAtCopyRun(), dir, LATER);
    expect(nagiosLine(check(dir, hoursAfterT0(1)))).toContain(
      `no successful run recorded in ${dir} (DR not verified yet), last run ${LATER} failed at copy-data (E_DISTCP)`,
    );
  });

  it('fresh and the last run ok: OK with the perfdata', () => {
    const dir = runsDir();
    succeeded(dir);
    const report = check(dir, hoursAfterT0(19));
    expect(nagiosLine(report)).toBe(
      'HMSDR OK - DR metastore at T0 2026-11-21 05:30 UTC (19 h ago), last run ok | rpo=68400s;93600;180000 rto=298s',
    );
    expect(report.exitCode).toBe(0);
  });

  it('stale: WARNING over --rpo-warning, CRITICAL over --rpo-critical', () => {
    const dir = runsDir();
    succeeded(dir);
    const warning = check(dir, hoursAfterT0(27));
    expect(nagiosLine(warning)).toBe(
      'HMSDR WARNING - DR metastore at T0 2026-11-21 05:30 UTC (27 h ago, over 26 h), last run ok | rpo=97200s;93600;180000 rto=298s',
    );
    expect(warning.exitCode).toBe(1);
    const critical = check(dir, hoursAfterT0(51));
    expect(nagiosLine(critical)).toBe(
      'HMSDR CRITICAL - DR metastore at T0 2026-11-21 05:30 UTC (51 h ago, over 50 h), last run ok | rpo=183600s;93600;180000 rto=298s',
    );
    expect(critical.exitCode).toBe(2);
  });

  it('a later run that failed: WARNING naming the step; a stale copy stays CRITICAL', () => {
    const dir = runsDir();
    succeeded(dir);
    placeAs(failedAtCopyRun(), dir, LATER);
    const report = check(dir, hoursAfterT0(20));
    expect(nagiosLine(report)).toBe(
      `HMSDR WARNING - DR metastore at T0 2026-11-21 05:30 UTC (20 h ago), last run ${LATER} failed at copy-data (E_DISTCP) | rpo=72000s;93600;180000 rto=298s`,
    );
    expect(report.latestRun).toMatchObject({ runId: LATER, state: 'failed', step: 'copy-data', code: 'E_DISTCP' });
    expect(check(dir, hoursAfterT0(60)).status).toBe('CRITICAL');
  });

  it('a later run holding the lock: WARNING, running, with its step', () => {
    const dir = runsDir();
    succeeded(dir);
    placeAs(interruptedRun(), dir, LATER, (state) => {
      (state.steps as Record<string, { status: string }>)['restore-staging']!.status = 'running';
    });
    writeFileSync(
      lockPath(dir, LOCK),
      JSON.stringify({ pid: process.pid, host: hostname(), runId: LATER, startedAt: at(0), command: 'hmsdr rehearse --yes' }),
    );
    const report = check(dir, hoursAfterT0(20));
    expect(nagiosLine(report)).toBe(
      `HMSDR WARNING - DR metastore at T0 2026-11-21 05:30 UTC (20 h ago), run ${LATER} running (restore-staging) | rpo=72000s;93600;180000 rto=298s`,
    );
    // The same ledger without a live lock holder: the process is gone, the run was interrupted.
    rmSync(lockPath(dir, LOCK));
    expect(check(dir, hoursAfterT0(20)).message).toContain(`last run ${LATER} interrupted at restore-staging`);
  });

  it('an unreadable last-success.json is UNKNOWN', () => {
    const dir = runsDir();
    writeFileSync(join(dir, LAST_SUCCESS_FILE), '{"version": 2}');
    const report = check(dir, hoursAfterT0(1));
    expect(report.status).toBe('UNKNOWN');
    expect(report.exitCode).toBe(3);
    expect(nagiosLine(report)).toMatch(
      /^HMSDR UNKNOWN - cannot read .*last-success.json: not a version 1 last-success record \| rpo=U;93600;180000$/,
    );
  });

  it('--format prometheus: the same facts, in a valid exposition', () => {
    const dir = runsDir();
    succeeded(dir);
    placeAs(failedAtCopyRun(), dir, LATER);
    const families = parsePrometheusText(healthMetrics(check(dir, hoursAfterT0(20))));
    expect(families.get('hmsdr_check_status')!.samples[0]!.value).toBe(1);
    expect(families.get('hmsdr_check_rpo_seconds')!.samples[0]!.value).toBe(72000);
    expect(families.get('hmsdr_check_rpo_warning_seconds')!.samples[0]!.value).toBe(93600);
    expect(families.get('hmsdr_recovery_point_timestamp_seconds')!.samples[0]!.value).toBe(T0_MS / 1000);
    expect(families.get('hmsdr_latest_run_info')!.samples[0]!.labels).toEqual({ run_id: LATER, state: 'failed', step: 'copy-data' });
    for (const family of families.values()) expect(family.type).toBe('gauge');
    // No success yet: the families are there, without samples for what is not known.
    const none = parsePrometheusText(healthMetrics(check(runsDir(), hoursAfterT0(1))));
    expect(none.get('hmsdr_check_status')!.samples[0]!.value).toBe(2);
    expect(none.get('hmsdr_last_success_timestamp_seconds')!.samples).toEqual([]);
  });
});
