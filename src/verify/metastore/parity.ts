// L3 metadata parity: compares two inspections (source vs restored copy), or an inspection with
// the per-table row counts the rewriter saw in the dump stream. Pure: no I/O.
import { normaliseAuthority } from './authority.js';
import type { MetastoreInspection } from './inspect.js';
import { judgeOldAuthorities, type LeftAloneCount } from './old-authorities.js';

export interface ParityCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** `differences` names every mismatch, one line each; `ok` is true when all checks hold. */
export interface ParityResult {
  ok: boolean;
  checks: ParityCheck[];
  differences: string[];
  /** Old authorities the rewriter reported leaving alone (not differences). */
  warnings: string[];
}

/** A rewrite rule as parity needs it: old and new `scheme://authority` (paths are ignored). */
export interface AuthorityMapping {
  from: string;
  to: string;
}

export interface ParityOptions {
  /** Authorities that must not occur anywhere on the target (the target must be inspected with them). */
  oldAuthorities?: readonly string[];
  /** The rewriter's `leftAlone`: occurrences in parameter/free-text columns up to these counts are warnings. */
  leftAlone?: readonly LeftAloneCount[];
  /** How source roots are expected to appear on the target. */
  mappings?: readonly AuthorityMapping[];
}

/** Row counts per table recorded from the dump stream (`public."SDS"` / `public.txns` keys). */
export interface StreamCounts {
  rowsPerTable: Record<string, number>;
}

/** `public."SDS"` → `SDS`, `public.txns` → `txns`, `"a""b"` → `a"b`. */
export function normaliseTableName(name: string): string {
  const last = /(?:^|\.)("(?:[^"]|"")*"|[^."]+)$/.exec(name.trim())?.[1] ?? name;
  return last.startsWith('"') ? last.slice(1, -1).replaceAll('""', '"') : last.toLowerCase();
}

class Checks {
  readonly checks: ParityCheck[] = [];
  readonly differences: string[] = [];
  readonly warnings: string[] = [];
  add(name: string, differences: string[], okDetail: string): void {
    this.checks.push({
      name,
      ok: differences.length === 0,
      detail: differences.length === 0 ? okDetail : `${differences.length} difference(s)`,
    });
    this.differences.push(...differences);
  }
  result(): ParityResult {
    return { ok: this.checks.every((c) => c.ok), checks: this.checks, differences: this.differences, warnings: this.warnings };
  }
}

function compareMaps(a: Record<string, number>, b: Record<string, number>, line: (key: string, x: number, y: number) => string): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => (a[k] ?? 0) !== (b[k] ?? 0)).map((k) => line(k, a[k] ?? 0, b[k] ?? 0));
}

/** Compare a source inspection with the target's (the restored copy or the live DR metastore). */
export function compareMetastores(source: MetastoreInspection, target: MetastoreInspection, options: ParityOptions = {}): ParityResult {
  const out = new Checks();
  out.add(
    'schema-version',
    source.schema.version === target.schema.version
      ? []
      : [`schema version: source ${source.schema.version}, target ${target.schema.version}`],
    source.schema.version,
  );

  const missing = Object.keys(source.rowCounts)
    .filter((t) => !(t in target.rowCounts))
    .map((t) => `table ${t} exists on the source but not on the target`);
  const extra = Object.keys(target.rowCounts)
    .filter((t) => !(t in source.rowCounts))
    .map((t) => `table ${t} exists on the target but not on the source`);
  const rows = compareMaps(
    pick(source.rowCounts, target.rowCounts),
    pick(target.rowCounts, source.rowCounts),
    (t, x, y) => `row count of ${t}: source ${x}, target ${y}`,
  );
  out.add('row-counts', [...missing, ...extra, ...rows], `${Object.keys(source.rowCounts).length} tables equal`);

  const tableDiffs: string[] = [];
  const partDiffs: string[] = [];
  const funcDiffs: string[] = [];
  for (const db of [...new Set([...Object.keys(source.databases), ...Object.keys(target.databases)])].sort()) {
    const s = source.databases[db];
    const t = target.databases[db];
    if (!s || !t) {
      tableDiffs.push(`database ${db}: ${s ? 'missing on the target' : 'not on the source'}`);
      continue;
    }
    tableDiffs.push(...compareMaps(s.tablesByType, t.tablesByType, (type, x, y) => `${type} in database ${db}: source ${x}, target ${y}`));
    if (s.partitions !== t.partitions) partDiffs.push(`partitions in database ${db}: source ${s.partitions}, target ${t.partitions}`);
    if (s.functions !== t.functions) funcDiffs.push(`functions in database ${db}: source ${s.functions}, target ${t.functions}`);
  }
  partDiffs.push(
    ...compareMaps(source.partitionsPerTable, target.partitionsPerTable, (k, x, y) => `partitions of table ${k}: source ${x}, target ${y}`),
  );
  const dbCount = Object.keys(source.databases).length;
  out.add('tables-per-database', tableDiffs, `${dbCount} databases, tables by type equal`);
  out.add('partitions-per-database', partDiffs, `${sum(Object.values(source.partitionsPerTable))} partitions equal per database and table`);
  out.add('functions-per-database', funcDiffs, 'equal');

  const seq = compareMaps(
    source.sequences,
    target.sequences,
    (k, x, y) => `SEQUENCE_TABLE ${k.replace('org.apache.hadoop.hive.metastore.model.', '')}: source ${x}, target ${y}`,
  );
  if (source.nextEventId !== target.nextEventId)
    seq.push(`NOTIFICATION_SEQUENCE.NEXT_EVENT_ID: source ${source.nextEventId}, target ${target.nextEventId}`);
  out.add('sequences', seq, `SEQUENCE_TABLE (${Object.keys(source.sequences).length}) and NOTIFICATION_SEQUENCE equal`);

  const roots = compareRoots(source, target, options.mappings ?? [], leftAloneColumns(target, options.leftAlone ?? []));
  out.warnings.push(...roots.warnings);
  out.add('filesystem-roots', roots.differences, 'every source root appears on the target as mapped, and no other');
  addOldAuthorityCheck(out, target, options);
  return out.result();
}

/** Compare the restored metastore with the row counts recorded from the stream (L3 on staging). */
export function compareWithStreamCounts(target: MetastoreInspection, stream: StreamCounts, options: ParityOptions = {}): ParityResult {
  const out = new Checks();
  const expected: Record<string, number> = {};
  for (const [name, n] of Object.entries(stream.rowsPerTable)) expected[normaliseTableName(name)] = n;
  const diffs: string[] = [];
  for (const table of [...new Set([...Object.keys(expected), ...Object.keys(target.rowCounts)])].sort()) {
    const e = expected[table];
    const t = target.rowCounts[table];
    if (t === undefined) diffs.push(`table ${table} is in the stream (${e} rows) but not in the restored database`);
    else if (e === undefined) {
      if (t !== 0) diffs.push(`table ${table} has ${t} rows but was not in the stream`);
    } else if (e !== t) diffs.push(`row count of ${table}: stream ${e}, restored ${t}`);
  }
  out.add('row-counts', diffs, `${Object.keys(expected).length} tables equal to the stream`);
  addOldAuthorityCheck(out, target, options);
  return out.result();
}

function addOldAuthorityCheck(out: Checks, target: MetastoreInspection, options: ParityOptions): void {
  const oldAuthorities = options.oldAuthorities ?? [];
  if (oldAuthorities.length === 0) return;
  const { differences, warnings } = judgeOldAuthorities(target, oldAuthorities, options.leftAlone ?? []);
  out.warnings.push(...warnings);
  const left =
    warnings.length > 0 ? ` in location columns; ${warnings.length} other column(s) keep what the rewriter reported leaving alone` : '';
  out.add('old-authorities', differences, `none of ${oldAuthorities.join(', ')} left${left}`);
}

/** Distinct roots per column: source roots mapped through the rules must be exactly the target's. */
function compareRoots(
  source: MetastoreInspection,
  target: MetastoreInspection,
  mappings: readonly AuthorityMapping[],
  leftAlone: ReadonlySet<string>,
): { differences: string[]; warnings: string[] } {
  const map = new Map(
    mappings.map((m) => [normaliseAuthority(m.from) ?? m.from.toLowerCase(), normaliseAuthority(m.to) ?? m.to.toLowerCase()]),
  );
  const key = (table: string, column: string): string => `${table}.${column}`;
  const expected = new Map<string, Set<string>>();
  for (const r of source.fsRoots) {
    const root = normaliseAuthority(r.root) ?? r.root;
    const set = expected.get(key(r.table, r.column)) ?? new Set<string>();
    set.add(map.get(root) ?? root);
    expected.set(key(r.table, r.column), set);
  }
  const actual = new Map<string, Map<string, number>>();
  for (const r of target.fsRoots) {
    const root = normaliseAuthority(r.root) ?? r.root;
    const m = actual.get(key(r.table, r.column)) ?? new Map<string, number>();
    m.set(root, (m.get(root) ?? 0) + r.count);
    actual.set(key(r.table, r.column), m);
  }
  const sourceRoots = new Map<string, Set<string>>();
  for (const r of source.fsRoots) {
    const set = sourceRoots.get(key(r.table, r.column)) ?? new Set<string>();
    set.add(normaliseAuthority(r.root) ?? r.root);
    sourceRoots.set(key(r.table, r.column), set);
  }
  const differences: string[] = [];
  const warnings: string[] = [];
  for (const column of [...new Set([...expected.keys(), ...actual.keys()])].sort()) {
    const want = expected.get(column) ?? new Set<string>();
    const have = actual.get(column) ?? new Map<string, number>();
    const found: string[] = [];
    for (const root of [...want].sort()) if (!have.has(root)) found.push(`${column}: expected root ${root} is absent on the target`);
    for (const [root, n] of [...have].sort())
      if (!want.has(root)) found.push(`${column}: ${n} value(s) under ${root}, a root the source does not map to`);
    // A parameter/free-text column the rewriter leaves alone keeps the source's own roots: a warning, as in the run.
    const kept = [...have.keys()].every((root) => want.has(root) || sourceRoots.get(column)?.has(root));
    if (found.length > 0 && leftAlone.has(column) && kept)
      warnings.push(...found.map((f) => `${f} (kept as on the source: left alone by the rewriter)`));
    else differences.push(...found);
  }
  return { differences, warnings };
}

/** `table.column` keys of the non-location columns where old authorities may be left alone. */
function leftAloneColumns(target: MetastoreInspection, leftAlone: readonly LeftAloneCount[]): Set<string> {
  const kinds = new Map(target.uriColumns.map((c) => [`${c.table}.${c.column}`, c.kind]));
  return new Set(
    leftAlone.filter((l) => l.count > 0 && kinds.get(`${l.table}.${l.column}`) !== 'direct').map((l) => `${l.table}.${l.column}`),
  );
}

/**
 * Without a rewriter's report (standalone `verify metastore` against the source): what the rewriter
 * leaves alone is what the source itself holds under the old authorities in parameter and free-text
 * columns (location columns are always rewritten).
 */
export function leftAloneOnSource(source: Pick<MetastoreInspection, 'uriColumns' | 'authorityOccurrences'>): LeftAloneCount[] {
  const kinds = new Map(source.uriColumns.map((c) => [`${c.table}.${c.column}`, c.kind]));
  const counts = new Map<string, LeftAloneCount>();
  for (const o of source.authorityOccurrences) {
    const key = `${o.table}.${o.column}`;
    if (o.count === 0 || kinds.get(key) === 'direct') continue;
    const entry = counts.get(key) ?? { table: o.table, column: o.column, count: 0 };
    entry.count += o.count;
    counts.set(key, entry);
  }
  return [...counts.values()];
}

function pick(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(a).filter(([k]) => k in b));
}

const sum = (values: number[]): number => values.reduce((x, y) => x + y, 0);

/** A readable table of the checks and every difference. */
export function renderParity(result: ParityResult): string {
  const width = Math.max(...result.checks.map((c) => c.name.length), 5);
  const lines = result.checks.map((c) => `${c.ok ? '✔' : '✖'} ${c.name.padEnd(width)}  ${c.detail}`);
  if (result.differences.length > 0) lines.push('', 'Differences:', ...result.differences.map((d) => `  - ${d}`));
  if (result.warnings.length > 0) lines.push('', 'Warnings:', ...result.warnings.map((w) => `  ! ${w}`));
  lines.push('', result.ok ? 'Metastore parity holds.' : `Metastore parity FAILED: ${result.differences.length} difference(s).`);
  return lines.join('\n');
}
