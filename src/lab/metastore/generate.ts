// Fills a Hive metastore (lab DDL or upstream schema) with databases, tables of every type,
// partitions with their own SD and SERDE, params, functions, skew, privileges, statistics and
// notifications, all located under one NameNode authority. Set-based SQL only (generate_series,
// INSERT … SELECT): the foreign keys are dropped for the load and re-added, which validates them.
import type { PgClient } from '../../adapters/postgres/connection.js';
import { quoteIdent } from '../../adapters/postgres/sql-text.js';
import { readSchemaVersion, type SchemaFamily } from '../../adapters/postgres/schema-version.js';
import { UsageError } from '../../errors/errors.js';
import { insertFunctionsAndRoles, insertNotifications, type Params, updateSequences } from './generate-events.js';

export interface GenerateOptions {
  databases: number;
  /** Tables per database (every 10th a view, every 10th a materialized view, 2 in 10 external). */
  tablesPerDatabase: number;
  /** Partitions in total, spread over the partitioned tables. */
  partitions: number;
  /** scheme://authority every location is under, e.g. hdfs://nn1.prod:8020. */
  authority: string;
  databasePrefix?: string;
  functionsPerDatabase?: number;
  notifications?: number;
  /** Epoch seconds written as create times (fixed for reproducible output). */
  now?: number;
}

export interface GenerateResult {
  schemaVersion: string;
  databases: number;
  tables: number;
  partitions: number;
  functions: number;
  notifications: number;
  elapsedMs: number;
}

const AUTHORITY = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/\s']+$/;

/** Generate into the metastore `client` is connected to; one transaction. */
export async function generateMetastore(client: PgClient, options: GenerateOptions): Promise<GenerateResult> {
  const started = Date.now();
  if (!AUTHORITY.test(options.authority))
    throw new UsageError(`--authority must be scheme://authority without path or quotes, got ${options.authority}`);
  for (const key of ['databases', 'tablesPerDatabase', 'partitions'] as const) {
    if (!Number.isInteger(options[key]) || options[key] < 0) throw new UsageError(`${key} must be a non-negative integer`);
  }
  const version = await readSchemaVersion(client, 'the target database');
  const family = version.family;
  const p = {
    D: options.databases,
    T: options.tablesPerDatabase,
    P: options.partitions,
    auth: options.authority,
    prefix: options.databasePrefix ?? 'lab_db',
    F: options.functionsPerDatabase ?? 2,
    now: options.now ?? Math.floor(Date.now() / 1000),
  };
  const q = (sql: string, params: unknown[] = []): Promise<unknown> => client.query(sql, params);

  await q('BEGIN');
  try {
    await q('SET LOCAL synchronous_commit = off');
    const fks = await dropForeignKeys(client);
    const base = async (table: string, column: string): Promise<number> => {
      const { rows } = await client.query<{ m: string }>(`SELECT coalesce(max(${quoteIdent(column)}), 0) AS m FROM ${quoteIdent(table)}`);
      return Number(rows[0]?.m ?? 0);
    };
    const b = {
      db: await base('DBS', 'DB_ID'),
      tbl: await base('TBLS', 'TBL_ID'),
      sd: await base('SDS', 'SD_ID'),
      serde: await base('SERDES', 'SERDE_ID'),
      cd: await base('CDS', 'CD_ID'),
      part: await base('PARTITIONS', 'PART_ID'),
      func: await base('FUNCS', 'FUNC_ID'),
      sl: await base('SKEWED_STRING_LIST', 'STRING_LIST_ID'),
      tcs: await base('TAB_COL_STATS', 'CS_ID'),
      pcs: await base('PART_COL_STATS', 'CS_ID'),
      dbp: await base('DB_PRIVS', 'DB_GRANT_ID'),
      tblp: await base('TBL_PRIVS', 'TBL_GRANT_ID'),
      colp: await base('TBL_COL_PRIVS', 'TBL_COLUMN_GRANT_ID'),
      partp: await base('PART_PRIVS', 'PART_GRANT_ID'),
    };

    await createWorkTables(client, p, b);
    const { rows: counts } = await client.query<{ nt: string; np: string }>(`SELECT count(*) AS nt, count(pn) AS np FROM lab_tbl`);
    const NT = Number(counts[0]?.nt ?? 0);
    const NP = Number(counts[0]?.np ?? 0);
    if (p.P > 0 && NP === 0)
      throw new UsageError(
        'partitions requested but no partitioned table: raise --tables (every odd-numbered managed/external table is partitioned)',
      );
    await q(
      `CREATE TEMP TABLE lab_part ON COMMIT DROP AS
       SELECT $1::bigint + g + 1 AS part_id, $2::bigint + $4::bigint + g + 1 AS sd_id, $3::bigint + $4::bigint + g + 1 AS serde_id,
              t.tbl_id, t.cd_id, t.db_name, t.tbl_name, t.kind, t.location AS tbl_location, g / $5 AS k,
              format('dt=%s/hr=%s', to_char(date '2020-01-01' + (g / $5 / 24)::int, 'YYYY-MM-DD'), lpad(((g / $5) % 24)::text, 2, '0')) AS part_name,
              to_char(date '2020-01-01' + (g / $5 / 24)::int, 'YYYY-MM-DD') AS dt, ((g / $5) % 24)::text AS hr
         FROM generate_series(0, $6::bigint - 1) g JOIN lab_tbl t ON t.pn = (g % $5) + 1`,
      [b.part, b.sd, b.serde, NT, Math.max(NP, 1), p.P],
    );
    await q('ANALYZE lab_part');

    await insertDatabases(client, family, p);
    await insertTables(client, family, p);
    await insertPartitions(client, family, p);
    await insertFunctionsAndRoles(client, family, p, b.func);
    const notifications = await insertNotifications(client, family, p, options.notifications ?? 5);
    await updateSequences(client);

    for (const fk of fks) await q(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${quoteIdent(fk.name)} ${fk.definition}`);
    await q('COMMIT');
    const NF = p.D * p.F;
    return {
      schemaVersion: version.version,
      databases: p.D,
      tables: NT,
      partitions: p.P,
      functions: NF,
      notifications,
      elapsedMs: Date.now() - started,
    };
  } catch (error) {
    await q('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

interface ForeignKey {
  table: string;
  name: string;
  definition: string;
}

async function dropForeignKeys(client: PgClient): Promise<ForeignKey[]> {
  const { rows } = await client.query<{ tbl: string; name: string; def: string }>(
    `SELECT conrelid::regclass::text AS tbl, conname AS name, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace ORDER BY 1, 2`,
  );
  for (const fk of rows) await client.query(`ALTER TABLE ${fk.tbl} DROP CONSTRAINT ${quoteIdent(fk.name)}`);
  return rows.map((r) => ({ table: r.tbl, name: r.name, definition: r.def }));
}

/** lab_db / lab_tbl: one row per database / table with every id and location decided up front. */
async function createWorkTables(client: PgClient, p: Params, b: Record<string, number>): Promise<void> {
  await client.query(
    `CREATE TEMP TABLE lab_db ON COMMIT DROP AS
     SELECT $1::bigint + d AS db_id, d, format('%s_%s', $2::text, lpad(d::text, 3, '0')) AS name FROM generate_series(1, $3::int) d`,
    [b.db, p.prefix, p.D],
  );
  await client.query(
    `CREATE TEMP TABLE lab_tbl ON COMMIT DROP AS
     WITH base AS (
       SELECT row_number() OVER (ORDER BY db.d, i) AS n, db.db_id, db.name AS db_name, i, format('t_%s', lpad(i::text, 4, '0')) AS tbl_name,
              CASE WHEN i % 10 = 0 THEN 'VIRTUAL_VIEW' WHEN i % 10 = 9 THEN 'MATERIALIZED_VIEW'
                   WHEN i % 10 IN (7, 8) THEN 'EXTERNAL_TABLE' ELSE 'MANAGED_TABLE' END AS kind
         FROM lab_db db CROSS JOIN generate_series(1, $1::int) i)
     SELECT base.*, $2::bigint + n AS tbl_id, $3::bigint + n AS sd_id, $4::bigint + n AS serde_id, $5::bigint + n AS cd_id,
            CASE WHEN kind = 'VIRTUAL_VIEW' THEN NULL
                 WHEN kind = 'EXTERNAL_TABLE' THEN format('%s/warehouse/tablespace/external/hive/%s.db/%s', $6::text, db_name, tbl_name)
                 ELSE format('%s/warehouse/tablespace/managed/hive/%s.db/%s', $6::text, db_name, tbl_name) END AS location,
            CASE WHEN kind IN ('MANAGED_TABLE', 'EXTERNAL_TABLE') AND i % 2 = 1
                 THEN row_number() OVER (PARTITION BY kind IN ('MANAGED_TABLE', 'EXTERNAL_TABLE') AND i % 2 = 1 ORDER BY n) END AS pn
       FROM base`,
    [p.T, b.tbl, b.sd, b.serde, b.cd, p.auth],
  );
  await client.query('ANALYZE lab_db; ANALYZE lab_tbl');
  await client.query(
    `CREATE TEMP TABLE lab_skew ON COMMIT DROP AS
    SELECT t.*, $1::bigint + row_number() OVER (ORDER BY n) AS sl_id FROM lab_tbl t WHERE kind = 'MANAGED_TABLE' AND i % 10 = 2`,
    [b.sl],
  );
  await client.query(
    `CREATE TEMP TABLE lab_base ON COMMIT DROP AS SELECT $1::bigint AS tcs, $2::bigint AS pcs, $3::bigint AS dbp, $4::bigint AS tblp, $5::bigint AS colp, $6::bigint AS partp`,
    [b.tcs, b.pcs, b.dbp, b.tblp, b.colp, b.partp],
  );
}

const SERDE_SQL = `CASE WHEN kind = 'VIRTUAL_VIEW' THEN NULL WHEN i % 10 = 3 THEN 'org.apache.hadoop.hive.serde2.avro.AvroSerDe'
  WHEN i % 10 = 4 THEN 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' ELSE 'org.apache.hadoop.hive.ql.io.orc.OrcSerde' END`;
const INPUT_SQL = `CASE WHEN kind = 'VIRTUAL_VIEW' THEN 'org.apache.hadoop.mapred.SequenceFileInputFormat' WHEN i % 10 = 3 THEN 'org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat'
  WHEN i % 10 = 4 THEN 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat' ELSE 'org.apache.hadoop.hive.ql.io.orc.OrcInputFormat' END`;
const OUTPUT_SQL = `CASE WHEN kind = 'VIRTUAL_VIEW' THEN 'org.apache.hadoop.hive.ql.io.HiveSequenceFileOutputFormat' WHEN i % 10 = 3 THEN 'org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat'
  WHEN i % 10 = 4 THEN 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat' ELSE 'org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat' END`;

async function insertDatabases(client: PgClient, family: SchemaFamily, p: Params): Promise<void> {
  const cols = ['"DB_ID"', '"DESC"', '"DB_LOCATION_URI"', '"NAME"', '"OWNER_NAME"', '"OWNER_TYPE"'];
  const vals = [
    `db_id`,
    `'hmsdr lab database'`,
    `format('%s/warehouse/tablespace/external/hive/%s.db', $1::text, name)`,
    'name',
    `'hive'`,
    `'USER'`,
  ];
  if (family !== '2') {
    cols.push('"CTLG_NAME"');
    vals.push(`'hive'`);
  }
  if (family === '4') {
    cols.push('"CREATE_TIME"', '"DB_MANAGED_LOCATION_URI"', '"TYPE"');
    vals.push('$2::bigint', `format('%s/warehouse/tablespace/managed/hive/%s.db', $1::text, name)`, `'NATIVE'`);
  }
  await client.query(
    `INSERT INTO "DBS" (${cols.join(', ')}) SELECT ${vals.join(', ')} FROM lab_db`,
    family === '4' ? [p.auth, p.now] : [p.auth],
  );
  await client.query(
    `INSERT INTO "DATABASE_PARAMS" SELECT db_id, 'created.by', 'hmsdr-lab' FROM lab_db
    UNION ALL SELECT db_id, 'hive.repl.ckpt.key', format('%s/user/hive/repl/%s', $1::text, name) FROM lab_db WHERE d = 1`,
    [p.auth],
  );
  const auth = family !== '2' ? ', "AUTHORIZER"' : '';
  await client.query(
    `INSERT INTO "DB_PRIVS" ("DB_GRANT_ID", "CREATE_TIME", "DB_ID", "GRANT_OPTION", "GRANTOR", "GRANTOR_TYPE", "PRINCIPAL_NAME", "PRINCIPAL_TYPE", "DB_PRIV"${auth})
    SELECT (SELECT dbp FROM lab_base) + d, $1, db_id, 0, 'hive', 'USER', 'analyst', 'ROLE', 'SELECT'${family !== '2' ? ', NULL' : ''} FROM lab_db`,
    [p.now],
  );
}

async function insertTables(client: PgClient, family: SchemaFamily, p: Params): Promise<void> {
  const v3 = family !== '2';
  const q = (sql: string, params: unknown[] = []): Promise<unknown> => client.query(sql, params);
  await q(`INSERT INTO "CDS" SELECT cd_id FROM lab_tbl`);
  await q(`INSERT INTO "COLUMNS_V2" ("CD_ID", "COMMENT", "COLUMN_NAME", "TYPE_NAME", "INTEGER_IDX")
    SELECT cd_id, NULL, c.name, c.type, c.idx FROM lab_tbl CROSS JOIN (VALUES ('id', 'bigint', 0), ('name', 'string', 1), ('amount', 'decimal(18,2)', 2), ('payload', 'string', 3)) c(name, type, idx)`);
  await q(`INSERT INTO "SERDES" ("SERDE_ID", "NAME", "SLIB") SELECT serde_id, NULL, ${SERDE_SQL} FROM lab_tbl`);
  await q(`INSERT INTO "SERDE_PARAMS" SELECT serde_id, 'serialization.format', '1' FROM lab_tbl
    UNION ALL SELECT serde_id, 'path', location FROM lab_tbl WHERE i % 10 = 4 AND location IS NOT NULL`);
  await q(`INSERT INTO "SDS" ("SD_ID", "INPUT_FORMAT", "IS_COMPRESSED", "LOCATION", "NUM_BUCKETS", "OUTPUT_FORMAT", "SERDE_ID", "CD_ID", "IS_STOREDASSUBDIRECTORIES")
    SELECT sd_id, ${INPUT_SQL}, false, location, -1, ${OUTPUT_SQL}, serde_id, cd_id, (kind = 'MANAGED_TABLE' AND i % 10 = 2) FROM lab_tbl`);
  const tcols = [
    '"TBL_ID"',
    '"CREATE_TIME"',
    '"DB_ID"',
    '"LAST_ACCESS_TIME"',
    '"OWNER"',
    '"RETENTION"',
    '"SD_ID"',
    '"TBL_NAME"',
    '"TBL_TYPE"',
    '"VIEW_EXPANDED_TEXT"',
    '"VIEW_ORIGINAL_TEXT"',
    '"IS_REWRITE_ENABLED"',
  ];
  // Views select from the table before them; their text is what Hive stores (original and expanded).
  const tvals = [
    'tbl_id',
    '$1',
    'db_id',
    '0',
    `'hive'`,
    '0',
    'sd_id',
    'tbl_name',
    `CASE WHEN kind = 'MATERIALIZED_VIEW' AND $2 THEN 'VIRTUAL_VIEW' ELSE kind END`,
    `CASE WHEN kind IN ('VIRTUAL_VIEW', 'MATERIALIZED_VIEW') THEN format('SELECT \`t\`.\`id\`, \`t\`.\`name\` FROM \`%s\`.\`t_%s\` \`t\`', db_name, lpad((i - 1)::text, 4, '0')) END`,
    `CASE WHEN kind IN ('VIRTUAL_VIEW', 'MATERIALIZED_VIEW') THEN format('select id, name from %s.t_%s', db_name, lpad((i - 1)::text, 4, '0')) END`,
    `kind = 'MATERIALIZED_VIEW' AND NOT $2`,
  ];
  if (v3) {
    tcols.push('"OWNER_TYPE"');
    tvals.push(`'USER'`);
  }
  await q(`INSERT INTO "TBLS" (${tcols.join(', ')}) SELECT ${tvals.join(', ')} FROM lab_tbl`, [p.now, !v3]);
  await q(
    `INSERT INTO "TABLE_PARAMS" SELECT tbl_id, 'transient_lastDdlTime', $1::text FROM lab_tbl
    UNION ALL SELECT tbl_id, 'EXTERNAL', 'TRUE' FROM lab_tbl WHERE kind = 'EXTERNAL_TABLE'
    UNION ALL SELECT tbl_id, 'numFiles', '1' FROM lab_tbl WHERE location IS NOT NULL
    UNION ALL SELECT tbl_id, 'avro.schema.url', format('%s/schemas/%s/%s.avsc', $2::text, db_name, tbl_name) FROM lab_tbl WHERE i % 10 = 3
    UNION ALL SELECT tbl_id, 'spark.sql.sources.provider', 'parquet' FROM lab_tbl WHERE i % 10 = 4`,
    [String(p.now), p.auth],
  );
  await q(`INSERT INTO "PARTITION_KEYS" ("TBL_ID", "PKEY_COMMENT", "PKEY_NAME", "PKEY_TYPE", "INTEGER_IDX")
    SELECT tbl_id, NULL, 'dt', 'string', 0 FROM lab_tbl WHERE pn IS NOT NULL UNION ALL SELECT tbl_id, NULL, 'hr', 'int', 1 FROM lab_tbl WHERE pn IS NOT NULL`);
  await q(
    `INSERT INTO "TAB_COL_STATS" (${statsColumns(family, false)}) SELECT (SELECT tcs FROM lab_base) + row_number() OVER (ORDER BY n), ${statsNames(family, false)}
      'id', 'bigint', tbl_id, 1, 1000000, 0, 1000, $1${family === '4' ? `, 'hive'` : ''} FROM lab_tbl WHERE location IS NOT NULL`,
    [p.now],
  );
  const auth = v3 ? ', "AUTHORIZER"' : '';
  const authv = v3 ? ', NULL' : '';
  await q(
    `INSERT INTO "TBL_PRIVS" ("TBL_GRANT_ID", "CREATE_TIME", "GRANT_OPTION", "GRANTOR", "GRANTOR_TYPE", "PRINCIPAL_NAME", "PRINCIPAL_TYPE", "TBL_PRIV", "TBL_ID"${auth})
    SELECT (SELECT tblp FROM lab_base) + n, $1, 1, 'hive', 'USER', 'hive', 'USER', 'ALL', tbl_id${authv} FROM lab_tbl`,
    [p.now],
  );
  await q(
    `INSERT INTO "TBL_COL_PRIVS" ("TBL_COLUMN_GRANT_ID", "COLUMN_NAME", "CREATE_TIME", "GRANT_OPTION", "GRANTOR", "GRANTOR_TYPE", "PRINCIPAL_NAME", "PRINCIPAL_TYPE", "TBL_COL_PRIV", "TBL_ID"${auth})
    SELECT (SELECT colp FROM lab_base) + row_number() OVER (ORDER BY n), 'name', $1, 0, 'hive', 'USER', 'analyst', 'ROLE', 'SELECT', tbl_id${authv} FROM lab_tbl WHERE i % 10 = 1`,
    [p.now],
  );
  // List bucketing: skewed values stored as sub-directories with their own locations.
  await q(`INSERT INTO "SKEWED_STRING_LIST" SELECT sl_id FROM lab_skew`);
  await q(`INSERT INTO "SKEWED_STRING_LIST_VALUES" SELECT sl_id, 'a', 0 FROM lab_skew`);
  await q(`INSERT INTO "SKEWED_COL_NAMES" SELECT sd_id, 'name', 0 FROM lab_skew`);
  await q(`INSERT INTO "SKEWED_VALUES" SELECT sd_id, sl_id, 0 FROM lab_skew`);
  await q(`INSERT INTO "SKEWED_COL_VALUE_LOC_MAP" SELECT sd_id, sl_id, location || '/name=a' FROM lab_skew`);
  if (v3) {
    await q(
      `INSERT INTO "MV_CREATION_METADATA" ("MV_CREATION_METADATA_ID", "CAT_NAME", "DB_NAME", "TBL_NAME", "TXN_LIST", "MATERIALIZATION_TIME")
      SELECT coalesce((SELECT max("MV_CREATION_METADATA_ID") FROM "MV_CREATION_METADATA"), 0) + row_number() OVER (ORDER BY n), 'hive', db_name, tbl_name, NULL, $1
        FROM lab_tbl WHERE kind = 'MATERIALIZED_VIEW'`,
      [p.now],
    );
    await q(`INSERT INTO "MV_TABLES_USED" ("MV_CREATION_METADATA_ID", "TBL_ID")
      SELECT m."MV_CREATION_METADATA_ID", src.tbl_id FROM lab_tbl mv
        JOIN "MV_CREATION_METADATA" m ON m."DB_NAME" = mv.db_name AND m."TBL_NAME" = mv.tbl_name
        JOIN lab_tbl src ON src.db_id = mv.db_id AND src.i = mv.i - 1 WHERE mv.kind = 'MATERIALIZED_VIEW'`);
  }
}

function statsColumns(family: SchemaFamily, partition: boolean): string {
  const names =
    family === '4'
      ? []
      : [...(family === '3' ? ['"CAT_NAME"'] : []), '"DB_NAME"', '"TABLE_NAME"', ...(partition ? ['"PARTITION_NAME"'] : [])];
  return [
    '"CS_ID"',
    ...names,
    '"COLUMN_NAME"',
    '"COLUMN_TYPE"',
    partition ? '"PART_ID"' : '"TBL_ID"',
    '"LONG_LOW_VALUE"',
    '"LONG_HIGH_VALUE"',
    '"NUM_NULLS"',
    '"NUM_DISTINCTS"',
    '"LAST_ANALYZED"',
    ...(family === '4' ? ['"ENGINE"'] : []),
  ].join(', ');
}

function statsNames(family: SchemaFamily, partition: boolean): string {
  if (family === '4') return '';
  return [...(family === '3' ? [`'hive'`] : []), 'db_name', 'tbl_name', ...(partition ? ['part_name'] : [])].join(', ') + ',';
}

async function insertPartitions(client: PgClient, family: SchemaFamily, p: Params): Promise<void> {
  const q = (sql: string, params: unknown[] = []): Promise<unknown> => client.query(sql, params);
  await q(
    `INSERT INTO "SERDES" ("SERDE_ID", "NAME", "SLIB") SELECT serde_id, NULL, 'org.apache.hadoop.hive.ql.io.orc.OrcSerde' FROM lab_part`,
  );
  await q(`INSERT INTO "SERDE_PARAMS" SELECT serde_id, 'serialization.format', '1' FROM lab_part`);
  await q(`INSERT INTO "SDS" ("SD_ID", "INPUT_FORMAT", "IS_COMPRESSED", "LOCATION", "NUM_BUCKETS", "OUTPUT_FORMAT", "SERDE_ID", "CD_ID", "IS_STOREDASSUBDIRECTORIES")
    SELECT sd_id, 'org.apache.hadoop.hive.ql.io.orc.OrcInputFormat', false, tbl_location || '/' || part_name, -1, 'org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat', serde_id, cd_id, false FROM lab_part`);
  await q(
    `INSERT INTO "PARTITIONS" ("PART_ID", "CREATE_TIME", "LAST_ACCESS_TIME", "PART_NAME", "SD_ID", "TBL_ID") SELECT part_id, $1, 0, part_name, sd_id, tbl_id FROM lab_part`,
    [p.now],
  );
  await q(`INSERT INTO "PARTITION_KEY_VALS" SELECT part_id, dt, 0 FROM lab_part UNION ALL SELECT part_id, hr, 1 FROM lab_part`);
  await q(
    `INSERT INTO "PARTITION_PARAMS" SELECT part_id, 'transient_lastDdlTime', $1::text FROM lab_part
    UNION ALL SELECT part_id, 'numFiles', '1' FROM lab_part UNION ALL SELECT part_id, 'totalSize', (1024 + k % 4096)::text FROM lab_part`,
    [String(p.now)],
  );
  await q(
    `INSERT INTO "PART_COL_STATS" (${statsColumns(family, true)}) SELECT (SELECT pcs FROM lab_base) + row_number() OVER (ORDER BY part_id), ${statsNames(family, true)}
      'id', 'bigint', part_id, 1, 1000, 0, 100, $1${family === '4' ? `, 'hive'` : ''} FROM lab_part WHERE k % 10 = 0`,
    [p.now],
  );
  const auth = family !== '2' ? ', "AUTHORIZER"' : '';
  await q(
    `INSERT INTO "PART_PRIVS" ("PART_GRANT_ID", "CREATE_TIME", "GRANT_OPTION", "GRANTOR", "GRANTOR_TYPE", "PRINCIPAL_NAME", "PRINCIPAL_TYPE", "PART_ID", "PART_PRIV"${auth})
    SELECT (SELECT partp FROM lab_base) + row_number() OVER (ORDER BY part_id), $1, 0, 'hive', 'USER', 'analyst', 'ROLE', part_id, 'SELECT'${family !== '2' ? ', NULL' : ''} FROM lab_part WHERE k = 0`,
    [p.now],
  );
}
