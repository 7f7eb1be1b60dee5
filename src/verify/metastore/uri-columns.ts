// Columns of a Hive metastore that can hold filesystem URIs (reference/hive-metastore-schema.md §4),
// named as PostgreSQL stores them. Inspection keeps the ones that exist in the database at hand.

export type UriColumnKind =
  /** The value is a location. */
  | 'direct'
  /** Key/value tables: a value may be a URI (avro.schema.url, path, …). */
  | 'param'
  /** Free text or serialized objects that may embed URIs anywhere. */
  | 'text';

export interface UriColumn {
  table: string;
  column: string;
  kind: UriColumnKind;
}

const u = (table: string, column: string, kind: UriColumnKind): UriColumn => ({ table, column, kind });

/** Every candidate over all versions; lower-case names are the unquoted txn tables of 2.x/3.x. */
export const URI_COLUMN_CANDIDATES: readonly UriColumn[] = [
  u('DBS', 'DB_LOCATION_URI', 'direct'),
  u('DBS', 'DB_MANAGED_LOCATION_URI', 'direct'),
  u('CTLGS', 'LOCATION_URI', 'direct'),
  u('SDS', 'LOCATION', 'direct'),
  u('SKEWED_COL_VALUE_LOC_MAP', 'LOCATION', 'direct'),
  u('FUNC_RU', 'RESOURCE_URI', 'direct'),
  u('TABLE_PARAMS', 'PARAM_VALUE', 'param'),
  u('SERDE_PARAMS', 'PARAM_VALUE', 'param'),
  u('PARTITION_PARAMS', 'PARAM_VALUE', 'param'),
  u('DATABASE_PARAMS', 'PARAM_VALUE', 'param'),
  u('SD_PARAMS', 'PARAM_VALUE', 'param'),
  u('INDEX_PARAMS', 'PARAM_VALUE', 'param'),
  u('NOTIFICATION_LOG', 'MESSAGE', 'text'),
  u('TBLS', 'VIEW_ORIGINAL_TEXT', 'text'),
  u('TBLS', 'VIEW_EXPANDED_TEXT', 'text'),
  u('TXN_WRITE_NOTIFICATION_LOG', 'WNL_FILES', 'text'),
  u('TXN_WRITE_NOTIFICATION_LOG', 'WNL_TABLE_OBJ', 'text'),
  u('TXN_WRITE_NOTIFICATION_LOG', 'WNL_PARTITION_OBJ', 'text'),
  u('compaction_queue', 'cq_tblproperties', 'text'),
  u('completed_compactions', 'cc_tblproperties', 'text'),
  u('COMPACTION_QUEUE', 'CQ_TBLPROPERTIES', 'text'),
  u('COMPLETED_COMPACTIONS', 'CC_TBLPROPERTIES', 'text'),
  u('REPLICATION_METRICS', 'RM_METADATA', 'text'),
  u('SCHEDULED_QUERIES', 'QUERY', 'text'),
];

export const columnKey = (c: { table: string; column: string }): string => `${c.table}.${c.column}`;
