// Real pg_dump → rewriter → psql restore, for the upstream Hive 2.3.0 / 3.1.0 / 4.2.0 schemas:
// exactly the expected values change, every other value of every table is byte-identical.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRewriter, type RewriteReport } from '../../src/rewrite/index.js';
import { startTestPg, type PgCluster } from '../harness/postgres.js';
import { hiveSchemaFile } from '../harness/hive-schemas.js';

const OLD = 'hdfs://nn1:8020';
const NEW = 'hdfs://drns';
const TRICKY = `tab\there, back\\slash, new\nline, CR\r, ünïcödé ☃, ${OLD}/in-a-comment`;

type Row = Record<string, string | number | boolean | null>;

async function columnsOf(db: pg.Client, table: string): Promise<Map<string, { nullable: boolean; hasDefault: boolean; type: string }>> {
  const { rows } = await db.query<{ column_name: string; is_nullable: string; column_default: string | null; data_type: string }>(
    'select column_name, is_nullable, column_default, data_type from information_schema.columns where table_schema = $1 and table_name = $2',
    ['public', table],
  );
  return new Map(
    rows.map((r) => [r.column_name, { nullable: r.is_nullable === 'YES', hasDefault: r.column_default !== null, type: r.data_type }]),
  );
}

/** Insert the given values (those whose column exists in this version) and fill other NOT NULL columns. */
async function insert(db: pg.Client, table: string, row: Row): Promise<void> {
  const columns = await columnsOf(db, table);
  if (columns.size === 0) return; // table absent in this version
  const values: Row = {};
  for (const [k, v] of Object.entries(row)) if (columns.has(k)) values[k] = v;
  for (const [name, c] of columns) {
    if (name in values || c.nullable || c.hasDefault) continue;
    values[name] = /int|numeric/.test(c.type) ? 0 : c.type === 'boolean' ? false : 'x';
  }
  const names = Object.keys(values);
  await db.query(
    `insert into "${table}" (${names.map((n) => `"${n}"`).join(', ')}) values (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
    Object.values(values),
  );
}

/** Fill every URI column of the version (plus values that must stay). */
async function fill(db: pg.Client): Promise<void> {
  await db.query(`update "CTLGS" set "LOCATION_URI" = '${OLD}/warehouse/catalog'`).catch(() => undefined);
  const owner = { OWNER_NAME: 'hive', OWNER_TYPE: 'USER', CTLG_NAME: 'hive' };
  await insert(db, 'DBS', {
    DB_ID: 1,
    NAME: 'db1',
    DB_LOCATION_URI: `${OLD}/warehouse/db1.db`,
    DB_MANAGED_LOCATION_URI: `${OLD}/managed/db1.db`,
    DESC: TRICKY,
    ...owner,
  });
  await insert(db, 'DBS', { DB_ID: 2, NAME: 'db2', DB_LOCATION_URI: 'hdfs://nn10:8020/warehouse/db2.db', DESC: null, ...owner });
  await insert(db, 'DBS', {
    DB_ID: 3,
    NAME: 'db3',
    DB_LOCATION_URI: 's3a://bucket/warehouse/db3.db',
    DB_MANAGED_LOCATION_URI: null,
    ...owner,
  });
  await insert(db, 'DATABASE_PARAMS', { DB_ID: 1, PARAM_KEY: 'path', PARAM_VALUE: `${OLD}/p` });
  await insert(db, 'DATABASE_PARAMS', { DB_ID: 1, PARAM_KEY: 'comment', PARAM_VALUE: `${OLD}/c` });
  await insert(db, 'SERDES', { SERDE_ID: 1, NAME: 'serde', SLIB: 'org.apache.hadoop.hive.ql.io.orc.OrcSerde' });
  await insert(db, 'SERDE_PARAMS', { SERDE_ID: 1, PARAM_KEY: 'path', PARAM_VALUE: `${OLD}/warehouse/db1.db/t1` });
  await insert(db, 'SERDE_PARAMS', { SERDE_ID: 1, PARAM_KEY: 'serialization.format', PARAM_VALUE: '1' });
  const sd = (id: number, location: string | null): Row => ({
    SD_ID: id,
    LOCATION: location,
    SERDE_ID: 1,
    INPUT_FORMAT: 'in',
    OUTPUT_FORMAT: 'out',
    IS_COMPRESSED: false,
    IS_STOREDASSUBDIRECTORIES: false,
    NUM_BUCKETS: -1,
  });
  await insert(db, 'SDS', sd(1, `${OLD}/warehouse/db1.db/t1`));
  await insert(db, 'SDS', sd(2, 'HDFS://NN1:8020/warehouse/db1.db/t1/p=1'));
  await insert(db, 'SDS', sd(3, 'hdfs://nn1:80200/warehouse/x'));
  await insert(db, 'SDS', sd(4, null));
  await insert(db, 'SDS', sd(5, 'hdfs://nn1.example.com:8020/x'));
  await insert(db, 'SDS', sd(6, 's3a://bucket/warehouse/t6'));
  await insert(db, 'SDS', sd(7, `${OLD}/dir with\ttab/and\\backslash/ünï\nnl`));
  await insert(db, 'SDS', sd(8, 'hdfs://nn10:8020/warehouse/t8'));
  await insert(db, 'SD_PARAMS', { SD_ID: 1, PARAM_KEY: 'avro.schema.url', PARAM_VALUE: `${OLD}/schemas/s.avsc` });
  const tbl = { CREATE_TIME: 1, LAST_ACCESS_TIME: 0, OWNER: 'hive', OWNER_TYPE: 'USER', RETENTION: 0, IS_REWRITE_ENABLED: false };
  await insert(db, 'TBLS', { TBL_ID: 1, DB_ID: 1, SD_ID: 1, TBL_NAME: 't1', TBL_TYPE: 'MANAGED_TABLE', ...tbl });
  await insert(db, 'TBLS', {
    TBL_ID: 2,
    DB_ID: 1,
    SD_ID: 4,
    TBL_NAME: 'v1',
    TBL_TYPE: 'VIRTUAL_VIEW',
    VIEW_ORIGINAL_TEXT: `select * from t where p = '${OLD}/x'`,
    VIEW_EXPANDED_TEXT: 'select 1',
    ...tbl,
  });
  await insert(db, 'TABLE_PARAMS', { TBL_ID: 1, PARAM_KEY: 'avro.schema.url', PARAM_VALUE: `${OLD}/schemas/t1.avsc` });
  await insert(db, 'TABLE_PARAMS', {
    TBL_ID: 1,
    PARAM_KEY: 'metadata_location',
    PARAM_VALUE: `${OLD}/ice/t1/metadata/00001.metadata.json`,
  });
  await insert(db, 'TABLE_PARAMS', { TBL_ID: 1, PARAM_KEY: 'comment', PARAM_VALUE: `see ${OLD}/x` });
  await insert(db, 'TABLE_PARAMS', { TBL_ID: 1, PARAM_KEY: 'numFiles', PARAM_VALUE: '3' });
  await insert(db, 'PARTITIONS', { PART_ID: 1, TBL_ID: 1, SD_ID: 2, PART_NAME: 'p=1', CREATE_TIME: 1, LAST_ACCESS_TIME: 0 });
  await insert(db, 'PARTITION_PARAMS', { PART_ID: 1, PARAM_KEY: 'path', PARAM_VALUE: `${OLD}/warehouse/db1.db/t1/p=1` });
  await insert(db, 'PARTITION_PARAMS', { PART_ID: 1, PARAM_KEY: 'transient_lastDdlTime', PARAM_VALUE: '1' });
  await insert(db, 'SKEWED_STRING_LIST', { STRING_LIST_ID: 1 });
  await insert(db, 'SKEWED_COL_VALUE_LOC_MAP', { SD_ID: 1, STRING_LIST_ID_KID: 1, LOCATION: `${OLD}/warehouse/db1.db/t1/sk=a` });
  await insert(db, 'FUNCS', {
    FUNC_ID: 1,
    DB_ID: 1,
    FUNC_NAME: 'f',
    CLASS_NAME: 'com.x.F',
    CREATE_TIME: 1,
    FUNC_TYPE: 1,
    OWNER_NAME: 'hive',
    OWNER_TYPE: 'USER',
  });
  await insert(db, 'FUNC_RU', { FUNC_ID: 1, RESOURCE_TYPE: 1, RESOURCE_URI: `${OLD}/jars/udf.jar`, INTEGER_IDX: 0 });
  await insert(db, 'NOTIFICATION_LOG', {
    NL_ID: 1,
    EVENT_ID: 1,
    EVENT_TIME: 1,
    EVENT_TYPE: 'CREATE_TABLE',
    MESSAGE: `{"location":"${OLD}/x"}`,
    MESSAGE_FORMAT: 'json-0.2',
  });
}

/** The expected result, written independently of the rewriter: these exact values, nothing else. */
async function applyExpected(db: pg.Client, version: string): Promise<number> {
  const n = (sql: string): Promise<number> => db.query(sql).then((r) => r.rowCount ?? 0);
  let changed = 0;
  if (version !== '2.3.0') changed += await n(`update "CTLGS" set "LOCATION_URI" = '${NEW}/warehouse/catalog'`);
  changed += await n(`update "DBS" set "DB_LOCATION_URI" = '${NEW}/warehouse/db1.db' where "DB_ID" = 1`);
  if (version === '4.2.0') changed += await n(`update "DBS" set "DB_MANAGED_LOCATION_URI" = '${NEW}/managed/db1.db' where "DB_ID" = 1`);
  changed += await n(`update "DATABASE_PARAMS" set "PARAM_VALUE" = '${NEW}/p' where "PARAM_KEY" = 'path'`);
  changed += await n(`update "SERDE_PARAMS" set "PARAM_VALUE" = '${NEW}/warehouse/db1.db/t1' where "PARAM_KEY" = 'path'`);
  changed += await n(`update "SDS" set "LOCATION" = '${NEW}/warehouse/db1.db/t1' where "SD_ID" = 1`);
  changed += await n(`update "SDS" set "LOCATION" = '${NEW}/warehouse/db1.db/t1/p=1' where "SD_ID" = 2`);
  changed += await n(`update "SDS" set "LOCATION" = E'${NEW}/dir with\\ttab/and\\\\backslash/ünï\\nnl' where "SD_ID" = 7`);
  changed += await n(`update "SD_PARAMS" set "PARAM_VALUE" = '${NEW}/schemas/s.avsc'`);
  changed += await n(`update "TABLE_PARAMS" set "PARAM_VALUE" = '${NEW}/schemas/t1.avsc' where "PARAM_KEY" = 'avro.schema.url'`);
  changed += await n(
    `update "TABLE_PARAMS" set "PARAM_VALUE" = '${NEW}/ice/t1/metadata/00001.metadata.json' where "PARAM_KEY" = 'metadata_location'`,
  );
  changed += await n(`update "PARTITION_PARAMS" set "PARAM_VALUE" = '${NEW}/warehouse/db1.db/t1/p=1' where "PARAM_KEY" = 'path'`);
  changed += await n(`update "SKEWED_COL_VALUE_LOC_MAP" set "LOCATION" = '${NEW}/warehouse/db1.db/t1/sk=a'`);
  changed += await n(`update "FUNC_RU" set "RESOURCE_URI" = '${NEW}/jars/udf.jar'`);
  return changed;
}

/** md5 of every table's rows (text form, sorted) and its row count. */
async function fingerprint(db: pg.Client): Promise<Record<string, string>> {
  const { rows: tables } = await db.query<{ t: string }>("select tablename as t from pg_tables where schemaname = 'public' order by 1");
  const out: Record<string, string> = {};
  for (const { t } of tables) {
    const { rows } = await db.query<{ n: string; h: string | null }>(
      `select count(*)::text as n, md5(string_agg(x::text, E'\\x01' order by x::text)) as h from public.${pg.Client.prototype.escapeIdentifier(t)} x`,
    );
    out[t] = `${rows[0]?.n}:${rows[0]?.h ?? ''}`;
  }
  return out;
}

function run(file: string, args: string[]): void {
  const r = spawnSync(file, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} → ${r.status}: ${r.stderr}`);
}

describe('rewrite of real pg_dump output of the upstream Hive schemas', () => {
  let cluster: PgCluster;
  let dir: string;
  beforeAll(async () => {
    cluster = await startTestPg('rewrite');
    dir = mkdtempSync(join(tmpdir(), 'hmsdr-rewrite-'));
  });
  afterAll(() => {
    cluster?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(['2.3.0', '3.1.0', '4.2.0'])('Hive %s: exactly the expected values change', async (version) => {
    const src = `src_${version.replace(/\./g, '_')}`;
    const dst = `dst_${version.replace(/\./g, '_')}`;
    const admin = new pg.Client({ connectionString: cluster.url() });
    await admin.connect();
    await admin.query(`create database ${src}`);
    await admin.query(`create database ${dst}`);
    await admin.end();
    const psql = join(cluster.binDir, 'psql');
    run(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', cluster.url(src), '-f', hiveSchemaFile(version)]);
    const db = new pg.Client({ connectionString: cluster.url(src) });
    await db.connect();
    try {
      await fill(db);

      // pg_dump | rewriter > file
      const file = join(dir, `${version}.sql`);
      const dump = spawn(join(cluster.binDir, 'pg_dump'), ['--no-owner', '-d', cluster.url(src)], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<number | null>((res) => dump.on('close', res));
      const rewriter = createRewriter({
        rules: [{ from: OLD, to: NEW }],
        parameterKeys: ['avro.schema.url', 'path', 'metadata_location', 'previous_metadata_location', 'location'],
        allParameterKeys: false,
        maxValueLength: 4000,
      });
      await pipeline(dump.stdout, rewriter, createWriteStream(file));
      expect(await exited).toBe(0);
      const report: RewriteReport = rewriter.report();
      run(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-d', cluster.url(dst), '-f', file]);

      const changed = await applyExpected(db, version);
      const restored = new pg.Client({ connectionString: cluster.url(dst) });
      await restored.connect();
      try {
        const [want, got] = [await fingerprint(db), await fingerprint(restored)];
        expect(got).toEqual(want);
        // Row counts seen in the stream = rows in the restored database, for every table.
        expect(report.rowsPerTable).toEqual(Object.fromEntries(Object.entries(got).map(([t, fp]) => [t, Number(fp.split(':')[0])])));
      } finally {
        await restored.end();
      }
      const rewrites = Object.values(report.rewritesPerColumn).reduce((a, b) => a + b, 0);
      expect(rewrites).toBe(changed);
      expect(report.rewritesPerColumn).toMatchObject({
        'SDS.LOCATION': 3,
        'FUNC_RU.RESOURCE_URI': 1,
        'SKEWED_COL_VALUE_LOC_MAP.LOCATION': 1,
        'TABLE_PARAMS.PARAM_VALUE': 2,
      });
      expect(report.hiveVersion).toBe(version);
      const left = report.leftAlone.map((l) => `${l.table}.${l.column}`).sort();
      expect(left).toEqual([
        'DATABASE_PARAMS.PARAM_VALUE',
        'DBS.DESC',
        'NOTIFICATION_LOG.MESSAGE',
        'TABLE_PARAMS.PARAM_VALUE',
        'TBLS.VIEW_ORIGINAL_TEXT',
      ]);
    } finally {
      await db.end();
    }
  });
});
