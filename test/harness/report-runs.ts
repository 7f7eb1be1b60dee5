// Fabricated run directories for the report tests (unit, integration and the Chromium test):
// the files a real run leaves (state.json, events.ndjson, verify-staging.json, rewrite-report.json),
// typed as the step outputs of src/steps/*.ts. Real ones, written by a rehearsal: test/fixtures/run-dirs.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunState, StepRecord } from '../../src/runbook/ledger.js';
import type { StagedDumpOutput } from '../../src/steps/dump-metastore.js';
import type { RestoreOutput } from '../../src/steps/restore-staging.js';
import type { VerifyStagingOutput } from '../../src/steps/verify-staging.js';
import type { SwapOutput } from '../../src/steps/swap-metastore.js';
import type { SnapshotSourceOutput } from '../../src/steps/snapshot-source.js';
import type { CopyDataOutput } from '../../src/steps/copy-data.js';
import type { PreflightOutput } from '../../src/steps/preflight.js';
import type { ServiceControlOutput } from '../../src/steps/outputs.js';
import type { VerifyLiveOutput } from '../../src/steps/verify-live.js';

export const STEP_ORDER = [
  'preflight',
  'dump-metastore',
  'snapshot-source',
  'copy-data',
  'restore-staging',
  'verify-staging',
  'stop-hive',
  'swap-metastore',
  'start-hive',
  'verify-live',
  'report',
] as const;

export const RUN_ID = '20261121t053000';
/** Run start. Every fixture time is an offset in seconds from here. */
export const START = Date.parse('2026-11-21T05:30:00.000Z');
export const at = (seconds: number): string => new Date(START + seconds * 1000).toISOString();

/** Step timings of the complete fixture (seconds from START). */
export const TIMES: Record<(typeof STEP_ORDER)[number], [number, number]> = {
  preflight: [0.2, 3.2],
  'dump-metastore': [3.5, 45.5], // T0 = 3.6
  'snapshot-source': [46, 48], // T1 = 47 / 47.5
  'copy-data': [48, 168],
  'restore-staging': [168.5, 198.5],
  'verify-staging': [199, 205],
  'stop-hive': [205.5, 235.5],
  'swap-metastore': [236, 237],
  'start-hive': [237.5, 297.5],
  'verify-live': [298, 310],
  report: [310.2, 311],
};

export const T0 = at(3.6);
export const T1_FIRST = at(47);
export const T1_SECOND = at(47.5);

export function dumpOutput(over: Partial<StagedDumpOutput> = {}): StagedDumpOutput {
  return {
    t0: T0,
    finishedAt: at(45.4),
    durationMs: 41_800,
    stagedPath: `/var/lib/hmsdr/staging/hmsdr-${RUN_ID}.sql`,
    stagedOn: 'dr-db1.example.com',
    bytesIn: 48_213_771,
    bytesOut: 48_190_115,
    sha256: 'a3f1c2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90',
    remoteSha256: 'a3f1c2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90',
    remoteBytes: 48_190_115,
    hiveVersion: '3.1.0',
    rowsPerTable: { DBS: 12, TBLS: 340, PARTITIONS: 18_250, SDS: 18_590, SERDES: 18_590, TABLE_PARAMS: 2_100, VERSION: 1 },
    rewritesPerColumn: { 'SDS.LOCATION': 18_590, 'DBS.DB_LOCATION_URI': 12, 'FUNC_RU.RESOURCE_URI': 3, 'SERDE_PARAMS.PARAM_VALUE': 41 },
    leftAlone: [{ table: 'NOTIFICATION_LOG', column: 'MESSAGE', count: 7, sampleKey: 'NL_ID=1021', note: 'event history: not rewritten' }],
    exitStatus: { pg_dump: 0, rewriter: 'ok', upload: 0 },
    ...over,
  };
}

export function snapshotOutput(): SnapshotSourceOutput {
  return {
    snapshot: `hmsdr-${RUN_ID}`,
    paths: [
      {
        source: '/warehouse/tablespace/managed/hive',
        target: '/warehouse/tablespace/managed/hive',
        snapshot: `hmsdr-${RUN_ID}`,
        mode: 'incremental',
        previous: 'hmsdr-20261120t053000',
        takenAt: T1_FIRST,
      },
      {
        source: '/data/landing',
        target: '/dr/landing',
        snapshot: `hmsdr-${RUN_ID}`,
        mode: 'bootstrap',
        previous: null,
        takenAt: T1_SECOND,
      },
    ],
  };
}

export function copyOutput(): CopyDataOutput {
  return {
    engine: 'distcp',
    snapshot: `hmsdr-${RUN_ID}`,
    paths: [
      {
        source: '/warehouse/tablespace/managed/hive',
        target: '/warehouse/tablespace/managed/hive',
        mode: 'incremental',
        snapshot: `hmsdr-${RUN_ID}`,
        previous: 'hmsdr-20261120t053000',
        filesExpected: 1_212,
        bytesExpected: 7_568_621_568,
        filesCopied: 1_204,
        bytesCopied: 7_516_192_768,
        filesSkipped: 8,
        bytesSkipped: 52_428_800,
        filesFailed: 0,
        filesDeleted: null,
        durationMs: 84_000,
        safetySnapshot: null,
        passes: [{ kind: 'diff', exitCode: 0, durationMs: 83_000, filesCopied: 1_204, bytesCopied: 7_516_192_768, bytesSkipped: 0 }],
        pruned: { source: ['hmsdr-20261110t053000'], target: ['hmsdr-20261110t053000'] },
      },
      {
        source: '/data/landing',
        target: '/dr/landing',
        mode: 'bootstrap',
        snapshot: `hmsdr-${RUN_ID}`,
        previous: null,
        filesExpected: 310,
        bytesExpected: 1_073_741_824,
        filesCopied: 310,
        bytesCopied: 1_073_741_824,
        filesSkipped: 0,
        bytesSkipped: 0,
        filesFailed: 0,
        filesDeleted: null,
        durationMs: 35_000,
        safetySnapshot: null,
        passes: [{ kind: 'full', exitCode: 0, durationMs: 34_000, filesCopied: 310, bytesCopied: 1_073_741_824, bytesSkipped: 0 }],
        pruned: { source: [], target: [] },
      },
    ],
  };
}

export function restoreOutput(): RestoreOutput {
  return {
    database: `metastore_hmsdr_${RUN_ID}`,
    owner: 'hive',
    restoredFrom: dumpOutput().stagedPath,
    sha256: dumpOutput().sha256,
    durationMs: 29_500,
    exitStatus: { psql: 0 },
  };
}

export function verifyStagingOutput(failL3 = false): VerifyStagingOutput {
  return {
    database: `metastore_hmsdr_${RUN_ID}`,
    schemaVersion: '3.1.0',
    rungs: [
      {
        rung: 'L1',
        ok: true,
        by: 'verify-staging',
        detail: 'pg_dump exit 0, rewriter ok, 48190115 bytes, sha256 a3f1c2d4e5f6… equal on both ends',
      },
      {
        rung: 'L2',
        ok: true,
        by: 'verify-staging',
        detail: `psql -v ON_ERROR_STOP=1 --single-transaction exited 0 into metastore_hmsdr_${RUN_ID}`,
      },
      failL3
        ? {
            rung: 'L3',
            ok: false,
            by: 'verify-staging',
            detail: '2 difference(s)',
            differences: [
              'PARTITIONS: 18250 rows in the stream, 18249 restored',
              'SDS.LOCATION: 1 value(s) still under hdfs://nn1.prod:8020',
            ],
          }
        : {
            rung: 'L3',
            ok: true,
            by: 'verify-staging',
            detail: "7 tables with the stream's row counts, schema 3.1.0, no old authority in location columns",
          },
    ],
    warnings: ['NOTIFICATION_LOG.MESSAGE: 7 value(s) under hdfs://nn1.prod:8020 left alone (event history)'],
    tables: 7,
    rows: 57_883,
  };
}

export function swapOutput(): SwapOutput {
  return { live: 'metastore', previous: `metastore_hmsdr_prev_${RUN_ID}`, swappedAt: at(236.8), terminatedSessions: 0, prunedPrevious: [] };
}

export const preflightOutput = (warn = true): PreflightOutput => ({
  checks: [
    { id: 'source-metastore', title: 'Source metastore reachable', status: 'pass', detail: 'PostgreSQL 15.6 at src-db1:5432' },
    { id: 'schema-version', title: 'Hive schema version', status: 'pass', detail: '3.1.0 on both sides' },
    { id: 'pg-dump-version', title: 'pg_dump client ≥ server', status: 'pass', detail: 'pg_dump 16.3, server 15.6' },
    warn
      ? {
          id: 'dr-sessions',
          title: 'Sessions on the DR metastore',
          status: 'warn',
          detail: '2 sessions (hive-metastore, beeline)',
          hint: 'they are stopped with Hive',
        }
      : { id: 'dr-sessions', title: 'Sessions on the DR metastore', status: 'pass', detail: 'none' },
  ],
});

export const verifyLiveOutput = (): VerifyLiveOutput => ({
  database: 'metastore',
  rungs: [
    { rung: 'L3', ok: true, by: 'verify-live', detail: 'per-database table and partition counts equal to the source at T0' },
    { rung: 'L4', ok: true, by: 'verify-live', detail: '18 602 locations exist on DR at hmsdr-20261121t053000' },
    { rung: 'L5', ok: true, by: 'verify-live', detail: '2 paths: 1 514 files, 8.0 GiB equal in the T1 listings' },
    { rung: 'L6', ok: true, by: 'verify-live', detail: "beeline -e 'show databases' exited 0 (12 databases)" },
  ],
  warnings: [],
  perDatabase: {
    default: { tablesByType: { MANAGED_TABLE: 40 }, partitions: 1200, functions: 0 },
    sales: { tablesByType: { MANAGED_TABLE: 280, EXTERNAL_TABLE: 20 }, partitions: 17050, functions: 3 },
  },
});

/** What stop-hive and start-hive record. */
export const serviceOutput = (): ServiceControlOutput => ({ controller: 'ambari', actions: [], components: [] });

const done = (id: (typeof STEP_ORDER)[number], output?: Record<string, unknown>, over: Partial<StepRecord> = {}): StepRecord => ({
  status: 'done',
  attempts: 1,
  via: 'run',
  startedAt: at(TIMES[id][0]),
  finishedAt: at(TIMES[id][1]),
  ...(output ? { output } : {}),
  ...over,
});

export interface FabricatedRun {
  dir: string;
  state: RunState;
}

export interface Scenario {
  steps: Partial<Record<(typeof STEP_ORDER)[number], StepRecord>>;
  events?: Array<Record<string, unknown>>;
  files?: Record<string, unknown>;
  finishedAt?: string;
}

function baseEvents(): Array<Record<string, unknown>> {
  return [
    { level: 'info', time: at(0.1), pid: 1, event: 'run-started', runId: RUN_ID, mode: 'rehearse' },
    {
      level: 'warn',
      time: at(45.4),
      pid: 1,
      step: 'dump-metastore',
      event: 'old-authority-left-alone',
      table: 'NOTIFICATION_LOG',
      column: 'MESSAGE',
      count: 7,
      sampleKey: 'NL_ID=1021',
      note: 'event history: not rewritten',
    },
  ];
}

/** Write a run directory for `scenario` under a fresh temp dir (or `parent`). */
export function fabricateRun(scenario: Scenario, parent?: string): FabricatedRun {
  const root = parent ?? mkdtempSync(join(tmpdir(), 'hmsdr-report-'));
  const dir = join(root, RUN_ID);
  mkdirSync(join(dir, 'stderr'), { recursive: true });
  const steps: Record<string, StepRecord> = {};
  for (const id of STEP_ORDER) steps[id] = scenario.steps[id] ?? { status: 'pending', attempts: 0 };
  const state: RunState = {
    version: 1,
    runId: RUN_ID,
    mode: 'rehearse',
    configFile: '/etc/hmsdr/prod-to-dr.yaml',
    configHash: 'c0ffee',
    createdAt: at(0),
    updatedAt: at(311),
    host: 'edge1.example.com',
    pid: 4242,
    order: [...STEP_ORDER],
    steps,
    ...(scenario.finishedAt ? { finishedAt: scenario.finishedAt } : {}),
  };
  writeFileSync(join(dir, 'state.json'), JSON.stringify(state, null, 2));
  writeFileSync(join(dir, 'events.ndjson'), [...baseEvents(), ...(scenario.events ?? [])].map((e) => JSON.stringify(e)).join('\n') + '\n');
  for (const [name, value] of Object.entries(scenario.files ?? {})) writeFileSync(join(dir, name), JSON.stringify(value, null, 2));
  return { dir, state };
}

/** Every step done; verify-live recorded L3–L6. The report step is running (it writes the report). */
export function completeRun(): FabricatedRun {
  return fabricateRun({
    steps: {
      preflight: done('preflight', preflightOutput()),
      'dump-metastore': done('dump-metastore', dumpOutput()),
      'snapshot-source': done('snapshot-source', snapshotOutput()),
      'copy-data': done('copy-data', copyOutput()),
      'restore-staging': done('restore-staging', restoreOutput()),
      'verify-staging': done('verify-staging', verifyStagingOutput()),
      'stop-hive': done('stop-hive', serviceOutput()),
      'swap-metastore': done('swap-metastore', swapOutput()),
      'start-hive': done('start-hive', serviceOutput()),
      'verify-live': done('verify-live', verifyLiveOutput()),
      report: { status: 'running', attempts: 1, startedAt: at(TIMES.report[0]) },
    },
    events: [
      {
        level: 'warn',
        time: at(120),
        pid: 1,
        step: 'copy-data',
        event: 'hdfs-target-modified',
        target: '/warehouse/tablespace/managed/hive',
        since: 'hmsdr-20261120t053000',
        changes: 3,
      },
    ],
    files: {
      'rewrite-report.json': {
        rowsPerTable: dumpOutput().rowsPerTable,
        rewritesPerColumn: dumpOutput().rewritesPerColumn,
        leftAlone: dumpOutput().leftAlone,
        bytesIn: 1,
        bytesOut: 1,
      },
    },
  });
}

/** copy-data failed (DistCp exit 1) after preflight, dump and snapshot were done. */
export function failedAtCopyRun(): FabricatedRun {
  return fabricateRun({
    steps: {
      preflight: done('preflight', preflightOutput(false)),
      'dump-metastore': done('dump-metastore', dumpOutput()),
      'snapshot-source': done('snapshot-source', snapshotOutput()),
      'copy-data': {
        status: 'failed',
        attempts: 2,
        startedAt: at(48),
        finishedAt: at(95.25),
        error: {
          code: 'E_DISTCP',
          message: 'bootstrap: full DistCp copy of /data/landing at hmsdr-20261121t053000 exited with code 1',
          hint: 'fix the cause shown above, then resume: the full copy runs again with -update -delete and converges on the source snapshot',
          stderrTail: 'ERROR tools.DistCp: Exception encountered\njava.io.IOException: Connection refused: dr-nn1:8020',
        },
      },
    },
    events: [{ level: 'error', time: at(95.25), pid: 1, step: 'copy-data', event: 'step-fail', code: 'E_DISTCP', message: 'bootstrap: …' }],
  });
}

/** verify-staging found L3 differences (it wrote verify-staging.json, then threw VerifyError). */
export function verificationFailedRun(): FabricatedRun {
  return fabricateRun({
    steps: {
      preflight: done('preflight', preflightOutput()),
      'dump-metastore': done('dump-metastore', dumpOutput()),
      'snapshot-source': done('snapshot-source', snapshotOutput()),
      'copy-data': done('copy-data', copyOutput()),
      'restore-staging': done('restore-staging', restoreOutput()),
      'verify-staging': {
        status: 'failed',
        attempts: 1,
        startedAt: at(199),
        finishedAt: at(205),
        error: { code: 'E_VERIFY', message: `L3 failed on metastore_hmsdr_${RUN_ID}` },
      },
    },
    files: { 'verify-staging.json': { ...verifyStagingOutput(true), parity: {}, inspection: {} } },
  });
}

/** Ctrl-C during restore-staging. */
export function interruptedRun(): FabricatedRun {
  return fabricateRun({
    steps: {
      preflight: done('preflight', preflightOutput()),
      'dump-metastore': done('dump-metastore', dumpOutput()),
      'snapshot-source': done('snapshot-source', snapshotOutput()),
      'copy-data': done('copy-data', copyOutput()),
      'restore-staging': { status: 'interrupted', attempts: 1, startedAt: at(168.5), finishedAt: at(180) },
    },
    events: [{ level: 'warn', time: at(179.9), pid: 1, event: 'interrupt', signal: 'SIGINT', count: 1 }],
  });
}
