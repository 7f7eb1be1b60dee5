import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  at,
  completeRun,
  dumpOutput,
  fabricateRun,
  failedAtCopyRun,
  interruptedRun,
  preflightOutput,
  RUN_ID,
  T0,
  T1_FIRST,
  TIMES,
  verificationFailedRun,
} from '../../test/harness/report-runs.js';
import { PreconditionError } from '../errors/errors.js';
import { formatDuration } from '../util/format.js';
import { buildRunSummary, type RunSummary } from './summary.js';

const NOW = new Date('2026-11-21T06:00:00.000Z');
const dirs: string[] = [];
const track = <T extends { dir: string }>(run: T): T => {
  dirs.push(join(run.dir, '..'));
  return run;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const rung = (s: RunSummary, id: string) => s.ladder.find((r) => r.rung === id)!;
const step = (s: RunSummary, id: string) => s.steps.find((x) => x.id === id)!;

describe('buildRunSummary: complete run', () => {
  it('is ok with exit 0, every rung passed, by the steps that checked them', () => {
    const s = buildRunSummary(track(completeRun()).dir, { now: NOW });
    expect(s.version).toBe(1);
    expect(s.runId).toBe(RUN_ID);
    expect(s.mode).toBe('rehearse');
    expect(s.outcome).toBe('ok');
    expect(s.exitCode).toBe(0);
    expect(s.failure).toBeNull();
    expect(s.ladder.map((r) => [r.rung, r.status])).toEqual([
      ['L0', 'passed'],
      ['L1', 'passed'],
      ['L2', 'passed'],
      ['L3', 'passed'],
      ['L4', 'passed'],
      ['L5', 'passed'],
      ['L6', 'passed'],
    ]);
    expect(rung(s, 'L0').detail).toBe('4 checks: 3 pass, 1 warn, 0 fail');
    expect(rung(s, 'L3').by).toEqual(['verify-staging', 'verify-live']);
    expect(rung(s, 'L3').checks).toHaveLength(2);
    expect(s.generatedAt).toBe(NOW.toISOString());
  });

  it('measures RPO against the run end and RTO to Hive started on DR', () => {
    const s = buildRunSummary(track(completeRun()).dir, { now: NOW });
    // No state.finishedAt (the report step is running): the end is the latest recorded step time.
    expect(s.finishedAt).toBeNull();
    // The report step (running) started last, at 310.2 s.
    expect(s.endedAt).toBe(at(TIMES.report[0]));
    expect(s.rpo.t0).toBe(T0);
    expect(s.rpo.t1).toBe(T1_FIRST); // the earliest of the two path snapshots
    expect(s.rpo.t1Source).toBe('snapshot');
    expect(s.rpo.t1PerPath.map((p) => p.takenAt)).toEqual([at(47), at(47.5)]);
    expect(s.rpo.metadataMs).toBe(306_600); // 310.2 − 3.6 s
    expect(s.rpo.dataMs).toBe(263_200); // 310.2 − 47 s
    expect(s.rpo.rpoMs).toBe(306_600);
    expect(s.rpo.windowMs).toBe(43_400); // 47 − 3.6 s
    expect(s.rpo.orderOk).toBe(true);
    expect(s.rpo.applied).toBe(true);
    expect(s.rto.reached).toBe(true);
    expect(s.rto.hiveStartedAt).toBe(at(297.5));
    expect(s.rto.rtoMs).toBe(297_500);
    expect(s.rto.downtimeMs).toBe(92_000);
    expect(s.elapsedMs).toBe(310_200);
    expect(formatDuration(s.rto.rtoMs)).toBe('4 min 58 s');
  });

  it('uses state.finishedAt as the run end when the engine finished', () => {
    const run = track(completeRun());
    const state = JSON.parse(readFileSync(join(run.dir, 'state.json'), 'utf8'));
    state.finishedAt = at(320);
    state.steps.report = { status: 'done', attempts: 1, via: 'run', startedAt: at(310.2), finishedAt: at(311) };
    writeFileSync(join(run.dir, 'state.json'), JSON.stringify(state));
    const s = buildRunSummary(run.dir, { now: NOW });
    expect(s.outcome).toBe('ok');
    expect(s.endedAt).toBe(at(320));
    expect(s.rpo.rpoMs).toBe(316_400);
  });

  it('reports the step timeline with durations, offsets and attempts', () => {
    const s = buildRunSummary(track(completeRun()).dir, { now: NOW });
    expect(s.steps.map((x) => x.id)).toEqual([
      'preflight',
      'dump-metastore',
      'snapshot-source',
      'copy-data',
      'restore-staging',
      'verify-staging',
      'stop-hive',
      'swap-metastore',
      'start-hive',
      'verify-live',
      'report',
    ]);
    expect(step(s, 'copy-data')).toMatchObject({
      status: 'done',
      durationMs: 120_000,
      offsetMs: 48_000,
      attempts: 1,
      via: 'run',
      error: null,
    });
    expect(step(s, 'report')).toMatchObject({ status: 'running', durationMs: null });
    expect(s.activeMs).toBe(
      Object.entries(TIMES)
        .filter(([id]) => id !== 'report')
        .reduce((n, [, [a, b]]) => n + Math.round((b - a) * 1000), 0),
    );
  });

  it('carries rewrite counts per table.column, rows per table, bytes and sha256', () => {
    const s = buildRunSummary(track(completeRun()).dir, { now: NOW });
    const m = s.metastore!;
    expect(m.rewrites).toEqual([
      { table: 'DBS', column: 'DB_LOCATION_URI', count: 12 },
      { table: 'FUNC_RU', column: 'RESOURCE_URI', count: 3 },
      { table: 'SDS', column: 'LOCATION', count: 18_590 },
      { table: 'SERDE_PARAMS', column: 'PARAM_VALUE', count: 41 },
    ]);
    expect(m.totalRewrites).toBe(18_646);
    expect(m.rowsPerTable.find((r) => r.table === 'PARTITIONS')?.rows).toBe(18_250);
    expect(m.totalRows).toBe(Object.values(dumpOutput().rowsPerTable).reduce((a, b) => a + b, 0));
    expect(m).toMatchObject({
      bytesIn: 48_213_771,
      bytesOut: 48_190_115,
      remoteBytes: 48_190_115,
      sha256: dumpOutput().sha256,
      remoteSha256: dumpOutput().sha256,
      hiveVersion: '3.1.0',
      schemaVersionRestored: '3.1.0',
    });
    expect(m).toMatchObject({
      stagingDatabase: `metastore_hmsdr_${RUN_ID}`,
      liveDatabase: 'metastore',
      previousDatabase: `metastore_hmsdr_prev_${RUN_ID}`,
    });
  });

  it('carries per-path copy figures joined with the snapshot decisions', () => {
    const s = buildRunSummary(track(completeRun()).dir, { now: NOW });
    const d = s.data!;
    expect(d.copied).toBe(true);
    expect(d.filesCopied).toBe(1_514);
    expect(d.bytesCopied).toBe(7_516_192_768 + 1_073_741_824);
    expect(d.paths).toHaveLength(2);
    expect(d.paths[1]).toMatchObject({
      source: '/data/landing',
      target: '/dr/landing',
      plannedMode: 'bootstrap',
      mode: 'bootstrap',
      takenAt: at(47.5),
      filesCopied: 310,
      passes: 1,
    });
    expect(d.paths[0]?.pruned.source).toEqual(['hmsdr-20261110t053000']);
  });

  it('lists every warning once: preflight warns, left-alone entries, step output warnings, warn events', () => {
    const s = buildRunSummary(track(completeRun()).dir, { now: NOW });
    const sources = s.warnings.map((w) => `${w.step}:${w.source}`);
    expect(sources).toEqual(['preflight:preflight', 'dump-metastore:left-alone', 'copy-data:hdfs-target-modified']);
    // The dump's leftAlone entry, its event and verify-staging's warning are one fact: listed once, with the steps that saw it.
    const notificationLog = s.warnings.filter((w) => w.message.startsWith('NOTIFICATION_LOG.MESSAGE'));
    expect(notificationLog).toHaveLength(1);
    expect(notificationLog[0]?.steps).toEqual(['dump-metastore', 'verify-staging']);
    expect(s.warnings[2]?.message).toContain('target=/warehouse/tablespace/managed/hive');
    expect(s.warnings[2]?.time).toBe(at(120));
  });

  it('says what to do next, with the rollback command', () => {
    const s = buildRunSummary(track(completeRun()).dir, { now: NOW });
    expect(s.next.join('\n')).toContain(`hmsdr rollback ${RUN_ID} --config prod-to-dr.yaml`);
    expect(s.headline).toContain('completed');
  });
});

describe('buildRunSummary: failed at copy-data', () => {
  it('is failed-step with exit 1, the error, hint and the resume command', () => {
    const s = buildRunSummary(track(failedAtCopyRun()).dir, { now: NOW });
    expect(s.outcome).toBe('failed-step');
    expect(s.exitCode).toBe(1);
    expect(s.failure).toMatchObject({ step: 'copy-data', status: 'failed', code: 'E_DISTCP' });
    expect(s.failure?.hint).toContain('resume');
    expect(s.failure?.stderrTail).toContain('Connection refused');
    expect(s.resumeCommand).toBe(`hmsdr resume ${RUN_ID} --yes --config prod-to-dr.yaml`);
    expect(s.next.at(-1)).toBe(`Continue the run with: \`${s.resumeCommand}\``);
    expect(s.headline).toContain('failed at copy-data');
    expect(step(s, 'copy-data')).toMatchObject({ attempts: 2, durationMs: 47_250 });
  });

  it('ends at the failure, keeps T0 and T1 but says the recovery point was not applied', () => {
    const s = buildRunSummary(track(failedAtCopyRun()).dir, { now: NOW });
    expect(s.endedAt).toBe(at(95.25));
    expect(s.rpo.t0).toBe(T0);
    expect(s.rpo.t1).toBe(T1_FIRST);
    expect(s.rpo.rpoMs).toBe(91_650);
    expect(s.rpo.applied).toBe(false);
    expect(s.rpo.note).toContain('did not go live');
    expect(s.rto).toMatchObject({ reached: false, rtoMs: null, hiveStartedAt: null, downtimeMs: null });
    expect(s.rto.note).toContain('not reached');
  });

  it('shows the data side as planned but not copied, and rungs L1–L6 not run', () => {
    const s = buildRunSummary(track(failedAtCopyRun()).dir, { now: NOW });
    expect(s.data?.copied).toBe(false);
    expect(s.data?.paths.map((p) => [p.plannedMode, p.mode, p.filesCopied])).toEqual([
      ['incremental', null, null],
      ['bootstrap', null, null],
    ]);
    expect(rung(s, 'L0').status).toBe('passed');
    for (const id of ['L1', 'L2', 'L3', 'L4', 'L5', 'L6']) {
      expect(rung(s, id)).toMatchObject({ status: 'not-run', ran: false, passed: false });
      expect(rung(s, id).detail).toBe('not checked: the run stopped at copy-data');
    }
    // The step-fail event is the failure itself, not a warning; the left-alone warning stays.
    expect(s.warnings.map((w) => w.source)).toEqual(['left-alone']);
  });
});

describe('buildRunSummary: verification failed', () => {
  it('is verification-failed with exit 5 and the L3 differences from verify-staging.json', () => {
    const s = buildRunSummary(track(verificationFailedRun()).dir, { now: NOW });
    expect(s.outcome).toBe('verification-failed');
    expect(s.exitCode).toBe(5);
    expect(s.failure).toMatchObject({ step: 'verify-staging', code: 'E_VERIFY' });
    expect(rung(s, 'L1').status).toBe('passed');
    expect(rung(s, 'L2').status).toBe('passed');
    expect(rung(s, 'L3')).toMatchObject({ status: 'failed', ran: true, passed: false, by: ['verify-staging'] });
    expect(rung(s, 'L3').differences).toEqual([
      'PARTITIONS: 18250 rows in the stream, 18249 restored',
      'SDS.LOCATION: 1 value(s) still under hdfs://nn1.prod:8020',
    ]);
    expect(rung(s, 'L4').status).toBe('not-run');
    expect(s.headline).toContain('verification failed (L3)');
    expect(s.next.join('\n')).toContain('Nothing live changed on DR');
    expect(s.rpo.applied).toBe(false);
  });

  it('is verification-failed when a rung failed although its step did not throw', () => {
    const run = track(completeRun());
    const state = JSON.parse(readFileSync(join(run.dir, 'state.json'), 'utf8'));
    state.steps['verify-live'].output.rungs[1] = {
      rung: 'L4',
      ok: false,
      by: 'verify-live',
      detail: '1 difference(s)',
      differences: ['sales.orders/dt=2026-11-20 missing on DR'],
    };
    writeFileSync(join(run.dir, 'state.json'), JSON.stringify(state));
    const s = buildRunSummary(run.dir, { now: NOW });
    expect(s.outcome).toBe('verification-failed');
    expect(s.exitCode).toBe(5);
    expect(s.next.join('\n')).toContain('rollback');
  });
});

describe('buildRunSummary: interrupted, blocked, incomplete', () => {
  it('is interrupted with exit 130', () => {
    const s = buildRunSummary(track(interruptedRun()).dir, { now: NOW });
    expect(s.outcome).toBe('interrupted');
    expect(s.exitCode).toBe(130);
    expect(s.failure).toMatchObject({ step: 'restore-staging', status: 'interrupted', code: 'E_INTERRUPTED' });
    expect(s.warnings.some((w) => w.source === 'interrupt' && w.message.includes('SIGINT'))).toBe(true);
    expect(s.endedAt).toBe(at(180));
    expect(s.rto.reached).toBe(false);
  });

  it('is blocked with exit 4 when a precondition left a step pending with an error', () => {
    const run = track(
      fabricateRun({
        steps: {
          preflight: {
            status: 'pending',
            attempts: 0,
            error: { code: 'E_PRECONDITION', message: 'schema version 3.1.0 on the source, 2.3.0 on DR', hint: 'upgrade the DR schema' },
          },
        },
      }),
    );
    const s = buildRunSummary(run.dir, { now: NOW });
    expect(s.outcome).toBe('blocked');
    expect(s.exitCode).toBe(4);
    expect(step(s, 'preflight').blocked).toBe(true);
    expect(rung(s, 'L0')).toMatchObject({ status: 'failed', differences: ['schema version 3.1.0 on the source, 2.3.0 on DR'] });
    expect(s.metastore).toBeNull();
    expect(s.data).toBeNull();
    expect(s.rpo).toMatchObject({ t0: null, t1: null, rpoMs: null });
    expect(s.rpo.note).toContain('T0 not recorded');
    // No step started: the run's end falls back to the state's last update.
    expect(s.endedAt).toBe(at(311));
  });

  it('is incomplete with exit 7 when a step was left running (killed process)', () => {
    const run = track(
      fabricateRun({
        steps: {
          preflight: { status: 'done', attempts: 1, via: 'run', startedAt: at(0.2), finishedAt: at(3.2), output: preflightOutput() },
          'dump-metastore': { status: 'running', attempts: 1, startedAt: at(3.5) },
        },
      }),
    );
    const s = buildRunSummary(run.dir, { now: NOW });
    expect(s.outcome).toBe('incomplete');
    expect(s.exitCode).toBe(7);
    expect(s.failure).toMatchObject({ step: 'dump-metastore', code: 'E_INCOMPLETE' });
    expect(s.next.join('\n')).toContain('hmsdr resume');
  });

  it('takes T1 from the step start when snapshots carry no creation time', () => {
    const run = track(
      fabricateRun({
        steps: {
          'dump-metastore': { status: 'done', attempts: 1, via: 'run', startedAt: at(3.5), finishedAt: at(45.5), output: dumpOutput() },
          'snapshot-source': {
            status: 'done',
            attempts: 1,
            via: 'run',
            startedAt: at(46),
            finishedAt: at(48),
            output: {
              snapshot: 's',
              paths: [{ source: '/a', target: '/a', snapshot: 's', mode: 'bootstrap', previous: null, takenAt: null }],
            },
          },
        },
      }),
    );
    const s = buildRunSummary(run.dir, { now: NOW });
    expect(s.rpo).toMatchObject({ t1: at(46), t1Source: 'step-start' });
    expect(s.rpo.note).toContain('approximated');
  });

  it('tolerates a torn last events line and steps done by probe', () => {
    const run = track(
      fabricateRun({
        steps: {
          preflight: { status: 'done', attempts: 0, via: 'probe', finishedAt: at(1), reason: 'checked', output: { checks: [] } },
          'dump-metastore': { status: 'done', attempts: 1, via: 'run', startedAt: at(3.5), finishedAt: at(45.5) },
        },
      }),
    );
    appendFileSync(join(run.dir, 'events.ndjson'), '{"level":"warn","event":"torn');
    const s = buildRunSummary(run.dir, { now: NOW });
    expect(step(s, 'preflight')).toMatchObject({ via: 'probe', durationMs: null, startedAt: null });
    expect(rung(s, 'L0')).toMatchObject({ status: 'passed', detail: 'checked' });
    expect(s.rpo.t0).toBeNull();
    expect(s.outcome).toBe('incomplete');
  });

  it('throws a clear error when state.json is missing', () => {
    expect(() => buildRunSummary('/nonexistent/run')).toThrow(PreconditionError);
    expect(() => buildRunSummary('/nonexistent/run')).toThrow(/cannot read the run state \/nonexistent\/run\/state.json/);
  });
});
