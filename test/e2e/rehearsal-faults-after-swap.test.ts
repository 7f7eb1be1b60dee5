// Issue 8 acceptance, from the swap on: a failure injected at swap-metastore, start-hive,
// verify-live and report leaves the DR metastore working (after the swap: the new one of the run,
// intact), and `hmsdr resume` completes the run. Real faults from outside the product: a role
// membership revoked while stop-hive runs, an Ambari task that fails, pg_hba rejecting the smoke
// test's login, an old staged dump that cannot be removed. The steps before the swap are in
// rehearsal-faults.test.ts.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../harness/deadline.js';
import { readSummary, setAmbariFaults, startE2eLab, withSuperuser, type E2eLab } from '../harness/e2e-lab.js';
import { faultAt } from '../harness/rehearsal-faults.js';

let e2e: E2eLab;

beforeAll(async () => {
  e2e = await startE2eLab({ name: 'faults-late', partitions: 60, databases: 1, tables: 10 });
});

afterAll(async () => {
  await e2e?.down();
});

describe('a failure injected at each step from the swap on leaves the DR metastore working (the new one of the run, intact), and resume completes the run', () => {
  it('swap-metastore: the DR admin role is no longer a member of the owner role when the swap renames', async () => {
    const member = async (on: boolean): Promise<void> => {
      await withSuperuser(e2e.lab, 'dr', 'postgres', (c) => c.query(on ? 'GRANT hive TO hmsdr_admin' : 'REVOKE hive FROM hmsdr_admin'));
    };
    await faultAt(e2e, 'swap-metastore', {
      during: { step: 'stop-hive', statuses: ['running'], action: () => member(false) },
      exitCodes: [1],
      repair: () => member(true),
    });
  });

  it('start-hive: a Hive component fails to start in Ambari', async () => {
    await faultAt(e2e, 'start-hive', {
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
    await faultAt(e2e, 'verify-live', {
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
    await faultAt(e2e, 'report', {
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
