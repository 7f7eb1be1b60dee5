// The swap and the rollback rename atomically: hmsdr killed (SIGKILL) inside the rename transaction
// leaves the old database under the live name, at every instant, and resume completes the work.
// The kill lands at a real point: a DR session holds a lock on the database the second rename needs
// (COMMENT ON DATABASE in an open transaction), so hmsdr's transaction waits there, its first rename
// done but uncommitted. Then an unfinished swap of an older hmsdr (two separate renames, simulated
// by hand) makes `rollback` of another run refuse instead of putting the wrong metastore live.
// Last, a pg_dump that a killed hmsdr left waiting on a lock is ended by the resume.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTicks } from '../../src/adapters/process/children.js';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHmsdr } from '../harness/cli.js';
import { databaseComment, newRunId, readRunState, runIds, startE2eLab, superuser, withSuperuser, type E2eLab } from '../harness/e2e-lab.js';

let e2e: E2eLab;
let goodRun = '';
let goodComment = '';

beforeAll(async () => {
  e2e = await startE2eLab({ name: 'swap-atomic', partitions: 12, databases: 1, tables: 4 });
  const first = await e2e.hmsdr(['rehearse', '--yes']);
  expect(first.exitCode, first.stdout + first.stderr).toBe(0);
  goodRun = runIds(e2e.runsDir).at(-1)!;
  goodComment = (await databaseComment(e2e.lab, 'dr'))!;
  expect(goodComment).toMatch(new RegExp(`^hmsdr run=${goodRun} `));
});

afterAll(async () => {
  await e2e?.down();
});

/** Samples the comment of the live database `hive` every few ms until stopped; null = no such database. */
function watchLiveName(): { stop(): Promise<(string | null)[]> } {
  let running = true;
  const samples: (string | null)[] = [];
  const loop = (async () => {
    const client = await superuser(e2e.lab, 'dr', 'postgres');
    try {
      while (running) {
        const { rows } = await client.query<{ c: string | null }>(
          `SELECT coalesce(shobj_description(oid, 'pg_database'), '') AS c FROM pg_database WHERE datname = 'hive'`,
        );
        samples.push(rows[0] ? rows[0].c : null);
        await sleep(3);
      }
    } finally {
      await client.end();
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}

/** An hmsdr backend of the DR server waiting for a lock (its rename transaction blocked), if any. */
async function hmsdrWaiting(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.application_name = 'hmsdr'`,
  );
  return rows.length > 0;
}

/** The step before the renames of both the swap and the rollback. */
const BEFORE_RENAMES = 'stop-hive';

/**
 * Starts `args` and, once the new run's stop-hive step runs, has a DR session lock `blocked` (the
 * database the second rename needs); SIGKILLs hmsdr while its rename transaction waits on that lock,
 * then releases the lock and waits until hmsdr's orphaned backend is gone. Returns the run id and the
 * live name's samples taken from before the kill until after the backend ended. stop-hive is the step
 * before the renames (seconds of Ambari polling; nothing from there to the renames locks `blocked`):
 * taking the lock once the renaming step itself ran raced with that step's ~50 ms to its renames,
 * and lost once under CI load (hmsdr never waited).
 */
async function killInsideRenames(
  args: string[],
  blocked: (runId: string) => string,
): Promise<{ runId: string; samples: (string | null)[] }> {
  const before = runIds(e2e.runsDir);
  const child = startHmsdr([...args, '--yes', '--config', e2e.configFile]);
  const blocker = await superuser(e2e.lab, 'dr', 'postgres');
  const observer = await superuser(e2e.lab, 'dr', 'postgres');
  let watcher: ReturnType<typeof watchLiveName> | undefined;
  try {
    let runId: string | undefined;
    for (let i = 0; ; i++) {
      if (i > 6000) throw new Error(`${BEFORE_RENAMES} never ran`);
      runId ??= runIds(e2e.runsDir).find((id) => !before.includes(id));
      if (runId && readRunState(e2e.runsDir, runId).steps[BEFORE_RENAMES]?.status === 'running') break;
      if (child.nodeChildProcess.exitCode !== null)
        throw new Error(`hmsdr ended before ${BEFORE_RENAMES}: ${String((await child).stdout)}`);
      await sleep(20);
    }
    const target = blocked(runId!);
    const { rows } = await blocker.query<{ c: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1`,
      [target],
    );
    await blocker.query('BEGIN');
    await blocker.query(`COMMENT ON DATABASE "${target}" IS '${(rows[0]?.c ?? '').replaceAll("'", "''")}'`);
    watcher = watchLiveName();
    for (let i = 0; !(await hmsdrWaiting(observer)); i++) {
      if (i > 3000) throw new Error('hmsdr never waited inside its rename transaction');
      if (child.nodeChildProcess.exitCode !== null) throw new Error(`hmsdr ended without waiting: ${String((await child).stdout)}`);
      await sleep(10);
    }
    child.kill('SIGKILL');
    await child;
    await sleep(200);
    await blocker.query('ROLLBACK');
    // The orphaned backend gets the lock, then finds its client gone and rolls back.
    for (let i = 0; ; i++) {
      const { rows: left } = await observer.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'hmsdr'`);
      if (left.length === 0) break;
      if (i > 500) throw new Error("hmsdr's backend did not end");
      await sleep(20);
    }
    await sleep(100);
    return { runId: runId!, samples: await watcher.stop() };
  } finally {
    await watcher?.stop();
    if (child.nodeChildProcess.exitCode === null) child.kill('SIGKILL');
    await blocker.end();
    await observer.end();
  }
}

describe('the swap and the rollback are one transaction each', () => {
  let killedRun = '';

  it("hmsdr killed between the swap's renames: the old metastore stays live at every instant, resume completes the swap", async () => {
    const { runId, samples } = await killInsideRenames(['rehearse'], (id) => `hive_hmsdr_${id}`);
    killedRun = runId;
    expect(samples.length).toBeGreaterThan(20);
    expect(samples.filter((c) => c !== goodComment)).toEqual([]);
    expect(await databaseComment(e2e.lab, 'dr')).toBe(goodComment);
    expect(readRunState(e2e.runsDir, runId).steps['swap-metastore']?.status).toBe('running');

    const resumed = await e2e.hmsdr(['resume', runId, '--yes']);
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    expect(await databaseComment(e2e.lab, 'dr')).toMatch(new RegExp(`^hmsdr run=${runId} `));
    expect(await databaseComment(e2e.lab, 'dr', `hive_hmsdr_prev_${runId}`)).toBe(goodComment);
  });

  it("hmsdr killed between the rollback's renames: the restored metastore stays live, resume completes the rollback", async () => {
    const restored = (await databaseComment(e2e.lab, 'dr'))!;
    const { runId, samples } = await killInsideRenames(['rollback', killedRun], () => `hive_hmsdr_prev_${killedRun}`);
    expect(samples.length).toBeGreaterThan(20);
    expect(samples.filter((c) => c !== restored)).toEqual([]);
    expect(await databaseComment(e2e.lab, 'dr')).toBe(restored);

    const resumed = await e2e.hmsdr(['resume', runId, '--yes']);
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    expect(await databaseComment(e2e.lab, 'dr')).toBe(goodComment);
  });

  it('an unfinished two-step swap of an older hmsdr: rollback of another run refuses, resume of that run completes it', async () => {
    // A run killed before its renames, then the older version's first rename done by hand.
    const { runId: halfRun } = await killInsideRenames(['rehearse'], (id) => `hive_hmsdr_${id}`);
    await withSuperuser(e2e.lab, 'dr', 'postgres', (c) => c.query(`ALTER DATABASE hive RENAME TO "hive_hmsdr_prev_${halfRun}"`));

    const refused = await e2e.hmsdr(['rollback', goodRun, '--yes']);
    expect(refused.exitCode, refused.stdout + refused.stderr).toBe(4);
    expect(refused.stdout + refused.stderr).toContain(halfRun);
    expect(await databaseComment(e2e.lab, 'dr', `hive_hmsdr_prev_${halfRun}`)).toBe(goodComment); // nothing renamed

    const resumed = await e2e.hmsdr(['resume', halfRun, '--yes']);
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    expect(await databaseComment(e2e.lab, 'dr')).toMatch(new RegExp(`^hmsdr run=${halfRun} `));

    const rolledBack = await e2e.hmsdr(['rollback', halfRun, '--yes']);
    expect(rolledBack.exitCode, rolledBack.stdout + rolledBack.stderr).toBe(0);
    expect(await databaseComment(e2e.lab, 'dr')).toBe(goodComment);
  });

  it('a rollback of a run already rolled back, after a newer swap, is refused with the true reason and changes nothing', async () => {
    const before = runIds(e2e.runsDir);
    const newer = await e2e.hmsdr(['rehearse', '--yes']);
    expect(newer.exitCode, newer.stdout + newer.stderr).toBe(0);
    const newerRun = newRunId(e2e.runsDir, before);
    const live = await databaseComment(e2e.lab, 'dr');
    expect(live).toMatch(new RegExp(`^hmsdr run=${newerRun} `));

    const again = await e2e.hmsdr(['rollback', killedRun, '--yes']);
    const text = again.stdout + again.stderr;
    expect(again.exitCode, text).toBe(4);
    expect(text).toContain(`run ${killedRun} was already rolled back`);
    expect(text).toContain(`since then run ${newerRun} swapped`);
    expect(text).toContain(`hmsdr rollback ${newerRun}`);
    expect(text).not.toContain('is the previous metastore again');
    expect(await databaseComment(e2e.lab, 'dr')).toBe(live);
  });
});

describe('what a killed hmsdr left running', () => {
  it('hmsdr killed (SIGKILL) while its pg_dump waits on a lock: pg_dump outlives it, the resume ends that pg_dump first and completes', async () => {
    // A source session holds a table lock: pg_dump (ACCESS SHARE on every table) waits for it.
    const holder = await superuser(e2e.lab, 'source', 'hive');
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE "TBLS" IN ACCESS EXCLUSIVE MODE');
    let leftover: { pid: number; program: string } | undefined;
    try {
      const before = runIds(e2e.runsDir);
      const child = startHmsdr(['rehearse', '--yes', '--config', e2e.configFile]);
      const watcher = await superuser(e2e.lab, 'source', 'postgres');
      try {
        for (let i = 0; i < 2000 && !leftover; i++) {
          // pg_dump of dump-metastore (not preflight's pg_dump --version) connected and waiting on the lock.
          const { rows } = await watcher.query(
            `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE %'`,
          );
          const runId = runIds(e2e.runsDir).find((id) => !before.includes(id));
          const file = runId ? join(e2e.runsDir, runId, 'children.json') : '';
          const recorded =
            rows.length > 0 && file && existsSync(file)
              ? (JSON.parse(readFileSync(file, 'utf8')) as { pid: number; program: string }[])
              : [];
          leftover = recorded.find((c) => c.program.endsWith('pg_dump'));
          if (!leftover) await sleep(25);
        }
      } finally {
        await watcher.end();
      }
      expect(leftover, 'pg_dump waiting on the lock, recorded in children.json').toBeDefined();
      child.kill('SIGKILL');
      await child;
      const runId = newRunId(e2e.runsDir, before);
      expect(startTicks(leftover!.pid), 'pg_dump outlived the killed hmsdr').not.toBeNull();

      const resume = startHmsdr(['resume', runId, '--yes', '--config', e2e.configFile]);
      // Once the resume has ended the leftover, let its own pg_dump through.
      for (let i = 0; i < 2000 && startTicks(leftover!.pid) !== null; i++) await sleep(25);
      expect(startTicks(leftover!.pid), 'the resume ended the leftover pg_dump').toBeNull();
      await holder.query('COMMIT');
      const resumed = await resume;
      expect(resumed.exitCode, `${resumed.stdout}\n${resumed.stderr}`).toBe(0);
      expect(resumed.stderr).toContain(
        `ended ${leftover!.program} (pid ${leftover!.pid}), left running by an earlier attempt of run ${runId}`,
      );
      expect(readRunState(e2e.runsDir, runId).steps['verify-live']?.status).toBe('done');
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
      if (leftover && startTicks(leftover.pid) !== null) process.kill(leftover.pid, 'SIGKILL');
    }
  });
});
