// The lab DDL must be a faithful subset of the upstream Hive scripts: every table and column it
// creates exists upstream with the same type. What it leaves out is printed.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labMetastoreDdl } from '../../src/lab/metastore/ddl.js';
import { LAB_HIVE_VERSIONS } from '../../src/lab/metastore/versions.js';
import { startTestPg, type PgCluster } from '../harness/postgres.js';
import { hiveSchemaFile } from '../harness/hive-schemas.js';

let cluster: PgCluster;

async function columns(db: string, sql: string): Promise<Map<string, string>> {
  const admin = new pg.Client({ connectionString: cluster.url() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  const client = new pg.Client({ connectionString: cluster.url(db) });
  await client.connect();
  try {
    await client.query(sql);
    const { rows } = await client.query<{ k: string; t: string }>(
      `SELECT table_name || '.' || column_name AS k,
              data_type || coalesce('(' || character_maximum_length || ')', '') || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END AS t
         FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    return new Map(rows.map((r) => [r.k, r.t]));
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  cluster = await startTestPg('ddl');
});
afterAll(() => cluster?.destroy());

describe.each(LAB_HIVE_VERSIONS)('lab DDL for Hive %s', (version) => {
  it('creates only tables and columns that exist upstream, with the same types', async () => {
    const tag = version.replaceAll('.', '');
    const upstreamSql = readFileSync(hiveSchemaFile(version), 'utf8');
    const upstream = await columns(`up_${tag}`, upstreamSql);
    const lab = await columns(`lab_${tag}`, labMetastoreDdl(version));
    const mismatches = [...lab]
      .filter(([k, t]) => upstream.get(k) !== t)
      .map(([k, t]) => `${k}: lab ${t}, upstream ${upstream.get(k) ?? 'missing'}`);
    expect(mismatches).toEqual([]);
    const tablesOf = (m: Map<string, string>): Set<string> => new Set([...m.keys()].map((k) => k.split('.')[0]!));
    const left = [...tablesOf(upstream)].filter((t) => !tablesOf(lab).has(t)).sort();
    console.log(
      `Hive ${version}: lab DDL has ${tablesOf(lab).size} of ${tablesOf(upstream).size} upstream tables; left out: ${left.join(', ')}`,
    );
    for (const must of [
      'VERSION',
      'DBS',
      'TBLS',
      'SDS',
      'PARTITIONS',
      'FUNC_RU',
      'SKEWED_COL_VALUE_LOC_MAP',
      'SEQUENCE_TABLE',
      'NOTIFICATION_SEQUENCE',
    ]) {
      expect(tablesOf(lab).has(must)).toBe(true);
    }
  });
});
