// Read-only inspection of one metastore: schema version, exact row counts of every table,
// per-database object counts, DataNucleus/notification counters, filesystem roots over every
// URI column, and (when asked) occurrences of given authorities per table.column.
import { concurrent, type SqlRunner } from '../../adapters/postgres/query-pool.js';
import { readSchemaVersion, type SchemaVersion } from '../../adapters/postgres/schema-version.js';
import { quoteIdent, quoteLiteral } from '../../adapters/postgres/sql-text.js';
import { authorityRegex, normaliseAuthority } from './authority.js';
import { columnKey, URI_COLUMN_CANDIDATES, type UriColumn } from './uri-columns.js';

/** Counts for one Hive database. */
export interface DatabaseCounts {
  /** TBL_TYPE → number of tables (MANAGED_TABLE, EXTERNAL_TABLE, VIRTUAL_VIEW, …). */
  tablesByType: Record<string, number>;
  partitions: number;
  functions: number;
}

/** Values of one URI column that start with one filesystem root. */
export interface FsRootCount {
  table: string;
  column: string;
  /** `scheme://authority` as stored (case kept). */
  root: string;
  count: number;
}

export interface AuthorityOccurrence {
  authority: string;
  table: string;
  column: string;
  count: number;
}

/** Everything L3 parity compares; JSON-serialisable. */
export interface MetastoreInspection {
  schema: SchemaVersion;
  /** Exact count(*) per table of the metastore schema, keyed by the PostgreSQL name (`SDS`, `txns`). */
  rowCounts: Record<string, number>;
  /** Keyed by database name (`catalog.name` outside the default `hive` catalog). */
  databases: Record<string, DatabaseCounts>;
  /** `db.table` → partitions, for tables that have any. */
  partitionsPerTable: Record<string, number>;
  /** SEQUENCE_TABLE: DataNucleus class → NEXT_VAL. */
  sequences: Record<string, number>;
  /** NOTIFICATION_SEQUENCE.NEXT_EVENT_ID (null when the table is empty). */
  nextEventId: number | null;
  /** The URI columns present in this schema. */
  uriColumns: UriColumn[];
  fsRoots: FsRootCount[];
  /** Only for the authorities passed to inspectMetastore; zero counts included. */
  authorityOccurrences: AuthorityOccurrence[];
  elapsedMs: number;
}

export interface InspectOptions {
  /** Count boundary-exact occurrences of these `scheme://authority` values in every URI column. */
  authorities?: readonly string[];
  /** Name used in errors, e.g. `dr metastore hive@db.dr`. */
  where?: string;
}

/**
 * Connections an inspection is given when it has a pool (the verify steps, `verify dr`, `manifest
 * export`): with the manifest's partition-name digests beside it, two keep a 2-core DR server busy.
 */
export const INSPECTION_CONNECTIONS = 2;

const ROOT_RE = '^([A-Za-z][A-Za-z0-9+.-]*://[^/[:space:]"]*)';
const EMBEDDED_ROOT_RE = '([A-Za-z][A-Za-z0-9+.-]*://[^/[:space:]"\\\\,;]*)';

/**
 * Inspect the metastore `client` is connected to (its current schema). The queries after the schema
 * check are independent: on a pool of connections they run side by side.
 */
export async function inspectMetastore(runner: SqlRunner, options: InspectOptions = {}): Promise<MetastoreInspection> {
  const started = Date.now();
  const client = concurrent(runner);
  const schema = await readSchemaVersion(client, options.where ?? 'the database');
  const { rows: columnRows } = await client.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns c
      WHERE table_schema = current_schema() AND EXISTS (SELECT 1 FROM information_schema.tables t
            WHERE t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE')`,
  );
  const present = new Set(columnRows.map((r) => `${r.table_name}.${r.column_name}`));
  const tables = [...new Set(columnRows.map((r) => r.table_name))].sort();
  const uriColumns = URI_COLUMN_CANDIDATES.filter((c) => present.has(columnKey(c)));

  const [uris, rowCounts, { databases, partitionsPerTable }, sequences, nextEventId] = await Promise.all([
    scanUriColumns(client, uriColumns, options.authorities ?? []),
    countRows(client, tables),
    databaseCounts(client, present),
    sequenceTable(client),
    nextEvent(client),
  ]);
  return {
    schema,
    rowCounts,
    databases,
    partitionsPerTable,
    sequences,
    nextEventId,
    uriColumns,
    fsRoots: uris.fsRoots,
    authorityOccurrences: uris.occurrences,
    elapsedMs: Date.now() - started,
  };
}

async function countRows(client: SqlRunner, tables: string[]): Promise<Record<string, number>> {
  if (tables.length === 0) return {};
  const sql = tables.map((t) => `SELECT ${quoteLiteral(t)} AS t, count(*) AS n FROM ${quoteIdent(t)}`).join(' UNION ALL ');
  const { rows } = await client.query<{ t: string; n: string }>(sql);
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

/** `catalog.name` outside the default catalog, else the plain name. */
function dbKeySql(present: Set<string>): string {
  return present.has('DBS.CTLG_NAME')
    ? `CASE WHEN d."CTLG_NAME" = 'hive' THEN d."NAME" ELSE d."CTLG_NAME" || '.' || d."NAME" END`
    : 'd."NAME"';
}

async function databaseCounts(
  client: SqlRunner,
  present: Set<string>,
): Promise<{ databases: Record<string, DatabaseCounts>; partitionsPerTable: Record<string, number> }> {
  const key = dbKeySql(present);
  const databases: Record<string, DatabaseCounts> = {};
  const { rows: dbs } = await client.query<{ db: string; functions: string }>(
    `SELECT ${key} AS db, (SELECT count(*) FROM "FUNCS" f WHERE f."DB_ID" = d."DB_ID") AS functions FROM "DBS" d`,
  );
  for (const r of dbs) databases[r.db] = { tablesByType: {}, partitions: 0, functions: Number(r.functions) };
  const { rows: tbls } = await client.query<{ db: string; type: string | null; n: string }>(
    `SELECT ${key} AS db, t."TBL_TYPE" AS type, count(*) AS n FROM "TBLS" t JOIN "DBS" d ON d."DB_ID" = t."DB_ID" GROUP BY 1, 2`,
  );
  for (const r of tbls) {
    const entry = databases[r.db];
    if (entry) entry.tablesByType[r.type ?? '(null)'] = Number(r.n);
  }
  // One pass over PARTITIONS; the per-database sums are derived from the per-table counts.
  const { rows: parts } = await client.query<{ db: string; tbl: string; n: string }>(
    `SELECT ${key} AS db, t."TBL_NAME" AS tbl, p.n FROM (SELECT "TBL_ID", count(*) AS n FROM "PARTITIONS" GROUP BY 1) p
       JOIN "TBLS" t ON t."TBL_ID" = p."TBL_ID" JOIN "DBS" d ON d."DB_ID" = t."DB_ID"`,
  );
  const partitionsPerTable: Record<string, number> = {};
  for (const r of parts) {
    partitionsPerTable[`${r.db}.${r.tbl}`] = Number(r.n);
    const entry = databases[r.db];
    if (entry) entry.partitions += Number(r.n);
  }
  return { databases, partitionsPerTable };
}

async function sequenceTable(client: SqlRunner): Promise<Record<string, number>> {
  const { rows } = await client.query<{ name: string; next: string }>(
    `SELECT "SEQUENCE_NAME" AS name, "NEXT_VAL" AS next FROM "SEQUENCE_TABLE"`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.next)]));
}

async function nextEvent(client: SqlRunner): Promise<number | null> {
  const { rows } = await client.query<{ n: string | null }>(`SELECT max("NEXT_EVENT_ID") AS n FROM "NOTIFICATION_SEQUENCE"`);
  return rows[0]?.n == null ? null : Number(rows[0].n);
}

const VALID_ROOT = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/\s"'\\,;]*$/;

/** Roots and authority occurrences of every URI column, one scan per column (two when a value needs a regex); columns side by side. */
async function scanUriColumns(
  client: SqlRunner,
  columns: UriColumn[],
  authorities: readonly string[],
): Promise<{ fsRoots: FsRootCount[]; occurrences: AuthorityOccurrence[] }> {
  const scans = await Promise.all(columns.map((c) => scanUriColumn(client, c, authorities)));
  const fsRoots = scans.flatMap((s) => s.fsRoots);
  fsRoots.sort((a, b) => `${a.table}.${a.column} ${a.root}`.localeCompare(`${b.table}.${b.column} ${b.root}`));
  return { fsRoots: mergeRoots(fsRoots), occurrences: scans.flatMap((s) => s.occurrences) };
}

async function scanUriColumn(
  client: SqlRunner,
  c: UriColumn,
  authorities: readonly string[],
): Promise<{ fsRoots: FsRootCount[]; occurrences: AuthorityOccurrence[] }> {
  const fsRoots: FsRootCount[] = [];
  const col = quoteIdent(c.column);
  const table = quoteIdent(c.table);
  const counts = new Map(authorities.map((a) => [a, 0]));
  let detail: { where: string; params: unknown[] } | undefined = { where: `${col} LIKE '%://%'`, params: [] };
  if (c.kind !== 'text') {
    // Fast path for values that start with one URI: split_part instead of a regex per row.
    const rootSql = `split_part(${col}, '/', 1) || '//' || split_part(${col}, '/', 3)`;
    const { rows } = await client.query<{ r: string; two: boolean; n: string }>(
      `SELECT ${rootSql} AS r, ${col} LIKE '%://%://%' AS two, count(*) AS n FROM ${table} WHERE ${col} LIKE '%://%' GROUP BY 1, 2`,
    );
    const invalid: string[] = [];
    let needsRegex = false;
    for (const row of rows) {
      const n = Number(row.n);
      if (!VALID_ROOT.test(row.r)) {
        invalid.push(row.r);
        continue;
      }
      fsRoots.push({ table: c.table, column: c.column, root: row.r, count: n });
      if (row.two) {
        needsRegex = true;
        continue;
      }
      const authority = normaliseAuthority(row.r);
      for (const a of authorities) if (authority === a.toLowerCase()) counts.set(a, (counts.get(a) ?? 0) + n);
    }
    detail =
      invalid.length > 0 || needsRegex
        ? { where: `${col} LIKE '%://%' AND (${col} LIKE '%://%://%' OR ${rootSql} = ANY($1::text[]))`, params: [invalid] }
        : undefined;
    if (detail && invalid.length > 0) {
      // Values that do not start with a URI: list the roots embedded in them.
      fsRoots.push(...(await embeddedRoots(client, c, detail.where, detail.params, true)));
    }
  } else {
    fsRoots.push(...(await embeddedRoots(client, c, detail.where, detail.params, false)));
  }
  if (detail && authorities.length > 0) {
    const parts = authorities.map((a) => `count(*) FILTER (WHERE ${col} ~* ${quoteLiteral(authorityRegex(a.toLowerCase()))})`);
    const { rows } = await client.query<{ [k: string]: string }>(
      `SELECT ${parts.map((p, i) => `${p} AS c${i}`).join(', ')} FROM ${table} WHERE ${detail.where}`,
      detail.params,
    );
    authorities.forEach((a, i) => counts.set(a, (counts.get(a) ?? 0) + Number(rows[0]?.[`c${i}`] ?? 0)));
  }
  const occurrences = authorities.map((a) => ({ authority: a, table: c.table, column: c.column, count: counts.get(a) ?? 0 }));
  return { fsRoots, occurrences };
}

async function embeddedRoots(
  client: SqlRunner,
  c: UriColumn,
  where: string,
  params: unknown[],
  skipLeading: boolean,
): Promise<FsRootCount[]> {
  const col = quoteIdent(c.column);
  // Leading roots of direct/param values were counted by the fast path already.
  const leading = skipLeading ? ` AND NOT (${col} ~ '^[A-Za-z][A-Za-z0-9+.-]*://' AND m[1] = substring(${col} from '${ROOT_RE}'))` : '';
  const { rows } = await client.query<{ root: string; n: string }>(
    `SELECT m[1] AS root, count(*) AS n FROM ${quoteIdent(c.table)}, regexp_matches(${col}, '${EMBEDDED_ROOT_RE}', 'g') m WHERE ${where}${leading} GROUP BY 1`,
    params,
  );
  return rows.map((r) => ({ table: c.table, column: c.column, root: r.root, count: Number(r.n) }));
}

function mergeRoots(roots: FsRootCount[]): FsRootCount[] {
  const merged = new Map<string, FsRootCount>();
  for (const r of roots) {
    const key = `${r.table}.${r.column} ${r.root}`;
    const seen = merged.get(key);
    if (seen) seen.count += r.count;
    else merged.set(key, { ...r });
  }
  return [...merged.values()];
}
