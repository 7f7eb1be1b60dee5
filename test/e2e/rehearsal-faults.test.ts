// Issue 8 acceptance, before the swap: a failure injected at each step from preflight to stop-hive
// (one test per step) leaves the DR metastore working and unchanged, and `hmsdr resume` completes
// the run. One lab for the whole file; every fault is a real one, injected from outside the
// product: a wrong password in the secret file, row-level security on the source, the Hadoop
// stand-in's fault file, a role that loses CREATEDB, the DR NameNode unavailable, an Ambari task
// that fails (the emulator's file control). Faults that must fire after preflight (which would
// catch them) are injected while the rehearsal runs, when state.json shows an earlier step running
// or done. The steps from the swap on are in rehearsal-faults-after-swap.test.ts (its own lab, so
// the two halves can run side by side).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultsFile } from '../../src/lab/hadoop/faults.js';
import { addPartitions, modifyFiles } from '../../src/lab/mutate.js';
import { readRunState, setAmbariFaults, startE2eLab, withSuperuser, type E2eLab } from '../harness/e2e-lab.js';
import { breakDrNameNode, faultAt, repairDrNameNode } from '../harness/rehearsal-faults.js';

let e2e: E2eLab;

beforeAll(async () => {
  e2e = await startE2eLab({ name: 'faults', partitions: 60, databases: 1, tables: 10 });
});

afterAll(async () => {
  await e2e?.down();
});

describe('a failure injected at each step before the swap leaves the DR metastore working and unchanged, and resume completes the run', () => {
  it('preflight: a wrong DR password in the secret file', async () => {
    const file = join(e2e.dir, 'secrets', 'dr-metastore.password');
    const password = readFileSync(file, 'utf8');
    await faultAt(e2e, 'preflight', {
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
    await faultAt(e2e, 'dump-metastore', {
      inject: () => rls(true),
      exitCodes: [1],
      repair: () => rls(false),
      check: (_runId, output) => expect(output).toMatch(/row-level security/i),
    });
  });

  it('snapshot-source: permission denied creating the source snapshot', async () => {
    await faultAt(e2e, 'snapshot-source', {
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
    await faultAt(e2e, 'copy-data', {
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
    await faultAt(e2e, 'restore-staging', {
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
    await faultAt(e2e, 'verify-staging', {
      during: { step: 'restore-staging', statuses: ['running', 'done'], action: () => breakDrNameNode(e2e) },
      // 5 today: `hdfs dfs -count` exits 1 whether paths are missing or the NameNode is unreachable, so
      // every location reads as missing (L4); 1 would be right for an unreachable NameNode.
      exitCodes: [1, 5],
      repair: () => repairDrNameNode(e2e),
    });
  });

  it('stop-hive: a Hive component refuses to stop in Ambari', async () => {
    await faultAt(e2e, 'stop-hive', {
      inject: () => setAmbariFaults(e2e, { failTasks: [{ component: 'HIVE_SERVER', host: 'm1.example', command: 'STOP' }] }),
      exitCodes: [1],
      repair: () => setAmbariFaults(e2e, { failTasks: [] }),
      check: (_runId, output) => expect(output).toMatch(/HIVE_SERVER/),
    });
  });
});
