// Replay parsed pg_dump schema sections over already-open connections: pre-data in order on one
// connection; post-data with primary keys / unique constraints / indexes, then foreign keys, spread
// over several connections. Two entries that lock a common table never run at the same time, so
// foreign keys added in opposite directions cannot deadlock. Foreign keys run in two steps and by
// merge where they can (runForeignKey).
import type { PgClient } from '../../adapters/postgres/connection.js';
import { quoteIdent } from '../../adapters/postgres/sql-text.js';
import { foreignKeyInTwoSteps, type DumpEntry, type DumpScript, type TwoStepForeignKey } from './dump-script.js';

export interface ApplyProgress {
  done: number;
  total: number;
  /** Entries running now, as `TYPE "name"`. */
  running: string[];
}

export interface ApplyResult {
  entries: number;
  byType: Record<string, number>;
  durationMs: number;
  phases: { name: string; entries: number; durationMs: number }[];
}

export interface ApplyOptions {
  signal?: AbortSignal;
  /** Called after each entry completes. */
  onProgress?: (p: ApplyProgress) => void;
  /** Word that starts error messages (default `post-data` / `pre-data`). */
  section?: string;
}

/** An entry (or a preamble statement) failed; `cause` is the server's error. */
export class DumpEntryError extends Error {
  constructor(
    message: string,
    readonly entry: DumpEntry | undefined,
    cause: unknown,
  ) {
    super(message, { cause });
    this.name = 'DumpEntryError';
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
export const entryLabel = (entry: DumpEntry): string => `${entry.type} "${entry.name}"`;

/** An entry's failure, named by the section and the entry (`post-data CONSTRAINT "T T_pkey" failed: …`). */
export const entryFailure = (section: string, entry: DumpEntry, cause: unknown): DumpEntryError =>
  new DumpEntryError(`${section} ${entryLabel(entry)} failed: ${messageOf(cause)}`, entry, cause);

/** What an operator reads while post-data runs on several connections. */
export const applyProgressText = (p: ApplyProgress): string =>
  `indexes and constraints ${p.done}/${p.total}${p.running.length ? `: ${p.running.join(', ')}` : ''}`;

/** What an aborted signal throws: its reason, or a DOMException named AbortError. */
function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

interface RunContext {
  section: string;
  signal: AbortSignal | undefined;
  onProgress: ((p: ApplyProgress) => void) | undefined;
  total: number;
  done: number;
  running: Set<DumpEntry>;
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
 * merge of the two primary keys 0.30 s (1M partitions, warm cache). Without `steps`, as printed.
 */
export async function runForeignKey(client: PgClient, entry: DumpEntry, steps: TwoStepForeignKey | undefined): Promise<void> {
  if (steps === undefined) {
    await client.query(entry.sql);
    return;
  }
  await client.query(steps.add);
  const found = await client.query<{ ordered: boolean }>(ORDERED_BY_KEY, [steps.table, steps.constraint]);
  if (found.rows[0]?.ordered !== true) {
    await client.query(steps.validate);
    return;
  }
  await client.query('SET enable_hashjoin = off');
  await client.query(steps.validate);
  await client.query('RESET enable_hashjoin');
}

/**
 * A DR session for schema work: objects created owned by `role` (when it is not the login user), and
 * one process per index build: the connections are the parallelism, and parallel index builds on
 * top only add coordination when every core is already busy (measured: -15% DR CPU at 1M partitions).
 */
export async function prepareSchemaSession(client: PgClient, role: string | undefined): Promise<void> {
  if (role) await client.query(`SET ROLE ${quoteIdent(role)}`);
  await client.query('SET max_parallel_maintenance_workers = 0');
}

/** The tables (its own first) an entry holds while it runs: a foreign key in two steps holds its own table only. */
export const heldTables = <T>(tables: readonly T[], steps: TwoStepForeignKey | undefined): readonly T[] =>
  steps === undefined ? tables : tables.slice(0, 1);

async function runEntry(ctx: RunContext, client: PgClient, entry: DumpEntry, steps?: TwoStepForeignKey): Promise<void> {
  ctx.running.add(entry);
  try {
    if (steps !== undefined) await runForeignKey(client, entry, steps);
    else if (entry.sql.trim() !== '') await client.query(entry.sql);
  } catch (error) {
    throw entryFailure(ctx.section, entry, error);
  } finally {
    ctx.running.delete(entry);
  }
  ctx.done += 1;
  ctx.onProgress?.({ done: ctx.done, total: ctx.total, running: [...ctx.running].map(entryLabel) });
}

/** The preamble on every client, in parallel; the first failure is thrown once all settled. */
async function runPreamble(ctx: RunContext, script: DumpScript, clients: PgClient[]): Promise<void> {
  if (script.preamble.length === 0) return;
  const sql = script.preamble.join('\n');
  const results = await Promise.allSettled(clients.map((client) => client.query(sql)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw new DumpEntryError(`${ctx.section} preamble failed: ${messageOf(failed.reason)}`, undefined, failed.reason);
}

async function runSerial(ctx: RunContext, entries: DumpEntry[], client: PgClient): Promise<void> {
  for (const entry of entries) {
    if (ctx.signal?.aborted) throw abortError(ctx.signal);
    await runEntry(ctx, client, entry);
  }
}

/**
 * Greedy scheduling: an idle client takes the first pending entry (dump order) whose tables are
 * all idle; an entry whose tables are unknown runs alone. A foreign key waits for the keys and
 * indexes of its tables among `entries` (the referenced key must exist; the referencing index lets
 * VALIDATE merge), not for the others': it fills the clients the last index builds leave idle. (In
 * pg_dump's order, keys and indexes first, the table locks alone would keep that; this keeps it in
 * any order.) In two steps it holds its own table only (VALIDATE's lock on the referenced one lets other keys to it
 * run). On the first failure or an abort no more entries start, and the promise settles once the
 * running ones have.
 */
function runParallel(ctx: RunContext, entries: DumpEntry[], clients: PgClient[]): Promise<void> {
  const twoSteps = new Map(entries.map((e) => [e, foreignKeyInTwoSteps(e)]));
  // Keys and indexes not built yet, per table and in all.
  const unbuilt = new Map<string, number>();
  let unbuiltTotal = 0;
  for (const e of entries) {
    if (e.type === FK_TYPE) continue;
    unbuiltTotal += 1;
    for (const t of e.tables) unbuilt.set(t, (unbuilt.get(t) ?? 0) + 1);
  }
  const built = (entry: DumpEntry): void => {
    if (entry.type === FK_TYPE) return;
    unbuiltTotal -= 1;
    for (const t of entry.tables) unbuilt.set(t, (unbuilt.get(t) ?? 1) - 1);
  };
  const ready = (entry: DumpEntry): boolean =>
    entry.type !== FK_TYPE || (entry.tables.length === 0 ? unbuiltTotal === 0 : entry.tables.every((t) => !unbuilt.get(t)));
  return new Promise<void>((resolve, reject) => {
    const pending = [...entries];
    const idle = [...clients];
    const busyTables = new Set<string>();
    let running = 0;
    let exclusive = false;
    let stop: { error: unknown } | undefined;
    let settled = false;

    const onAbort = (): void => pump();
    const finish = (): void => {
      if (settled) return;
      settled = true;
      ctx.signal?.removeEventListener('abort', onAbort);
      if (stop) reject(stop.error);
      else resolve();
    };
    const canStart = (entry: DumpEntry): boolean =>
      !exclusive && ready(entry) && (entry.tables.length === 0 ? running === 0 : entry.tables.every((t) => !busyTables.has(t)));
    const start = (entry: DumpEntry, client: PgClient): void => {
      running += 1;
      exclusive = entry.tables.length === 0;
      const steps = twoSteps.get(entry);
      const held = heldTables(entry.tables, steps);
      for (const t of held) busyTables.add(t);
      runEntry(ctx, client, entry, steps)
        .then(() => built(entry))
        .catch((error: unknown) => {
          stop ??= { error };
        })
        .finally(() => {
          running -= 1;
          exclusive = false;
          for (const t of held) busyTables.delete(t);
          idle.push(client);
          pump();
        });
    };
    function pump(): void {
      if (!stop && ctx.signal?.aborted) stop = { error: abortError(ctx.signal) };
      while (!stop && idle.length > 0) {
        const index = pending.findIndex(canStart);
        if (index < 0) break;
        const [entry] = pending.splice(index, 1);
        const client = idle.shift();
        if (entry === undefined || client === undefined) break;
        start(entry, client);
      }
      if (running === 0 && (stop || pending.length === 0)) finish();
    }

    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    pump();
  });
}

interface Phase {
  name: string;
  entries: DumpEntry[];
  parallel: boolean;
}

const INDEX_TYPES = new Set(['CONSTRAINT', 'INDEX']);
const FK_TYPE = 'FK CONSTRAINT';

/**
 * Post-data phases. Entries pg_dump prints before the first foreign key (INDEX ATTACH, triggers,
 * rules, comments) run before the foreign keys: a foreign key to a partitioned table needs the
 * parent's primary key index, which is only valid once the partitions' indexes are attached.
 * Without such entries, keys, indexes and foreign keys are one phase (each foreign key after the
 * keys and indexes of its own tables).
 */
function postDataPhases(entries: DumpEntry[]): Phase[] {
  const firstFk = entries.findIndex((e) => e.type === FK_TYPE);
  const cut = firstFk < 0 ? entries.length : firstFk;
  const other = (e: DumpEntry): boolean => !INDEX_TYPES.has(e.type) && e.type !== FK_TYPE;
  const after: Phase = { name: 'after foreign keys', entries: entries.slice(cut).filter(other), parallel: false };
  if (!entries.slice(0, cut).some(other)) {
    const keyed = entries.filter((e) => !other(e));
    return [{ name: 'keys, indexes and foreign keys', entries: keyed, parallel: true }, after];
  }
  return [
    { name: 'constraints and indexes', entries: entries.filter((e) => INDEX_TYPES.has(e.type)), parallel: true },
    { name: 'before foreign keys', entries: entries.slice(0, cut).filter(other), parallel: false },
    { name: 'foreign keys', entries: entries.filter((e) => e.type === FK_TYPE), parallel: true },
    after,
  ];
}

function countByType(entries: DumpEntry[]): Record<string, number> {
  const byType: Record<string, number> = {};
  for (const e of entries) byType[e.type] = (byType[e.type] ?? 0) + 1;
  return byType;
}

async function applyPhases(
  script: DumpScript,
  clients: PgClient[],
  phases: Phase[],
  options: ApplyOptions,
  section: string,
): Promise<ApplyResult> {
  const [first] = clients;
  if (first === undefined) throw new Error(`${section}: no connection to apply the schema on`);
  const started = performance.now();
  const ctx: RunContext = {
    section,
    signal: options.signal,
    onProgress: options.onProgress,
    total: script.entries.length,
    done: 0,
    running: new Set(),
  };
  if (options.signal?.aborted) throw abortError(options.signal);
  await runPreamble(ctx, script, clients);
  const results: ApplyResult['phases'] = [];
  for (const phase of phases) {
    const phaseStarted = performance.now();
    if (phase.parallel) await runParallel(ctx, phase.entries, clients);
    else await runSerial(ctx, phase.entries, first);
    results.push({ name: phase.name, entries: phase.entries.length, durationMs: Math.round(performance.now() - phaseStarted) });
  }
  return {
    entries: script.entries.length,
    byType: countByType(script.entries),
    durationMs: Math.round(performance.now() - started),
    phases: results,
  };
}

/** Post-data on several connections (the caller opens and closes them; the preamble's SETs stay set). */
export async function applyDumpScriptParallel(script: DumpScript, clients: PgClient[], options: ApplyOptions = {}): Promise<ApplyResult> {
  return applyPhases(script, clients, postDataPhases(script.entries), options, options.section ?? 'post-data');
}

/** Every entry in dump order on one connection (pre-data). */
export async function applyDumpScriptSerial(script: DumpScript, client: PgClient, options: ApplyOptions = {}): Promise<ApplyResult> {
  const phases = [{ name: 'serial', entries: script.entries, parallel: false }];
  return applyPhases(script, [client], phases, options, options.section ?? 'pre-data');
}
