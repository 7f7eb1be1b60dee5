// The parallel transfer's unit of work: one table, or one key range of a large one, and the COPY
// statements that move it. Largest first, so the long jobs start early and the small ones fill in.
import { quoteIdent } from '../../adapters/postgres/sql-text.js';
import { qualified, type SourceTable } from './catalog.js';

export interface CopyJob {
  table: SourceTable;
  /** 1-based part number and count; parts > 1 means a key range. */
  part: number;
  parts: number;
  /** Key range [from, to) on table.splitKey; an open end is absent. */
  from?: bigint;
  to?: bigint;
  /** Estimated bytes (for ordering and progress). */
  bytes: number;
}

/** Key ranges that cover every value (first and last are open-ended), `parts` of them. */
export function splitRange(min: bigint, max: bigint, parts: number): Array<{ from?: bigint; to?: bigint }> {
  const span = max - min + 1n;
  const n = BigInt(Math.max(1, Math.min(parts, Number(span < 1n ? 1n : span))));
  const ranges: Array<{ from?: bigint; to?: bigint }> = [];
  for (let i = 0n; i < n; i++) {
    const range: { from?: bigint; to?: bigint } = {};
    if (i > 0n) range.from = min + (span * i) / n;
    if (i < n - 1n) range.to = min + (span * (i + 1n)) / n;
    ranges.push(range);
  }
  return ranges;
}

const MIN_SPLIT_BYTES = 64 * 1024 * 1024;

/**
 * The default split threshold: one worker's fair share of all the data (at least 64 MB). Only a
 * table that would finish last on its own is worth splitting: a split table cannot be loaded with
 * COPY FREEZE and its parts contend for the same table (measured slower at 1M partitions).
 */
export function splitThreshold(tables: readonly SourceTable[], workers: number): number {
  const total = tables.reduce((n, t) => n + t.bytes, 0);
  return Math.max(MIN_SPLIT_BYTES, Math.ceil(total / Math.max(1, workers)));
}

/** How many parts a table is cut into: one unless it is large and has an integer key. */
export function partsFor(table: SourceTable, workers: number, splitAboveBytes: number): number {
  if (workers < 2 || table.splitKey === undefined || table.bytes <= splitAboveBytes) return 1;
  return Math.min(workers, Math.ceil(table.bytes / splitAboveBytes));
}

/** Jobs for `tables`; `bounds` gives the key range of each table to split (absent: empty table, one job). */
export function planJobs(
  tables: readonly SourceTable[],
  workers: number,
  splitAboveBytes: number,
  bounds: ReadonlyMap<SourceTable, { min: bigint; max: bigint } | undefined>,
): CopyJob[] {
  const jobs: CopyJob[] = [];
  for (const table of tables) {
    const range = bounds.get(table);
    const wanted = partsFor(table, workers, splitAboveBytes);
    const ranges = wanted > 1 && range ? splitRange(range.min, range.max, wanted) : [{}];
    ranges.forEach((r, i) => jobs.push({ table, part: i + 1, parts: ranges.length, ...r, bytes: Math.ceil(table.bytes / ranges.length) }));
  }
  return jobs.sort((a, b) => b.bytes - a.bytes);
}

const columnList = (table: SourceTable): string => table.columns.map(quoteIdent).join(', ');

/** The source side: `COPY t (cols) TO STDOUT`, or the key range as a query. */
export function copyOutSql(job: CopyJob): string {
  if (job.parts === 1) return `COPY ${qualified(job.table)} (${columnList(job.table)}) TO STDOUT`;
  const key = quoteIdent(job.table.splitKey as string);
  const conditions = [
    ...(job.from !== undefined ? [`${key} >= ${job.from}`] : []),
    ...(job.to !== undefined ? [`${key} < ${job.to}`] : []),
  ];
  return `COPY (SELECT ${columnList(job.table)} FROM ${qualified(job.table)}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''}) TO STDOUT`;
}

/**
 * The DR side. A whole table is loaded FREEZE (right after a TRUNCATE in the same transaction, see
 * copy-job): its rows are written frozen, so the index builds and foreign-key checks that read it
 * next do not have to set hint bits on every row (and write every page again). Key ranges share
 * the table with other workers and cannot.
 */
export const copyInSql = (job: CopyJob): string =>
  `COPY ${qualified(job.table)} (${columnList(job.table)}) FROM STDIN${job.parts === 1 ? ' WITH (FREEZE)' : ''}`;

/** `SDS` or `SDS [2/4]`, for progress and errors. */
export const jobLabel = (job: CopyJob): string =>
  `${job.table.schema === 'public' ? job.table.table : `${job.table.schema}.${job.table.table}`}${job.parts > 1 ? ` [${job.part}/${job.parts}]` : ''}`;
