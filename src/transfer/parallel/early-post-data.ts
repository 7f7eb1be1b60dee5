// Post-data that runs while the parallel transfer still copies: a table's primary key, unique
// constraints and indexes right after its data; foreign keys once their tables are loaded, each in
// two steps (ADD … NOT VALID, then VALIDATE) and merged where an index orders the rows by the key.
import type { PgClient } from '../../adapters/postgres/connection.js';
import type { SourceTable } from './catalog.js';
import { foreignKeyInTwoSteps, quoteName, type DumpEntry, type DumpScript, type TwoStepForeignKey } from './dump-script.js';
import { DumpEntryError, entryLabel } from './post-data.js';

/** A foreign key of post-data with the tables it locks, its own first (it may run once all of them are loaded). */
export interface ForeignKey {
  entry: DumpEntry;
  tables: SourceTable[];
  /** ADD … NOT VALID, then VALIDATE; undefined: the entry as printed. */
  twoSteps: TwoStepForeignKey | undefined;
}

/** Tables by the canonical name post-data entries use for them (dump-script's quoteName). */
const tablesByName = (tables: readonly SourceTable[]): Map<string, SourceTable> =>
  new Map(tables.map((t) => [`${quoteName(t.schema)}.${quoteName(t.table)}`, t]));

const EARLY_TYPES = new Set(['CONSTRAINT', 'INDEX']);

/**
 * Post-data entries that concern one table only (its primary key, unique constraints, indexes):
 * they can run as soon as that table is loaded. Not with partitioned tables, whose keys must wait
 * for INDEX ATTACH entries.
 */
export function earlyPostData(script: DumpScript, tables: readonly SourceTable[]): Map<SourceTable, DumpEntry[]> {
  const early = new Map<SourceTable, DumpEntry[]>();
  if (script.entries.some((e) => e.type === 'INDEX ATTACH')) return early;
  const byName = tablesByName(tables);
  for (const entry of script.entries) {
    const table = entry.tables.length === 1 && EARLY_TYPES.has(entry.type) ? byName.get(entry.tables[0] as string) : undefined;
    if (table) early.set(table, [...(early.get(table) ?? []), entry]);
  }
  return early;
}

/** Post-data foreign keys whose tables are all among the copied ones. */
export function foreignKeysOf(script: DumpScript, tables: readonly SourceTable[]): ForeignKey[] {
  const byName = tablesByName(tables);
  const keys: ForeignKey[] = [];
  for (const entry of script.entries) {
    if (entry.type !== 'FK CONSTRAINT' || entry.tables.length === 0) continue;
    const locks = entry.tables.map((name) => byName.get(name));
    if (locks.every((t): t is SourceTable => t !== undefined))
      keys.push({ entry, tables: [...new Set(locks)], twoSteps: foreignKeyInTwoSteps(entry) });
  }
  return keys;
}

/** Run an entry's statements; the result of the last one. */
export async function runEarlyEntry(
  client: PgClient,
  entry: DumpEntry,
  statements: Array<string | { text: string; values: unknown[] }> = [entry.sql],
): Promise<{ rows: Array<Record<string, unknown>> } | undefined> {
  try {
    let last: { rows: Array<Record<string, unknown>> } | undefined;
    for (const sql of statements) last = await client.query(sql);
    return last;
  } catch (error) {
    throw new DumpEntryError(
      `post-data ${entryLabel(entry)} failed: ${error instanceof Error ? error.message : String(error)}`,
      entry,
      error,
    );
  }
}

/**
 * Whether an index of the referencing table starts with the key's columns, in order: then the check
 * of every row can merge two ordered index scans instead of hashing the referenced table.
 */
export const ORDERED_BY_KEY = `SELECT EXISTS (
  SELECT 1 FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_index i ON i.indrelid = c.conrelid
   WHERE c.conrelid = $1::regclass AND c.conname = $2 AND c.contype = 'f' AND i.indisvalid AND i.indpred IS NULL
     AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1]::int2[] = c.conkey::int2[]) AS ordered`;

/**
 * A foreign key, in two transactions where it can be: ADD's lock on the referenced table must end
 * before the long VALIDATE, or a second key to that table would wait for the first one's scan.
 * With an index that orders the referencing rows by the key, VALIDATE runs without hash joins: the
 * planner's hash anti-join of `PARTITION_PARAMS` (3M rows) against `PARTITIONS` took 0.96 s, the
 * merge of the two primary keys 0.30 s (1M partitions, warm cache).
 */
export async function runForeignKey(client: PgClient, fk: ForeignKey): Promise<void> {
  const steps = fk.twoSteps;
  if (steps === undefined) {
    await runEarlyEntry(client, fk.entry);
    return;
  }
  const found = await runEarlyEntry(client, fk.entry, [steps.add, { text: ORDERED_BY_KEY, values: [steps.table, steps.constraint] }]);
  const validate =
    found?.rows[0]?.ordered === true ? ['SET enable_hashjoin = off', steps.validate, 'RESET enable_hashjoin'] : [steps.validate];
  await runEarlyEntry(client, fk.entry, validate);
}
