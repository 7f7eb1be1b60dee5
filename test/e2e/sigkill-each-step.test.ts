// hmsdr itself killed (SIGKILL: no chance to record anything) while each step of a rehearsal runs,
// and resumed each time: one run, killed once inside every step in order, then completed. After
// every kill the DR server still has a database under the live name, holding exactly the metastore
// it held before the run or exactly this run's (its comment names the run), never none. The kill
// between the swap's two renames, at a forced point, is in swap-atomic.test.ts.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHmsdr, startHmsdr } from '../harness/cli.js';
import {
  databaseComment,
  fingerprintDatabase,
  readRunState,
  readSummary,
  runIds,
  STEP_ORDER,
  startE2eLab,
  type E2eLab,
} from '../harness/e2e-lab.js';

let e2e: E2eLab;

beforeAll(async () => {
  e2e = await startE2eLab({ name: 'sigkill-steps', partitions: 6, databases: 1, tables: 3 });
});

afterAll(async () => {
  await e2e?.down();
});

/**
 * Runs `args` and SIGKILLs it as soon as `runId`'s state.json (or the new run's) shows `step`
 * running. Returns the run id and whether the kill landed inside the step.
 */
async function killWhileRunning(args: string[], step: string, known: string | undefined): Promise<{ runId: string; killed: boolean }> {
  const before = runIds(e2e.runsDir);
  const child = startHmsdr([...args, '--yes', '--config', e2e.configFile]);
  let runId = known;
  try {
    for (;;) {
      runId ??= runIds(e2e.runsDir).find((id) => !before.includes(id));
      if (runId && readRunState(e2e.runsDir, runId).steps[step]?.status === 'running') {
        child.kill('SIGKILL');
        await child;
        return { runId, killed: true };
      }
      if (child.nodeChildProcess.exitCode !== null) {
        const ended = await child;
        throw new Error(
          `hmsdr ${args.join(' ')} ended (exit ${ended.exitCode}) before ${step} ran:\n${String(ended.stdout)}\n${String(ended.stderr)}`,
        );
      }
      await sleep(15);
    }
  } finally {
    if (child.nodeChildProcess.exitCode === null) child.kill('SIGKILL');
  }
}

describe('hmsdr killed (SIGKILL) inside every step', () => {
  it('each resume picks up from the killed step; the live name holds the old or the new metastore after every kill; the last resume completes the run', async () => {
    // The DR metastore before the run: the lab's, without an hmsdr comment.
    const initial = await fingerprintDatabase(e2e.lab, 'dr');
    let runId: string | undefined;
    const liveAfterKill: string[] = [];
    for (const step of STEP_ORDER) {
      const args = runId === undefined ? ['rehearse'] : ['resume', runId];
      const result = await killWhileRunning(args, step, runId);
      runId = result.runId;
      expect(result.killed, `killed inside ${step}`).toBe(true);
      const state = readRunState(e2e.runsDir, runId);
      // Every earlier step is done (the resume completed the one killed before); this one was cut off.
      expect(STEP_ORDER.filter((s) => state.steps[s]?.status === 'done')).toEqual(STEP_ORDER.slice(0, STEP_ORDER.indexOf(step)));
      expect(state.steps[step]?.status).toBe('running');
      // A database under the live name (fingerprintDatabase throws when there is none): exactly the
      // metastore it held before the run (every row), or the one this run restored (its comment).
      const live = await fingerprintDatabase(e2e.lab, 'dr');
      const old = live.comment === initial.comment;
      if (old) expect(live, `the old metastore, unchanged, after the kill in ${step}`).toEqual(initial);
      else expect(live.comment).toMatch(new RegExp(`^hmsdr run=${runId} `));
      liveAfterKill.push(`${step}: ${old ? 'old' : 'new'}`);
    }
    // The swap is the line: old before it, new after it (inside it, either: the transaction decides).
    const swapAt = STEP_ORDER.indexOf('swap-metastore');
    expect(liveAfterKill).toEqual(STEP_ORDER.map((s, i) => (i === swapAt ? liveAfterKill[i] : `${s}: ${i < swapAt ? 'old' : 'new'}`)));

    const resumed = await runHmsdr(['resume', runId!, '--yes', '--config', e2e.configFile]);
    expect(resumed.exitCode, `${resumed.stdout}\n${resumed.stderr}`).toBe(0);
    const state = readRunState(e2e.runsDir, runId!);
    expect(STEP_ORDER.map((s) => `${s} ${state.steps[s]?.status}`)).toEqual(STEP_ORDER.map((s) => `${s} done`));
    // Each step ran again after its kill, or its probe found the killed attempt's work complete.
    for (const s of STEP_ORDER) {
      const record = state.steps[s]!;
      expect(record.attempts === 2 || record.via === 'probe', `${s}: ${JSON.stringify(record)}`).toBe(true);
    }
    const summary = readSummary(e2e.runsDir, runId!);
    expect(summary.outcome).toBe('ok');
    expect(summary.ladder.filter((r) => r.status !== 'passed')).toEqual([]);
    expect(await databaseComment(e2e.lab, 'dr')).toMatch(new RegExp(`^hmsdr run=${runId} `));
  });
});
