// `verify metastore` as a function: inspect the DR live database and compare it with the source
// metastore or with the row counts recorded from a dump stream. The verify steps inspect and judge
// a DR database with the same functions (inspectDrMetastore, judgeAgainstStream).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { withMetastore } from '../../adapters/postgres/connection.js';
import type { SqlRunner } from '../../adapters/postgres/query-pool.js';
import type { ResolvedConfig } from '../../config/load.js';
import { UsageError } from '../../errors/errors.js';
import { normaliseAuthority } from './authority.js';
import { inspectMetastore, type MetastoreInspection } from './inspect.js';
import { authoritiesThatMustBeGone, type LeftAloneCount } from './old-authorities.js';
import { compareMetastores, compareWithStreamCounts, leftAloneOnSource, type ParityResult, type StreamCounts } from './parity.js';

/** What the dump stream recorded: rows per table and what the rewriter left alone (the rewriter's report has both). */
export interface StreamRecord extends StreamCounts {
  leftAlone?: readonly LeftAloneCount[];
}

export interface VerifyMetastoreOptions {
  /** `source` (default) or the path of a stream-counts JSON file `{ rowsPerTable }`. */
  against: string;
  /** Default: authoritiesThatMustBeGone(config). */
  oldAuthorities?: readonly string[];
}

/** Inspect a DR database (its client) for L3, searching for every authority that must be gone. */
export function inspectDrMetastore(
  client: SqlRunner,
  config: ResolvedConfig,
  where: string,
  oldAuthorities: readonly string[] = authoritiesThatMustBeGone(config),
): Promise<MetastoreInspection> {
  return inspectMetastore(client, { authorities: oldAuthorities, where });
}

/** Stream row counts keyed as PostgreSQL identifiers (the rewriter reports bare names for some tables). */
export function quotedTableCounts(rowsPerTable: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(rowsPerTable).map(([name, n]) => [name.includes('.') ? name : `"${name.replaceAll('"', '""')}"`, n]),
  );
}

/** L3 of a DR database against the dump stream: row counts, and old authorities judged with the rewriter's leftAlone. */
export function judgeAgainstStream(
  inspection: MetastoreInspection,
  stream: StreamRecord,
  config: ResolvedConfig,
  oldAuthorities: readonly string[] = authoritiesThatMustBeGone(config),
): ParityResult {
  return compareWithStreamCounts(
    inspection,
    { rowsPerTable: quotedTableCounts(stream.rowsPerTable) },
    { oldAuthorities, leftAlone: stream.leftAlone ?? [] },
  );
}

export async function verifyMetastore(config: ResolvedConfig, options: VerifyMetastoreOptions): Promise<ParityResult> {
  const oldAuthorities = options.oldAuthorities ?? authoritiesThatMustBeGone(config);
  const inspectDr = withMetastore(config.dr.metastore, { where: 'dr.metastore' }, (c) =>
    inspectDrMetastore(c, config, `DR metastore ${config.dr.metastore.database}`, oldAuthorities),
  );
  if (options.against !== 'source') {
    const stream = readStreamCounts(options.against);
    return judgeAgainstStream(await inspectDr, stream, config, oldAuthorities);
  }
  // Both sides at once: two servers, two connections.
  // The source searched for the same authorities: what it holds in free-text columns is what the rewriter leaves alone.
  const inspectSource = withMetastore(config.source.metastore, { where: 'source.metastore' }, (c) =>
    inspectMetastore(c, { where: `source metastore ${config.source.metastore.database}`, authorities: oldAuthorities }),
  );
  const [source, target] = await Promise.all([inspectSource, inspectDr]);
  const mappings = config.rewrite.rules.map((r) => ({ from: normaliseAuthority(r.from) ?? r.from, to: normaliseAuthority(r.to) ?? r.to }));
  return compareMetastores(source, target, { oldAuthorities, mappings, leftAlone: leftAloneOnSource(source) });
}

function readStreamCounts(file: string): StreamRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--against ${file}: cannot read stream counts (${(error as Error).message})`, {
      hint: 'pass `source` or the rewriter\'s counts file ({ "rowsPerTable": { "public.\\"SDS\\"": 123, … } })',
    });
  }
  const rows = (parsed as { rowsPerTable?: unknown }).rowsPerTable;
  if (typeof rows !== 'object' || rows === null || Object.values(rows).some((n) => typeof n !== 'number')) {
    throw new UsageError(`--against ${file}: expected { "rowsPerTable": { "<table>": <number>, … } }`);
  }
  const leftAlone = validLeftAlone((parsed as { leftAlone?: unknown }).leftAlone) ?? siblingLeftAlone(file);
  return { rowsPerTable: rows as Record<string, number>, ...(leftAlone ? { leftAlone } : {}) };
}

function validLeftAlone(leftAlone: unknown): LeftAloneCount[] | undefined {
  const valid =
    Array.isArray(leftAlone) &&
    leftAlone.every(
      (l) =>
        typeof l === 'object' && l !== null && typeof l.table === 'string' && typeof l.column === 'string' && typeof l.count === 'number',
    );
  return valid ? (leftAlone as LeftAloneCount[]) : undefined;
}

/**
 * A run directory's stream-counts.json has only the row counts; what the rewriter left alone is in
 * rewrite-report.json next to it. Read it, so that `--against runs/<id>/stream-counts.json` warns
 * where the run warned instead of failing on those values.
 */
function siblingLeftAlone(file: string): LeftAloneCount[] | undefined {
  const report = join(dirname(file), 'rewrite-report.json');
  if (basename(file) !== 'stream-counts.json' || !existsSync(report)) return undefined;
  try {
    return validLeftAlone((JSON.parse(readFileSync(report, 'utf8')) as { leftAlone?: unknown }).leftAlone);
  } catch {
    return undefined;
  }
}
