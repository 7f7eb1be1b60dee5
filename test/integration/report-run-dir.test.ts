// Reports from a run directory written by the real writers (Ledger → state.json, pino → events.ndjson),
// not by hand: the report must read what the engine actually writes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  copyOutput,
  dumpOutput,
  preflightOutput,
  restoreOutput,
  serviceOutput,
  snapshotOutput,
  STEP_ORDER,
  swapOutput,
  verifyLiveOutput,
  verifyStagingOutput,
} from '../harness/report-runs.js';
import { writeReports } from '../../src/report/write.js';
import { openEventLog } from '../../src/runbook/events.js';
import { Ledger } from '../../src/runbook/ledger.js';
import { clearSecretsForTests, registerSecret } from '../../src/util/secrets.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hmsdr-report-int-'));
});
afterEach(() => {
  clearSecretsForTests();
  rmSync(root, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function newRun(): Ledger {
  return Ledger.create(join(root, 'runs', '20261121t053000'), {
    runId: '20261121t053000',
    mode: 'rehearse',
    configFile: join(root, 'hmsdr.yaml'),
    configHash: 'h',
    host: 'edge1',
    pid: process.pid,
    order: [...STEP_ORDER],
  });
}

/** Record a step like the engine does: running with startedAt, then done with output and finishedAt. */
async function runStep(ledger: Ledger, id: string, output: Record<string, unknown>, ms = 15): Promise<void> {
  ledger.update(id, { status: 'running', attempts: ledger.record(id).attempts + 1, startedAt: new Date().toISOString() });
  await sleep(ms);
  ledger.update(id, { status: 'done', via: 'run', output, finishedAt: new Date().toISOString() });
}

describe("reports from a run directory written by the engine's writers", () => {
  it('a complete run: ok, real pino warnings listed, RPO/RTO from the recorded times', async () => {
    const ledger = newRun();
    const log = openEventLog(ledger.dir);
    log.info('run-started', { runId: '20261121t053000' });
    await runStep(ledger, 'preflight', preflightOutput(false));
    const t0 = new Date().toISOString();
    await runStep(ledger, 'dump-metastore', dumpOutput({ t0 }));
    log.forStep('dump-metastore').warn('old-authority-left-alone', { ...dumpOutput().leftAlone[0] });
    const t1 = new Date().toISOString();
    await runStep(ledger, 'snapshot-source', { ...snapshotOutput(), paths: snapshotOutput().paths.map((p) => ({ ...p, takenAt: t1 })) });
    await runStep(ledger, 'copy-data', copyOutput(), 40);
    log
      .forStep('copy-data')
      .warn('hdfs-full-copy-fallback', { target: '/dr/landing', why: 'snapshot hmsdr-x no longer exists on the target' });
    await runStep(ledger, 'restore-staging', restoreOutput());
    await runStep(ledger, 'verify-staging', verifyStagingOutput());
    log.forStep('verify-staging').warn('old-authority-left-alone', { warning: verifyStagingOutput().warnings[0] });
    await runStep(ledger, 'stop-hive', serviceOutput());
    await runStep(ledger, 'swap-metastore', swapOutput());
    await runStep(ledger, 'start-hive', serviceOutput());
    await runStep(ledger, 'verify-live', verifyLiveOutput());
    ledger.update('report', { status: 'running', attempts: 1, startedAt: new Date().toISOString() });
    log.close();

    const { summary, htmlPath, markdownPath } = writeReports(ledger.dir);
    expect(summary.outcome).toBe('ok');
    expect(summary.exitCode).toBe(0);
    expect(summary.ladder.every((r) => r.status === 'passed')).toBe(true);
    const state = ledger.snapshot;
    expect(summary.rpo.t0).toBe(t0);
    expect(summary.rpo.t1).toBe(t1);
    expect(summary.rpo.rpoMs).toBe(Date.parse(summary.endedAt) - Date.parse(t0));
    expect(summary.rto.rtoMs).toBe(Date.parse(state.steps['start-hive']!.finishedAt!) - Date.parse(state.createdAt));
    expect(summary.steps.find((s) => s.id === 'copy-data')!.durationMs).toBeGreaterThanOrEqual(40);
    // pino wrote level labels and ISO times; the duplicate left-alone event and warning are listed once each.
    // verify-staging's warning (output and event) is the dump's left-alone fact: one entry seen by both.
    expect(summary.warnings.map((w) => `${w.steps.join('+')}:${w.source}`)).toEqual([
      'dump-metastore+verify-staging:left-alone',
      'copy-data:hdfs-full-copy-fallback',
    ]);
    expect(summary.warnings[1]!.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(readFileSync(markdownPath, 'utf8')).toContain('hdfs-full-copy-fallback');
    expect(readFileSync(htmlPath, 'utf8')).toContain('snapshot hmsdr-x no longer exists on the target');
  });

  it('a run failed by the engine at copy-data: failed-step, the recorded error, and no secret in any report', async () => {
    const secret = 'Sup3r-Secret-pw';
    registerSecret(secret);
    const ledger = newRun();
    const log = openEventLog(ledger.dir);
    await runStep(ledger, 'preflight', preflightOutput());
    await runStep(ledger, 'dump-metastore', dumpOutput());
    await runStep(ledger, 'snapshot-source', snapshotOutput());
    ledger.update('copy-data', { status: 'running', attempts: 1, startedAt: new Date().toISOString() });
    ledger.update('copy-data', {
      status: 'failed',
      finishedAt: new Date().toISOString(),
      error: {
        code: 'E_DISTCP',
        message: `distcp exited 1 (password ${secret})`,
        hint: 'fix it and resume',
        stderrTail: `auth ${secret} refused`,
      },
    });
    log.forStep('copy-data').error('step-fail', { code: 'E_DISTCP', message: `distcp exited 1 (password ${secret})` });
    log.close();

    const written = writeReports(ledger.dir);
    expect(written.summary.outcome).toBe('failed-step');
    expect(written.summary.exitCode).toBe(1);
    expect(written.summary.failure).toMatchObject({ step: 'copy-data', code: 'E_DISTCP', hint: 'fix it and resume' });
    expect(written.summary.resumeCommand).toBe(`hmsdr resume 20261121t053000 --yes --config hmsdr.yaml`);
    for (const path of [written.summaryPath, written.markdownPath, written.htmlPath]) {
      const text = readFileSync(path, 'utf8');
      expect(text, path).not.toContain(secret);
      expect(text, path).toContain('***');
    }
  });
});
