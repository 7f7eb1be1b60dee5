// What the parallel transfer needs to know about the source database, read inside the exported
// snapshot: the tables pg_dump would dump (with their COPY column lists and varchar limits), their
// size, an integer key to split large ones by, and the sequences' current values.
import type { PgClient } from '../../adapters/postgres/connection.js';
import { quoteIdent } from '../../adapters/postgres/sql-text.js';

export interface SourceTable {
  schema: string;
  table: string;
  /** Columns in attnum order, as `COPY t (cols)` lists them (generated columns excluded, like pg_dump). */
  columns: string[];
  /** `varchar(n)` / `char(n)` limits by column. */
  limits: Map<string, number | null>;
  /** On-disk size of the heap (an estimate of the stream size, for scheduling and splitting). */
  bytes: number;
  /** First primary-key column when it is an integer: large tables are split on it. */
  splitKey?: string;
}

export interface SourceSequence {
  schema: string;
  sequence: string;
  /** null when nextval was never called (the restored sequence is already in that state). */
  lastValue: string | null;
}

const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint']);

/** Ordinary tables outside the system schemas and not owned by an extension: pg_dump's set. */
export async function listSourceTables(client: PgClient): Promise<SourceTable[]> {
  const tables = await client.query<{ oid: string; schema: string; table: string; bytes: string }>(`
    SELECT c.oid::text AS oid, n.nspname AS schema, c.relname AS table, pg_relation_size(c.oid)::text AS bytes
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'r'
       AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
     ORDER BY n.nspname, c.relname`);
  const oids = tables.rows.map((r) => r.oid);
  const columns = await client.query<{ oid: string; name: string; limit: number | null }>(
    `
    SELECT a.attrelid::text AS oid, a.attname AS name,
           CASE WHEN a.atttypid IN ('varchar'::regtype, 'bpchar'::regtype) AND a.atttypmod > 4 THEN a.atttypmod - 4 END AS limit
      FROM pg_attribute a
     WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
     ORDER BY a.attrelid, a.attnum`,
    [oids],
  );
  const keys = await client.query<{ oid: string; name: string; type: string }>(
    `
    SELECT con.conrelid::text AS oid, a.attname AS name, format_type(a.atttypid, NULL) AS type
      FROM pg_constraint con JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
     WHERE con.contype = 'p' AND con.conrelid = ANY($1::oid[])`,
    [oids],
  );
  const byOid = new Map<string, SourceTable>();
  for (const r of tables.rows)
    byOid.set(r.oid, { schema: r.schema, table: r.table, columns: [], limits: new Map(), bytes: Number(r.bytes) });
  for (const c of columns.rows) {
    const table = byOid.get(c.oid);
    if (!table) continue;
    table.columns.push(c.name);
    table.limits.set(c.name, c.limit);
  }
  for (const k of keys.rows) {
    const table = byOid.get(k.oid);
    if (table && INTEGER_TYPES.has(k.type)) table.splitKey = k.name;
  }
  return [...byOid.values()];
}

/** Smallest and largest value of an integer key (bigint as text), or undefined for an empty table. */
export async function keyBounds(
  client: PgClient,
  table: Pick<SourceTable, 'schema' | 'table'>,
  key: string,
): Promise<{ min: bigint; max: bigint } | undefined> {
  const { rows } = await client.query<{ min: string | null; max: string | null }>(
    `SELECT min(${quoteIdent(key)})::text AS min, max(${quoteIdent(key)})::text AS max FROM ${qualified(table)}`,
  );
  const row = rows[0];
  return row?.min != null && row.max != null ? { min: BigInt(row.min), max: BigInt(row.max) } : undefined;
}

export async function countRows(client: PgClient, table: Pick<SourceTable, 'schema' | 'table'>): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${qualified(table)}`);
  return Number(rows[0]?.n ?? 0);
}

export async function listSourceSequences(client: PgClient): Promise<SourceSequence[]> {
  const { rows } = await client.query<{ schema: string; sequence: string; last: string | null }>(`
    SELECT schemaname AS schema, sequencename AS sequence, last_value::text AS last
      FROM pg_sequences WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`);
  return rows.map((r) => ({ schema: r.schema, sequence: r.sequence, lastValue: r.last }));
}

export const qualified = (t: Pick<SourceTable, 'schema' | 'table'>): string => `${quoteIdent(t.schema)}.${quoteIdent(t.table)}`;
