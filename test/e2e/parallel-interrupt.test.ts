// Ctrl-C in the middle of the parallel transfer, with the built CLI as a real process: SIGINT while
// the workers are in COPY → exit 130, dump-metastore interrupted, the half-filled staging database
// dropped, the live DR metastore unchanged; `hmsdr resume` completes the run.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stagingDatabase } from '../../src/names/run-names.js';
import {
  fingerprintDatabase,
  partitionCounts,
  readRunState,
  readSummary,
  rehearseWithTrigger,
  startE2eLab,
  STEP_ORDER,
  withSuperuser,
  type E2eLab,
} from '../harness/e2e-lab.js';

let e2e: E2eLab;

beforeAll(async () => {
  e2e = await startE2eLab({ name: 'par-int', partitions: 10000, databases: 1, tables: 10 });
  writeFileSync(e2e.configFile, `${readFileSync(e2e.configFile, 'utf8')}\nrestore:\n  transfer: parallel\n  workers: 2\n`);
});

afterAll(async () => {
  await e2e?.down();
});

/** hmsdr_* databases on the DR server other than earlier runs' _prev_ ones. */
const stagingDatabases = (): Promise<string[]> =>
  withSuperuser(e2e.lab, 'dr', 'postgres', async (client) =>
    (
      await client.query<{ d: string }>(
        `SELECT datname AS d FROM pg_database WHERE datname LIKE 'hive_hmsdr_%' AND datname NOT LIKE 'hive_hmsdr_prev_%'`,
      )
    ).rows.map((r) => r.d),
  );

describe('Ctrl-C during the parallel transfer', () => {
  it('exits 130, drops the staging database, leaves live unchanged; resume completes', async () => {
    const liveBefore = await fingerprintDatabase(e2e.lab, 'dr');
    let copying = false;
    const run = await rehearseWithTrigger(e2e, 'dump-metastore', ['running'], async (runId) => {
      // Wait until a worker is in COPY on this run's staging database, then interrupt the CLI.
      const database = stagingDatabase('hive', runId);
      for (let i = 0; i < 400 && !copying; i++) {
        copying = await withSuperuser(
          e2e.lab,
          'dr',
          'postgres',
          async (client) =>
            (await client.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'COPY % FROM STDIN%'`, [database])).rows
              .length > 0,
        );
        if (!copying) await new Promise((r) => setTimeout(r, 10));
      }
      const pids = execFileSync('pgrep', ['-f', `rehearse --yes --config ${e2e.configFile}`], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map(Number);
      for (const pid of pids) process.kill(pid, 'SIGINT');
    });
    expect(run.fired).toBe(true);
    expect(copying, 'a worker was seen in COPY before the interrupt').toBe(true);
    expect(run.result.exitCode, run.result.stdout + run.result.stderr).toBe(130);
    const state = readRunState(e2e.runsDir, run.runId);
    expect(state.steps['dump-metastore']?.status).toBe('interrupted');
    for (const id of STEP_ORDER.slice(2)) expect(state.steps[id]?.status, id).toBe('pending');
    expect(await stagingDatabases()).toEqual([]);
    expect(await fingerprintDatabase(e2e.lab, 'dr')).toEqual(liveBefore);
    expect(readSummary(e2e.runsDir, run.runId).exitCode).toBe(130);

    const resumed = await e2e.hmsdr(['resume', run.runId, '--yes']);
    expect(resumed.exitCode, `${resumed.stdout}\n${resumed.stderr}`).toBe(0);
    const after = readRunState(e2e.runsDir, run.runId);
    for (const id of STEP_ORDER) expect(after.steps[id]?.status, id).toBe('done');
    expect(await partitionCounts(e2e.lab, 'dr')).toEqual(await partitionCounts(e2e.lab, 'source'));
  });
});
