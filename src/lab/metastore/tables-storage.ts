// The lab metastore's storage, table and partition tables (see tables.ts).
import { type Family, grant, type TableSpec, vc } from './tables-common.js';

/** Storage descriptors: columns, SerDes, locations, bucketing, sorting and skew. */
export function storageTables({ v3 }: Family): TableSpec[] {
  return [
    { name: '"CDS"', body: ['"CD_ID" bigint NOT NULL', 'PRIMARY KEY ("CD_ID")'] },
    {
      name: '"COLUMNS_V2"',
      body: [
        '"CD_ID" bigint NOT NULL',
        `"COMMENT" ${vc(4000)}`,
        `"COLUMN_NAME" ${vc(767)} NOT NULL`,
        '"TYPE_NAME" text',
        '"INTEGER_IDX" integer NOT NULL',
        'PRIMARY KEY ("CD_ID", "COLUMN_NAME")',
      ],
    },
    {
      name: '"SERDES"',
      body: [
        '"SERDE_ID" bigint NOT NULL',
        `"NAME" ${vc(128)} DEFAULT NULL`,
        `"SLIB" ${vc(4000)} DEFAULT NULL`,
        ...(v3
          ? [`"DESCRIPTION" ${vc(4000)}`, `"SERIALIZER_CLASS" ${vc(4000)}`, `"DESERIALIZER_CLASS" ${vc(4000)}`, '"SERDE_TYPE" integer']
          : []),
        'PRIMARY KEY ("SERDE_ID")',
      ],
    },
    {
      name: '"SERDE_PARAMS"',
      body: [
        '"SERDE_ID" bigint NOT NULL',
        `"PARAM_KEY" ${vc(256)} NOT NULL`,
        '"PARAM_VALUE" text',
        'PRIMARY KEY ("SERDE_ID", "PARAM_KEY")',
      ],
    },
    {
      name: '"SDS"',
      body: [
        '"SD_ID" bigint NOT NULL',
        `"INPUT_FORMAT" ${vc(4000)} DEFAULT NULL`,
        '"IS_COMPRESSED" boolean NOT NULL',
        `"LOCATION" ${vc(4000)} DEFAULT NULL`,
        '"NUM_BUCKETS" bigint NOT NULL',
        `"OUTPUT_FORMAT" ${vc(4000)} DEFAULT NULL`,
        '"SERDE_ID" bigint',
        '"CD_ID" bigint',
        '"IS_STOREDASSUBDIRECTORIES" boolean NOT NULL',
        'PRIMARY KEY ("SD_ID")',
      ],
    },
    {
      name: '"SD_PARAMS"',
      body: ['"SD_ID" bigint NOT NULL', `"PARAM_KEY" ${vc(256)} NOT NULL`, '"PARAM_VALUE" text', 'PRIMARY KEY ("SD_ID", "PARAM_KEY")'],
    },
    {
      name: '"BUCKETING_COLS"',
      body: [
        '"SD_ID" bigint NOT NULL',
        `"BUCKET_COL_NAME" ${vc(256)} DEFAULT NULL`,
        '"INTEGER_IDX" bigint NOT NULL',
        'PRIMARY KEY ("SD_ID", "INTEGER_IDX")',
      ],
    },
    {
      name: '"SORT_COLS"',
      body: [
        '"SD_ID" bigint NOT NULL',
        `"COLUMN_NAME" ${vc(767)} DEFAULT NULL`,
        '"ORDER" bigint NOT NULL',
        '"INTEGER_IDX" bigint NOT NULL',
        'PRIMARY KEY ("SD_ID", "INTEGER_IDX")',
      ],
    },
    { name: '"SKEWED_STRING_LIST"', body: ['"STRING_LIST_ID" bigint NOT NULL', 'PRIMARY KEY ("STRING_LIST_ID")'] },
    {
      name: '"SKEWED_STRING_LIST_VALUES"',
      body: [
        '"STRING_LIST_ID" bigint NOT NULL',
        `"STRING_LIST_VALUE" ${vc(256)} DEFAULT NULL`,
        '"INTEGER_IDX" bigint NOT NULL',
        'PRIMARY KEY ("STRING_LIST_ID", "INTEGER_IDX")',
      ],
    },
    {
      name: '"SKEWED_COL_NAMES"',
      body: [
        '"SD_ID" bigint NOT NULL',
        `"SKEWED_COL_NAME" ${vc(256)} DEFAULT NULL`,
        '"INTEGER_IDX" bigint NOT NULL',
        'PRIMARY KEY ("SD_ID", "INTEGER_IDX")',
      ],
    },
    {
      name: '"SKEWED_COL_VALUE_LOC_MAP"',
      body: [
        '"SD_ID" bigint NOT NULL',
        '"STRING_LIST_ID_KID" bigint NOT NULL',
        `"LOCATION" ${vc(4000)} DEFAULT NULL`,
        'PRIMARY KEY ("SD_ID", "STRING_LIST_ID_KID")',
      ],
    },
    {
      name: '"SKEWED_VALUES"',
      body: [
        '"SD_ID_OID" bigint NOT NULL',
        '"STRING_LIST_ID_EID" bigint NOT NULL',
        '"INTEGER_IDX" bigint NOT NULL',
        'PRIMARY KEY ("SD_ID_OID", "INTEGER_IDX")',
      ],
    },
  ];
}

/** Tables and partitions with their parameters, keys and privileges. */
export function tableAndPartitionTables({ v3, v4, auth }: Family): TableSpec[] {
  return [
    {
      name: '"TBLS"',
      body: [
        '"TBL_ID" bigint NOT NULL',
        '"CREATE_TIME" bigint NOT NULL',
        '"DB_ID" bigint',
        '"LAST_ACCESS_TIME" bigint NOT NULL',
        `"OWNER" ${vc(767)} DEFAULT NULL`,
        ...(v3 ? [`"OWNER_TYPE" ${vc(10)} DEFAULT NULL`] : []),
        '"RETENTION" bigint NOT NULL',
        '"SD_ID" bigint',
        `"TBL_NAME" ${vc(256)} DEFAULT NULL`,
        `"TBL_TYPE" ${vc(128)} DEFAULT NULL`,
        '"VIEW_EXPANDED_TEXT" text',
        '"VIEW_ORIGINAL_TEXT" text',
        `"IS_REWRITE_ENABLED" boolean NOT NULL${v3 ? ' DEFAULT false' : ''}`,
        ...(v4 ? ['"WRITE_ID" bigint DEFAULT 0'] : []),
        'PRIMARY KEY ("TBL_ID")',
        v4 ? 'UNIQUE ("DB_ID", "TBL_NAME")' : 'UNIQUE ("TBL_NAME", "DB_ID")',
      ],
    },
    {
      name: '"TABLE_PARAMS"',
      body: ['"TBL_ID" bigint NOT NULL', `"PARAM_KEY" ${vc(256)} NOT NULL`, '"PARAM_VALUE" text', 'PRIMARY KEY ("TBL_ID", "PARAM_KEY")'],
    },
    {
      name: '"TBL_PRIVS"',
      body: [
        '"TBL_GRANT_ID" bigint NOT NULL',
        '"CREATE_TIME" bigint NOT NULL',
        ...grant,
        `"TBL_PRIV" ${vc(128)} DEFAULT NULL`,
        '"TBL_ID" bigint',
        ...auth,
        'PRIMARY KEY ("TBL_GRANT_ID")',
      ],
    },
    {
      name: '"TBL_COL_PRIVS"',
      body: [
        '"TBL_COLUMN_GRANT_ID" bigint NOT NULL',
        `"COLUMN_NAME" ${vc(767)} DEFAULT NULL`,
        '"CREATE_TIME" bigint NOT NULL',
        ...grant,
        `"TBL_COL_PRIV" ${vc(128)} DEFAULT NULL`,
        '"TBL_ID" bigint',
        ...auth,
        'PRIMARY KEY ("TBL_COLUMN_GRANT_ID")',
      ],
    },
    {
      name: '"PARTITION_KEYS"',
      body: [
        '"TBL_ID" bigint NOT NULL',
        `"PKEY_COMMENT" ${vc(4000)} DEFAULT NULL`,
        `"PKEY_NAME" ${vc(128)} NOT NULL`,
        `"PKEY_TYPE" ${vc(767)} NOT NULL`,
        '"INTEGER_IDX" bigint NOT NULL',
        'PRIMARY KEY ("TBL_ID", "PKEY_NAME")',
      ],
    },
    {
      name: '"PARTITIONS"',
      body: [
        '"PART_ID" bigint NOT NULL',
        '"CREATE_TIME" bigint NOT NULL',
        '"LAST_ACCESS_TIME" bigint NOT NULL',
        `"PART_NAME" ${vc(767)} DEFAULT NULL`,
        '"SD_ID" bigint',
        '"TBL_ID" bigint',
        ...(v4 ? ['"WRITE_ID" bigint DEFAULT 0'] : []),
        'PRIMARY KEY ("PART_ID")',
        'UNIQUE ("TBL_ID", "PART_NAME")',
      ],
    },
    {
      name: '"PARTITION_KEY_VALS"',
      body: [
        '"PART_ID" bigint NOT NULL',
        `"PART_KEY_VAL" ${vc(256)} DEFAULT NULL`,
        '"INTEGER_IDX" bigint NOT NULL',
        'PRIMARY KEY ("PART_ID", "INTEGER_IDX")',
      ],
    },
    {
      name: '"PARTITION_PARAMS"',
      body: [
        '"PART_ID" bigint NOT NULL',
        `"PARAM_KEY" ${vc(256)} NOT NULL`,
        v4 ? '"PARAM_VALUE" text DEFAULT NULL' : `"PARAM_VALUE" ${vc(4000)} DEFAULT NULL`,
        'PRIMARY KEY ("PART_ID", "PARAM_KEY")',
      ],
    },
    {
      name: '"PART_PRIVS"',
      body: [
        '"PART_GRANT_ID" bigint NOT NULL',
        '"CREATE_TIME" bigint NOT NULL',
        ...grant,
        '"PART_ID" bigint',
        `"PART_PRIV" ${vc(128)} DEFAULT NULL`,
        ...auth,
        'PRIMARY KEY ("PART_GRANT_ID")',
      ],
    },
    {
      name: '"PART_COL_PRIVS"',
      body: [
        '"PART_COLUMN_GRANT_ID" bigint NOT NULL',
        `"COLUMN_NAME" ${vc(767)} DEFAULT NULL`,
        '"CREATE_TIME" bigint NOT NULL',
        ...grant,
        '"PART_ID" bigint',
        `"PART_COL_PRIV" ${vc(128)} DEFAULT NULL`,
        ...auth,
        'PRIMARY KEY ("PART_COLUMN_GRANT_ID")',
      ],
    },
  ];
}
