// Which Hive metastore columns hold URIs (reference/hive-metastore-schema.md §4) and what the
// rewriter does with each table of a COPY block: rewrite, capture, or only watch for leftovers.

/** Direct location columns, by upper-case table name. A column absent from a version's COPY header is simply not there. */
export const DIRECT_LOCATION_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  DBS: ['DB_LOCATION_URI', 'DB_MANAGED_LOCATION_URI'], // managed: 4.x only
  CTLGS: ['LOCATION_URI'], // 3.x+; 'TBD' on a fresh 3.x DB is no URI and stays
  SDS: ['LOCATION'],
  SKEWED_COL_VALUE_LOC_MAP: ['LOCATION'],
  FUNC_RU: ['RESOURCE_URI'],
};

/** Key/value tables whose PARAM_VALUE is rewritten when PARAM_KEY is configured. */
export const PARAMETER_TABLES: ReadonlySet<string> = new Set([
  'TABLE_PARAMS',
  'PARTITION_PARAMS',
  'SERDE_PARAMS',
  'SD_PARAMS',
  'DATABASE_PARAMS',
  'INDEX_PARAMS', // ≤ 3.x
]);

/** Why an old authority found in these places is left alone; shown with the warning. */
const LEFT_ALONE_NOTES: Readonly<Record<string, string>> = {
  'NOTIFICATION_LOG.MESSAGE':
    'HMS event log (history): not rewritten; event consumers (REPL, Impala) replaying old events see old locations',
  'TBLS.VIEW_ORIGINAL_TEXT': 'view SQL text: not rewritten; recreate the view if it names a location',
  'TBLS.VIEW_EXPANDED_TEXT': 'view SQL text: not rewritten; recreate the view if it names a location',
  'COMPACTION_QUEUE.CQ_TBLPROPERTIES': 'table properties snapshot of a queued compaction: not rewritten',
  'COMPLETED_COMPACTIONS.CC_TBLPROPERTIES': 'table properties snapshot of a finished compaction: not rewritten',
  'TXN_WRITE_NOTIFICATION_LOG.WNL_FILES': 'files written by a transaction (history): not rewritten',
  'TXN_WRITE_NOTIFICATION_LOG.WNL_TABLE_OBJ': 'serialized table object (history): not rewritten',
  'TXN_WRITE_NOTIFICATION_LOG.WNL_PARTITION_OBJ': 'serialized partition object (history): not rewritten',
  'REPLICATION_METRICS.RM_METADATA': 'replication run metadata (history): not rewritten',
  'SCHEDULED_QUERIES.QUERY': 'scheduled query SQL text: not rewritten; edit the scheduled query',
  'DATACONNECTOR_PARAMS.PARAM_VALUE': 'data connector parameter (JDBC, not a filesystem): not rewritten',
};

/** Note for an occurrence left alone in TABLE.COLUMN (upper-case keys). */
export function leftAloneNote(tableKey: string, column: string): string | undefined {
  const key = `${tableKey}.${column.toUpperCase()}`;
  if (LEFT_ALONE_NOTES[key] !== undefined) return LEFT_ALONE_NOTES[key];
  if (PARAMETER_TABLES.has(tableKey) && column === 'PARAM_VALUE') {
    return 'PARAM_KEY not in rewrite.parameterKeys: add it (--param-key) or set allParameterKeys (--all-param-keys) to rewrite it';
  }
  return undefined;
}

/** The role of one column of a COPY block. */
export type ColumnRole =
  | 'passive' // pass through, watch for leftovers
  | 'capture' // pass through and remember the value (row key, PARAM_KEY, SCHEMA_VERSION, MESSAGE_FORMAT)
  | 'target' // rewrite
  | 'param-value'; // rewrite when this row's PARAM_KEY is configured

/** What the rewriter does with one COPY block. */
export interface TablePlan {
  /** Report name (`SDS`, `txns`, `other_schema.T`). */
  readonly name: string;
  /** Upper-case table name, for lookups. */
  readonly key: string;
  readonly columns: readonly string[];
  readonly roles: readonly ColumnRole[];
  /** Highest column index whose role is not passive; -1 when the rows need no field stepping. */
  readonly lastInteresting: number;
  /** Index of PARAM_KEY in a parameter table (or -1). */
  readonly paramKeyIndex: number;
  /** Index of SCHEMA_VERSION (VERSION table) or MESSAGE_FORMAT (NOTIFICATION_LOG), or -1. */
  readonly infoIndex: number;
}

/** Build the plan of a COPY block from its header. */
export function planTable(name: string, columns: readonly string[], allParameterKeys: boolean): TablePlan {
  const tableKey = (name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : name).toUpperCase();
  const upper = columns.map((c) => c.toUpperCase());
  const roles: ColumnRole[] = upper.map(() => 'passive');
  const direct = DIRECT_LOCATION_COLUMNS[tableKey] ?? [];
  let paramKeyIndex = -1;
  let infoIndex = -1;
  upper.forEach((col, i) => {
    if (direct.includes(col)) roles[i] = 'target';
  });
  if (PARAMETER_TABLES.has(tableKey)) {
    const k = upper.indexOf('PARAM_KEY');
    const v = upper.indexOf('PARAM_VALUE');
    if (v >= 0 && allParameterKeys) roles[v] = 'target';
    else if (k >= 0 && v > k) {
      roles[k] = 'capture';
      roles[v] = 'param-value';
      paramKeyIndex = k;
    }
    // A PARAM_VALUE before PARAM_KEY (no upstream schema does this) cannot be decided per field:
    // it stays passive and occurrences are reported as left alone.
  }
  if (tableKey === 'VERSION') infoIndex = upper.indexOf('SCHEMA_VERSION');
  if (tableKey === 'NOTIFICATION_LOG') infoIndex = upper.indexOf('MESSAGE_FORMAT');
  if (infoIndex >= 0) roles[infoIndex] = 'capture';
  let lastInteresting = -1;
  roles.forEach((role, i) => {
    if (role !== 'passive') lastInteresting = i;
  });
  // Field 0 is the row key named in messages; capture it whenever rows are stepped anyway.
  if (lastInteresting >= 0 && roles[0] === 'passive') roles[0] = 'capture';
  return { name, key: tableKey, columns, roles, lastInteresting, paramKeyIndex, infoIndex };
}
