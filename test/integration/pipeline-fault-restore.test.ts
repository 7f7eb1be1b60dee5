// FAULT MATRIX, restore half: faults after the dump was staged, while restore-staging loads it into
// <db>_hmsdr_<run> on the DR server (real PostgreSQL servers, real sshd). After each: the live DR
// metastore answers and is unchanged, the run state names the step and the error code, and the run
// is completed by `resume` once the cause is gone (a tampered file needs a new dump: a new run).
import { closeSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HmsdrError } from '../../src/errors/errors.js';
import { ExitCode } from '../../src/errors/exit-codes.js';
import { parseRestoredComment, stagingDatabase } from '../../src/names/run-names.js';
import {
  drSnapshot,
  liveSummary,
  runPipeline,
  runState,
  sourceSummary,
  statuses,
  type Attempt,
  recreateTemplate1,
} from '../harness/pipeline-faults.js';
import { LAB_ENV, startPipelineLab, type PipelineLab } from '../harness/pipeline-lab.js';

let lab: PipelineLab;
beforeAll(async () => {
  Object.assign(process.env, LAB_ENV);
  // ~20k partitions: psql needs long enough that the DR server can be killed while it loads COPY data.
  lab = await startPipelineLab('frestore', { generate: { databases: 2, tablesPerDatabase: 6, partitions: 20_000 } });
}, 120_000);
afterAll(() => lab?.destroy());

/** The fault stopped the run in restore-staging with `code`; the dump step is done. */
function expectStoppedInRestore(attempt: Attempt, code: string, exitCode: number): { message: string; stderrTail?: string; hint?: string } {
  expect(attempt.result).toBeUndefined();
  expect(attempt.error).toBeInstanceOf(HmsdrError);
  expect((attempt.error as HmsdrError).exitCode).toBe(exitCode);
  expect(statuses(lab.config, attempt.runId)).toEqual(['done', 'failed', 'pending', 'pending']);
  const error = runState(lab.config, attempt.runId).steps['restore-staging']!.error!;
  expect(error.code).toBe(code);
  expect(JSON.stringify(error)).not.toContain(LAB_ENV.HMSDR_TEST_DR_PW);
  return error;
}

async function expectCompleted(attempt: Attempt): Promise<void> {
  expect(attempt.error).toBeUndefined();
  expect(attempt.result?.complete).toBe(true);
  expect(statuses(lab.config, attempt.runId)).toEqual(['done', 'done', 'done', 'done']);
  expect(await liveSummary(lab)).toEqual({ ...(await sourceSummary(lab)), oldLocations: 0 });
  const { databases } = await drSnapshot(lab);
  expect(databases).toContain(`hive_hmsdr_prev_${attempt.runId}`);
  expect(databases).not.toContain(stagingDatabase('hive', attempt.runId));
}

async function drAdmin(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = await lab.admin('dr');
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

describe('fault matrix: while the staged dump is restored', () => {
  it('DR PostgreSQL killed during the restore: psql fails, nothing half-restored is trusted, live unchanged; resume completes', async () => {
    const before = await drSnapshot(lab);
    let killedDuring = '';
    const attempt = await runPipeline(lab.config, {
      faults: {
        restore: {
          // Once psql is loading COPY data into the staging database, stop the DR server hard.
          fire: async () => {
            const watcher = await lab.admin('dr');
            watcher.on('error', () => undefined);
            try {
              for (let i = 0; i < 1500 && !killedDuring; i += 1) {
                const { rows } = await watcher.query<{ query: string }>(
                  `SELECT query FROM pg_stat_activity WHERE datname LIKE 'hive\\_hmsdr\\_%' AND application_name = 'hmsdr' AND query ILIKE 'COPY %'`,
                );
                if (rows[0]) killedDuring = rows[0].query.slice(0, 60);
                else await sleep(10);
              }
            } finally {
              await watcher.end().catch(() => undefined);
            }
            if (killedDuring) lab.dr.stop('immediate');
          },
        },
      },
    });
    expect(killedDuring).toMatch(/^COPY /);
    try {
      const error = expectStoppedInRestore(attempt, 'E_COMMAND', ExitCode.STEP_FAILED);
      expect(error.message).toMatch(/psql .* exited with code 2/);
      expect(error.stderrTail).toMatch(/server closed the connection|terminating connection|connection to server/i);
    } finally {
      lab.dr.start();
    }
    // The server is back: the live metastore answers with exactly what it held. The staging
    // database could not be dropped while the server was down; if it is there it holds nothing
    // (the single transaction never committed) and carries no "restored" mark.
    const after = await drSnapshot(lab);
    expect(after.fingerprint).toEqual(before.fingerprint);
    const staging = stagingDatabase('hive', attempt.runId);
    expect(after.databases.filter((d) => d !== staging)).toEqual(before.databases);
    if (after.databases.includes(staging)) {
      const { rows } = await drAdmin(`SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1`, [staging]);
      expect(parseRestoredComment(rows[0]?.c)).toBeUndefined();
      const client = await lab.admin('dr', staging);
      const { rows: tables } = await client.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`);
      await client.end();
      expect(tables[0].n).toBe(0);
    }
    const events = readFileSync(join(lab.config.runsDirAbs, attempt.runId, 'events.ndjson'), 'utf8');
    expect(events).toMatch(/staging-drop-failed|staging-dropped/);
    // Resume drops the leftover and restores again from the same staged dump.
    await expectCompleted(await runPipeline(lab.config, { resumeRunId: attempt.runId }));
  });

  it('a row the DR rejects (a value the DR encoding cannot hold): rolled back, staging dropped, live unchanged; fixed DR, resume completes', async () => {
    // The source holds a table comment in Chinese with a euro sign; the rewriter passes it byte for
    // byte. The DR server's template1 is LATIN1 (an old server set up with a Latin-1 default), so
    // the staging database cannot store it: the COPY of TABLE_PARAMS fails mid-restore.
    const comment = '销售数据 € 2024';
    const src = await lab.admin('source', 'hive');
    await src.query(
      `INSERT INTO "TABLE_PARAMS" ("TBL_ID", "PARAM_KEY", "PARAM_VALUE") SELECT min("TBL_ID"), 'comment.hmsdr-fault', $1 FROM "TBLS"`,
      [comment],
    );
    await src.end();
    await recreateTemplate1(lab, 'LATIN1');
    const before = await drSnapshot(lab);
    let attempt: Attempt;
    try {
      attempt = await runPipeline(lab.config);
      const error = expectStoppedInRestore(attempt, 'E_COMMAND', ExitCode.STEP_FAILED);
      expect(error.message).toMatch(/psql .* exited with code 3/); // ON_ERROR_STOP
      expect(error.stderrTail).toMatch(/has no equivalent in encoding "LATIN1"/);
      expect(error.stderrTail).toMatch(/TABLE_PARAMS/);
      // Single transaction + the step's cleanup: no staging database, the live one untouched.
      expect(await drSnapshot(lab)).toEqual(before);
      const events = readFileSync(join(lab.config.runsDirAbs, attempt.runId, 'events.ndjson'), 'utf8');
      expect(events).toContain('staging-dropped');
    } finally {
      await recreateTemplate1(lab, 'UTF8'); // the DBA fixes the DR server's default encoding
    }
    await expectCompleted(await runPipeline(lab.config, { resumeRunId: attempt.runId }));
    const live = await lab.admin('dr', 'hive');
    const { rows } = await live.query(`SELECT "PARAM_VALUE" AS v FROM "TABLE_PARAMS" WHERE "PARAM_KEY" = 'comment.hmsdr-fault'`);
    await live.end();
    expect(rows).toEqual([{ v: comment }]);
  });

  it('a staged file altered between dump and restore: L1 refuses it (exit 5), nothing restored; resume refuses again; a new run completes', async () => {
    const before = await drSnapshot(lab);
    let tampered = '';
    const attempt = await runPipeline(lab.config, {
      faults: {
        // After the remote sha256 check and the rename: one byte in the middle of the file changes on the DR disk.
        uploaded: (result) => {
          const at = Math.floor(statSync(result.remotePath).size / 2);
          const fd = openSync(result.remotePath, 'r+');
          const byte = Buffer.alloc(1);
          readSync(fd, byte, 0, 1, at);
          writeSync(fd, Buffer.from([byte[0]! ^ 0x01]), 0, 1, at);
          closeSync(fd);
          tampered = result.remotePath;
        },
      },
    });
    expect(tampered).not.toBe('');
    const error = expectStoppedInRestore(attempt, 'E_VERIFY', ExitCode.VERIFY_FAILED);
    expect(error.message).toMatch(/not the one this run streamed/);
    // Refused while psql restored: the staging database dropped again, the live one untouched.
    expect(await drSnapshot(lab)).toEqual(before);
    // Resume re-checks the file and refuses again: a tampered dump is never restored.
    const again = await runPipeline(lab.config, { resumeRunId: attempt.runId });
    expectStoppedInRestore(again, 'E_VERIFY', ExitCode.VERIFY_FAILED);
    expect(runState(lab.config, attempt.runId).steps['restore-staging']!.attempts).toBe(2);
    expect(await drSnapshot(lab)).toEqual(before);
    // The dump of that run cannot be re-taken by resume (dump-metastore is recorded done): a new run stages a fresh one.
    await expectCompleted(await runPipeline(lab.config));
  });
});
