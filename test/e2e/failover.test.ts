// Issue 16 acceptance, failover: rehearsal → a second rehearsal whose DistCp dies half-way (DR data
// half-applied) → `hmsdr lab disaster` (source PostgreSQL stopped, source NameNode unreachable) →
// `failover --yes` refused while the DR metastore is NOT-SAFE (exit 5, nothing changed) → once repaired,
// `failover --yes` exits 0: the half-applied copy rewound to the consistent snapshot with -rdiff from
// DR's own snapshot (what was there kept in a safety snapshot), Hive started on DR, failover record
// and report written.
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
  fingerprintServer,
  hiveState,
  newRunId,
  readRunState,
  runIds,
  startE2eLab,
  treeFingerprint,
  withSuperuser,
  type E2eLab,
} from '../harness/e2e-lab.js';

let e2e: E2eLab;
let firstRun = '';
let halfRun = '';

interface FailoverRecordJson {
  serving: { runId: string; t0: string; t1: string; database: string };
  verdict: string;
  acceptedNotSafe: boolean;
  swapped: { staging: string; runId: string } | null;
  rewound: { target: string; snapshot: string; safetySnapshot: string }[];
  hive: { started: boolean };
  rpoMs: number;
  rtoMs: number;
}

const output = (r: { stdout: string; stderr: string }): string => `${r.stdout}\n${r.stderr}`;
const hdfsRoot = (): string => e2e.lab.state.hdfs.root;

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
  // Changes on the source, then a rehearsal whose DistCp fails after a file, and again in its own -rdiff recovery: DR data half-applied.
  await addPartitions(e2e.lab, { count: 4 });
  modifyFiles(e2e.lab, { count: 3 });
  writeFileSync(faultsFile(hdfsRoot()), JSON.stringify({ distcpFailAfterFiles: { after: 1, times: 20 } }));
  before = runIds(e2e.runsDir);
  const half = await e2e.hmsdr(['rehearse', '--yes']);
  rmSync(faultsFile(hdfsRoot()), { force: true });
  expect(half.exitCode, output(half)).toBe(1);
  halfRun = newRunId(e2e.runsDir, before);
  expect(readRunState(e2e.runsDir, halfRun).steps['copy-data']?.status).toBe('failed');
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

  it('DR NOT-SAFE (a changed partition row): refused with the reason, exit 5, nothing changed', async () => {
    const database = e2e.lab.state.dr.database;
    const row = await withSuperuser(e2e.lab, 'dr', database, async (client) => {
      const { rows } = await client.query<{ id: string; name: string }>(
        `SELECT "PART_ID" AS id, "PART_NAME" AS name FROM "PARTITIONS" ORDER BY "PART_ID" LIMIT 1`,
      );
      await client.query(`UPDATE "PARTITIONS" SET "PART_NAME" = "PART_NAME" || '0' WHERE "PART_ID" = $1`, [rows[0]!.id]);
      return rows[0]!;
    });
    try {
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
    } finally {
      await withSuperuser(e2e.lab, 'dr', database, (client) =>
        client.query(`UPDATE "PARTITIONS" SET "PART_NAME" = $2 WHERE "PART_ID" = $1`, [row.id, row.name]),
      );
    }
  });

  it('failover --yes with the source gone: exit 0, half-applied copy rewound, Hive started, record and report written', async () => {
    const before = runIds(e2e.runsDir);
    const result = await e2e.hmsdr(['failover', '--yes']);
    expect(result.exitCode, output(result)).toBe(0);
    const failoverRun = newRunId(e2e.runsDir, before);
    const dir = join(e2e.runsDir, failoverRun);
    const record = JSON.parse(readFileSync(join(dir, 'failover.json'), 'utf8')) as FailoverRecordJson;
    expect(record.serving.runId).toBe(firstRun);
    expect(record.verdict).toBe('SAFE-TO-START');
    expect(record.acceptedNotSafe).toBe(false);
    expect(record.swapped).toBeNull();
    expect(record.rewound.length).toBeGreaterThan(0);
    expect(record.hive.started).toBe(true);
    expect(record.rpoMs).toBeGreaterThan(0);
    expect(record.rtoMs).toBeGreaterThan(0);
    expect(record.rpoMs).toBeGreaterThanOrEqual(record.rtoMs);
    for (const file of ['failover.md', 'failover.html', 'report.md', 'report.html']) expect(existsSync(join(dir, file)), file).toBe(true);
    const md = readFileSync(join(dir, 'failover.md'), 'utf8');
    expect(md).toContain(`run ${firstRun}'s metastore`);
    expect(md).toContain('RPO at failover');
    // Hive runs on DR; the DR side is what the first run's manifest says.
    expect((await hiveState(e2e)).service).toBe('STARTED');
    const verify = await e2e.hmsdr(['verify', 'dr', '--manifest', join(e2e.runsDir, firstRun, 'manifest.json')]);
    expect(verify.exitCode, output(verify)).toBe(0);
    // What the half-applied copy had written is kept in the safety snapshot.
    const w = record.rewound[0]!;
    expect(w.snapshot).toBe(JSON.parse(readFileSync(join(e2e.runsDir, firstRun, 'manifest.json'), 'utf8')).t1);
    const snapshots = hadoop(['dfs', '-ls', `${e2e.lab.state.dr.nameNode}${w.target}/.snapshot`]);
    expect(snapshots.status, snapshots.stderr).toBe(0);
    expect(snapshots.stdout).toContain(`${w.target}/.snapshot/${w.safetySnapshot}`);
    const status = await e2e.hmsdr(['status', failoverRun]);
    expect(status.exitCode, output(status)).toBe(0);
    // Never the source: no event of the run names the source's NameNode or metastore port.
    const events = readFileSync(join(dir, 'events.ndjson'), 'utf8');
    expect(events).not.toContain(e2e.lab.state.source.nameNode);
    expect(events).not.toContain(`"port":${e2e.lab.state.source.port}`);
  });
});
