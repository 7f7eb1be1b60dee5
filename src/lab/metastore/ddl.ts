// Renders the lab metastore DDL (tables.ts) for one Hive version: tables, foreign keys, the
// indexes joins and deletes need, and the rows a fresh `schematool -initSchema` leaves behind.
import { familyOf, type LabHiveVersion } from './versions.js';
import { labForeignKeys, labTables } from './tables.js';

const INDEXES: ReadonlyArray<[string, string]> = [
  ['"TBLS"', '"DB_ID"'],
  ['"TBLS"', '"SD_ID"'],
  ['"PARTITIONS"', '"SD_ID"'],
  ['"SDS"', '"CD_ID"'],
  ['"SDS"', '"SERDE_ID"'],
  ['"FUNCS"', '"DB_ID"'],
  ['"FUNC_RU"', '"FUNC_ID"'],
  ['"TAB_COL_STATS"', '"TBL_ID"'],
  ['"PART_COL_STATS"', '"PART_ID"'],
  ['"PART_PRIVS"', '"PART_ID"'],
  ['"PART_COL_PRIVS"', '"PART_ID"'],
  ['"TBL_PRIVS"', '"TBL_ID"'],
  ['"TBL_COL_PRIVS"', '"TBL_ID"'],
  ['"DB_PRIVS"', '"DB_ID"'],
  ['"ROLE_MAP"', '"ROLE_ID"'],
  ['"SKEWED_VALUES"', '"STRING_LIST_ID_EID"'],
  ['"SKEWED_COL_VALUE_LOC_MAP"', '"STRING_LIST_ID_KID"'],
];

/** The complete DDL script for `version` (one string; run it in one transaction). */
export function labMetastoreDdl(version: LabHiveVersion): string {
  const family = familyOf(version);
  const out: string[] = [`-- hmsdr lab metastore, Hive schema ${version}`];
  for (const table of labTables(family)) {
    out.push(`CREATE TABLE ${table.name} (\n  ${table.body.join(',\n  ')}\n);`);
  }
  for (const fk of labForeignKeys(family)) {
    out.push(`ALTER TABLE ${fk.table} ADD FOREIGN KEY (${fk.columns}) REFERENCES ${fk.references}${fk.deferrable ? ' DEFERRABLE' : ''};`);
  }
  for (const [i, [table, column]] of INDEXES.entries()) out.push(`CREATE INDEX "HMSDR_LAB_IX${i}" ON ${table} USING btree (${column});`);
  out.push(...seedRows(version));
  return out.join('\n') + '\n';
}

function seedRows(version: LabHiveVersion): string[] {
  const family = familyOf(version);
  const txn = (table: string, column: string, value: number): string =>
    family === '4'
      ? `INSERT INTO "${table}" ("${column}") VALUES (${value});`
      : `INSERT INTO ${table.toLowerCase()} (${column.toLowerCase()}) VALUES (${value});`;
  return [
    ...(family !== '2'
      ? [`INSERT INTO "CTLGS" ("CTLG_ID", "NAME", "DESC", "LOCATION_URI") VALUES (1, 'hive', 'Default catalog for Hive', 'TBD');`]
      : []),
    `INSERT INTO "SEQUENCE_TABLE" ("SEQUENCE_NAME", "NEXT_VAL") VALUES ('org.apache.hadoop.hive.metastore.model.MNotificationLog', 1);`,
    `INSERT INTO "NOTIFICATION_SEQUENCE" ("NNI_ID", "NEXT_EVENT_ID") VALUES (1, 1);`,
    ...(family === '4'
      ? [
          `INSERT INTO "TXNS" ("TXN_ID", "TXN_STATE", "TXN_STARTED", "TXN_LAST_HEARTBEAT", "TXN_USER", "TXN_HOST") VALUES (0, 'c', 0, 0, '', '');`,
        ]
      : [txn('NEXT_TXN_ID', 'NTXN_NEXT', 1)]),
    txn('NEXT_LOCK_ID', 'NL_NEXT', 1),
    txn('NEXT_COMPACTION_QUEUE_ID', 'NCQ_NEXT', 1),
    `INSERT INTO "VERSION" ("VER_ID", "SCHEMA_VERSION", "VERSION_COMMENT") VALUES (1, '${version}', 'Hive release version ${version}');`,
  ];
}
