// restore.transfer: streamed on real parts: the rewritten dump is staged on the DR host and, at the
// same time, restored by psql --single-transaction into the staging database. Same result as the
// staged path; a restore failure stops the stream (no complete-looking file, staging dropped).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText, type ResolvedConfig } from '../../src/config/load.js';
import { HmsdrError } from '../../src/errors/errors.js';
import { stagingDatabase } from '../../src/names/run-names.js';
import { within } from '../harness/deadline.js';
import { databaseFingerprint, LAB_ENV, startPipelineLab, type PipelineLab } from '../harness/pipeline-lab.js';
import {
  drSnapshot,
  killPgDump,
  liveSummary,
  recreateTemplate1,
  runPipeline,
  runState,
  sourceSummary,
  stagedFiles,
  statuses,
} from '../harness/pipeline-faults.js';

let lab: PipelineLab;
beforeAll(async () => {
  Object.assign(process.env, LAB_ENV);
  lab = await startPipelineLab('streamed', { generate: { partitions: 3000 } });
});
afterAll(() => lab?.destroy());

// biome-ignore lint/suspicious/noExplicitAny: the raw YAML document is edited freely
type RawConfig = Record<string, any>;

function withTransfer(transfer: string, over: (raw: RawConfig) => void = () => undefined): ResolvedConfig {
  const raw = parse(readFileSync(lab.configFile, 'utf8')) as RawConfig;
  raw['restore'] = { transfer };
  over(raw);
  return parseConfigText(stringify(raw), lab.configFile, process.env);
}

async function fingerprintOf(database: string): Promise<Record<string, string>> {
  const client = await lab.admin('dr', database);
  try {
    return await databaseFingerprint(client);
  } finally {
    await client.end();
  }
}

describe('streamed transfer', () => {
  it("stages the dump and restores it in the same pass: the staged path's result, restore-staging already done", async () => {
    const config = withTransfer('streamed');
    const attempt = await runPipeline(config);
    expect(attempt.error, String((attempt.error as Error | undefined)?.message)).toBeUndefined();
    const state = runState(config, attempt.runId);
    const dump = state.steps['dump-metastore']!.output!;
    expect(dump['transfer']).toBe('streamed');
    expect(dump['sha256']).toBe(dump['remoteSha256']);
    expect(dump['exitStatus']).toEqual({ pg_dump: 0, rewriter: 'ok', upload: 0, psql: 0, 'post-data': 0 });
    expect(stagedFiles(lab)).toContain(`hmsdr-${attempt.runId}.sql`);
    // psql stopped where the post-data begins; the keys, indexes and foreign keys ran on 2 connections.
    const events = readFileSync(join(config.runsDirAbs, attempt.runId, 'events.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const postData = events.find((e) => e['event'] === 'post-data-applied') ?? {};
    expect(postData).toMatchObject({ connections: 2, database: stagingDatabase('hive', attempt.runId) });
    expect((postData['byType'] as Record<string, number>)['FK CONSTRAINT']).toBeGreaterThan(0);
    expect((postData['phases'] as Array<{ name: string }>).map((p) => p.name)).toEqual([
      'keys, indexes and foreign keys',
      'after foreign keys',
    ]);
    // restore-staging found the database marked with this run and this dump's sha256.
    expect((state.steps['restore-staging'] as { via?: string }).via).toBe('probe');
    expect(
      (state.steps['verify-staging']!.output!['rungs'] as Array<{ rung: string; ok: boolean }>).map((r) => `${r.rung}:${r.ok}`),
    ).toEqual(['L1:true', 'L2:true', 'L3:true']);
    expect(await liveSummary(lab)).toEqual({ ...(await sourceSummary(lab)), oldLocations: 0 });

    // The staged path restores the same file into its own staging database: same content.
    const staged = await runPipeline(withTransfer('staged'));
    expect(staged.error).toBeUndefined();
    expect(await fingerprintOf(`hive_hmsdr_prev_${staged.runId}`)).toEqual(await fingerprintOf('hive'));
  });

  it('with the DR server reached directly (via: local), psql runs here, fed on stdin', async () => {
    const config = withTransfer('streamed', (raw) => {
      raw['dr'].metastore.via = 'local';
      raw['dr'].stagingDir = join(lab.dir, 'local-staging');
    });
    const attempt = await runPipeline(config);
    expect(attempt.error, String((attempt.error as Error | undefined)?.message)).toBeUndefined();
    expect((runState(config, attempt.runId).steps['restore-staging'] as { via?: string }).via).toBe('probe');
    expect(await liveSummary(lab)).toEqual({ ...(await sourceSummary(lab)), oldLocations: 0 });
  });

  it('pg_dump killed mid-stream: psql is stopped before it sees an end of input (nothing half-restored commits), no staged file, staging dropped, live unchanged; resume completes', async () => {
    const config = withTransfer('streamed');
    const before = await drSnapshot(lab);
    const filesBefore = stagedFiles(lab);
    let killed: number[] = [];
    // psql is killed, not waited for: a psql left waiting for the rest of its input would hang the run.
    const attempt = await within(
      'the run whose pg_dump was killed',
      runPipeline(config, {
        faults: {
          dumpOutput: {
            afterBytes: 256 * 1024,
            fire: async () => {
              killed = await killPgDump(lab.source.port);
            },
          },
        },
      }),
    );
    expect(killed).toHaveLength(1);
    expect(statuses(config, attempt.runId)).toEqual(['failed', 'pending', 'pending', 'pending']);
    const error = runState(config, attempt.runId).steps['dump-metastore']!.error!;
    expect(error.message).toMatch(/pg_dump .*killed by SIGKILL/);
    expect(stagedFiles(lab)).toEqual(filesBefore);
    expect(await drSnapshot(lab)).toEqual(before);
    const resumed = await runPipeline(config, { resumeRunId: attempt.runId });
    expect(resumed.error, String((resumed.error as Error | undefined)?.message)).toBeUndefined();
    expect(await liveSummary(lab)).toEqual({ ...(await sourceSummary(lab)), oldLocations: 0 });
  });

  it("a row the DR rejects stops the stream: psql's error, no staged file, staging dropped, live unchanged; fixed, resume completes", async () => {
    const config = withTransfer('streamed');
    const src = await lab.admin('source', 'hive');
    await src.query(
      `INSERT INTO "TABLE_PARAMS" ("TBL_ID", "PARAM_KEY", "PARAM_VALUE") SELECT min("TBL_ID"), 'comment.hmsdr-streamed', '销售 €' FROM "TBLS"`,
    );
    await src.end();
    await recreateTemplate1(lab, 'LATIN1');
    let runId: string;
    try {
      const before = await drSnapshot(lab);
      const filesBefore = stagedFiles(lab);
      const attempt = await runPipeline(config);
      runId = attempt.runId;
      expect(attempt.error).toBeInstanceOf(HmsdrError);
      expect(statuses(config, runId)).toEqual(['failed', 'pending', 'pending', 'pending']);
      const error = runState(config, runId).steps['dump-metastore']!.error!;
      expect(error.code).toBe('E_COMMAND');
      expect(error.message).toMatch(/psql .* exited with code 3/);
      expect(error.stderrTail).toMatch(/has no equivalent in encoding "LATIN1"/);
      expect(JSON.stringify(error)).not.toContain(LAB_ENV.HMSDR_TEST_DR_PW);
      // No .part left; a staged file of this run exists only when the upload had completed (and
      // was checked) before psql failed: then it is the whole dump. Nothing half-restored is kept.
      const added = stagedFiles(lab).filter((f) => !filesBefore.includes(f));
      expect(added.filter((f) => f !== `hmsdr-${runId}.sql`)).toEqual([]);
      for (const file of added) expect(readFileSync(join(lab.stagingDir, file), 'utf8')).toContain('-- PostgreSQL database dump complete');
      const after = await drSnapshot(lab);
      expect(after.databases).not.toContain(stagingDatabase('hive', runId));
      expect(after).toEqual(before);
    } finally {
      await recreateTemplate1(lab, 'UTF8');
    }
    const resumed = await runPipeline(config, { resumeRunId: runId });
    expect(resumed.error, String((resumed.error as Error | undefined)?.message)).toBeUndefined();
    expect(statuses(config, runId)).toEqual(['done', 'done', 'done', 'done']);
    const live = await lab.admin('dr', 'hive');
    const { rows } = await live.query(`SELECT "PARAM_VALUE" AS v FROM "TABLE_PARAMS" WHERE "PARAM_KEY" = 'comment.hmsdr-streamed'`);
    await live.end();
    expect(rows).toEqual([{ v: '销售 €' }]);
  });

  it('a key the DR cannot build after psql committed the data: fails naming the constraint, staging dropped, live unchanged; fixed, resume completes', async () => {
    const config = withTransfer('streamed');
    // Every new database on the DR server starts with an index named like SDS's primary key.
    const inTemplate1 = async (sql: string): Promise<void> => {
      const template = await lab.admin('dr', 'template1');
      await template.query(sql);
      await template.end();
    };
    await inTemplate1(`CREATE TABLE hmsdr_fault_dummy (x int); CREATE INDEX "SDS_pkey" ON hmsdr_fault_dummy (x)`);
    let runId: string;
    try {
      const before = await drSnapshot(lab);
      const attempt = await runPipeline(config);
      runId = attempt.runId;
      expect(attempt.error).toBeInstanceOf(HmsdrError);
      expect(statuses(config, runId)).toEqual(['failed', 'pending', 'pending', 'pending']);
      const error = runState(config, runId).steps['dump-metastore']!.error!;
      expect(error.message).toMatch(
        /^CONSTRAINT "SDS SDS_pkey": the DR connection \S+@127\.0\.0\.1:\d+\/hive_hmsdr_\w+ failed during post-data: relation "SDS_pkey" already exists \(SQLSTATE 42P07\)$/,
      );
      expect(JSON.stringify(error)).not.toContain(LAB_ENV.HMSDR_TEST_DR_PW);
      const after = await drSnapshot(lab);
      expect(after.databases).not.toContain(stagingDatabase('hive', runId));
      expect(after).toEqual(before);
    } finally {
      await inTemplate1('DROP TABLE hmsdr_fault_dummy');
    }
    const resumed = await runPipeline(config, { resumeRunId: runId });
    expect(resumed.error, String((resumed.error as Error | undefined)?.message)).toBeUndefined();
    expect(statuses(config, runId)).toEqual(['done', 'done', 'done', 'done']);
    expect(await liveSummary(lab)).toEqual({ ...(await sourceSummary(lab)), oldLocations: 0 });
  });
});
