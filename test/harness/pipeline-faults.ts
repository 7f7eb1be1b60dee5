// Test-only fault injection for the staged pipeline: wraps the real adapters of a run so a fault
// fires at a precise point of the stream (after N bytes uploaded, after N bytes of pg_dump output,
// once psql is restoring, once the upload is done), then lets the run carry on and fail the way it
// would in the field. Plus small helpers the fault tests share (run, state, processes, DR checks).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { createAdapters } from '../../src/adapters/create.js';
import type { Executor } from '../../src/adapters/executor.js';
import type { Adapters } from '../../src/adapters/index.js';
import type { SitePort } from '../../src/adapters/site.js';
import type { SshConnection, Upload, UploadResult } from '../../src/adapters/ssh/index.js';
import type { ResolvedConfig } from '../../src/config/load.js';
import { runRunbook, type EngineResult } from '../../src/runbook/runner.js';
import type { RunInfo } from '../../src/runbook/step.js';
import { dumpMetastore } from '../../src/steps/dump-metastore.js';
import { restoreStaging } from '../../src/steps/restore-staging.js';
import { swapMetastore } from '../../src/steps/swap-metastore.js';
import { verifyStaging } from '../../src/steps/verify-staging.js';
import { databaseFingerprint, type PipelineLab } from './pipeline-lab.js';

export const PIPELINE_STEPS = [dumpMetastore, restoreStaging, verifyStaging, swapMetastore] as const;
/** The transfer alone (the staging database is left for inspection, nothing live changes). */
export const TRANSFER_STEPS = [dumpMetastore, restoreStaging, verifyStaging] as const;

export interface Faults {
  /** Fires once, synchronously, when the DR upload has taken `afterBytes` bytes (e.g. cut the SSH link). */
  upload?: { afterBytes: number; fire: (connection: SshConnection) => void };
  /** Holds pg_dump's output after `afterBytes` bytes until `fire` resolves (pg_dump blocks on the full pipe meanwhile). */
  dumpOutput?: { afterBytes: number; fire: () => Promise<void> };
  /** Runs alongside the DR restore (psql -f): `fire` starts with it and is awaited before the step sees psql's result. */
  restore?: { fire: () => Promise<void> };
  /** Runs after the upload was checked and renamed, before the step sees the result (tamper with the staged file). */
  uploaded?: (result: UploadResult) => void | Promise<void>;
}

function wrapConnection(connection: SshConnection, faults: Faults): SshConnection {
  const patched = connection as SshConnection & { __faulted?: true };
  if (patched.__faulted) return connection;
  patched.__faulted = true;
  const upload = connection.upload.bind(connection);
  connection.upload = (path, options = {}): Upload => {
    let fired = false;
    const started = upload(path, {
      ...options,
      onProgress: (bytes) => {
        options.onProgress?.(bytes);
        if (faults.upload && !fired && bytes >= faults.upload.afterBytes) {
          fired = true;
          faults.upload.fire(connection);
        }
      },
    });
    if (!faults.uploaded) return started;
    const after = faults.uploaded;
    const done = started.done.then(async (result) => {
      await after(result);
      return result;
    });
    done.catch(() => undefined);
    return { stream: started.stream, done };
  };
  const executor = connection.executor.bind(connection);
  connection.executor = (): Executor => {
    const real = executor();
    if (!faults.restore) return real;
    const fault = faults.restore;
    return {
      ...real,
      async run(command, options) {
        if (!(command.file.endsWith('psql') && command.args.includes('-f'))) return real.run(command, options);
        const restoring = real.run(command, options);
        restoring.catch(() => undefined);
        await fault.fire();
        return restoring;
      },
    };
  };
  return connection;
}

function wrapSite(site: SitePort, faults: Faults): SitePort {
  return {
    ...site,
    async ssh(signal) {
      return wrapConnection(await site.ssh(signal), faults);
    },
    async pgExecutor(signal) {
      // Over SSH the executor is the (patched) connection's; locally, pg_dump's output can be held.
      if (site.where('pg') !== 'local') return wrapConnection(await site.ssh(signal), faults).executor();
      const real = await site.pgExecutor(signal);
      if (!faults.dumpOutput || site.name !== 'source') return real;
      const fault = faults.dumpOutput;
      return {
        ...real,
        stream(command, options) {
          const child = real.stream(command, options);
          let seen = 0;
          let fired = false;
          const gate = new Transform({
            transform(chunk: Buffer, _encoding, callback) {
              seen += chunk.length;
              if (!fired && seen >= fault.afterBytes) {
                fired = true;
                fault.fire().then(() => callback(null, chunk), callback);
              } else callback(null, chunk);
            },
          });
          child.stdout.on('error', (error) => gate.destroy(error));
          child.stdout.pipe(gate);
          return { stdout: gate, done: child.done };
        },
      };
    },
  };
}

/** The real adapters of a run with `faults` wired in. */
export async function faultyAdapters(config: ResolvedConfig, run: RunInfo, faults: Faults): Promise<Adapters> {
  const real = await createAdapters(config, run);
  return { ...real, source: wrapSite(real.source, faults), dr: wrapSite(real.dr, faults) };
}

export interface Attempt {
  runId: string;
  result?: EngineResult;
  error?: unknown;
}

/** Run (or resume) dump → restore → verify → swap (or `steps`); never throws: the error is returned. */
export async function runPipeline(
  config: ResolvedConfig,
  options: {
    faults?: Faults;
    resumeRunId?: string;
    onRunId?: (runId: string) => void;
    steps?: typeof PIPELINE_STEPS | typeof TRANSFER_STEPS;
  } = {},
): Promise<Attempt> {
  let runId = options.resumeRunId ?? '';
  try {
    const result = await runRunbook({
      config,
      steps: options.steps ?? PIPELINE_STEPS,
      adapters: (run) => (options.faults ? faultyAdapters(config, run, options.faults) : createAdapters(config, run)),
      mode: 'rehearse',
      interactive: false,
      yes: true,
      renderer: 'silent',
      commandLine: 'test',
      ...(options.resumeRunId ? { resumeRunId: options.resumeRunId } : {}),
      onRunId: (id) => {
        runId = id;
        options.onRunId?.(id);
      },
    });
    return { runId, result };
  } catch (error) {
    return { runId, error };
  }
}

export interface StepState {
  status: string;
  attempts?: number;
  error?: { code: string; message: string; hint?: string; stderrTail?: string };
  output?: Record<string, unknown>;
}

export function runState(config: ResolvedConfig, runId: string): { steps: Record<string, StepState> } {
  return JSON.parse(readFileSync(join(config.runsDirAbs, runId, 'state.json'), 'utf8'));
}

/** Statuses of the pipeline steps in order. */
export function statuses(config: ResolvedConfig, runId: string): string[] {
  const state = runState(config, runId);
  return PIPELINE_STEPS.map((s) => state.steps[s.id]?.status ?? 'absent');
}

/** PIDs of pg_dump processes aimed at `port` (only this test's servers use it). */
export function pgDumpPids(port: number): number[] {
  const found = spawnSync('pgrep', ['-f', `pg_dump .*-p ${port}( |$)`], { encoding: 'utf8' });
  return found.stdout
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

/** Waits until `check` holds (polling), or throws after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000, everyMs = 20): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** SIGKILL every pg_dump aimed at `port` and wait until they are gone. */
export async function killPgDump(port: number): Promise<number[]> {
  const pids = pgDumpPids(port);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  await waitFor('pg_dump to die', () => pgDumpPids(port).length === 0);
  return pids;
}

/** Files in the staging directory (names). */
export const stagedFiles = (lab: PipelineLab): string[] => {
  try {
    return readdirSync(lab.stagingDir).sort();
  } catch {
    return [];
  }
};

export interface DrSnapshot {
  fingerprint: Record<string, string>;
  databases: string[];
}

/** The live DR metastore's content and the DR server's hive* databases; also proves the live DB answers. */
export async function drSnapshot(lab: PipelineLab): Promise<DrSnapshot> {
  const live = await lab.admin('dr', 'hive');
  try {
    const { rows } = await live.query<{ n: string }>(`SELECT count(*) AS n FROM "TBLS"`);
    if (!(Number(rows[0]!.n) > 0)) throw new Error('the live DR metastore has no tables');
    const fingerprint = await databaseFingerprint(live);
    const admin = await lab.admin('dr');
    try {
      const { rows: dbs } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'hive%' ORDER BY 1`);
      return { fingerprint, databases: dbs.map((d) => d.datname) };
    } finally {
      await admin.end();
    }
  } finally {
    await live.end();
  }
}

/** Counts that say "the live DR metastore holds the source's content". */
export async function contentSummary(
  client: pg.Client,
): Promise<{ partitions: number; tables: number; oldLocations: number; version: string }> {
  const one = async (sql: string): Promise<string> =>
    String(Object.values((await client.query(sql)).rows[0] as Record<string, unknown>)[0]);
  return {
    partitions: Number(await one(`SELECT count(*) FROM "PARTITIONS"`)),
    tables: Number(await one(`SELECT count(*) FROM "TBLS"`)),
    oldLocations: Number(await one(`SELECT count(*) FROM "SDS" WHERE "LOCATION" LIKE '%nn1.prod%'`)),
    version: await one(`SELECT "SCHEMA_VERSION" FROM "VERSION"`),
  };
}

/** The source's summary (with the rewrite applied: old locations expected 0 on DR). */
export async function sourceSummary(lab: PipelineLab): Promise<{ partitions: number; tables: number; version: string }> {
  const src = await lab.admin('source', 'hive');
  try {
    const { partitions, tables, version } = await contentSummary(src);
    return { partitions, tables, version };
  } finally {
    await src.end();
  }
}

export async function liveSummary(lab: PipelineLab): ReturnType<typeof contentSummary> {
  const live = await lab.admin('dr', 'hive');
  try {
    return await contentSummary(live);
  } finally {
    await live.end();
  }
}

/** Recreate the DR server's template1 (what CREATE DATABASE copies) with another encoding. */
export async function recreateTemplate1(lab: PipelineLab, encoding: 'LATIN1' | 'UTF8'): Promise<void> {
  const locale = encoding === 'LATIN1' ? 'C' : 'C.UTF-8';
  const admin = await lab.admin('dr');
  try {
    await admin.query(`ALTER DATABASE template1 IS_TEMPLATE false`);
    await admin.query(`DROP DATABASE template1`);
    await admin.query(
      `CREATE DATABASE template1 TEMPLATE template0 ENCODING '${encoding}' LC_COLLATE '${locale}' LC_CTYPE '${locale}' IS_TEMPLATE true`,
    );
  } finally {
    await admin.end();
  }
}
