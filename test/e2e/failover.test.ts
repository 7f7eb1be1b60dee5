// Issue 16 acceptance, failover and failback: rehearsal → a second rehearsal whose DistCp dies
// half-way (DR data half-applied; production's snapshot of it never reaches DR) → a production write
// that never replicates → `hmsdr lab disaster` (source PostgreSQL stopped, source NameNode
// unreachable) → `failover --yes` refused while the DR metastore is NOT-SAFE (exit 5, nothing
// changed) → once repaired, `failover --yes` exits 0: the half-applied copy rewound to the consistent
// snapshot with -rdiff from DR's own snapshot, Hive started on DR, record and report written →
// writes on DR (partitions, new and changed files) → production back (`lab recover-source`, `lab
// reverse`) → `failback --yes` killed mid-restore (production's live metastore unchanged) → `resume`
// completes: production has DR's writes, its unreplicated write is kept and listed → the next normal
// rehearsal is incremental.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultsFile } from '../../src/lab/hadoop/faults.js';
import { authorityOf } from '../../src/lab/lab-hdfs.js';
import { portOpen } from '../../src/lab/lab-processes.js';
import { addPartitions, modifyFiles } from '../../src/lab/mutate.js';
import { runHmsdr } from '../harness/cli.js';
import {
  databaseComment,
  fingerprintDatabase,
  fingerprintServer,
  hiveState,
  newRunId,
  partitionCounts,
  readRunState,
  readSummary,
  rehearseWithTrigger,
  runIds,
  startE2eLab,
  treeFingerprint,
  withSuperuser,
  type E2eLab,
} from '../harness/e2e-lab.js';

let e2e: E2eLab;
let firstRun = '';
let halfRun = '';
let unswappedRun = '';

interface FailoverRecordJson {
  serving: { runId: string; t0: string; t1: string; database: string };
  verdict: string;
  acceptedNotSafe: boolean;
  acceptedReasons: string[];
  swapped: { staging: string; runId: string } | null;
  rewound: { target: string; snapshot: string; safetySnapshot: string }[];
  hive: { started: boolean };
  rpoMs: number;
  rtoMs: number;
}

const output = (r: { stdout: string; stderr: string }): string => `${r.stdout}\n${r.stderr}`;
const EXTERNAL = '/warehouse/tablespace/external/hive';
const NEVER_REPLICATED = `${EXTERNAL}/never-replicated.txt`;
const hdfsRoot = (): string => e2e.lab.state.hdfs.root;
/** The staging database the killed rehearsal left verified and un-swapped. */
const staging = (): string => `hive_hmsdr_${unswappedRun}`;
let changedRow: { id: string; name: string } = { id: '', name: '' };

/** The lab's `hdfs` (the stand-in), as hmsdr runs it. */
function hadoop(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const hdfsBin = /hdfsBin: (.+)/.exec(readFileSync(e2e.configFile, 'utf8'))![1]!.trim();
  const env = { ...process.env, HMSDR_HADOOP_STANDIN_ROOT: hdfsRoot() };
  return spawnSync(hdfsBin, args, { env, encoding: 'utf8' });
}

beforeAll(async () => {
  e2e = await startE2eLab({ name: 'failover', partitions: 12, databases: 1, tables: 4 });
  let before = runIds(e2e.runsDir);
  const first = await e2e.hmsdr(['rehearse', '--yes']);
  expect(first.exitCode, output(first)).toBe(0);
  firstRun = newRunId(e2e.runsDir, before);
  // Changes on the source, then a rehearsal killed (SIGKILL) once its staging database is verified, before the swap.
  await addPartitions(e2e.lab, { count: 2 });
  const stopped = await rehearseWithTrigger(e2e, 'stop-hive', ['running'], (_id, child) => void child.kill('SIGKILL'));
  expect(stopped.fired, output(stopped.result)).toBe(true);
  unswappedRun = stopped.runId;
  expect(readRunState(e2e.runsDir, unswappedRun).steps['verify-staging']?.status).toBe('done');
  // More changes, then a rehearsal whose DistCp fails after a file, and again in its own -rdiff recovery: DR data half-applied.
  await addPartitions(e2e.lab, { count: 4 });
  modifyFiles(e2e.lab, { count: 3 });
  writeFileSync(faultsFile(hdfsRoot()), JSON.stringify({ distcpFailAfterFiles: { after: 1, times: 20 } }));
  before = runIds(e2e.runsDir);
  const half = await e2e.hmsdr(['rehearse', '--yes']);
  rmSync(faultsFile(hdfsRoot()), { force: true });
  expect(half.exitCode, output(half)).toBe(1);
  halfRun = newRunId(e2e.runsDir, before);
  expect(readRunState(e2e.runsDir, halfRun).steps['copy-data']?.status).toBe('failed');
  // A production write after the last replication: it never reaches DR before the disaster.
  writeFileSync(join(e2e.dir, 'never-replicated.txt'), 'written on production, never replicated\n');
  const put = hadoop(['dfs', '-put', join(e2e.dir, 'never-replicated.txt'), `${e2e.lab.state.source.nameNode}${NEVER_REPLICATED}`]);
  expect(put.status, put.stderr).toBe(0);
}, 900_000);

afterAll(async () => {
  await e2e?.down();
});

describe('hmsdr failover (issue 16)', () => {
  it('the half-applied copy makes DR differ from the newest manifest while its snapshot T1 still matches', async () => {
    const result = await e2e.hmsdr(['verify', 'dr', '--manifest', join(e2e.runsDir, firstRun, 'manifest.json'), '--json']);
    expect(result.exitCode, output(result)).toBe(5);
    const verdict = JSON.parse(result.stdout) as { data: { live: { ok?: boolean }; snapshot: { matches: boolean } }[] };
    expect(verdict.data.some((p) => p.live.ok === false)).toBe(true);
    expect(verdict.data.every((p) => p.snapshot.matches)).toBe(true);
  });

  it('lab disaster: the source PostgreSQL server stops and the source NameNode refuses connections', async () => {
    const result = await runHmsdr(['lab', 'disaster', '--dir', e2e.dir]);
    expect(result.exitCode, output(result)).toBe(0);
    expect(await portOpen(e2e.lab.state.source.port)).toBe(false);
    expect(await portOpen(e2e.lab.state.prodAmbari!.port), 'production’s Ambari emulator stopped').toBe(false);
    const ls = hadoop(['dfs', '-ls', `${e2e.lab.state.source.nameNode}/`]);
    expect(ls.status).toBe(1);
    expect(ls.stderr).toContain(
      `to ${authorityOf(e2e.lab.state.source.nameNode)} failed on connection exception: java.net.ConnectException`,
    );
  });

  it('failover --plan prints the steps and commands, contacting nothing', async () => {
    const result = await e2e.hmsdr(['failover', '--plan']);
    expect(result.exitCode, output(result)).toBe(0);
    const ids = [...result.stdout.matchAll(/^\d+\. (\S+) — /gm)].map((m) => m[1]);
    expect(ids).toEqual(['failover-check', 'stop-hive', 'failover-swap', 'failover-data', 'start-hive', 'failover-record']);
    expect(result.stdout).toMatch(/-rdiff '?hmsdr-safety-/);
  });

  it('DR NOT-SAFE (a changed partition row in the staging database it would serve): refused with the reason, exit 5, nothing changed', async () => {
    changedRow = await withSuperuser(e2e.lab, 'dr', staging(), async (client) => {
      const { rows } = await client.query<{ id: string; name: string }>(
        `SELECT "PART_ID" AS id, "PART_NAME" AS name FROM "PARTITIONS" ORDER BY "PART_ID" LIMIT 1`,
      );
      await client.query(`UPDATE "PARTITIONS" SET "PART_NAME" = "PART_NAME" || '0' WHERE "PART_ID" = $1`, [rows[0]!.id]);
      return rows[0]!;
    });
    const databases = await fingerprintServer(e2e.lab, 'dr');
    const tree = treeFingerprint(hdfsRoot());
    const hive = await hiveState(e2e);
    const result = await e2e.hmsdr(['failover', '--yes']);
    expect(result.exitCode, output(result)).toBe(5);
    expect(result.stderr).toContain('NOT-SAFE');
    expect(result.stderr).toMatch(/metastore partitions differ: table \S+: same number of partitions, other partition names/);
    expect(result.stderr).toContain('--accept-not-safe');
    expect(await fingerprintServer(e2e.lab, 'dr')).toEqual(databases);
    expect(treeFingerprint(hdfsRoot())).toEqual(tree);
    expect(await hiveState(e2e)).toEqual(hive);
  });

  it('failover --yes --accept-not-safe, killed (SIGKILL) while starting Hive, then resumed: the un-swapped staging database swapped in, the half-applied copy rewound, the accepted differences recorded', async () => {
    const killed = await rehearseWithTrigger(e2e, 'start-hive', ['running'], (_id, child) => void child.kill('SIGKILL'), {
      args: ['failover', '--yes', '--accept-not-safe', '--config', e2e.configFile],
      runsDir: e2e.runsDir,
    });
    expect(killed.fired, output(killed.result)).toBe(true);
    const failoverRun = killed.runId;
    const resumed = await e2e.hmsdr(['resume', failoverRun, '--yes']);
    expect(resumed.exitCode, output(resumed)).toBe(0);
    const dir = join(e2e.runsDir, failoverRun);
    const record = JSON.parse(readFileSync(join(dir, 'failover.json'), 'utf8')) as FailoverRecordJson;
    expect(record.serving.runId).toBe(unswappedRun);
    expect(record.verdict).toBe('NOT-SAFE');
    expect(record.acceptedNotSafe).toBe(true);
    expect(record.acceptedReasons.join('\n')).toMatch(/metastore partitions differ/);
    expect(record.swapped).toMatchObject({ staging: staging(), runId: unswappedRun });
    expect(record.rewound.length).toBeGreaterThan(0);
    expect(record.hive.started).toBe(true);
    expect(record.rpoMs).toBeGreaterThan(0);
    expect(record.rtoMs).toBeGreaterThan(0);
    expect(record.rpoMs).toBeGreaterThanOrEqual(record.rtoMs);
    for (const file of ['failover.md', 'failover.html', 'report.md', 'report.html']) expect(existsSync(join(dir, file)), file).toBe(true);
    const md = readFileSync(join(dir, 'failover.md'), 'utf8');
    expect(md).toContain(`run ${unswappedRun}'s metastore`);
    expect(md).toContain('RPO at failover');
    expect(md).toContain('Accepted differences (NOT-SAFE, --accept-not-safe)');
    expect(await databaseComment(e2e.lab, 'dr')).toContain(`run=${unswappedRun}`);
    expect((await hiveState(e2e)).service).toBe('STARTED');
    // What the half-applied copy had written is kept in the safety snapshot; the data is at the serving run's T1.
    const w = record.rewound[0]!;
    expect(w.snapshot).toBe(JSON.parse(readFileSync(join(e2e.runsDir, unswappedRun, 'manifest.json'), 'utf8')).t1);
    const snapshots = hadoop(['dfs', '-ls', `${e2e.lab.state.dr.nameNode}${w.target}/.snapshot`]);
    expect(snapshots.status, snapshots.stderr).toBe(0);
    expect(snapshots.stdout).toContain(`${w.target}/.snapshot/${w.safetySnapshot}`);
    // Never the source: no event of the run names the source's NameNode or metastore port.
    const events = readFileSync(join(dir, 'events.ndjson'), 'utf8');
    expect(events).not.toContain(e2e.lab.state.source.nameNode);
    expect(events).not.toContain(`"port":${e2e.lab.state.source.port}`);
  });

  it('once the row is repaired, failover --yes again: SAFE-TO-START, nothing left to change, verify dr passes', async () => {
    await withSuperuser(e2e.lab, 'dr', 'hive', (client) =>
      client.query(`UPDATE "PARTITIONS" SET "PART_NAME" = $2 WHERE "PART_ID" = $1`, [changedRow.id, changedRow.name]),
    );
    const before = runIds(e2e.runsDir);
    const result = await e2e.hmsdr(['failover', '--yes']);
    expect(result.exitCode, output(result)).toBe(0);
    const dir = join(e2e.runsDir, newRunId(e2e.runsDir, before));
    const record = JSON.parse(readFileSync(join(dir, 'failover.json'), 'utf8')) as FailoverRecordJson;
    expect(record).toMatchObject({ verdict: 'SAFE-TO-START', acceptedNotSafe: false, swapped: null, rewound: [] });
    expect(record.serving.runId).toBe(unswappedRun);
    const verify = await e2e.hmsdr(['verify', 'dr', '--manifest', join(e2e.runsDir, unswappedRun, 'manifest.json')]);
    expect(verify.exitCode, output(verify)).toBe(0);
    const status = await e2e.hmsdr(['status']);
    expect(status.exitCode, output(status)).toBe(0);
  });
});

interface FailbackRecordJson {
  metastore: { database: string; previous: string | null };
  paths: {
    target: string;
    common: string;
    kept: string | null;
    renamed: { from: string; to: string }[];
    unreplicated: { label: string; path: string }[];
    rewound: boolean;
    copyMode: string;
    nextIncremental: boolean;
  }[];
}

describe('hmsdr failback (issue 16)', () => {
  const failbackConfig = (): string => join(e2e.dir, 'hmsdr-failback.yaml');
  const failbackRuns = (): string => join(e2e.dir, 'runs-failback');
  const failback = (args: string[]) => runHmsdr([...args, '--config', failbackConfig()]);
  const prodAmbari = () => JSON.parse(readFileSync(join(e2e.dir, 'lab.json'), 'utf8')).prodAmbari;
  let drPartitions: Record<string, number> = {};
  let failbackRun = '';
  let changedOnDr = '';

  it('Hive writes on DR after the failover: new partitions in the DR metastore, new and changed files in DR HDFS', async () => {
    const dr = e2e.lab.state.dr.nameNode;
    await addPartitions(e2e.lab, { count: 3, side: 'dr' });
    drPartitions = await partitionCounts(e2e.lab, 'dr');
    writeFileSync(join(e2e.dir, 'dr-new.txt'), 'written on DR after the failover\n');
    const put = hadoop(['dfs', '-put', join(e2e.dir, 'dr-new.txt'), `${dr}${EXTERNAL}/written-on-dr.txt`]);
    expect(put.status, put.stderr).toBe(0);
    const listing = hadoop(['dfs', '-ls', '-R', `${dr}${EXTERNAL}`]);
    changedOnDr = /^-\S+(?:\s+\S+){6}\s+hdfs:\/\/drns(\S+)$/m.exec(listing.stdout)![1]!;
    const appended = hadoop(['dfs', '-appendToFile', join(e2e.dir, 'dr-new.txt'), `${dr}${changedOnDr}`]);
    expect(appended.status, appended.stderr).toBe(0);
  });

  it('lab recover-source and lab reverse: production back, the failback configuration written and accepted', async () => {
    for (const action of ['recover-source', 'reverse']) {
      const result = await runHmsdr(['lab', action, '--dir', e2e.dir]);
      expect(result.exitCode, output(result)).toBe(0);
    }
    expect(await portOpen(e2e.lab.state.source.port)).toBe(true);
    expect(existsSync(failbackConfig())).toBe(true);
    const config = readFileSync(failbackConfig(), 'utf8');
    expect(config).toMatch(/source:\n {2}name: dr\n {2}nameNode: hdfs:\/\/drns/);
    expect(config).toContain(`cluster: ${prodAmbari().cluster}`);
    expect((await hiveState(e2e, prodAmbari())).service).toBe('STARTED');
    // The restarted emulator is the one lab.json names (so `lab down` stops it).
    expect(JSON.parse(readFileSync(join(e2e.dir, 'ambari-prod', 'ready.json'), 'utf8')).pid).toBe(prodAmbari().pid);
    expect(prodAmbari().pid).not.toBe(e2e.lab.state.prodAmbari!.pid);
    const plan = await failback(['failback', '--plan']);
    expect(plan.exitCode, output(plan)).toBe(0);
    const ids = [...plan.stdout.matchAll(/^\d+\. (\S+) — /gm)].map((m) => m[1]);
    expect(ids.slice(0, 3)).toEqual(['preflight', 'failback-rewind', 'dump-metastore']);
    expect(ids.slice(-2)).toEqual(['failback-record', 'report']);
    expect(plan.stdout).toMatch(/-rdiff '?hmsdr-kept-/);
  });

  it('failback killed (SIGKILL) mid-restore: production’s live metastore unchanged; resume completes', async () => {
    const prodLive = await fingerprintDatabase(e2e.lab, 'source');
    const run = await rehearseWithTrigger(e2e, 'restore-staging', ['running'], (_id, child) => void child.kill('SIGKILL'), {
      args: ['failback', '--yes', '--config', failbackConfig()],
      runsDir: failbackRuns(),
    });
    expect(run.fired, output(run.result)).toBe(true);
    failbackRun = run.runId;
    expect(readRunState(failbackRuns(), failbackRun).steps['restore-staging']?.status).toBe('running');
    expect(await fingerprintDatabase(e2e.lab, 'source')).toEqual(prodLive);
    const resumed = await failback(['resume', failbackRun, '--yes']);
    expect(resumed.exitCode, output(resumed)).toBe(0);
  });

  it('production has DR’s writes; its unreplicated write is kept in a snapshot and listed; the next normal rehearsal is incremental', async () => {
    const dir = join(failbackRuns(), failbackRun);
    const summary = readSummary(failbackRuns(), failbackRun);
    for (const rung of ['L3', 'L4', 'L5']) expect(summary.ladder.find((r) => r.rung === rung)?.status, rung).toBe('passed');
    // The metastore: production serves DR's, with the partitions Hive wrote on DR.
    expect(await partitionCounts(e2e.lab, 'source')).toEqual(drPartitions);
    expect(await databaseComment(e2e.lab, 'source')).toContain(`run=${failbackRun}`);
    // The data: DR's new files on production, the never-replicated one only in the kept snapshot.
    const prod = e2e.lab.state.source.nameNode;
    const ls = hadoop(['dfs', '-ls', `${prod}${EXTERNAL}`]);
    expect(ls.stdout).toContain(`${EXTERNAL}/written-on-dr.txt`);
    expect(ls.stdout).not.toContain('never-replicated.txt');
    const changed = [prod, e2e.lab.state.dr.nameNode].map((nn) => hadoop(['dfs', '-cat', `${nn}${changedOnDr}`]).stdout);
    expect(changed[0]).toContain('written on DR after the failover');
    expect(changed[0]).toBe(changed[1]);
    const record = JSON.parse(readFileSync(join(dir, 'failback.json'), 'utf8')) as FailbackRecordJson;
    const external = record.paths.find((p) => p.target === EXTERNAL)!;
    expect(external.common).toBe(`hmsdr-${unswappedRun}`);
    expect(external.rewound).toBe(true);
    expect(external.unreplicated.map((e) => `${e.label} ${e.path}`)).toContain('+ never-replicated.txt');
    const kept = hadoop(['dfs', '-cat', `${prod}${EXTERNAL}/.snapshot/${external.kept}/never-replicated.txt`]);
    expect(kept.stdout).toBe('written on production, never replicated\n');
    // Production's snapshot of the half-applied run never reached DR: kept under a new name.
    expect(record.paths.flatMap((p) => p.renamed.map((r) => r.from))).toContain(`hmsdr-${halfRun}`);
    expect(record.paths.every((p) => p.nextIncremental)).toBe(true);
    expect(record.metastore.previous).toBe(`hive_hmsdr_prev_${failbackRun}`);
    expect(readFileSync(join(dir, 'failback.md'), 'utf8')).toContain('+ never-replicated.txt');
    expect((await hiveState(e2e, prodAmbari())).service).toBe('STARTED');
    // The normal direction again: incremental from the failback's snapshot, no bootstrap.
    const before = runIds(e2e.runsDir);
    const normal = await e2e.hmsdr(['rehearse', '--yes']);
    expect(normal.exitCode, output(normal)).toBe(0);
    const copied = readRunState(e2e.runsDir, newRunId(e2e.runsDir, before)).steps['copy-data']?.output as {
      paths: { mode: string; previous: string | null }[];
    };
    for (const p of copied.paths) expect(p).toMatchObject({ mode: 'incremental', previous: `hmsdr-${failbackRun}` });
  });
});
