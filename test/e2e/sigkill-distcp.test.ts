// hmsdr killed (SIGKILL) while its DistCp job copies: the job belongs to YARN and goes on copying
// into the DR target after hmsdr and even its `hadoop distcp` client are gone. The resume must end
// both (the client by its recorded pid, the job with `yarn application -kill`) before it copies
// again, say what it ended, and complete the run with every rung of the ladder passed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readApp, runningApplications } from '../../src/lab/hadoop/yarn.js';
import { runHmsdr, startHmsdr } from '../harness/cli.js';
import { readRunState, readSummary, runIds, startE2eLab, type E2eLab } from '../harness/e2e-lab.js';

let e2e: E2eLab;

beforeAll(async () => {
  e2e = await startE2eLab({ name: 'sigkill-distcp', partitions: 4, databases: 1, tables: 2 });
});

afterAll(async () => {
  await e2e?.down();
});

/** The YARN applications a run's children.json records (hmsdr writes it before anything is awaited). */
function recordedApplications(runId: string): string[] {
  const file = join(e2e.runsDir, runId, 'children.json');
  if (!existsSync(file)) return [];
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { applicationId?: string }[]).flatMap((r) =>
      r.applicationId ? [r.applicationId] : [],
    );
  } catch {
    return []; // caught mid-write
  }
}

describe('hmsdr killed while its DistCp job runs', () => {
  it('the job outlives hmsdr; the resume kills it and its client, says so, and completes the run', async () => {
    const root = e2e.lab.state.hdfs.root;
    const before = runIds(e2e.runsDir);
    // Slow copies (the stand-in waits this long after each file), so the kill lands mid-job.
    const child = startHmsdr(['rehearse', '--yes', '--config', e2e.configFile], { env: { HMSDR_HADOOP_STANDIN_DELAY_MS: '2000' } });
    let runId: string | undefined;
    let applicationId: string | undefined;
    try {
      for (const start = Date.now(); applicationId === undefined; await sleep(15)) {
        if (Date.now() - start > 300_000) throw new Error('no DistCp job was submitted within 5 minutes');
        if (child.nodeChildProcess.exitCode !== null) {
          const ended = await child;
          throw new Error(`hmsdr ended (exit ${ended.exitCode}) before its DistCp job was submitted:\n${String(ended.stderr)}`);
        }
        runId ??= runIds(e2e.runsDir).find((id) => !before.includes(id));
        if (runId) applicationId = recordedApplications(runId)[0];
      }
      child.kill('SIGKILL');
      await child;
    } finally {
      if (child.nodeChildProcess.exitCode === null) child.kill('SIGKILL');
    }
    expect(readRunState(e2e.runsDir, runId!).steps['copy-data']?.status).toBe('running');
    // hmsdr is gone; its job is not (it starts running, if it had not yet, and copies on).
    await expect.poll(() => readApp(applicationId!, root)?.state, { timeout: 60_000 }).toBe('RUNNING');

    const resumed = await runHmsdr(['resume', runId!, '--yes', '--config', e2e.configFile]);
    expect(resumed.exitCode, `${resumed.stdout}\n${resumed.stderr}`).toBe(0);
    expect(resumed.stderr).toContain(
      `ended YARN application ${applicationId} (distcp, dr site), left running by an earlier attempt of run ${runId}`,
    );
    expect(resumed.stderr).toMatch(new RegExp(`ended \\S*/hadoop \\(pid \\d+\\), left running by an earlier attempt of run ${runId}`));
    expect(readApp(applicationId, root)).toMatchObject({ state: 'KILLED', finalStatus: 'KILLED' });
    expect(runningApplications(root)).toEqual([]);
    const state = readRunState(e2e.runsDir, runId!);
    expect(state.steps['copy-data']).toMatchObject({ status: 'done', attempts: 2 });
    const summary = readSummary(e2e.runsDir, runId!);
    expect(summary.outcome).toBe('ok');
    expect(summary.ladder.filter((r) => r.status !== 'passed')).toEqual([]);
  });
});
