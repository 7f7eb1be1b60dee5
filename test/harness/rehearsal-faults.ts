// The fault-matrix procedure of the rehearsal-faults e2e files: inject a fault, rehearse, check
// where the run stopped and that the DR metastore still works (unchanged before the swap), repair,
// and check that `hmsdr resume` completes the run.
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  databaseComment,
  fingerprintDatabase,
  newRunId,
  partitionCounts,
  readRunState,
  readSummary,
  rehearseWithTrigger,
  runIds,
  STEP_ORDER,
  withSuperuser,
  type E2eLab,
  type StepId,
  type Summary,
} from './e2e-lab.js';

export interface FaultCase {
  /** Injected before the rehearsal starts. */
  inject?: () => Promise<void> | void;
  /** Injected while the rehearsal runs, once `step` shows one of `statuses`. */
  during?: { step: StepId; statuses: string[]; action: (runId: string) => Promise<void> | void };
  /** Exit codes that fit the fault (docs: 1 step failed, 4 blocked, 5 verification failed). */
  exitCodes: number[];
  /** The fault hits after swap-metastore: the live metastore is the run's new one. */
  afterSwap?: boolean;
  /** Remove the fault (before `resume`). */
  repair: () => Promise<void> | void;
  /** More assertions on the failed run. */
  check?: (runId: string, output: string) => Promise<void> | void;
}

/** The DR metastore answers a Hive-like query. */
async function drWorks(e2e: E2eLab): Promise<number> {
  return withSuperuser(e2e.lab, 'dr', 'hive', async (client) => {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM "DBS" d JOIN "TBLS" t ON t."DB_ID" = d."DB_ID"');
    return Number(rows[0]!.n);
  });
}

/**
 * Inject `fault`, rehearse, check the run stopped at `step` with the DR metastore working (and, before
 * the swap, unchanged), then repair and check `resume` completes the run.
 */
export async function faultAt(e2e: E2eLab, step: StepId, fault: FaultCase): Promise<void> {
  const liveBefore = await fingerprintDatabase(e2e.lab, 'dr');
  await fault.inject?.();
  let runId: string;
  let exitCode: number;
  let output: string;
  if (fault.during) {
    const { during } = fault;
    const run = await rehearseWithTrigger(e2e, during.step, during.statuses, during.action);
    expect(run.fired, `the fault was not injected: ${during.step} never reached ${during.statuses.join('/')}\n${run.result.stdout}`).toBe(
      true,
    );
    ({ runId } = run);
    ({ exitCode } = run.result);
    output = run.result.stdout + run.result.stderr;
  } else {
    const before = runIds(e2e.runsDir);
    const result = await e2e.hmsdr(['rehearse', '--yes']);
    runId = newRunId(e2e.runsDir, before);
    ({ exitCode } = result);
    output = result.stdout + result.stderr;
  }

  // The run stopped at this step, with the exit code of that kind of failure.
  expect(fault.exitCodes, output).toContain(exitCode);
  const state = readRunState(e2e.runsDir, runId);
  const index = STEP_ORDER.indexOf(step);
  for (const id of STEP_ORDER.slice(0, index)) expect(state.steps[id]?.status, `${id}\n${output}`).toBe('done');
  const failed = state.steps[step]!;
  expect(['failed', 'interrupted', 'pending'], `${step}: ${JSON.stringify(failed)}`).toContain(failed.status);
  expect(failed.error?.message, `${step} records its error`).toBeTruthy();
  for (const id of STEP_ORDER.slice(index + 1)) expect(state.steps[id]?.status, id).toBe('pending');
  const summary = readSummary(e2e.runsDir, runId);
  expect(summary.outcome).not.toBe('ok');
  expect(summary.exitCode).toBe(exitCode);

  // The DR metastore works; before the swap it is exactly what it was, after it the run's restore, intact.
  expect(await drWorks(e2e)).toBeGreaterThan(0);
  if (fault.afterSwap) {
    expect(await databaseComment(e2e.lab, 'dr')).toMatch(new RegExp(`^hmsdr run=${runId}\\b`));
    expect(await partitionCounts(e2e.lab, 'dr')).toEqual(await partitionCounts(e2e.lab, 'source'));
  } else {
    expect(await fingerprintDatabase(e2e.lab, 'dr')).toEqual(liveBefore);
  }
  await fault.check?.(runId, output);

  // Fault removed, resume completes the run.
  await fault.repair();
  await expectResumeCompletes(e2e, runId);
}

/**
 * `hmsdr resume <runId>` exits 0 with every step done and every rung passed; the live DR metastore
 * is the run's and has the source's partitions. Returns the run's summary for more checks.
 */
export async function expectResumeCompletes(e2e: E2eLab, runId: string): Promise<Summary> {
  const resumed = await e2e.hmsdr(['resume', runId, '--yes']);
  expect(resumed.exitCode, `${resumed.stdout}\n${resumed.stderr}`).toBe(0);
  const after = readRunState(e2e.runsDir, runId);
  for (const id of STEP_ORDER) expect(after.steps[id]?.status, id).toBe('done');
  const done = readSummary(e2e.runsDir, runId);
  expect(done.outcome).toBe('ok');
  for (const rung of done.ladder) expect(rung.status, `${rung.rung}: ${rung.detail}`).toBe('passed');
  expect(await databaseComment(e2e.lab, 'dr')).toMatch(new RegExp(`^hmsdr run=${runId}\\b`));
  expect(await partitionCounts(e2e.lab, 'dr')).toEqual(await partitionCounts(e2e.lab, 'source'));
  return done;
}

const drStandinMeta = (e2e: E2eLab): string => join(e2e.lab.state.hdfs.root, '.standin', 'drns', 'meta.json');

/** The DR NameNode becomes unavailable: its metadata unreadable, so every DR `hdfs` command fails. */
export function breakDrNameNode(e2e: E2eLab): void {
  copyFileSync(drStandinMeta(e2e), `${drStandinMeta(e2e)}.saved`);
  writeFileSync(drStandinMeta(e2e), '{ NameNode is in an unrecoverable state');
}

export function repairDrNameNode(e2e: E2eLab): void {
  copyFileSync(`${drStandinMeta(e2e)}.saved`, drStandinMeta(e2e));
  rmSync(`${drStandinMeta(e2e)}.saved`);
}
