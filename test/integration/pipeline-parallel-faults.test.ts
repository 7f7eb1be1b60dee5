// FAULT MATRIX, parallel transfer (restore.transfer: parallel, 2 workers): faults while the worker
// pairs stream the tables (source COPY TO STDOUT → rewriter → DR COPY FROM STDIN through the SSH
// tunnel) into the staging database, on real parts (two PostgreSQL servers, a real sshd). After
// each: the run stopped in dump-metastore with the error recorded, the staging database was
// dropped, the live DR metastore answers and is unchanged, no connection is left open, and
// `resume` runs the transfer again from a fresh snapshot and completes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapters } from '../../src/adapters/create.js';
import type { Adapters } from '../../src/adapters/index.js';
import type { ResolvedConfig } from '../../src/config/load.js';
import { HmsdrError } from '../../src/errors/errors.js';
import { ExitCode } from '../../src/errors/exit-codes.js';
import { runRunbook } from '../../src/runbook/runner.js';
import { previousDatabase, stagingDatabase } from '../../src/names/run-names.js';
import {
  drSnapshot,
  liveSummary,
  PIPELINE_STEPS,
  runPipeline,
  runState,
  sourceSummary,
  statuses,
  waitFor,
  type Attempt,
  type DrSnapshot,
  recreateTemplate1,
} from '../harness/pipeline-faults.js';
import { HANG_MS } from '../harness/deadline.js';
import { LAB_ENV, startPipelineLab, type PipelineLab } from '../harness/pipeline-lab.js';

const PARTITIONS = 60_000;

let lab: PipelineLab;
let sourcePartitions = 0;
beforeAll(async () => {
  Object.assign(process.env, LAB_ENV);
  lab = await startPipelineLab('fparallel', {
    generate: { databases: 2, tablesPerDatabase: 6, partitions: PARTITIONS },
    // Split the large tables so both workers are inside COPY on PARTITIONS & co. at the same time.
    configOverrides: { restore: { transfer: 'parallel', workers: 2, splitAboveMB: 1 } },
  });
  sourcePartitions = (await sourceSummary(lab)).partitions;
}, 120_000);
afterAll(() => lab?.destroy());

async function drAdmin<T extends pg.QueryResultRow>(
  sql: string,
  params: unknown[] = [],
  database = 'postgres',
): Promise<pg.QueryResult<T>> {
  const client = await lab.admin('dr', database);
  try {
    return await client.query<T>(sql, params);
  } finally {
    await client.end();
  }
}

/** Backends of hmsdr still connected to either server (the run must close every one). */
async function hmsdrBackends(side: 'source' | 'dr'): Promise<string[]> {
  const client = await lab.admin(side);
  try {
    const { rows } = await client.query<{ d: string }>(
      `SELECT datname || ': ' || left(query, 60) AS d FROM pg_stat_activity WHERE application_name = 'hmsdr' AND pid <> pg_backend_pid()`,
    );
    return rows.map((r) => r.d);
  } finally {
    await client.end();
  }
}

interface CopyBackend {
  pid: number;
  query: string;
}

interface Faulted {
  attempt: Attempt;
  /** The DR backend that was loading rows when the fault fired. */
  backend: CopyBackend;
  /** From the fault to the end of the run (the failure must surface promptly, not hang). */
  msToFailure: number;
}

/**
 * Starts a run and, alongside it, polls the DR server (its own admin connection, every ~10 ms) for
 * a backend on the run's staging database that is loading rows (`COPY … FROM STDIN`, active);
 * then awaits `fire(backend)` once. Always waits for the run to end before returning.
 */
async function duringCopy(
  start: (onRunId: (runId: string) => void) => Promise<Attempt>,
  fire: (backend: CopyBackend, watcher: pg.Client) => Promise<void>,
): Promise<Faulted> {
  let database: string | undefined;
  let finished = false;
  let endedAt = 0;
  const running = start((runId) => {
    database = stagingDatabase('hive', runId);
  }).finally(() => {
    finished = true;
    endedAt = Date.now();
  });
  const watching = (async (): Promise<{ backend: CopyBackend; firedAt: number } | undefined> => {
    const watcher = await lab.admin('dr');
    watcher.on('error', () => undefined);
    try {
      while (!finished) {
        if (database) {
          const { rows } = await watcher.query<CopyBackend>(
            `SELECT pid, query FROM pg_stat_activity
              WHERE datname = $1 AND state = 'active' AND query LIKE 'COPY %' AND query LIKE '%FROM STDIN%'
              ORDER BY backend_start LIMIT 1`,
            [database],
          );
          if (rows[0]) {
            await fire(rows[0], watcher);
            return { backend: rows[0], firedAt: Date.now() };
          }
        }
        await sleep(10);
      }
      return undefined;
    } finally {
      await watcher.end().catch(() => undefined);
    }
  })();
  const [run, watch] = await Promise.allSettled([running, watching]);
  if (watch.status === 'rejected') throw watch.reason;
  if (run.status === 'rejected') throw run.reason; // runPipeline never rejects; runObserved neither
  if (!watch.value)
    throw new Error(
      `the run ended before any COPY … FROM STDIN was seen on ${database}: ${String((run.value.error as Error | undefined)?.message)}`,
    );
  return { attempt: run.value, backend: watch.value.backend, msToFailure: endedAt - watch.value.firedAt };
}

/** runPipeline's run (dump → restore → verify → swap), also handing over the run's adapters. */
async function runObserved(
  config: ResolvedConfig,
  onAdapters: (adapters: Adapters) => void,
  onRunId: (runId: string) => void,
): Promise<Attempt> {
  let runId = '';
  try {
    const result = await runRunbook({
      config,
      steps: PIPELINE_STEPS,
      adapters: async (run) => {
        const adapters = await createAdapters(config, run);
        onAdapters(adapters);
        return adapters;
      },
      mode: 'rehearse',
      interactive: false,
      yes: true,
      renderer: 'silent',
      commandLine: 'test',
      onRunId: (id) => {
        runId = id;
        onRunId(id);
      },
    });
    return { runId, result };
  } catch (error) {
    return { runId, error };
  }
}

/**
 * The fault stopped the run in dump-metastore; the staging database is gone, the live DR metastore
 * answers and holds exactly what it held, no leftover staging database, no connection left open.
 * Returns the recorded error.
 */
async function expectStoppedInDump(attempt: Attempt, before: DrSnapshot): Promise<{ code: string; message: string }> {
  expect(attempt.result).toBeUndefined();
  expect(attempt.error).toBeInstanceOf(HmsdrError);
  expect((attempt.error as HmsdrError).exitCode).toBe(ExitCode.STEP_FAILED);
  expect(statuses(lab.config, attempt.runId)).toEqual(['failed', 'pending', 'pending', 'pending']);
  const error = runState(lab.config, attempt.runId).steps['dump-metastore']!.error!;
  expect(error).toBeDefined();
  expect(JSON.stringify(error)).not.toContain(LAB_ENV.HMSDR_TEST_DR_PW);
  expect(JSON.stringify(error)).not.toContain(LAB_ENV.HMSDR_TEST_SOURCE_PW);
  expect((attempt.error as Error).message).toContain(`dump-metastore failed: ${error.message}`);

  // First what hmsdr said about the drop: a failed drop names its reason here.
  const events = readFileSync(join(lab.config.runsDirAbs, attempt.runId, 'events.ndjson'), 'utf8');
  expect(events.split('\n').filter((line) => line.includes('staging-drop-failed'))).toEqual([]);
  expect(events).toContain('"staging-dropped"');
  const after = await drSnapshot(lab);
  // The live DR metastore answers (drSnapshot queries it) and is unchanged.
  expect(after.fingerprint).toEqual(before.fingerprint);
  // The staging database was dropped: no <db>_hmsdr_<run> of any run, only earlier runs' _prev_ kept for rollback.
  expect(after.databases).not.toContain(stagingDatabase('hive', attempt.runId));
  expect(after.databases.filter((d) => d.startsWith('hive_hmsdr_') && !d.startsWith('hive_hmsdr_prev_'))).toEqual([]);
  expect(after.databases).toEqual(before.databases);
  expect(events).not.toContain('adapters-close-failed');
  // Every worker and the snapshot holder were closed (the server side notices within moments).
  await waitFor('no hmsdr session on the DR server', async () => (await hmsdrBackends('dr')).length === 0);
  await waitFor('no hmsdr session on the source server', async () => (await hmsdrBackends('source')).length === 0);
  return error;
}

/** A fault on the DR server: the run stops in dump-metastore with E_TRANSFER_DR and `message`; once repaired, resume completes. */
async function failsOnTheDrSide(fault: { inject(): Promise<void>; repair(): Promise<void> }, message: RegExp): Promise<void> {
  await fault.inject();
  let attempt: Attempt;
  try {
    const before = await drSnapshot(lab);
    attempt = await runPipeline(lab.config);
    const error = await expectStoppedInDump(attempt, before);
    expect(error.code).toBe('E_TRANSFER_DR');
    expect(error.message, error.message).toMatch(message);
  } finally {
    await fault.repair();
  }
  await expectResumeCompletes(attempt.runId);
}

/** `resume` runs dump-metastore again (a fresh snapshot) and completes: the live DR holds the source's content. */
async function expectResumeCompletes(runId: string): Promise<void> {
  const resumed = await runPipeline(lab.config, { resumeRunId: runId });
  expect(resumed.error, String((resumed.error as Error | undefined)?.message)).toBeUndefined();
  expect(resumed.result?.complete).toBe(true);
  expect(statuses(lab.config, runId)).toEqual(['done', 'done', 'done', 'done']);
  const state = runState(lab.config, runId);
  const dump = state.steps['dump-metastore']!;
  expect(dump.attempts).toBe(2);
  const output = dump.output as {
    transfer: string;
    workers: number;
    tables: Array<{ table: string; parts: number; rowsSource: number; rowsStream: number; rowsRestored: number }>;
  };
  expect(output.transfer).toBe('parallel');
  expect(output.workers).toBe(2);
  for (const t of output.tables) expect([t.table, t.rowsStream, t.rowsRestored]).toEqual([t.table, t.rowsSource, t.rowsSource]);
  expect(output.tables.find((t) => t.table === 'PARTITIONS')).toMatchObject({ parts: 2, rowsSource: sourcePartitions });
  expect(sourcePartitions).toBe(PARTITIONS);
  expect((state.steps['restore-staging'] as { via?: string }).via).toBe('probe'); // the transfer filled it
  expect(
    (state.steps['verify-staging']!.output as { rungs: Array<{ rung: string; ok: boolean }> }).rungs.map((r) => `${r.rung}:${r.ok}`),
  ).toEqual(['L1:true', 'L2:true', 'L3:true']);
  expect(await liveSummary(lab)).toEqual({ ...(await sourceSummary(lab)), oldLocations: 0 });
  const { databases } = await drSnapshot(lab);
  expect(databases).toContain(previousDatabase('hive', runId));
  expect(databases).not.toContain(stagingDatabase('hive', runId));
  await waitFor('no hmsdr session on the DR server', async () => (await hmsdrBackends('dr')).length === 0);
}

describe('fault matrix: while the parallel transfer streams the tables', () => {
  it("a worker's DR connection terminated mid-COPY: dump-metastore fails naming the table, staging dropped, live unchanged; resume completes", async () => {
    const before = await drSnapshot(lab);
    const { attempt, backend, msToFailure } = await duringCopy(
      (onRunId) => runPipeline(lab.config, { onRunId }),
      async (copy, watcher) => {
        const { rows } = await watcher.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [copy.pid]);
        if (rows[0]?.ok !== true) throw new Error(`could not terminate backend ${copy.pid}`);
      },
    );
    expect(backend.query).toMatch(/^COPY "?public"?\."\w+" \(.*\) FROM STDIN( WITH \(FREEZE\))?$/);
    const table = /^COPY "?public"?\."(\w+)"/.exec(backend.query)![1]!;
    expect(msToFailure).toBeLessThan(HANG_MS); // a hang detector, not a speed check

    const error = await expectStoppedInDump(attempt, before);
    // The worker's error, prefixed with the table (and part) it was loading. Which error pg reports
    // is a race: the server's FATAL "terminating connection due to administrator command", or, when
    // the worker's next CopyData write hits the closed socket first, just "write EPIPE/ECONNRESET".
    expect(error.code).toBe('E_TRANSFER_DR');
    expect(error.message, error.message).toMatch(
      new RegExp(
        `^${table}( \\[\\d/\\d\\])?: the DR connection hmsdr_admin@127\\.0\\.0\\.1:\\d+/hive_hmsdr_${attempt.runId} failed during COPY: (terminating connection due to administrator command \\(SQLSTATE 57P01\\)|write (EPIPE|ECONNRESET)|read ECONNRESET|Connection terminated unexpectedly)$`,
      ),
    );
    await expectResumeCompletes(attempt.runId);
  });

  it('the SSH connection carrying the DR tunnel dropped mid-COPY: dump-metastore fails, staging dropped over a new connection, live unchanged; resume completes', async () => {
    const before = await drSnapshot(lab);
    let adapters: Adapters | undefined;
    let cut: { isOpen: boolean } | undefined;
    const { attempt, backend, msToFailure } = await duringCopy(
      (onRunId) =>
        runObserved(
          lab.config,
          (a) => {
            adapters = a;
          },
          onRunId,
        ),
      async () => {
        const ssh = await adapters!.dr.ssh(); // the connection the tunnel of every DR client runs through
        if (!ssh.isOpen) throw new Error('the DR SSH connection was not open');
        ssh.destroy(); // the TCP link under the tunnel goes away without a goodbye
        cut = ssh;
      },
    );
    expect(backend.query).toMatch(/^COPY .* FROM STDIN/);
    expect(cut?.isOpen).toBe(false);
    expect(msToFailure).toBeLessThan(HANG_MS); // a hang detector, not a speed check

    const error = await expectStoppedInDump(attempt, before);
    // pg only sees its tunnel socket go ("write EPIPE", ...): the error names the lost SSH link instead.
    expect(error.code).toBe('E_SSH_DISCONNECTED');
    expect(error.message).toMatch(
      /^\w+( \[\d\/\d\])?: the SSH connection to the DR site, which carried the database connections, was lost during the copy \(.+\)$/,
    );
    // The staging database is gone although the link was: the site adapter opened a new SSH connection for the cleanup.
    await expectResumeCompletes(attempt.runId);
  });

  it("a key the DR cannot build (a conflicting index name in the DR's template1): fails naming the constraint, staging dropped, live unchanged; fixed, resume completes", async () => {
    // Every new database on the DR server starts with an index named like SDS's primary key.
    const inTemplate1 = (sql: string) => async (): Promise<void> => {
      const template = await lab.admin('dr', 'template1');
      await template.query(sql);
      await template.end();
    };
    await failsOnTheDrSide(
      {
        inject: inTemplate1(`CREATE TABLE hmsdr_fault_dummy (x int); CREATE INDEX "SDS_pkey" ON hmsdr_fault_dummy (x)`),
        repair: inTemplate1('DROP TABLE hmsdr_fault_dummy'),
      },
      /^CONSTRAINT "SDS SDS_pkey": the DR connection hmsdr_admin@127\.0\.0\.1:\d+\/hive_hmsdr_\w+ failed during post-data: relation "SDS_pkey" already exists \(SQLSTATE 42P07\)$/,
    );
  });

  it('a row the DR rejects during COPY FROM (a value its encoding cannot hold): fails naming TABLE_PARAMS, staging dropped, live unchanged; fixed DR, resume completes', async () => {
    // A table comment in Chinese with a euro sign on the source; the DR server's template1 is
    // LATIN1, so the staging database (created from it) cannot store it: COPY of TABLE_PARAMS fails.
    const comment = '销售数据 € 2024';
    const src = await lab.admin('source', 'hive');
    await src.query(
      `INSERT INTO "TABLE_PARAMS" ("TBL_ID", "PARAM_KEY", "PARAM_VALUE") SELECT min("TBL_ID"), 'comment.hmsdr-fault', $1 FROM "TBLS"`,
      [comment],
    );
    await src.end();
    await failsOnTheDrSide(
      // The DBA fixes the DR server's default encoding as the repair.
      { inject: () => recreateTemplate1(lab, 'LATIN1'), repair: () => recreateTemplate1(lab, 'UTF8') },
      /^TABLE_PARAMS( \[\d\/\d\])?: the DR connection .* failed during COPY: character with byte sequence .* in encoding "UTF8" has no equivalent in encoding "LATIN1" \(SQLSTATE 22P05\)$/,
    );
    const { rows } = await drAdmin<{ v: string }>(
      `SELECT "PARAM_VALUE" AS v FROM "TABLE_PARAMS" WHERE "PARAM_KEY" = 'comment.hmsdr-fault'`,
      [],
      'hive',
    );
    expect(rows).toEqual([{ v: comment }]);
  });
});
