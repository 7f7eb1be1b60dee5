// Issue 22 acceptance: L5 runs before the swap. A copy that left the DR snapshot different from the
// source snapshot (a file one byte longer on DR when copy-data takes the target's T1) fails
// verify-staging with exit 5; the live DR metastore is unchanged and nothing after verify-staging
// ran. After the target is repaired (the file restored, T1 taken again), `hmsdr resume` completes.
// The fault comes from outside the product: the DR site's hdfsBin is a wrapper script around the
// Hadoop stand-in that appends to one file right before `-createSnapshot` of its target path.
import { chmodSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { faultsFile } from '../../src/lab/hadoop/faults.js';
import { expectResumeCompletes } from '../harness/rehearsal-faults.js';
import {
  fingerprintDatabase,
  newRunId,
  readRunState,
  readSummary,
  runIds,
  startE2eLab,
  STEP_ORDER,
  type E2eLab,
} from '../harness/e2e-lab.js';

const MANAGED = '/warehouse/tablespace/managed/hive';
let e2e: E2eLab;

beforeAll(async () => {
  e2e = await startE2eLab({ name: 'l5-swap', partitions: 20, databases: 1, tables: 4 });
});

afterAll(async () => {
  await e2e?.down();
});

/** The first regular file below `dir` (depth first, names sorted). */
function firstFile(dir: string): string | undefined {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const inner = firstFile(path);
      if (inner) return inner;
    } else return path;
  }
  return undefined;
}

describe('rehearse --retries, through the CLI', () => {
  it('a DistCp job that fails once (transient): the same run is resumed after the delay and ends ok with two attempts', async () => {
    // The stand-in's counted fault: the first DistCp job copies one file, then its MR job fails.
    const faults = faultsFile(e2e.lab.state.hdfs.root);
    writeFileSync(faults, JSON.stringify({ distcpFailAfterFiles: { after: 1, times: 1 } }));
    const before = runIds(e2e.runsDir);
    const result = await e2e.hmsdr(['rehearse', '--yes', '--retries', '2', '--retry-delay', '1s']);
    rmSync(faults, { force: true });
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    const runId = newRunId(e2e.runsDir, before);
    expect(runIds(e2e.runsDir)).toEqual([...before, runId].sort());
    expect(result.stderr).toContain(`attempt 1 of 3 of run ${runId} failed (E_DISTCP); resuming it in 1.0 s`);
    expect(readSummary(e2e.runsDir, runId).outcome).toBe('ok');
    expect(readRunState(e2e.runsDir, runId).steps['copy-data']).toMatchObject({ status: 'done', attempts: 2 });
    const history = JSON.parse((await e2e.hmsdr(['history', '--json'])).stdout) as { runId: string; attempts: number }[];
    expect(history.find((r) => r.runId === runId)?.attempts).toBe(2);
  });
});

describe('L5 before the swap', () => {
  it('a DR snapshot that differs from the source fails verify-staging (exit 5), the live metastore unchanged; resume after repair completes', async () => {
    // The first run (above) copied everything; the second, incremental one is the one that goes wrong.

    const root = e2e.lab.state.hdfs.root;
    const drFile = firstFile(join(root, 'drns', MANAGED.slice(1)))!;
    expect(drFile).toBeTruthy();
    const original = readFileSync(drFile);
    const config = YAML.parse(readFileSync(e2e.configFile, 'utf8')) as { dr: { hdfs: { hdfsBin: string; env: Record<string, string> } } };
    const realHdfs = config.dr.hdfs.hdfsBin;
    // The wrapper stays configured (resume refuses a changed config); removing the armed file disarms it.
    const wrapper = join(e2e.dir, 'hdfs-corrupting');
    const armed = join(e2e.dir, 'hdfs-corrupting.armed');
    writeFileSync(armed, '');
    writeFileSync(
      wrapper,
      [
        '#!/bin/sh',
        `if [ -f '${armed}' ] && [ "$1" = dfs ] && [ "$2" = -createSnapshot ] && [ "$3" = 'hdfs://drns${MANAGED}' ]; then printf 'X' >> '${drFile}'; fi`,
        `exec '${realHdfs}' "$@"`,
        '',
      ].join('\n'),
    );
    chmodSync(wrapper, 0o755);
    config.dr.hdfs.hdfsBin = wrapper;
    writeFileSync(e2e.configFile, YAML.stringify(config));

    const liveBefore = await fingerprintDatabase(e2e.lab, 'dr');
    const before = runIds(e2e.runsDir);
    const failed = await e2e.hmsdr(['rehearse', '--yes']);
    const runId = newRunId(e2e.runsDir, before);
    const output = failed.stdout + failed.stderr;
    expect(failed.exitCode, output).toBe(5);
    const state = readRunState(e2e.runsDir, runId);
    const at = STEP_ORDER.indexOf('verify-staging');
    for (const id of STEP_ORDER.slice(0, at)) expect(state.steps[id]?.status, `${id}\n${output}`).toBe('done');
    expect(state.steps['verify-staging']?.status).toBe('failed');
    for (const id of STEP_ORDER.slice(at + 1)) expect(state.steps[id]?.status, id).toBe('pending');
    expect(output).toMatch(/L5/);
    const relative = drFile.slice(join(root, 'drns', MANAGED.slice(1)).length + 1);
    expect(output).toContain(`${MANAGED}/${relative}: length`);
    // The live DR metastore was not touched: no swap on top of bad data.
    expect(await fingerprintDatabase(e2e.lab, 'dr')).toEqual(liveBefore);
    const l5 = readSummary(e2e.runsDir, runId).ladder.find((r) => r.rung === 'L5');
    expect(l5?.status).toBe('failed');

    // Repair: the file as the source snapshot has it, the target's T1 taken again, the fault disarmed.
    rmSync(armed);
    writeFileSync(drFile, original);
    const snapshot = `hmsdr-${runId}`;
    const env = { ...process.env, ...config.dr.hdfs.env };
    for (const args of [
      ['dfs', '-deleteSnapshot', `hdfs://drns${MANAGED}`, snapshot],
      ['dfs', '-createSnapshot', `hdfs://drns${MANAGED}`, snapshot],
    ]) {
      const result = await execa(realHdfs, args, { env, reject: false });
      expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    const done = await expectResumeCompletes(e2e, runId);
    expect(done.ladder.find((r) => r.rung === 'L5')?.detail).toMatch(
      /compared by length: \d+ files; by checksum: \d+ \(changed \d+ \+ sample \d+\)/,
    );
  }, 900_000);
});
