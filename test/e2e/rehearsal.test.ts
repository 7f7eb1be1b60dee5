// Issue 8 acceptance, end to end on a lab built by `hmsdr lab up`, with the built CLI as a real
// process: `plan` changes nothing and predicts what the run then does; a first rehearsal passes
// L0–L6; a second one after changes on the source (new partitions, a dropped table, a renamed
// directory, modified files) is incremental, copies only the changes and passes; `rollback` puts the
// first run's metastore back and Hive is started again; `history` lists the runs. Then one
// rehearsal each with the streamed and the parallel transfer.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPathOf } from '../../src/lab/lab-hdfs.js';
import { addPartitions, dropTable, modifyFiles, renameDirectory, sourceDataFiles } from '../../src/lab/mutate.js';
import {
  databaseComment,
  fingerprintDatabase,
  fingerprintServer,
  hiveState,
  newRunId,
  partitionCounts,
  readRunState,
  readSummary,
  runIds,
  startE2eLab,
  STEP_ORDER,
  treeFingerprint,
  withSuperuser,
  type DatabaseFingerprint,
  type E2eLab,
  type Summary,
} from '../harness/e2e-lab.js';
import { runHmsdr } from '../harness/cli.js';
import { parsePrometheusText } from '../harness/prom-text.js';

interface PlanJson {
  preflight: { id: string; status: string }[];
  rewrite: { rewritesPerColumn: Record<string, number> };
  data: { source: string; target: string; mode: string; files: number; bytes: number; changes: Record<string, number> }[];
  services: { wouldStop: string[] };
  databases: { create: string; renameLiveTo: string; renameStagingTo: string };
}

const MANAGED = '/warehouse/tablespace/managed/hive';
const EXTERNAL = '/warehouse/tablespace/external/hive';
const SOURCE_NN = 'hdfs://nn1.prod:8020';

let e2e: E2eLab;
let firstRun = '';
let secondRun = '';
let liveAfterFirst: DatabaseFingerprint;
let plan1: PlanJson;
let plan2: PlanJson;

beforeAll(async () => {
  e2e = await startE2eLab({ name: 'rehearsal', partitions: 300, databases: 2, tables: 20 });
});

afterAll(async () => {
  await e2e?.down();
});

/** Everything `plan` must not change: every database of both servers, both HDFS trees with the stand-in's metadata, the DR staging directory, the run directories. */
async function everything(): Promise<unknown> {
  return {
    source: await fingerprintServer(e2e.lab, 'source'),
    dr: await fingerprintServer(e2e.lab, 'dr'),
    hdfs: treeFingerprint(e2e.lab.state.hdfs.root),
    staging: treeFingerprint(join(e2e.dir, 'dr-staging')),
    runs: runIds(e2e.runsDir),
  };
}

async function planJson(): Promise<PlanJson> {
  const before = await everything();
  const result = await e2e.hmsdr(['plan', '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  const plan = JSON.parse(result.stdout) as PlanJson;
  expect(await everything()).toEqual(before);
  return plan;
}

const rewritesOf = (summary: Summary): Record<string, number> =>
  Object.fromEntries(summary.metastore.rewrites.map((r) => [`${r.table}.${r.column}`, r.count]));
const filesOf = (summary: Summary): Record<string, number> => Object.fromEntries(summary.data.paths.map((p) => [p.source, p.filesCopied]));
const bytesOf = (summary: Summary): Record<string, number> => Object.fromEntries(summary.data.paths.map((p) => [p.source, p.bytesCopied]));
const predictedFiles = (plan: PlanJson): Record<string, number> => Object.fromEntries(plan.data.map((p) => [p.source, p.files]));
const predictedBytes = (plan: PlanJson): Record<string, number> => Object.fromEntries(plan.data.map((p) => [p.source, p.bytes]));

function expectAllRungsPassed(summary: Summary): void {
  expect(summary.ladder.map((r) => r.rung)).toEqual(['L0', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6']);
  for (const rung of summary.ladder) expect(rung.status, `${rung.rung}: ${rung.detail} ${JSON.stringify(rung.differences)}`).toBe('passed');
}

/** last-success.json, a marker beside each DR data root, and the Prometheus textfile, all saying `runId` succeeded. */
function expectMonitoringFiles(runId: string): void {
  const success = JSON.parse(readFileSync(join(e2e.runsDir, 'last-success.json'), 'utf8')) as {
    runId: string;
    serves: { database: string; paths: { target: string }[] };
  };
  expect(success).toMatchObject({ runId, serves: { database: 'hive' } });
  expect(success.serves.paths.map((p) => p.target).sort()).toEqual(['/user/hive', EXTERNAL, MANAGED]);
  for (const marker of [
    '/warehouse/tablespace/managed/_HMSDR_SUCCESS.hive',
    '/warehouse/tablespace/external/_HMSDR_SUCCESS.hive',
    '/user/_HMSDR_SUCCESS.hive',
  ]) {
    const local = localPathOf(e2e.lab.state.hdfs.root, 'hdfs://drns', `hdfs://drns${marker}`)!;
    expect(JSON.parse(readFileSync(local, 'utf8')).runId, marker).toBe(runId);
  }
  const metrics = parsePrometheusText(readFileSync(join(e2e.dir, 'hmsdr.prom'), 'utf8'));
  expect(metrics.get('hmsdr_exit_code')!.samples[0]!.value).toBe(0);
  expect(metrics.get('hmsdr_last_run_timestamp_seconds')!.samples[0]!.labels).toEqual({ outcome: 'ok' });
  expect(metrics.get('hmsdr_ladder_rung_passed')!.samples.map((s) => s.value)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  expect(readFileSync(join(e2e.runsDir, 'history.html'), 'utf8')).toContain(runId);
}

/** listing.csv of a run: [action, source, target, size, detail] rows (the lab's paths hold no comma). */
function listingRows(runId: string): string[][] {
  const [, ...rows] = readFileSync(join(e2e.runsDir, runId, 'listing.csv'), 'utf8')
    .trimEnd()
    .split('\n');
  return rows.map((r) => r.split(','));
}

/** Files listed as copied, per data path (as predictedFiles counts them). */
function listedCopies(runId: string): Record<string, number> {
  const counts: Record<string, number> = { [MANAGED]: 0, [EXTERNAL]: 0, '/user/hive': 0 };
  for (const [action, source] of listingRows(runId)) {
    const root = Object.keys(counts).find((r) => source!.startsWith(`${r}/`));
    if (action === 'copied' && root) counts[root]! += 1;
  }
  return counts;
}

async function rehearse(): Promise<{ runId: string; summary: Summary }> {
  const before = runIds(e2e.runsDir);
  const result = await e2e.hmsdr(['rehearse', '--yes']);
  expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
  const runId = newRunId(e2e.runsDir, before);
  const state = readRunState(e2e.runsDir, runId);
  expect(state.order).toEqual([...STEP_ORDER]);
  for (const id of STEP_ORDER) expect(state.steps[id]?.status, id).toBe('done');
  return { runId, summary: readSummary(e2e.runsDir, runId) };
}

let droppedLocation = '';

describe('hmsdr plan → rehearse → change the source → plan → rehearse → rollback, on the lab', () => {
  it('plan changes nothing on either side and predicts a bootstrap copy of every path', async () => {
    plan1 = await planJson();
    expect(plan1.preflight.filter((c) => c.status === 'fail')).toEqual([]);
    expect(Object.values(plan1.rewrite.rewritesPerColumn).reduce((a, b) => a + b, 0)).toBeGreaterThan(300);
    expect(plan1.data.map((p) => p.mode)).toEqual(['bootstrap', 'bootstrap', 'bootstrap']);
    // A bootstrap copies every file of the source paths.
    expect(plan1.data.reduce((n, p) => n + p.files, 0)).toBe(sourceDataFiles(e2e.lab).length);
    expect(plan1.services.wouldStop.length).toBeGreaterThan(0);
    expect(plan1.databases.renameStagingTo).toBe('hive');
  });

  it('a first rehearsal passes L0–L6 and does what the plan predicted', async () => {
    // With the monitoring files on (they stay on: the second rehearsal shows the markers leave -diff alone).
    const alerts = join(e2e.base, 'alerts.ndjson');
    const alert = join(e2e.base, 'alert.sh');
    writeFileSync(alert, `#!/bin/sh\n{ cat; } >> ${alerts}\n`, { mode: 0o755 });
    writeFileSync(
      e2e.configFile,
      `${readFileSync(e2e.configFile, 'utf8')}\nfreshness:\n  hdfsMarker: true\nmetrics:\n  textfile: hmsdr.prom\nnotify:\n  events: [start, success]\n  command: ${alert}\n`,
    );
    const { runId, summary } = await rehearse();
    firstRun = runId;
    expectMonitoringFiles(runId);
    const sent = readFileSync(alerts, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; runId: string; outcome: string | null });
    expect(sent.map((a) => [a.event, a.runId, a.outcome])).toEqual([
      ['start', runId, null],
      ['success', runId, 'ok'],
    ]);
    expect(summary.outcome).toBe('ok');
    expect(summary.exitCode).toBe(0);
    expectAllRungsPassed(summary);
    expect(rewritesOf(summary)).toEqual(plan1.rewrite.rewritesPerColumn);
    expect(filesOf(summary)).toEqual(predictedFiles(plan1));
    expect(bytesOf(summary)).toEqual(predictedBytes(plan1));
    expect(summary.data.paths.map((p) => p.mode)).toEqual(['bootstrap', 'bootstrap', 'bootstrap']);
    // A bootstrap sent every file: listing.csv lists them all.
    expect(listedCopies(runId)).toEqual(predictedFiles(plan1));
    expect(await databaseComment(e2e.lab, 'dr')).toMatch(new RegExp(`^hmsdr run=${firstRun}\\b`));
    expect(await partitionCounts(e2e.lab, 'dr')).toEqual(await partitionCounts(e2e.lab, 'source'));
    liveAfterFirst = await fingerprintDatabase(e2e.lab, 'dr');
  });

  it('after new partitions, a dropped table, a renamed directory and modified files, the second rehearsal is incremental, copies only the changes and passes', async () => {
    const added = await addPartitions(e2e.lab, { count: 5, table: { database: 'lab_db_001', table: 't_0001' } });
    expect(added.locations).toHaveLength(5);
    const dropped = await dropTable(e2e.lab, { database: 'lab_db_002', table: 't_0003' });
    expect(dropped.dataDeleted).toBe(true);
    droppedLocation = dropped.location!;
    const from = `${SOURCE_NN}${EXTERNAL}/lab_db_001.db/t_0017`;
    const to = `${SOURCE_NN}${EXTERNAL}/lab_db_001.db/t_0017_moved`;
    const renamed = await renameDirectory(e2e.lab, from, to);
    expect(renamed.locationsUpdated).toBeGreaterThan(1);
    const modified = modifyFiles(e2e.lab, {
      uris: sourceDataFiles(e2e.lab)
        .filter((u) => u.includes('/lab_db_002.db/t_0005/'))
        .slice(0, 3),
    });
    expect(modified).toHaveLength(3);

    plan2 = await planJson();
    expect(plan2.data.map((p) => p.mode)).toEqual(['incremental', 'incremental', 'incremental']);
    // Only the changes: 5 new files and 3 modified ones, all under the managed path; the rename and the drop copy nothing.
    expect(predictedFiles(plan2)).toEqual({ [MANAGED]: 8, [EXTERNAL]: 0, '/user/hive': 0 });

    const { runId, summary } = await rehearse();
    secondRun = runId;
    expect(summary.outcome).toBe('ok');
    expectAllRungsPassed(summary);
    expect(summary.data.paths.map((p) => p.mode)).toEqual(['incremental', 'incremental', 'incremental']);
    expect(filesOf(summary)).toEqual(predictedFiles(plan2));
    expectMonitoringFiles(runId);
    // listing.csv names what DistCp -diff sent (the 8 files), and what it renamed and deleted on DR.
    expect(listedCopies(runId)).toEqual(predictedFiles(plan2));
    const rows = listingRows(runId);
    expect(rows.some(([action, , target]) => action === 'renamed' && target!.endsWith('/lab_db_001.db/t_0017_moved'))).toBe(true);
    expect(rows.some(([action, source]) => action === 'deleted' && source!.endsWith('/t_0003'))).toBe(true);
    expect(bytesOf(summary)).toEqual(predictedBytes(plan2));
    expect(rewritesOf(summary)).toEqual(plan2.rewrite.rewritesPerColumn);

    // The live DR metastore is this run's and has the source's partitions; the DR tree followed the changes.
    expect(await databaseComment(e2e.lab, 'dr')).toMatch(new RegExp(`^hmsdr run=${secondRun}\\b`));
    const source = await partitionCounts(e2e.lab, 'source');
    expect(await partitionCounts(e2e.lab, 'dr')).toEqual(source);
    const drLocal = (uri: string): string => localPathOf(e2e.lab.state.hdfs.root, 'hdfs://drns', uri.replace(SOURCE_NN, 'hdfs://drns'))!;
    for (const location of added.locations) expect(existsSync(drLocal(location)), location).toBe(true);
    expect(existsSync(drLocal(to))).toBe(true);
    expect(existsSync(drLocal(from))).toBe(false);
    expect(existsSync(drLocal(dropped.location!))).toBe(false);
  });

  it("rollback of the second run puts the first run's metastore back live, with the data it points at (the dropped table's, the renamed directory's), and starts Hive again", async () => {
    const before = runIds(e2e.runsDir);
    const result = await e2e.hmsdr(['rollback', secondRun, '--yes']);
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(await databaseComment(e2e.lab, 'dr')).toMatch(new RegExp(`^hmsdr run=${firstRun}\\b`));
    expect(await fingerprintDatabase(e2e.lab, 'dr')).toEqual(liveAfterFirst);
    // The second run's copy deleted the dropped table's data and moved t_0017 on DR: the paths the first
    // run's metastore points into are rewound to its snapshot, what was there kept in a safety snapshot.
    const state = readRunState(e2e.runsDir, newRunId(e2e.runsDir, before));
    const rewound = (state.steps['rollback-data' as never] as { output?: { rewound: { target: string; snapshot: string }[] } })?.output;
    expect(rewound?.rewound.map((r) => [r.target, r.snapshot])).toEqual(expect.arrayContaining([[EXTERNAL, `hmsdr-${firstRun}`]]));
    const drLocal = (uri: string): string => localPathOf(e2e.lab.state.hdfs.root, 'hdfs://drns', uri.replace(SOURCE_NN, 'hdfs://drns'))!;
    expect(existsSync(drLocal(`${SOURCE_NN}${EXTERNAL}/lab_db_001.db/t_0017`))).toBe(true);
    expect(existsSync(drLocal(droppedLocation))).toBe(true);
    const hive = await hiveState(e2e);
    expect(hive.service).toBe('STARTED');
    // Every non-client component (clients are always INSTALLED in Ambari).
    const servers = Object.entries(hive.components).filter(([name]) => !name.startsWith('HIVE_CLIENT@'));
    expect(servers.length).toBeGreaterThan(0);
    expect(servers.filter(([, state]) => state !== 'STARTED')).toEqual([]);
  });

  it('history --json lists both runs with their outcome', async () => {
    const result = await e2e.hmsdr(['history', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const runs = JSON.parse(result.stdout) as { runId: string; outcome: string; exitCode: number; failedStep: string | null }[];
    const byId = Object.fromEntries(runs.map((r) => [r.runId, r]));
    expect(byId[firstRun]).toMatchObject({ outcome: 'ok', exitCode: 0, failedStep: null });
    expect(byId[secondRun]).toMatchObject({ outcome: 'ok', exitCode: 0, failedStep: null });
    expect(runs.findIndex((r) => r.runId === secondRun)).toBeLessThan(runs.findIndex((r) => r.runId === firstRun)); // newest first
  });

  it('status and history work without any secret (a monitoring user has none); a run still demands them', async () => {
    // The same config, every password file replaced by an environment variable nobody set.
    const blind = join(e2e.base, 'monitor.yaml');
    const yaml = readFileSync(e2e.configFile, 'utf8').replace(/passwordFile: .*/g, 'passwordEnv: HMSDR_TEST_NOBODY_SET_THIS');
    writeFileSync(blind, yaml.replace(/^runsDir: .*$/m, `runsDir: ${e2e.runsDir}`));
    const status = await runHmsdr(['status', secondRun, '--config', blind]);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toContain(secondRun);
    const history = await runHmsdr(['history', '--json', '--config', blind]);
    expect(history.exitCode, history.stderr).toBe(0);
    expect(JSON.parse(history.stdout).map((r: { runId: string }) => r.runId)).toEqual(expect.arrayContaining([firstRun, secondRun]));
    // hmsdr check reads last-success.json (the second run) and sees the rollback after it.
    const check = await runHmsdr(['check', '--config', blind]);
    expect(check.stdout).toMatch(
      /^HMSDR WARNING - DR metastore at T0 .* \(\d+ (s|min) ago\), run \d{8}t\d{6} rolled DR back to an earlier metastore \| rpo=\d+s;93600;180000 rto=\d+s\n$/,
    );
    expect(check.exitCode).toBe(1);
    const run = await runHmsdr(['plan', '--config', blind]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('HMSDR_TEST_NOBODY_SET_THIS is not set');
  });

  it.each(['streamed', 'parallel'])(
    'with restore.transfer: %s, a rehearsal after new partitions passes L0–L6 and the live metastore equals the source',
    async (transfer) => {
      const yaml = readFileSync(e2e.configFile, 'utf8');
      writeFileSync(e2e.configFile, `${yaml}\nrestore:\n  transfer: ${transfer}\n`);
      try {
        await addPartitions(e2e.lab, { count: 40 });
        const { runId, summary } = await rehearse();
        expect(summary.outcome).toBe('ok');
        expectAllRungsPassed(summary);
        const state = readRunState(e2e.runsDir, runId);
        expect(state.steps['restore-staging']?.via).toBe('probe'); // filled during dump-metastore
        expect(await databaseComment(e2e.lab, 'dr')).toMatch(new RegExp(`^hmsdr run=${runId}\\b`));
        expect(await partitionCounts(e2e.lab, 'dr')).toEqual(await partitionCounts(e2e.lab, 'source'));
      } finally {
        writeFileSync(e2e.configFile, yaml);
      }
    },
  );

  it('rollback refused when the previous metastore points at data neither on DR nor in its snapshot: exit 5, nothing changed', async () => {
    const live = (await databaseComment(e2e.lab, 'dr'))!.match(/run=(\S+)/)![1]!;
    const previous = `hive_hmsdr_prev_${live}`;
    const row = await withSuperuser(e2e.lab, 'dr', previous, async (client) => {
      const { rows } = await client.query<{ id: string; location: string }>(
        `SELECT "SD_ID" AS id, "LOCATION" AS location FROM "SDS" WHERE "LOCATION" LIKE '%/lab_db_001.db/%' ORDER BY "SD_ID" LIMIT 1`,
      );
      await client.query(`UPDATE "SDS" SET "LOCATION" = "LOCATION" || '_never_copied' WHERE "SD_ID" = $1`, [rows[0]!.id]);
      return rows[0]!;
    });
    try {
      const databases = await fingerprintServer(e2e.lab, 'dr');
      const tree = treeFingerprint(e2e.lab.state.hdfs.root);
      const hive = await hiveState(e2e);
      const result = await e2e.hmsdr(['rollback', live, '--yes']);
      expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(5);
      expect(result.stderr).toContain(`rollback refused: ${previous} points at 1 location(s) no longer on DR`);
      expect(result.stderr).toContain(`${row.location}_never_copied`);
      expect(await fingerprintServer(e2e.lab, 'dr')).toEqual(databases);
      expect(treeFingerprint(e2e.lab.state.hdfs.root)).toEqual(tree);
      expect(await hiveState(e2e)).toEqual(hive);
    } finally {
      await withSuperuser(e2e.lab, 'dr', previous, (client) =>
        client.query(`UPDATE "SDS" SET "LOCATION" = $2 WHERE "SD_ID" = $1`, [row.id, row.location]),
      );
    }
  });
});
