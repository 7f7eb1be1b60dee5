// Plain-text summary of a RewriteReport for the terminal (stderr of `hmsdr rewrite`).
import { compareCodeUnits } from '../util/compare.js';
import type { RewriteReport } from './rewriter.js';

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Rewrites per column, rows per table (non-empty ones) and warnings, as aligned text tables. */
export function formatRewriteSummary(report: RewriteReport): string {
  const parts: string[] = [];
  parts.push(`Hive schema version: ${report.hiveVersion ?? 'unknown (no VERSION row in the dump)'}`);
  parts.push(`Bytes in: ${report.bytesIn}   bytes out: ${report.bytesOut}`);
  // Code-unit order: Hive's upper-case tables, then the lower-case ACID ones, on any locale.
  const rewrites = Object.entries(report.rewritesPerColumn).sort(([a], [b]) => compareCodeUnits(a, b));
  parts.push('');
  parts.push(
    rewrites.length === 0
      ? 'Values rewritten: none'
      : table(
          ['column', 'values rewritten'],
          rewrites.map(([k, v]) => [k, String(v)]),
        ),
  );
  const rows = Object.entries(report.rowsPerTable)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => compareCodeUnits(a, b));
  const empty = Object.keys(report.rowsPerTable).length - rows.length;
  parts.push('');
  parts.push(
    table(
      ['table', 'rows'],
      rows.map(([k, v]) => [k, String(v)]),
    ),
  );
  if (empty > 0) parts.push(`(${empty} more table${empty === 1 ? '' : 's'} with 0 rows)`);
  if (report.leftAlone.length > 0) {
    parts.push('');
    parts.push('WARNING: old authorities left alone (not in a rewritten column):');
    parts.push(
      table(
        ['column', 'values', 'sample row', 'note'],
        report.leftAlone.map((w) => [
          `${w.table}.${w.column}`,
          `${w.count}${w.kind === 'unreadable' ? ' (unreadable)' : ''}`,
          w.sampleKey ?? '',
          w.note ?? '',
        ]),
      ),
    );
  }
  if (report.lengthViolations && report.lengthViolations.length > 0) {
    parts.push('');
    parts.push('ERROR: values that would be too long after rewriting:');
    parts.push(
      table(
        ['column', 'row', 'length', 'limit'],
        report.lengthViolations.map((v) => [`${v.table}.${v.column}`, v.rowKey, String(v.length), String(v.limit)]),
      ),
    );
  }
  return parts.join('\n') + '\n';
}
