// Issue 17 acceptance, end to end: a lab made with `hmsdr lab up --data-engine cloudera-manager`
// (HDFS data copied by the Cloudera Manager emulator's replication schedules), rehearsed by the
// built CLI. A first rehearsal passes L0–L6 and its report names the CM command ids and counters; a
// rehearsal whose replication fails (setup error) stops in copy-data with the diagnostic bundle
// saved in its run directory and named in the report.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modifyFiles } from '../../src/lab/mutate.js';
import { newRunId, readRunState, readSummary, runIds, startE2eLab, STEP_ORDER, type E2eLab } from '../harness/e2e-lab.js';

let e2e: E2eLab;

beforeAll(async () => {
  e2e = await startE2eLab({ name: 'rehearsal-cm', partitions: 60, databases: 2, tables: 6, upArgs: ['--data-engine', 'cloudera-manager'] });
});

afterAll(async () => {
  await e2e?.down();
});

interface CopyOutput {
  engine: string;
  paths: {
    source: string;
    filesCopied: number;
    bytesCopied: number;
    filesFailed: number;
    passes: { kind: string; id?: string }[];
    detail?: string;
  }[];
}

describe('rehearsal with data.engine: cloudera-manager, on the lab', () => {
  it('the lab config names the Cloudera Manager engine', () => {
    expect(readFileSync(e2e.configFile, 'utf8')).toMatch(/engine: cloudera-manager/);
  });

  it('a rehearsal passes L0–L6; the report shows the CM command ids and counters', async () => {
    const before = runIds(e2e.runsDir);
    const result = await e2e.hmsdr(['rehearse', '--yes']);
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    const runId = newRunId(e2e.runsDir, before);
    const state = readRunState(e2e.runsDir, runId);
    for (const id of STEP_ORDER) expect(state.steps[id]?.status, id).toBe('done');
    const summary = readSummary(e2e.runsDir, runId);
    expect(summary.ladder.map((r) => r.rung)).toEqual(['L0', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6']);
    for (const rung of summary.ladder)
      expect(rung.status, `${rung.rung}: ${rung.detail} ${JSON.stringify(rung.differences)}`).toBe('passed');
    const copy = state.steps['copy-data']?.output as unknown as CopyOutput;
    expect(copy.engine).toBe('cloudera-manager');
    const total = copy.paths.reduce((n, p) => n + p.filesCopied, 0);
    expect(total).toBeGreaterThan(0); // L5 (passed above) proves DR equals T1 file by file
    const report = readFileSync(join(e2e.runsDir, runId, 'report.md'), 'utf8');
    for (const p of copy.paths) {
      expect(p.filesFailed).toBe(0);
      expect(p.passes).toHaveLength(1);
      expect(p.passes[0]!.id).toMatch(/^\d+$/);
      expect(report).toContain(`command ${p.passes[0]!.id}`);
      expect(report).toContain(p.detail!);
    }
    expect(report).toMatch(/Cloudera Manager schedule hmsdr-warehouse-tablespace-managed-hive-[0-9a-f]{6}/);
  });

  it('a failed replication stops copy-data; the diagnostic bundle is in the run directory and named in the report', async () => {
    modifyFiles(e2e.lab, { count: 3 });
    const faults = join(e2e.dir, 'cm', 'faults.json');
    writeFileSync(faults, JSON.stringify({ replication: [{ kind: 'setup-error' }] }));
    for (let i = 0; i < 100 && existsSync(faults); i++) await sleep(100);
    expect(existsSync(join(e2e.dir, 'cm', 'faults.applied.json'))).toBe(true);
    const before = runIds(e2e.runsDir);
    const result = await e2e.hmsdr(['rehearse', '--yes']);
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).not.toBe(0);
    const runId = newRunId(e2e.runsDir, before);
    const state = readRunState(e2e.runsDir, runId);
    expect(state.steps['copy-data']?.status).toBe('failed');
    const message = String(state.steps['copy-data']?.error?.message);
    expect(message).toMatch(/Cloudera Manager replication command \d+ .*failed.*setup error/);
    const bundle = /diagnostic bundle: (\S+\.zip)/.exec(message)?.[1];
    expect(bundle?.startsWith(join(e2e.runsDir, runId, 'cm-diagnostics'))).toBe(true);
    expect(readFileSync(bundle!).subarray(0, 4).toString('hex')).toBe('504b0304');
    expect(readFileSync(join(e2e.runsDir, runId, 'report.md'), 'utf8')).toContain(bundle!);
  });
});
