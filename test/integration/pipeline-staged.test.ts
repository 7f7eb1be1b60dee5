// The staged transfer end to end on real parts: source PostgreSQL → pg_dump → rewriter → SSH
// (real sshd) → staging file → psql into <db>_hmsdr_<run> on a separate DR server → verify → swap.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { parseConfigText } from '../../src/config/load.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapters } from '../../src/adapters/create.js';
import { runRunbook } from '../../src/runbook/runner.js';
import { dumpMetastore } from '../../src/steps/dump-metastore.js';
import { restoreStaging } from '../../src/steps/restore-staging.js';
import { swapMetastore } from '../../src/steps/swap-metastore.js';
import { verifyStaging } from '../../src/steps/verify-staging.js';
import { LAB_ENV, startPipelineLab, type PipelineLab } from '../harness/pipeline-lab.js';
import { runPipeline, TRANSFER_STEPS } from '../harness/pipeline-faults.js';

let lab: PipelineLab;
beforeAll(async () => {
  Object.assign(process.env, LAB_ENV);
  lab = await startPipelineLab('pipe');
});
afterAll(() => lab?.destroy());

describe('staged transfer', () => {
  it('dumps, rewrites, ships over SSH, restores into staging, verifies and swaps', async () => {
    const src = await lab.admin('source', 'hive');
    const { rows: srcLocations } = await src.query<{ n: string }>(
      `SELECT count(*) AS n FROM "SDS" WHERE "LOCATION" LIKE 'hdfs://nn1.prod:8020/%'`,
    );
    const { rows: srcParts } = await src.query<{ n: string }>(`SELECT count(*) AS n FROM "PARTITIONS"`);
    await src.end();
    // Staging databases earlier runs left behind: retention keeps the newest two.
    const dr0 = await lab.admin('dr');
    for (const day of ['01', '02', '03']) await dr0.query(`CREATE DATABASE hive_hmsdr_202001${day}t000000 OWNER hive`);
    await dr0.end();

    const result = await runRunbook({
      config: lab.config,
      steps: [dumpMetastore, restoreStaging, verifyStaging, swapMetastore],
      adapters: (run) => createAdapters(lab.config, run),
      mode: 'rehearse',
      interactive: false,
      yes: true,
      renderer: 'silent',
      commandLine: 'test',
    });
    expect(result.complete).toBe(true);
    const state = JSON.parse(readFileSync(join(result.runDir, 'state.json'), 'utf8'));
    const dump = state.steps['dump-metastore'].output;
    expect(dump.sha256).toBe(dump.remoteSha256);
    expect(dump.rewritesPerColumn['SDS.LOCATION']).toBe(Number(srcLocations[0]!.n));
    expect(existsSync(join(lab.stagingDir, `hmsdr-${result.runId}.sql`))).toBe(true);
    expect(state.steps['verify-staging'].output.rungs.map((r: { rung: string; ok: boolean }) => `${r.rung}:${r.ok}`)).toEqual([
      'L1:true',
      'L2:true',
      'L3:true',
    ]);

    const live = await lab.admin('dr', 'hive');
    const { rows: liveParts } = await live.query<{ n: string }>(`SELECT count(*) AS n FROM "PARTITIONS"`);
    expect(liveParts[0]!.n).toBe(srcParts[0]!.n);
    const { rows: old } = await live.query<{ n: string }>(`SELECT count(*) AS n FROM "SDS" WHERE "LOCATION" LIKE '%nn1.prod%'`);
    expect(old[0]!.n).toBe('0');
    const { rows: owner } = await live.query<{ o: string }>(`SELECT tableowner AS o FROM pg_tables WHERE tablename = 'SDS'`);
    expect(owner[0]!.o).toBe('hive');
    await live.end();
    const admin = await lab.admin('dr');
    const { rows: dbs } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'hive%' ORDER BY 1`);
    expect(dbs.map((d) => d.datname)).toEqual([
      'hive',
      'hive_hmsdr_20200102t000000',
      'hive_hmsdr_20200103t000000',
      `hive_hmsdr_prev_${result.runId}`,
    ]);
    expect(state.steps['swap-metastore'].output.prunedPrevious).toEqual(['hive_hmsdr_20200101t000000']);
    await admin.end();
  });

  it('stages locally when the DR side is reached without SSH (dr.metastore.via: local)', async () => {
    const raw = parse(readFileSync(lab.configFile, 'utf8')) as { dr: { metastore: { via: string }; stagingDir: string } };
    raw.dr.metastore.via = 'local';
    raw.dr.stagingDir = join(lab.dir, 'local-staging');
    const config = parseConfigText(stringify(raw), lab.configFile, process.env);
    const attempt = await runPipeline(config, { steps: TRANSFER_STEPS });
    expect(attempt.result?.complete, String((attempt.error as Error | undefined)?.message)).toBe(true);
    const result = attempt.result!;
    const staged = join(lab.dir, 'local-staging', `hmsdr-${result.runId}.sql`);
    expect(existsSync(staged)).toBe(true);
    expect(existsSync(`${staged}.part`)).toBe(false);
    const state = JSON.parse(readFileSync(join(result.runDir, 'state.json'), 'utf8'));
    expect(state.steps['dump-metastore'].output.stagedOn).toBe('local');
    expect(state.steps['verify-staging'].output.rungs.every((r: { ok: boolean }) => r.ok)).toBe(true);
  });

  it('is strict about a rule that matches nothing: dump-metastore fails (exit 5) naming the near miss; nothing is staged', async () => {
    const raw = parse(readFileSync(lab.configFile, 'utf8')) as { rewrite?: { rules?: unknown[] }; dr: { stagingDir: string } };
    // The data say hdfs://nn1.prod:8020/…: a rule without the port matches none of it.
    raw.rewrite = { ...raw.rewrite, rules: [{ from: 'hdfs://nn1.prod', to: 'hdfs://nn1.dr:8020' }] };
    raw.dr.stagingDir = join(lab.dir, 'strict-staging');
    const config = parseConfigText(stringify(raw), lab.configFile, process.env);
    const attempt = await runPipeline(config, { steps: TRANSFER_STEPS });
    expect(attempt.result?.complete).not.toBe(true);
    expect((attempt.error as { exitCode?: number } | undefined)?.exitCode).toBe(5);
    const state = JSON.parse(readFileSync(join(config.runsDirAbs, attempt.runId, 'state.json'), 'utf8'));
    expect(state.steps['dump-metastore'].status).toBe('failed');
    expect(state.steps['dump-metastore'].error.message).toMatch(/rule\(s\) matched nothing while their host occurs with another port/);
    expect(existsSync(join(lab.dir, 'strict-staging')) ? readdirSync(join(lab.dir, 'strict-staging')) : []).toEqual([]);
  });
});
