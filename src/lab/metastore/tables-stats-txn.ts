// The lab metastore's statistics, function and transaction tables (see tables.ts): split from it to
// keep each file readable; the same upstream columns, types and keys.
import type { SchemaFamily } from '../../adapters/postgres/schema-version.js';
import { type Family, type TableSpec, vc } from './tables-common.js';

/** Column statistics, functions (their resource URIs) and materialized views. */
export function statsAndFunctionTables({ v3, v4, cat }: Family): TableSpec[] {
  const statsCols = [`"COLUMN_NAME" ${vc(767)} DEFAULT NULL`, `"COLUMN_TYPE" ${vc(128)} DEFAULT NULL`];
  const statsValues = [
    '"LONG_LOW_VALUE" bigint',
    '"LONG_HIGH_VALUE" bigint',
    '"DOUBLE_LOW_VALUE" double precision',
    '"DOUBLE_HIGH_VALUE" double precision',
    `"BIG_DECIMAL_LOW_VALUE" ${vc(4000)} DEFAULT NULL`,
    `"BIG_DECIMAL_HIGH_VALUE" ${vc(4000)} DEFAULT NULL`,
    '"NUM_NULLS" bigint NOT NULL',
    '"NUM_DISTINCTS" bigint',
    ...(v3 ? ['"BIT_VECTOR" bytea'] : []),
    '"AVG_COL_LEN" double precision',
    '"MAX_COL_LEN" bigint',
    '"NUM_TRUES" bigint',
    '"NUM_FALSES" bigint',
    '"LAST_ANALYZED" bigint NOT NULL',
    ...(v4 ? [`"ENGINE" ${vc(128)} NOT NULL`, '"HISTOGRAM" bytea'] : []),
  ];
  // Before 4.1 the stats tables also named the database/table (no FK); 4.1 dropped the names.
  const statsNames = (partition: boolean): string[] =>
    v4
      ? []
      : [
          ...cat,
          `"DB_NAME" ${vc(128)} DEFAULT NULL`,
          `"TABLE_NAME" ${vc(256)} DEFAULT NULL`,
          ...(partition ? [`"PARTITION_NAME" ${vc(767)} DEFAULT NULL`] : []),
        ];
  return [
    {
      name: '"TAB_COL_STATS"',
      body: [
        '"CS_ID" bigint NOT NULL',
        ...statsNames(false),
        ...statsCols,
        '"TBL_ID" bigint NOT NULL',
        ...statsValues,
        'PRIMARY KEY ("CS_ID")',
      ],
    },
    {
      name: '"PART_COL_STATS"',
      body: [
        '"CS_ID" bigint NOT NULL',
        ...statsNames(true),
        ...statsCols,
        '"PART_ID" bigint NOT NULL',
        ...statsValues,
        'PRIMARY KEY ("CS_ID")',
      ],
    },
    {
      name: '"FUNCS"',
      body: [
        '"FUNC_ID" bigint NOT NULL',
        `"CLASS_NAME" ${vc(4000)}`,
        '"CREATE_TIME" integer NOT NULL',
        '"DB_ID" bigint',
        `"FUNC_NAME" ${vc(128)}`,
        '"FUNC_TYPE" integer NOT NULL',
        `"OWNER_NAME" ${vc(128)}`,
        `"OWNER_TYPE" ${vc(10)}`,
        'PRIMARY KEY ("FUNC_ID")',
      ],
    },
    {
      name: '"FUNC_RU"',
      body: [
        '"FUNC_ID" bigint NOT NULL',
        '"RESOURCE_TYPE" integer NOT NULL',
        `"RESOURCE_URI" ${vc(4000)}`,
        '"INTEGER_IDX" integer NOT NULL',
        'PRIMARY KEY ("FUNC_ID", "INTEGER_IDX")',
      ],
    },
    ...(v3
      ? [
          {
            name: '"MV_CREATION_METADATA"',
            body: [
              '"MV_CREATION_METADATA_ID" bigint NOT NULL',
              `"CAT_NAME" ${vc(256)} NOT NULL`,
              `"DB_NAME" ${vc(128)} NOT NULL`,
              `"TBL_NAME" ${vc(256)} NOT NULL`,
              '"TXN_LIST" text',
              '"MATERIALIZATION_TIME" bigint NOT NULL',
              'PRIMARY KEY ("MV_CREATION_METADATA_ID")',
            ],
          },
          {
            name: '"MV_TABLES_USED"',
            body: [
              '"MV_CREATION_METADATA_ID" bigint NOT NULL',
              '"TBL_ID" bigint NOT NULL',
              ...(v4
                ? [
                    '"INSERTED_COUNT" bigint NOT NULL DEFAULT 0',
                    '"UPDATED_COUNT" bigint NOT NULL DEFAULT 0',
                    '"DELETED_COUNT" bigint NOT NULL DEFAULT 0',
                    'PRIMARY KEY ("TBL_ID", "MV_CREATION_METADATA_ID")',
                  ]
                : []),
            ],
          },
        ]
      : []),
  ];
}

/** Transactions, locks and compactions: HMS reads these at start-up; compaction rows snapshot table properties. */
export function txnTables({ family, v3, v4, t, c }: Family): TableSpec[] {
  return [
    {
      name: t('TXNS'),
      body: [
        v4 ? '"TXN_ID" bigserial PRIMARY KEY' : 'txn_id bigint PRIMARY KEY',
        `${c('TXN_STATE')} char(1) NOT NULL`,
        `${c('TXN_STARTED')} bigint NOT NULL`,
        `${c('TXN_LAST_HEARTBEAT')} bigint NOT NULL`,
        `${c('TXN_USER')} ${vc(128)} NOT NULL`,
        `${c('TXN_HOST')} ${vc(128)} NOT NULL`,
        `${c('TXN_AGENT_INFO')} ${vc(128)}`,
        `${c('TXN_META_INFO')} ${vc(128)}`,
        `${c('TXN_HEARTBEAT_COUNT')} integer`,
        ...(v3 ? [`${c('TXN_TYPE')} integer`] : []),
      ],
    },
    ...(v4 ? [] : [{ name: 'next_txn_id', body: ['ntxn_next bigint NOT NULL'] }]),
    { name: t('NEXT_LOCK_ID'), body: [`${c('NL_NEXT')} bigint NOT NULL`] },
    { name: t('NEXT_COMPACTION_QUEUE_ID'), body: [`${c('NCQ_NEXT')} bigint NOT NULL`] },
    ...(v3
      ? [
          {
            name: t('NEXT_WRITE_ID'),
            body: [`${c('NWI_DATABASE')} ${vc(128)} NOT NULL`, `${c('NWI_TABLE')} ${vc(256)} NOT NULL`, `${c('NWI_NEXT')} bigint NOT NULL`],
          },
        ]
      : []),
    { name: t('COMPACTION_QUEUE'), body: compactionColumns('CQ', family, c) },
    { name: t('COMPLETED_COMPACTIONS'), body: compactionColumns('CC', family, c) },
    ...(v4
      ? [
          {
            name: '"TXN_WRITE_NOTIFICATION_LOG"',
            body: [
              '"WNL_ID" bigint NOT NULL',
              '"WNL_TXNID" bigint NOT NULL',
              '"WNL_WRITEID" bigint NOT NULL',
              `"WNL_DATABASE" ${vc(128)} NOT NULL`,
              `"WNL_TABLE" ${vc(256)} NOT NULL`,
              `"WNL_PARTITION" ${vc(767)} NOT NULL`,
              '"WNL_TABLE_OBJ" text NOT NULL',
              '"WNL_PARTITION_OBJ" text',
              '"WNL_FILES" text',
              '"WNL_EVENT_TIME" integer NOT NULL',
              'PRIMARY KEY ("WNL_TXNID", "WNL_DATABASE", "WNL_TABLE", "WNL_PARTITION")',
            ],
          },
          {
            name: '"REPLICATION_METRICS"',
            body: [
              '"RM_SCHEDULED_EXECUTION_ID" bigint NOT NULL',
              `"RM_POLICY" ${vc(256)} NOT NULL`,
              '"RM_DUMP_EXECUTION_ID" bigint NOT NULL',
              `"RM_METADATA" ${vc(4000)}`,
              `"RM_PROGRESS" ${vc(10000)}`,
              '"RM_START_TIME" integer NOT NULL',
              `"MESSAGE_FORMAT" ${vc(16)} DEFAULT 'json-0.2'`,
              'PRIMARY KEY ("RM_SCHEDULED_EXECUTION_ID")',
            ],
          },
          {
            name: '"SCHEDULED_QUERIES"',
            body: [
              '"SCHEDULED_QUERY_ID" bigint NOT NULL',
              `"CLUSTER_NAMESPACE" ${vc(256)}`,
              '"ENABLED" boolean NOT NULL',
              '"NEXT_EXECUTION" integer',
              `"QUERY" ${vc(4000)}`,
              `"SCHEDULE" ${vc(256)}`,
              `"SCHEDULE_NAME" ${vc(256)}`,
              `"USER" ${vc(256)}`,
              '"ACTIVE_EXECUTION_ID" bigint',
              'CONSTRAINT "SCHEDULED_QUERIES_PK" PRIMARY KEY ("SCHEDULED_QUERY_ID")',
            ],
          },
        ]
      : []),
  ];
}

function compactionColumns(p: 'CQ' | 'CC', family: SchemaFamily, c: (n: string) => string): string[] {
  const v3 = family !== '2';
  const v4 = family === '4';
  const col = (n: string, type: string): string => `${c(`${p}_${n}`)} ${type}`;
  return [
    `${col('ID', 'bigint')} PRIMARY KEY`,
    col('DATABASE', `${vc(128)} NOT NULL`),
    col('TABLE', `${vc(v4 ? 256 : 128)} NOT NULL`),
    col('PARTITION', vc(767)),
    col('STATE', 'char(1) NOT NULL'),
    col('TYPE', 'char(1) NOT NULL'),
    col('TBLPROPERTIES', vc(2048)),
    col('WORKER_ID', vc(128)),
    ...(v4 ? [col('ENQUEUE_TIME', 'bigint')] : []),
    col('START', 'bigint'),
    ...(p === 'CC' ? [col('END', 'bigint')] : []),
    col('RUN_AS', vc(128)),
    col(v3 ? 'HIGHEST_WRITE_ID' : 'HIGHEST_TXN_ID', 'bigint'),
    col('META_INFO', 'bytea'),
    col('HADOOP_JOB_ID', vc(32)),
  ];
}
