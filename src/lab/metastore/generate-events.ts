// The generator's last phases (see generate.ts): functions, roles and privileges, the notification
// log (gzip+base64 messages from Hive 4), and the DataNucleus sequence table.
import { gzipSync } from 'node:zlib';
import type { PgClient } from '../../adapters/postgres/connection.js';
import { quoteIdent } from '../../adapters/postgres/sql-text.js';
import type { SchemaFamily } from '../../adapters/postgres/schema-version.js';

export interface Params {
  D: number;
  T: number;
  P: number;
  auth: string;
  prefix: string;
  F: number;
  now: number;
}

const MODEL = 'org.apache.hadoop.hive.metastore.model.';
/** DataNucleus id counters and the table/column each one allocates. */
const SEQUENCES: ReadonlyArray<[string, string, string]> = [
  ['MDatabase', 'DBS', 'DB_ID'],
  ['MTable', 'TBLS', 'TBL_ID'],
  ['MPartition', 'PARTITIONS', 'PART_ID'],
  ['MStorageDescriptor', 'SDS', 'SD_ID'],
  ['MSerDeInfo', 'SERDES', 'SERDE_ID'],
  ['MColumnDescriptor', 'CDS', 'CD_ID'],
  ['MFunction', 'FUNCS', 'FUNC_ID'],
  ['MRole', 'ROLES', 'ROLE_ID'],
  ['MRoleMap', 'ROLE_MAP', 'ROLE_GRANT_ID'],
  ['MGlobalPrivilege', 'GLOBAL_PRIVS', 'USER_GRANT_ID'],
  ['MDBPrivilege', 'DB_PRIVS', 'DB_GRANT_ID'],
  ['MTablePrivilege', 'TBL_PRIVS', 'TBL_GRANT_ID'],
  ['MTableColumnPrivilege', 'TBL_COL_PRIVS', 'TBL_COLUMN_GRANT_ID'],
  ['MPartitionPrivilege', 'PART_PRIVS', 'PART_GRANT_ID'],
  ['MTableColumnStatistics', 'TAB_COL_STATS', 'CS_ID'],
  ['MPartitionColumnStatistics', 'PART_COL_STATS', 'CS_ID'],
  ['MStringList', 'SKEWED_STRING_LIST', 'STRING_LIST_ID'],
  ['MNotificationLog', 'NOTIFICATION_LOG', 'NL_ID'],
];

export async function insertFunctionsAndRoles(client: PgClient, family: SchemaFamily, p: Params, funcBase: number): Promise<void> {
  const q = (sql: string, params: unknown[] = []): Promise<unknown> => client.query(sql, params);
  await q(
    `CREATE TEMP TABLE lab_func ON COMMIT DROP AS SELECT $1::bigint + row_number() OVER (ORDER BY d, f) AS func_id, db_id, name AS db_name, f
    FROM lab_db CROSS JOIN generate_series(1, $2::int) f`,
    [funcBase, p.F],
  );
  await q(
    `INSERT INTO "FUNCS" ("FUNC_ID", "CLASS_NAME", "CREATE_TIME", "DB_ID", "FUNC_NAME", "FUNC_TYPE", "OWNER_NAME", "OWNER_TYPE")
    SELECT func_id, 'com.example.hive.udf.LabUdf' || f, $1, db_id, 'lab_udf_' || f, 1, 'hive', 'USER' FROM lab_func`,
    [p.now],
  );
  // RESOURCE_TYPE 1 = JAR, 2 = FILE.
  await q(
    `INSERT INTO "FUNC_RU" ("FUNC_ID", "RESOURCE_TYPE", "RESOURCE_URI", "INTEGER_IDX")
    SELECT func_id, 1, format('%s/user/hive/udfs/%s/lab-udf-%s.jar', $1::text, db_name, f), 0 FROM lab_func
    UNION ALL SELECT func_id, 2, format('%s/user/hive/udfs/%s/lookup.txt', $1::text, db_name), 1 FROM lab_func WHERE f = 1`,
    [p.auth],
  );
  await q(
    `INSERT INTO "ROLES" ("ROLE_ID", "CREATE_TIME", "OWNER_NAME", "ROLE_NAME")
    SELECT coalesce((SELECT max("ROLE_ID") FROM "ROLES"), 0) + row_number() OVER (ORDER BY r), $1, r_owner, r
      FROM (VALUES ('admin', 'admin'), ('public', 'public'), ('analyst', 'hive')) v(r, r_owner) WHERE NOT EXISTS (SELECT 1 FROM "ROLES" WHERE "ROLE_NAME" = r)`,
    [p.now],
  );
  await q(
    `INSERT INTO "ROLE_MAP" ("ROLE_GRANT_ID", "ADD_TIME", "GRANT_OPTION", "GRANTOR", "GRANTOR_TYPE", "PRINCIPAL_NAME", "PRINCIPAL_TYPE", "ROLE_ID")
    SELECT coalesce((SELECT max("ROLE_GRANT_ID") FROM "ROLE_MAP"), 0) + 1, $1, 0, 'admin', 'ROLE', 'hive', 'USER', "ROLE_ID" FROM "ROLES"
     WHERE "ROLE_NAME" = 'admin' AND NOT EXISTS (SELECT 1 FROM "ROLE_MAP" m WHERE m."ROLE_ID" = "ROLES"."ROLE_ID" AND m."PRINCIPAL_NAME" = 'hive')`,
    [p.now],
  );
  const auth = family !== '2' ? ', "AUTHORIZER"' : '';
  await q(
    `INSERT INTO "GLOBAL_PRIVS" ("USER_GRANT_ID", "CREATE_TIME", "GRANT_OPTION", "GRANTOR", "GRANTOR_TYPE", "PRINCIPAL_NAME", "PRINCIPAL_TYPE", "USER_PRIV"${auth})
    SELECT coalesce((SELECT max("USER_GRANT_ID") FROM "GLOBAL_PRIVS"), 0) + 1, $1, 1, 'admin', 'ROLE', 'admin', 'ROLE', 'All'${family !== '2' ? ', NULL' : ''}
     WHERE NOT EXISTS (SELECT 1 FROM "GLOBAL_PRIVS" WHERE "PRINCIPAL_NAME" = 'admin')`,
    [p.now],
  );
}

/** A few CREATE_TABLE events, as DbNotificationListener writes them (plain JSON ≤3.x, gzip+base64 in 4.x). */
export async function insertNotifications(client: PgClient, family: SchemaFamily, p: Params, count: number): Promise<number> {
  const { rows: tables } = await client.query<{ db_name: string; tbl_name: string; location: string | null }>(
    `SELECT db_name, tbl_name, location FROM lab_tbl WHERE location IS NOT NULL ORDER BY n LIMIT $1`,
    [count],
  );
  const { rows: m } = await client.query<{ nl: string; ev: string }>(
    `SELECT coalesce(max("NL_ID"), 0) AS nl, greatest(coalesce(max("EVENT_ID"), 0), (SELECT coalesce(max("NEXT_EVENT_ID"), 1) - 1 FROM "NOTIFICATION_SEQUENCE")) AS ev FROM "NOTIFICATION_LOG"`,
  );
  let nl = Number(m[0]?.nl ?? 0);
  let ev = Number(m[0]?.ev ?? 0);
  for (const t of tables) {
    const json = JSON.stringify({
      server: '',
      servicePrincipal: '',
      db: t.db_name,
      table: t.tbl_name,
      tableType: 'MANAGED_TABLE',
      timestamp: p.now,
      location: t.location,
      files: [],
    });
    const [message, format] = family === '4' ? [gzipSync(json).toString('base64'), 'gzip(json-2.0)'] : [json, 'json-0.2'];
    nl += 1;
    ev += 1;
    const cols = family === '2' ? '' : ', "CAT_NAME"';
    await client.query(
      `INSERT INTO "NOTIFICATION_LOG" ("NL_ID", "EVENT_ID", "EVENT_TIME", "EVENT_TYPE", "DB_NAME", "TBL_NAME", "MESSAGE", "MESSAGE_FORMAT"${cols})
      VALUES ($1, $2, $3, 'CREATE_TABLE', $4, $5, $6, $7${family === '2' ? '' : ", 'hive'"})`,
      [nl, ev, p.now, t.db_name, t.tbl_name, message, format],
    );
  }
  await client.query(`UPDATE "NOTIFICATION_SEQUENCE" SET "NEXT_EVENT_ID" = greatest("NEXT_EVENT_ID", $1)`, [ev + 1]);
  await client.query(
    `INSERT INTO "NOTIFICATION_SEQUENCE" ("NNI_ID", "NEXT_EVENT_ID") SELECT 1, $1 WHERE NOT EXISTS (SELECT 1 FROM "NOTIFICATION_SEQUENCE")`,
    [ev + 1],
  );
  return tables.length;
}

/** SEQUENCE_TABLE must stay ahead of every id, or HMS hands out duplicates. */
export async function updateSequences(client: PgClient): Promise<void> {
  const selects = SEQUENCES.map(
    ([model, table, column]) =>
      `SELECT '${MODEL}${model}' AS name, coalesce(max(${quoteIdent(column)}), 0) + 1 AS next FROM ${quoteIdent(table)}`,
  );
  await client.query(`INSERT INTO "SEQUENCE_TABLE" ("SEQUENCE_NAME", "NEXT_VAL") SELECT name, next FROM (${selects.join(' UNION ALL ')}) s
    ON CONFLICT ("SEQUENCE_NAME") DO UPDATE SET "NEXT_VAL" = greatest("SEQUENCE_TABLE"."NEXT_VAL", EXCLUDED."NEXT_VAL")`);
}
