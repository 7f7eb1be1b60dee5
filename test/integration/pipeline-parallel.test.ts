// The parallel transfer (restore.transfer: parallel) on real parts, for each Hive schema version:
// its staging database must equal the staged path's (same rows per table, same content hash per
// table, same constraints and indexes), with split tables, the DR reached through the SSH tunnel.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { stringify, parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfigText, type ResolvedConfig } from '../../src/config/load.js';
import type { LabHiveVersion } from '../../src/lab/metastore/versions.js';
import { runPipeline, TRANSFER_STEPS } from '../harness/pipeline-faults.js';
import { databaseFingerprint, LAB_ENV, startPipelineLab, type PipelineLab } from '../harness/pipeline-lab.js';

Object.assign(process.env, LAB_ENV);
const labs: PipelineLab[] = [];
afterAll(() => Promise.all(labs.map((lab) => lab.destroy())));

function withRestore(lab: PipelineLab, restore: Record<string, unknown>): ResolvedConfig {
  const raw = parse(readFileSync(lab.configFile, 'utf8')) as Record<string, unknown>;
  raw['restore'] = restore;
  return parseConfigText(stringify(raw), lab.configFile, process.env);
}

async function transfer(config: ResolvedConfig) {
  const attempt = await runPipeline(config, { steps: TRANSFER_STEPS });
  const state = JSON.parse(readFileSync(join(config.runsDirAbs, attempt.runId, 'state.json'), 'utf8'));
  return {
    result: {
      complete: attempt.error === undefined && attempt.result?.complete === true,
      runId: attempt.runId,
      runDir: join(config.runsDirAbs, attempt.runId),
    },
    state,
  };
}

/** Constraints and indexes of the public schema, as sorted definitions. */
async function schemaObjects(client: pg.Client): Promise<string[]> {
  const { rows: constraints } = await client.query<{ d: string }>(`
    SELECT c.conrelid::regclass::text || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) AS d
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'`);
  const { rows: indexes } = await client.query<{ d: string }>(`SELECT indexdef AS d FROM pg_indexes WHERE schemaname = 'public'`);
  const { rows: owners } = await client.query<{ d: string }>(
    `SELECT tablename || ' owned by ' || tableowner AS d FROM pg_tables WHERE schemaname = 'public'`,
  );
  return [...constraints, ...indexes, ...owners].map((r) => r.d).sort();
}

describe.each<LabHiveVersion>(['2.3.0', '3.1.0', '4.2.0'])('parallel transfer, Hive %s', (version) => {
  it("gives the staged path's staging database, with split tables and per-table evidence", async () => {
    const lab = await startPipelineLab(`par-${version}`, { hiveVersion: version, generate: { partitions: 4000 } });
    labs.push(lab);
    const staged = await transfer(withRestore(lab, { transfer: 'staged' }));
    expect(staged.result.complete).toBe(true);
    const parallel = await transfer(withRestore(lab, { transfer: 'parallel', workers: 3, splitAboveMB: 0.1 }));
    expect(parallel.result.complete, JSON.stringify(parallel.state.steps, null, 1).slice(0, 3000)).toBe(true);

    const dump = parallel.state.steps['dump-metastore'].output;
    expect(dump.transfer).toBe('parallel');
    expect(dump.workers).toBe(3);
    const split = dump.tables.filter((t: { parts: number }) => t.parts > 1).map((t: { table: string }) => t.table);
    expect(split).toContain('PARTITIONS');
    for (const t of dump.tables) {
      expect([t.rowsStream, t.rowsRestored]).toEqual([t.rowsSource, t.rowsSource]);
      expect(t.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    const stagedDump = staged.state.steps['dump-metastore'].output;
    expect(dump.rowsPerTable).toEqual(stagedDump.rowsPerTable);
    expect(dump.rewritesPerColumn).toEqual(stagedDump.rewritesPerColumn);
    expect(dump.hiveVersion).toBe(version);
    expect(parallel.state.steps['restore-staging'].via).toBe('probe');
    const streams = JSON.parse(readFileSync(join(parallel.result.runDir, 'parallel-streams.json'), 'utf8'));
    expect(streams.postData.builtWithData).toBeGreaterThan(10); // keys built as each table finished, foreign keys in the tail
    expect(streams.postData.builtWithData).toBeLessThanOrEqual(streams.postData.entries);
    expect(parallel.state.steps['verify-staging'].output.rungs.map((r: { rung: string; ok: boolean }) => `${r.rung}:${r.ok}`)).toEqual([
      'L1:true',
      'L2:true',
      'L3:true',
    ]);

    const a = await lab.admin('dr', `hive_hmsdr_${staged.result.runId}`);
    const b = await lab.admin('dr', `hive_hmsdr_${parallel.result.runId}`);
    try {
      const [fa, fb] = await Promise.all([databaseFingerprint(a), databaseFingerprint(b)]);
      expect(Object.keys(fb).length).toBeGreaterThan(40);
      expect(fb).toEqual(fa);
      expect(await schemaObjects(b)).toEqual(await schemaObjects(a));
      const { rows } = await b.query<{ n: string }>(`SELECT count(*) AS n FROM "SDS" WHERE "LOCATION" LIKE '%nn1.prod%'`);
      expect(rows[0]?.n).toBe('0');
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });
});
