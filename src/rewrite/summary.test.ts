import { describe, expect, it } from 'vitest';
import { formatRewriteSummary } from './summary.js';

const report = {
  hiveVersion: '3.1.0',
  bytesIn: 10,
  bytesOut: 10,
  rewritesPerColumn: { 'TBLS.x': 1, 'DBS.DB_LOCATION_URI': 2, 'SDS.LOCATION': 3 },
  rowsPerTable: { txns: 4, SDS: 3, compaction_queue: 2, DBS: 1, CDS: 5, EMPTY: 0 },
  leftAlone: [],
};

/** The table names of a summary section, in the order printed (the rows after the dashes). */
const namesUnder = (summary: string, header: string): string[] => {
  const lines = summary.split('\n');
  const start = lines.findIndex((l) => l.startsWith(header)) + 2;
  const end = lines.findIndex((l, i) => i >= start && (l === '' || l.startsWith('(')));
  return lines.slice(start, end).map((l) => l.split(/\s+/)[0] as string);
};

describe('formatRewriteSummary', () => {
  it("lists tables and columns in code-unit order: Hive's upper-case tables, then the lower-case ACID ones", () => {
    const summary = formatRewriteSummary(report);
    // A locale's collation would put compaction_queue between CDS and DBS.
    expect(namesUnder(summary, 'table ')).toEqual(['CDS', 'DBS', 'SDS', 'compaction_queue', 'txns']);
    expect(namesUnder(summary, 'column ')).toEqual(['DBS.DB_LOCATION_URI', 'SDS.LOCATION', 'TBLS.x']);
    expect(summary).toContain('(1 more table with 0 rows)');
  });
});
