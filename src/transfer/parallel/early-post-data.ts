// Post-data that runs while the parallel transfer still copies: a table's primary key, unique
// constraints and indexes right after its data; foreign keys once their tables are loaded, each in
// two steps (ADD … NOT VALID, then VALIDATE) and merged where an index orders the rows by the key.
import type { PgClient } from '../../adapters/postgres/connection.js';
import type { SourceTable } from './catalog.js';
import { foreignKeyInTwoSteps, quoteName, type DumpEntry, type DumpScript, type TwoStepForeignKey } from './dump-script.js';
import { entryFailure, runForeignKey } from './post-data.js';

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

/** Run an entry (its statements as printed, unless `run` says how); a failure names the entry. */
export async function runEarlyEntry(
  client: PgClient,
  entry: DumpEntry,
  run = async (): Promise<unknown> => client.query(entry.sql),
): Promise<void> {
  try {
    await run();
  } catch (error) {
    throw entryFailure('post-data', entry, error);
  }
}

/** A foreign key in two steps where it can be, by merge where an index allows (post-data's runForeignKey). */
export const runEarlyForeignKey = (client: PgClient, fk: ForeignKey): Promise<void> =>
  runEarlyEntry(client, fk.entry, () => runForeignKey(client, fk.entry, fk.twoSteps));
