// hmsdr's own DDL for the lab metastore, per Hive schema family: the tables Hive needs to start,
// every table holding a filesystem URI, and every table verification counts, with the upstream
// column types, keys and foreign keys (test/integration/metastore-ddl.test.ts compares it with
// the upstream scripts). Txn tables are unquoted (lower-case) before 4.x, as upstream.
import type { SchemaFamily } from '../../adapters/postgres/schema-version.js';
import { type Family, type ForeignKeySpec, grant, type TableSpec, vc } from './tables-common.js';
import { statsAndFunctionTables, txnTables } from './tables-stats-txn.js';
import { storageTables, tableAndPartitionTables } from './tables-storage.js';

export type { ForeignKeySpec, TableSpec } from './tables-common.js';

/** Every table of the lab schema for `family`. */
export function labTables(family: SchemaFamily): TableSpec[] {
  const v3 = family !== '2';
  const v4 = family === '4';
  const quoted = (name: string): string => (v4 ? `"${name}"` : name);
  const f: Family = {
    family,
    v3,
    v4,
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
    {
      name: '"VERSION"',
      body: ['"VER_ID" bigint', `"SCHEMA_VERSION" ${vc(127)} NOT NULL`, `"VERSION_COMMENT" ${vc(255)} NOT NULL`, 'PRIMARY KEY ("VER_ID")'],
    },
    {
      name: '"SEQUENCE_TABLE"',
      body: [`"SEQUENCE_NAME" ${vc(255)} NOT NULL`, '"NEXT_VAL" bigint NOT NULL', 'PRIMARY KEY ("SEQUENCE_NAME")'],
    },
    {
      name: '"NUCLEUS_TABLES"',
      body: [
        `"CLASS_NAME" ${vc(128)} NOT NULL`,
        `"TABLE_NAME" ${vc(128)} NOT NULL`,
        `"TYPE" ${vc(4)} NOT NULL`,
        `"OWNER" ${vc(2)} NOT NULL`,
        `"VERSION" ${vc(20)} NOT NULL`,
        `"INTERFACE_NAME" ${vc(255)} DEFAULT NULL`,
        'PRIMARY KEY ("CLASS_NAME")',
      ],
    },
    { name: '"NOTIFICATION_SEQUENCE"', body: ['"NNI_ID" bigint NOT NULL', '"NEXT_EVENT_ID" bigint NOT NULL', 'PRIMARY KEY ("NNI_ID")'] },
    {
      name: '"NOTIFICATION_LOG"',
      body: [
        '"NL_ID" bigint NOT NULL',
        '"EVENT_ID" bigint NOT NULL',
        '"EVENT_TIME" integer NOT NULL',
        `"EVENT_TYPE" ${vc(32)} NOT NULL`,
        ...(v3 ? [`"CAT_NAME" ${vc(256)}`] : []),
        `"DB_NAME" ${vc(128)}`,
        `"TBL_NAME" ${vc(256)}`,
        '"MESSAGE" text',
        `"MESSAGE_FORMAT" ${vc(16)}`,
        'PRIMARY KEY ("NL_ID")',
      ],
    },
    ...(v3
      ? [
          {
            name: '"CTLGS"',
            body: [
              '"CTLG_ID" bigint PRIMARY KEY',
              `"NAME" ${vc(256)} UNIQUE`,
              `"DESC" ${vc(4000)}`,
              `"LOCATION_URI" ${vc(4000)} NOT NULL`,
              ...(v4 ? ['"CREATE_TIME" bigint'] : []),
            ],
          },
        ]
      : []),
    {
      name: '"DBS"',
      body: [
        '"DB_ID" bigint NOT NULL',
        `"DESC" ${vc(4000)} DEFAULT NULL`,
        `"DB_LOCATION_URI" ${vc(4000)} NOT NULL`,
        `"NAME" ${vc(128)} DEFAULT NULL`,
        `"OWNER_NAME" ${vc(128)} DEFAULT NULL`,
        `"OWNER_TYPE" ${vc(10)} DEFAULT NULL`,
        ...(v3 ? [`"CTLG_NAME" ${vc(256)}${v4 ? ' NOT NULL' : ''} DEFAULT 'hive'`] : []),
        ...(v4
          ? [
              '"CREATE_TIME" bigint',
              `"DB_MANAGED_LOCATION_URI" ${vc(4000)}`,
              `"TYPE" ${vc(32)} DEFAULT 'NATIVE' NOT NULL`,
              `"DATACONNECTOR_NAME" ${vc(128)}`,
              `"REMOTE_DBNAME" ${vc(128)}`,
            ]
          : []),
        'PRIMARY KEY ("DB_ID")',
        v3 ? 'UNIQUE ("NAME", "CTLG_NAME")' : 'UNIQUE ("NAME")',
      ],
    },
    {
      name: '"DATABASE_PARAMS"',
      body: [
        '"DB_ID" bigint NOT NULL',
        `"PARAM_KEY" ${vc(180)} NOT NULL`,
        `"PARAM_VALUE" ${vc(4000)} DEFAULT NULL`,
        'PRIMARY KEY ("DB_ID", "PARAM_KEY")',
      ],
    },
    {
      name: '"DB_PRIVS"',
      body: [
        '"DB_GRANT_ID" bigint NOT NULL',
        '"CREATE_TIME" bigint NOT NULL',
        '"DB_ID" bigint',
        ...grant,
        `"DB_PRIV" ${vc(128)} DEFAULT NULL`,
        ...auth,
        'PRIMARY KEY ("DB_GRANT_ID")',
      ],
    },
    {
      name: '"GLOBAL_PRIVS"',
      body: [
        '"USER_GRANT_ID" bigint NOT NULL',
        '"CREATE_TIME" bigint NOT NULL',
        ...grant,
        `"USER_PRIV" ${vc(128)} DEFAULT NULL`,
        ...auth,
        'PRIMARY KEY ("USER_GRANT_ID")',
      ],
    },
    {
      name: '"ROLES"',
      body: [
        '"ROLE_ID" bigint NOT NULL',
        '"CREATE_TIME" bigint NOT NULL',
        `"OWNER_NAME" ${vc(128)} DEFAULT NULL`,
        `"ROLE_NAME" ${vc(128)} DEFAULT NULL`,
        'PRIMARY KEY ("ROLE_ID")',
        'UNIQUE ("ROLE_NAME")',
      ],
    },
    {
      name: '"ROLE_MAP"',
      body: [
        '"ROLE_GRANT_ID" bigint NOT NULL',
        '"ADD_TIME" bigint NOT NULL',
        ...grant,
        '"ROLE_ID" bigint',
        'PRIMARY KEY ("ROLE_GRANT_ID")',
        'UNIQUE ("PRINCIPAL_NAME", "ROLE_ID", "GRANTOR", "GRANTOR_TYPE")',
      ],
    },
  ];
}

/** Foreign keys (upstream names aside): the parent-child graph a generator must respect. */
export function labForeignKeys(family: SchemaFamily): ForeignKeySpec[] {
  const fk = (table: string, columns: string, references: string, deferrable = true): ForeignKeySpec => ({
    table,
    columns,
    references,
    deferrable,
  });
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
      ? [
          fk('"MV_TABLES_USED"', '"MV_CREATION_METADATA_ID"', '"MV_CREATION_METADATA" ("MV_CREATION_METADATA_ID")'),
          fk('"MV_TABLES_USED"', '"TBL_ID"', '"TBLS" ("TBL_ID")'),
        ]
      : []),
  ];
}
