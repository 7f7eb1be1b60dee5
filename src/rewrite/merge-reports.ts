// Several rewriter passes (the parallel transfer's per-table streams, its schema sections) read
// as one: the evidence a single pass over the whole dump would have given.
import type { LeftAlone, RewriteReport } from './rewriter.js';

const add = (into: Record<string, number>, from: Record<string, number>): void => {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
};

export function mergeRewriteReports(reports: readonly RewriteReport[]): RewriteReport {
  const merged: RewriteReport = { rowsPerTable: {}, rewritesPerColumn: {}, leftAlone: [], bytesIn: 0, bytesOut: 0 };
  const leftAlone = new Map<string, LeftAlone>();
  for (const report of reports) {
    add(merged.rowsPerTable, report.rowsPerTable);
    add(merged.rewritesPerColumn, report.rewritesPerColumn);
    merged.bytesIn += report.bytesIn;
    merged.bytesOut += report.bytesOut;
    merged.hiveVersion ??= report.hiveVersion;
    if (report.lengthViolations) (merged.lengthViolations ??= []).push(...report.lengthViolations);
    for (const entry of report.leftAlone) {
      const key = `${entry.table}\0${entry.column}\0${entry.kind ?? 'occurrences'}`;
      const seen = leftAlone.get(key);
      if (seen) seen.count += entry.count;
      else leftAlone.set(key, { ...entry });
    }
  }
  if (merged.hiveVersion === undefined) delete merged.hiveVersion;
  merged.leftAlone = [...leftAlone.values()];
  return merged;
}
