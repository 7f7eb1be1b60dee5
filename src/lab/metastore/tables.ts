// hmsdr's own DDL for the lab metastore, per Hive schema family: the tables Hive needs to start,
// every table holding a filesystem URI, and every table verification counts, with the upstream
// column types, keys and foreign keys (test/integration/metastore-ddl.test.ts compares it with
// the upstream scripts). Txn tables are unquoted (lower-case) before 4.x, as upstream.
import type { SchemaFamily } from '../../adapters/postgres/schema-version.js';

export interface TableSpec {
  /** Name as written in DDL: `"SDS"` or `txns`. */
  name: string;
  /** Column definitions and table constraints, in order. */
  body: string[];
}

export interface ForeignKeySpec {
  table: string;
  columns: string;
  references: string;
  deferrable: boolean;
}

const vc = (n: number): string => `character varying(${n})`;
const grant = ['"GRANT_OPTION" smallint NOT NULL', `"GRANTOR" ${vc(128)} DEFAULT NULL`, `"GRANTOR_TYPE" ${vc(128)} DEFAULT NULL`, `"PRINCIPAL_NAME" ${vc(128)} DEFAULT NULL`, `"PRINCIPAL_TYPE" ${vc(128)} DEFAULT NULL`];

/** What differs between schema families, as the table builders use it. */
interface Family {
  family: SchemaFamily;
  v3: boolean;
  v4: boolean;
  auth: string[];
  cat: string[];
  /** Txn bookkeeping table and column names: unquoted before 4.x (so lower-case in PostgreSQL), quoted upper-case from 4.x. */
  t: (name: string) => string;
  c: (name: string) => string;
}

/** Every table of the lab schema for `family`. */
export function labTables(family: SchemaFamily): TableSpec[] {
  const v3 = family !== '2';
  const v4 = family === '4';
  const quoted = (name: string): string => (v4 ? `"${name}"` : name);
  const f: Family = {
    family, v3, v4,
    auth: v3 ? [`"AUTHORIZER" ${vc(128)} DEFAULT NULL`] : [],
    cat: v3 ? [`"CAT_NAME" ${vc(256)} DEFAULT NULL`] : [],
    t: quoted,
    c: quoted,
  };
  return [...catalogTables(f), ...storageTables(f), ...tableAndPartitionTables(f), ...statsAndFunctionTables(f), ...txnTables(f)];
}

/** Schema version, sequences, notifications, catalogs, databases, global privileges and roles. */
function catalogTables({ v3, v4, auth }: Family): TableSpec[] {
  return [
    { name: '"VERSION"', body: ['"VER_ID" bigint', `"SCHEMA_VERSION" ${vc(127)} NOT NULL`, `"VERSION_COMMENT" ${vc(255)} NOT NULL`, 'PRIMARY KEY ("VER_ID")'] },
    { name: '"SEQUENCE_TABLE"', body: [`"SEQUENCE_NAME" ${vc(255)} NOT NULL`, '"NEXT_VAL" bigint NOT NULL', 'PRIMARY KEY ("SEQUENCE_NAME")'] },
    { name: '"NUCLEUS_TABLES"', body: [`"CLASS_NAME" ${vc(128)} NOT NULL`, `"TABLE_NAME" ${vc(128)} NOT NULL`, `"TYPE" ${vc(4)} NOT NULL`, `"OWNER" ${vc(2)} NOT NULL`, `"VERSION" ${vc(20)} NOT NULL`, `"INTERFACE_NAME" ${vc(255)} DEFAULT NULL`, 'PRIMARY KEY ("CLASS_NAME")'] },
    { name: '"NOTIFICATION_SEQUENCE"', body: ['"NNI_ID" bigint NOT NULL', '"NEXT_EVENT_ID" bigint NOT NULL', 'PRIMARY KEY ("NNI_ID")'] },
    { name: '"NOTIFICATION_LOG"', body: ['"NL_ID" bigint NOT NULL', '"EVENT_ID" bigint NOT NULL', '"EVENT_TIME" integer NOT NULL', `"EVENT_TYPE" ${vc(32)} NOT NULL`, ...(v3 ? [`"CAT_NAME" ${vc(256)}`] : []), `"DB_NAME" ${vc(128)}`, `"TBL_NAME" ${vc(256)}`, '"MESSAGE" text', `"MESSAGE_FORMAT" ${vc(16)}`, 'PRIMARY KEY ("NL_ID")'] },
    ...(v3 ? [{ name: '"CTLGS"', body: ['"CTLG_ID" bigint PRIMARY KEY', `"NAME" ${vc(256)} UNIQUE`, `"DESC" ${vc(4000)}`, `"LOCATION_URI" ${vc(4000)} NOT NULL`, ...(v4 ? ['"CREATE_TIME" bigint'] : [])] }] : []),
    {
      name: '"DBS"',
      body: [
        '"DB_ID" bigint NOT NULL', `"DESC" ${vc(4000)} DEFAULT NULL`, `"DB_LOCATION_URI" ${vc(4000)} NOT NULL`, `"NAME" ${vc(128)} DEFAULT NULL`,
        `"OWNER_NAME" ${vc(128)} DEFAULT NULL`, `"OWNER_TYPE" ${vc(10)} DEFAULT NULL`,
        ...(v3 ? [`"CTLG_NAME" ${vc(256)}${v4 ? ' NOT NULL' : ''} DEFAULT 'hive'`] : []),
        ...(v4 ? ['"CREATE_TIME" bigint', `"DB_MANAGED_LOCATION_URI" ${vc(4000)}`, `"TYPE" ${vc(32)} DEFAULT 'NATIVE' NOT NULL`, `"DATACONNECTOR_NAME" ${vc(128)}`, `"REMOTE_DBNAME" ${vc(128)}`] : []),
        'PRIMARY KEY ("DB_ID")', v3 ? 'UNIQUE ("NAME", "CTLG_NAME")' : 'UNIQUE ("NAME")',
      ],
    },
    { name: '"DATABASE_PARAMS"', body: ['"DB_ID" bigint NOT NULL', `"PARAM_KEY" ${vc(180)} NOT NULL`, `"PARAM_VALUE" ${vc(4000)} DEFAULT NULL`, 'PRIMARY KEY ("DB_ID", "PARAM_KEY")'] },
    { name: '"DB_PRIVS"', body: ['"DB_GRANT_ID" bigint NOT NULL', '"CREATE_TIME" bigint NOT NULL', '"DB_ID" bigint', ...grant, `"DB_PRIV" ${vc(128)} DEFAULT NULL`, ...auth, 'PRIMARY KEY ("DB_GRANT_ID")'] },
    { name: '"GLOBAL_PRIVS"', body: ['"USER_GRANT_ID" bigint NOT NULL', '"CREATE_TIME" bigint NOT NULL', ...grant, `"USER_PRIV" ${vc(128)} DEFAULT NULL`, ...auth, 'PRIMARY KEY ("USER_GRANT_ID")'] },
    { name: '"ROLES"', body: ['"ROLE_ID" bigint NOT NULL', '"CREATE_TIME" bigint NOT NULL', `"OWNER_NAME" ${vc(128)} DEFAULT NULL`, `"ROLE_NAME" ${vc(128)} DEFAULT NULL`, 'PRIMARY KEY ("ROLE_ID")', 'UNIQUE ("ROLE_NAME")'] },
    { name: '"ROLE_MAP"', body: ['"ROLE_GRANT_ID" bigint NOT NULL', '"ADD_TIME" bigint NOT NULL', ...grant, '"ROLE_ID" bigint', 'PRIMARY KEY ("ROLE_GRANT_ID")', 'UNIQUE ("PRINCIPAL_NAME", "ROLE_ID", "GRANTOR", "GRANTOR_TYPE")'] },
  ];
}

/** Storage descriptors: columns, SerDes, locations, bucketing, sorting and skew. */
function storageTables({ v3 }: Family): TableSpec[] {
  return [
    { name: '"CDS"', body: ['"CD_ID" bigint NOT NULL', 'PRIMARY KEY ("CD_ID")'] },
    { name: '"COLUMNS_V2"', body: ['"CD_ID" bigint NOT NULL', `"COMMENT" ${vc(4000)}`, `"COLUMN_NAME" ${vc(767)} NOT NULL`, '"TYPE_NAME" text', '"INTEGER_IDX" integer NOT NULL', 'PRIMARY KEY ("CD_ID", "COLUMN_NAME")'] },
    {
      name: '"SERDES"',
      body: ['"SERDE_ID" bigint NOT NULL', `"NAME" ${vc(128)} DEFAULT NULL`, `"SLIB" ${vc(4000)} DEFAULT NULL`,
        ...(v3 ? [`"DESCRIPTION" ${vc(4000)}`, `"SERIALIZER_CLASS" ${vc(4000)}`, `"DESERIALIZER_CLASS" ${vc(4000)}`, '"SERDE_TYPE" integer'] : []), 'PRIMARY KEY ("SERDE_ID")'],
    },
    { name: '"SERDE_PARAMS"', body: ['"SERDE_ID" bigint NOT NULL', `"PARAM_KEY" ${vc(256)} NOT NULL`, '"PARAM_VALUE" text', 'PRIMARY KEY ("SERDE_ID", "PARAM_KEY")'] },
    {
      name: '"SDS"',
      body: ['"SD_ID" bigint NOT NULL', `"INPUT_FORMAT" ${vc(4000)} DEFAULT NULL`, '"IS_COMPRESSED" boolean NOT NULL', `"LOCATION" ${vc(4000)} DEFAULT NULL`,
        '"NUM_BUCKETS" bigint NOT NULL', `"OUTPUT_FORMAT" ${vc(4000)} DEFAULT NULL`, '"SERDE_ID" bigint', '"CD_ID" bigint', '"IS_STOREDASSUBDIRECTORIES" boolean NOT NULL', 'PRIMARY KEY ("SD_ID")'],
    },
    { name: '"SD_PARAMS"', body: ['"SD_ID" bigint NOT NULL', `"PARAM_KEY" ${vc(256)} NOT NULL`, '"PARAM_VALUE" text', 'PRIMARY KEY ("SD_ID", "PARAM_KEY")'] },
    { name: '"BUCKETING_COLS"', body: ['"SD_ID" bigint NOT NULL', `"BUCKET_COL_NAME" ${vc(256)} DEFAULT NULL`, '"INTEGER_IDX" bigint NOT NULL', 'PRIMARY KEY ("SD_ID", "INTEGER_IDX")'] },
    { name: '"SORT_COLS"', body: ['"SD_ID" bigint NOT NULL', `"COLUMN_NAME" ${vc(767)} DEFAULT NULL`, '"ORDER" bigint NOT NULL', '"INTEGER_IDX" bigint NOT NULL', 'PRIMARY KEY ("SD_ID", "INTEGER_IDX")'] },
    { name: '"SKEWED_STRING_LIST"', body: ['"STRING_LIST_ID" bigint NOT NULL', 'PRIMARY KEY ("STRING_LIST_ID")'] },
    { name: '"SKEWED_STRING_LIST_VALUES"', body: ['"STRING_LIST_ID" bigint NOT NULL', `"STRING_LIST_VALUE" ${vc(256)} DEFAULT NULL`, '"INTEGER_IDX" bigint NOT NULL', 'PRIMARY KEY ("STRING_LIST_ID", "INTEGER_IDX")'] },
    { name: '"SKEWED_COL_NAMES"', body: ['"SD_ID" bigint NOT NULL', `"SKEWED_COL_NAME" ${vc(256)} DEFAULT NULL`, '"INTEGER_IDX" bigint NOT NULL', 'PRIMARY KEY ("SD_ID", "INTEGER_IDX")'] },
    { name: '"SKEWED_COL_VALUE_LOC_MAP"', body: ['"SD_ID" bigint NOT NULL', '"STRING_LIST_ID_KID" bigint NOT NULL', `"LOCATION" ${vc(4000)} DEFAULT NULL`, 'PRIMARY KEY ("SD_ID", "STRING_LIST_ID_KID")'] },
    { name: '"SKEWED_VALUES"', body: ['"SD_ID_OID" bigint NOT NULL', '"STRING_LIST_ID_EID" bigint NOT NULL', '"INTEGER_IDX" bigint NOT NULL', 'PRIMARY KEY ("SD_ID_OID", "INTEGER_IDX")'] },
  ];
}

/** Tables and partitions with their parameters, keys and privileges. */
function tableAndPartitionTables({ v3, v4, auth }: Family): TableSpec[] {
  return [
    {
      name: '"TBLS"',
      body: ['"TBL_ID" bigint NOT NULL', '"CREATE_TIME" bigint NOT NULL', '"DB_ID" bigint', '"LAST_ACCESS_TIME" bigint NOT NULL', `"OWNER" ${vc(767)} DEFAULT NULL`,
        ...(v3 ? [`"OWNER_TYPE" ${vc(10)} DEFAULT NULL`] : []), '"RETENTION" bigint NOT NULL', '"SD_ID" bigint', `"TBL_NAME" ${vc(256)} DEFAULT NULL`, `"TBL_TYPE" ${vc(128)} DEFAULT NULL`,
        '"VIEW_EXPANDED_TEXT" text', '"VIEW_ORIGINAL_TEXT" text', `"IS_REWRITE_ENABLED" boolean NOT NULL${v3 ? ' DEFAULT false' : ''}`, ...(v4 ? ['"WRITE_ID" bigint DEFAULT 0'] : []),
        'PRIMARY KEY ("TBL_ID")', v4 ? 'UNIQUE ("DB_ID", "TBL_NAME")' : 'UNIQUE ("TBL_NAME", "DB_ID")'],
    },
    { name: '"TABLE_PARAMS"', body: ['"TBL_ID" bigint NOT NULL', `"PARAM_KEY" ${vc(256)} NOT NULL`, '"PARAM_VALUE" text', 'PRIMARY KEY ("TBL_ID", "PARAM_KEY")'] },
    { name: '"TBL_PRIVS"', body: ['"TBL_GRANT_ID" bigint NOT NULL', '"CREATE_TIME" bigint NOT NULL', ...grant, `"TBL_PRIV" ${vc(128)} DEFAULT NULL`, '"TBL_ID" bigint', ...auth, 'PRIMARY KEY ("TBL_GRANT_ID")'] },
    { name: '"TBL_COL_PRIVS"', body: ['"TBL_COLUMN_GRANT_ID" bigint NOT NULL', `"COLUMN_NAME" ${vc(767)} DEFAULT NULL`, '"CREATE_TIME" bigint NOT NULL', ...grant, `"TBL_COL_PRIV" ${vc(128)} DEFAULT NULL`, '"TBL_ID" bigint', ...auth, 'PRIMARY KEY ("TBL_COLUMN_GRANT_ID")'] },
    { name: '"PARTITION_KEYS"', body: ['"TBL_ID" bigint NOT NULL', `"PKEY_COMMENT" ${vc(4000)} DEFAULT NULL`, `"PKEY_NAME" ${vc(128)} NOT NULL`, `"PKEY_TYPE" ${vc(767)} NOT NULL`, '"INTEGER_IDX" bigint NOT NULL', 'PRIMARY KEY ("TBL_ID", "PKEY_NAME")'] },
    {
      name: '"PARTITIONS"',
      body: ['"PART_ID" bigint NOT NULL', '"CREATE_TIME" bigint NOT NULL', '"LAST_ACCESS_TIME" bigint NOT NULL', `"PART_NAME" ${vc(767)} DEFAULT NULL`, '"SD_ID" bigint', '"TBL_ID" bigint',
        ...(v4 ? ['"WRITE_ID" bigint DEFAULT 0'] : []), 'PRIMARY KEY ("PART_ID")', 'UNIQUE ("TBL_ID", "PART_NAME")'],
    },
    { name: '"PARTITION_KEY_VALS"', body: ['"PART_ID" bigint NOT NULL', `"PART_KEY_VAL" ${vc(256)} DEFAULT NULL`, '"INTEGER_IDX" bigint NOT NULL', 'PRIMARY KEY ("PART_ID", "INTEGER_IDX")'] },
    { name: '"PARTITION_PARAMS"', body: ['"PART_ID" bigint NOT NULL', `"PARAM_KEY" ${vc(256)} NOT NULL`, v4 ? '"PARAM_VALUE" text DEFAULT NULL' : `"PARAM_VALUE" ${vc(4000)} DEFAULT NULL`, 'PRIMARY KEY ("PART_ID", "PARAM_KEY")'] },
    { name: '"PART_PRIVS"', body: ['"PART_GRANT_ID" bigint NOT NULL', '"CREATE_TIME" bigint NOT NULL', ...grant, '"PART_ID" bigint', `"PART_PRIV" ${vc(128)} DEFAULT NULL`, ...auth, 'PRIMARY KEY ("PART_GRANT_ID")'] },
    { name: '"PART_COL_PRIVS"', body: ['"PART_COLUMN_GRANT_ID" bigint NOT NULL', `"COLUMN_NAME" ${vc(767)} DEFAULT NULL`, '"CREATE_TIME" bigint NOT NULL', ...grant, '"PART_ID" bigint', `"PART_COL_PRIV" ${vc(128)} DEFAULT NULL`, ...auth, 'PRIMARY KEY ("PART_COLUMN_GRANT_ID")'] },
  ];
}

/** Column statistics, functions (their resource URIs) and materialized views. */
function statsAndFunctionTables({ v3, v4, cat }: Family): TableSpec[] {
  const statsCols = [
    `"COLUMN_NAME" ${vc(767)} DEFAULT NULL`, `"COLUMN_TYPE" ${vc(128)} DEFAULT NULL`,
  ];
  const statsValues = [
    '"LONG_LOW_VALUE" bigint', '"LONG_HIGH_VALUE" bigint', '"DOUBLE_LOW_VALUE" double precision', '"DOUBLE_HIGH_VALUE" double precision',
    `"BIG_DECIMAL_LOW_VALUE" ${vc(4000)} DEFAULT NULL`, `"BIG_DECIMAL_HIGH_VALUE" ${vc(4000)} DEFAULT NULL`,
    '"NUM_NULLS" bigint NOT NULL', '"NUM_DISTINCTS" bigint', ...(v3 ? ['"BIT_VECTOR" bytea'] : []), '"AVG_COL_LEN" double precision',
    '"MAX_COL_LEN" bigint', '"NUM_TRUES" bigint', '"NUM_FALSES" bigint', '"LAST_ANALYZED" bigint NOT NULL',
    ...(v4 ? [`"ENGINE" ${vc(128)} NOT NULL`, '"HISTOGRAM" bytea'] : []),
  ];
  // Before 4.1 the stats tables also named the database/table (no FK); 4.1 dropped the names.
  const statsNames = (partition: boolean): string[] =>
    v4 ? [] : [...cat, `"DB_NAME" ${vc(128)} DEFAULT NULL`, `"TABLE_NAME" ${vc(256)} DEFAULT NULL`, ...(partition ? [`"PARTITION_NAME" ${vc(767)} DEFAULT NULL`] : [])];
  return [
    { name: '"TAB_COL_STATS"', body: ['"CS_ID" bigint NOT NULL', ...statsNames(false), ...statsCols, '"TBL_ID" bigint NOT NULL', ...statsValues, 'PRIMARY KEY ("CS_ID")'] },
    { name: '"PART_COL_STATS"', body: ['"CS_ID" bigint NOT NULL', ...statsNames(true), ...statsCols, '"PART_ID" bigint NOT NULL', ...statsValues, 'PRIMARY KEY ("CS_ID")'] },
    { name: '"FUNCS"', body: ['"FUNC_ID" bigint NOT NULL', `"CLASS_NAME" ${vc(4000)}`, '"CREATE_TIME" integer NOT NULL', '"DB_ID" bigint', `"FUNC_NAME" ${vc(128)}`, '"FUNC_TYPE" integer NOT NULL', `"OWNER_NAME" ${vc(128)}`, `"OWNER_TYPE" ${vc(10)}`, 'PRIMARY KEY ("FUNC_ID")'] },
    { name: '"FUNC_RU"', body: ['"FUNC_ID" bigint NOT NULL', '"RESOURCE_TYPE" integer NOT NULL', `"RESOURCE_URI" ${vc(4000)}`, '"INTEGER_IDX" integer NOT NULL', 'PRIMARY KEY ("FUNC_ID", "INTEGER_IDX")'] },
    ...(v3
      ? [
          { name: '"MV_CREATION_METADATA"', body: ['"MV_CREATION_METADATA_ID" bigint NOT NULL', `"CAT_NAME" ${vc(256)} NOT NULL`, `"DB_NAME" ${vc(128)} NOT NULL`, `"TBL_NAME" ${vc(256)} NOT NULL`, '"TXN_LIST" text', '"MATERIALIZATION_TIME" bigint NOT NULL', 'PRIMARY KEY ("MV_CREATION_METADATA_ID")'] },
          { name: '"MV_TABLES_USED"', body: ['"MV_CREATION_METADATA_ID" bigint NOT NULL', '"TBL_ID" bigint NOT NULL', ...(v4 ? ['"INSERTED_COUNT" bigint NOT NULL DEFAULT 0', '"UPDATED_COUNT" bigint NOT NULL DEFAULT 0', '"DELETED_COUNT" bigint NOT NULL DEFAULT 0', 'PRIMARY KEY ("TBL_ID", "MV_CREATION_METADATA_ID")'] : [])] },
        ]
      : []),
  ];
}

/** Transactions, locks and compactions: HMS reads these at start-up; compaction rows snapshot table properties. */
function txnTables({ family, v3, v4, t, c }: Family): TableSpec[] {
  return [
    { name: t('TXNS'), body: [v4 ? '"TXN_ID" bigserial PRIMARY KEY' : 'txn_id bigint PRIMARY KEY', `${c('TXN_STATE')} char(1) NOT NULL`, `${c('TXN_STARTED')} bigint NOT NULL`, `${c('TXN_LAST_HEARTBEAT')} bigint NOT NULL`, `${c('TXN_USER')} ${vc(128)} NOT NULL`, `${c('TXN_HOST')} ${vc(128)} NOT NULL`, `${c('TXN_AGENT_INFO')} ${vc(128)}`, `${c('TXN_META_INFO')} ${vc(128)}`, `${c('TXN_HEARTBEAT_COUNT')} integer`, ...(v3 ? [`${c('TXN_TYPE')} integer`] : [])] },
    ...(v4 ? [] : [{ name: 'next_txn_id', body: ['ntxn_next bigint NOT NULL'] }]),
    { name: t('NEXT_LOCK_ID'), body: [`${c('NL_NEXT')} bigint NOT NULL`] },
    { name: t('NEXT_COMPACTION_QUEUE_ID'), body: [`${c('NCQ_NEXT')} bigint NOT NULL`] },
    ...(v3 ? [{ name: t('NEXT_WRITE_ID'), body: [`${c('NWI_DATABASE')} ${vc(128)} NOT NULL`, `${c('NWI_TABLE')} ${vc(256)} NOT NULL`, `${c('NWI_NEXT')} bigint NOT NULL`] }] : []),
    { name: t('COMPACTION_QUEUE'), body: compactionColumns('CQ', family, c) },
    { name: t('COMPLETED_COMPACTIONS'), body: compactionColumns('CC', family, c) },
    ...(v4
      ? [
          { name: '"TXN_WRITE_NOTIFICATION_LOG"', body: ['"WNL_ID" bigint NOT NULL', '"WNL_TXNID" bigint NOT NULL', '"WNL_WRITEID" bigint NOT NULL', `"WNL_DATABASE" ${vc(128)} NOT NULL`, `"WNL_TABLE" ${vc(256)} NOT NULL`, `"WNL_PARTITION" ${vc(767)} NOT NULL`, '"WNL_TABLE_OBJ" text NOT NULL', '"WNL_PARTITION_OBJ" text', '"WNL_FILES" text', '"WNL_EVENT_TIME" integer NOT NULL', 'PRIMARY KEY ("WNL_TXNID", "WNL_DATABASE", "WNL_TABLE", "WNL_PARTITION")'] },
          { name: '"REPLICATION_METRICS"', body: ['"RM_SCHEDULED_EXECUTION_ID" bigint NOT NULL', `"RM_POLICY" ${vc(256)} NOT NULL`, '"RM_DUMP_EXECUTION_ID" bigint NOT NULL', `"RM_METADATA" ${vc(4000)}`, `"RM_PROGRESS" ${vc(10000)}`, '"RM_START_TIME" integer NOT NULL', `"MESSAGE_FORMAT" ${vc(16)} DEFAULT 'json-0.2'`, 'PRIMARY KEY ("RM_SCHEDULED_EXECUTION_ID")'] },
          { name: '"SCHEDULED_QUERIES"', body: ['"SCHEDULED_QUERY_ID" bigint NOT NULL', `"CLUSTER_NAMESPACE" ${vc(256)}`, '"ENABLED" boolean NOT NULL', '"NEXT_EXECUTION" integer', `"QUERY" ${vc(4000)}`, `"SCHEDULE" ${vc(256)}`, `"SCHEDULE_NAME" ${vc(256)}`, `"USER" ${vc(256)}`, '"ACTIVE_EXECUTION_ID" bigint', 'CONSTRAINT "SCHEDULED_QUERIES_PK" PRIMARY KEY ("SCHEDULED_QUERY_ID")'] },
        ]
      : []),
  ];
}

function compactionColumns(p: 'CQ' | 'CC', family: SchemaFamily, c: (n: string) => string): string[] {
  const v3 = family !== '2';
  const v4 = family === '4';
  const col = (n: string, type: string): string => `${c(`${p}_${n}`)} ${type}`;
  return [
    `${col('ID', 'bigint')} PRIMARY KEY`, col('DATABASE', `${vc(128)} NOT NULL`), col('TABLE', `${vc(v4 ? 256 : 128)} NOT NULL`), col('PARTITION', vc(767)),
    col('STATE', 'char(1) NOT NULL'), col('TYPE', 'char(1) NOT NULL'), col('TBLPROPERTIES', vc(2048)), col('WORKER_ID', vc(128)),
    ...(v4 ? [col('ENQUEUE_TIME', 'bigint')] : []), col('START', 'bigint'), ...(p === 'CC' ? [col('END', 'bigint')] : []), col('RUN_AS', vc(128)),
    col(v3 ? 'HIGHEST_WRITE_ID' : 'HIGHEST_TXN_ID', 'bigint'), col('META_INFO', 'bytea'), col('HADOOP_JOB_ID', vc(32)),
  ];
}

/** Foreign keys (upstream names aside): the parent-child graph a generator must respect. */
export function labForeignKeys(family: SchemaFamily): ForeignKeySpec[] {
  const fk = (table: string, columns: string, references: string, deferrable = true): ForeignKeySpec => ({ table, columns, references, deferrable });
  return [
    ...(family !== '2' ? [fk('"DBS"', '"CTLG_NAME"', '"CTLGS" ("NAME")', false)] : []),
    fk('"DATABASE_PARAMS"', '"DB_ID"', '"DBS" ("DB_ID")'),
    fk('"DB_PRIVS"', '"DB_ID"', '"DBS" ("DB_ID")'),
    fk('"ROLE_MAP"', '"ROLE_ID"', '"ROLES" ("ROLE_ID")'),
    fk('"COLUMNS_V2"', '"CD_ID"', '"CDS" ("CD_ID")'),
    fk('"SERDE_PARAMS"', '"SERDE_ID"', '"SERDES" ("SERDE_ID")'),
    fk('"SDS"', '"SERDE_ID"', '"SERDES" ("SERDE_ID")'),
    fk('"SDS"', '"CD_ID"', '"CDS" ("CD_ID")'),
    fk('"SD_PARAMS"', '"SD_ID"', '"SDS" ("SD_ID")'),
    fk('"BUCKETING_COLS"', '"SD_ID"', '"SDS" ("SD_ID")'),
    fk('"SORT_COLS"', '"SD_ID"', '"SDS" ("SD_ID")'),
    fk('"SKEWED_STRING_LIST_VALUES"', '"STRING_LIST_ID"', '"SKEWED_STRING_LIST" ("STRING_LIST_ID")'),
    fk('"SKEWED_COL_NAMES"', '"SD_ID"', '"SDS" ("SD_ID")'),
    fk('"SKEWED_COL_VALUE_LOC_MAP"', '"SD_ID"', '"SDS" ("SD_ID")'),
    fk('"SKEWED_COL_VALUE_LOC_MAP"', '"STRING_LIST_ID_KID"', '"SKEWED_STRING_LIST" ("STRING_LIST_ID")'),
    fk('"SKEWED_VALUES"', '"SD_ID_OID"', '"SDS" ("SD_ID")'),
    fk('"SKEWED_VALUES"', '"STRING_LIST_ID_EID"', '"SKEWED_STRING_LIST" ("STRING_LIST_ID")'),
    fk('"TBLS"', '"DB_ID"', '"DBS" ("DB_ID")'),
    fk('"TBLS"', '"SD_ID"', '"SDS" ("SD_ID")'),
    fk('"TABLE_PARAMS"', '"TBL_ID"', '"TBLS" ("TBL_ID")'),
    fk('"TBL_PRIVS"', '"TBL_ID"', '"TBLS" ("TBL_ID")'),
    fk('"TBL_COL_PRIVS"', '"TBL_ID"', '"TBLS" ("TBL_ID")'),
    fk('"PARTITION_KEYS"', '"TBL_ID"', '"TBLS" ("TBL_ID")'),
    fk('"PARTITIONS"', '"TBL_ID"', '"TBLS" ("TBL_ID")'),
    fk('"PARTITIONS"', '"SD_ID"', '"SDS" ("SD_ID")'),
    fk('"PARTITION_KEY_VALS"', '"PART_ID"', '"PARTITIONS" ("PART_ID")'),
    fk('"PARTITION_PARAMS"', '"PART_ID"', '"PARTITIONS" ("PART_ID")'),
    fk('"PART_PRIVS"', '"PART_ID"', '"PARTITIONS" ("PART_ID")'),
    fk('"PART_COL_PRIVS"', '"PART_ID"', '"PARTITIONS" ("PART_ID")'),
    fk('"TAB_COL_STATS"', '"TBL_ID"', '"TBLS" ("TBL_ID")'),
    fk('"PART_COL_STATS"', '"PART_ID"', '"PARTITIONS" ("PART_ID")'),
    fk('"FUNCS"', '"DB_ID"', '"DBS" ("DB_ID")'),
    fk('"FUNC_RU"', '"FUNC_ID"', '"FUNCS" ("FUNC_ID")'),
    ...(family !== '2'
      ? [fk('"MV_TABLES_USED"', '"MV_CREATION_METADATA_ID"', '"MV_CREATION_METADATA" ("MV_CREATION_METADATA_ID")'), fk('"MV_TABLES_USED"', '"TBL_ID"', '"TBLS" ("TBL_ID")')]
      : []),
  ];
}
