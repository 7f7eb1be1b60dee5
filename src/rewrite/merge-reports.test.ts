import { describe, expect, it } from 'vitest';
import { mergeRewriteReports } from './merge-reports.js';
import { makeDump, runRewriter } from '../../test/harness/rewrite-stream.js';
import type { RewriterOptions } from './rules.js';

const options: RewriterOptions = {
  rules: [{ from: 'hdfs://nn1.prod:8020', to: 'hdfs://drns' }],
  parameterKeys: ['path'],
  allParameterKeys: false,
  maxValueLength: 4000,
};

describe('mergeRewriteReports', () => {
  it('gives what one pass over the whole dump gives', async () => {
    const sds = {
      name: 'SDS',
      columns: ['SD_ID', 'LOCATION', 'INPUT_FORMAT'],
      rows: [
        ['1', 'hdfs://nn1.prod:8020/a', 'hdfs://nn1.prod:8020/x'],
        ['2', 'hdfs://nn1.prod:8020/b', 'y'],
      ],
    };
    const version = { name: 'VERSION', columns: ['VER_ID', 'SCHEMA_VERSION', 'VERSION_COMMENT'], rows: [['1', '3.1.0', 'c']] };
    const more = { name: 'SDS', columns: sds.columns, rows: [['3', 'hdfs://nn1.prod:8020/c', 'hdfs://nn1.prod:8020/z']] };
    const whole = await runRewriter(Buffer.from(makeDump([sds, version, more])), options);
    const parts = await Promise.all([[sds], [version], [more]].map((t) => runRewriter(Buffer.from(makeDump(t)), options)));
    const merged = mergeRewriteReports(parts.map((p) => p.report));
    expect(merged.rowsPerTable).toEqual(whole.report.rowsPerTable);
    expect(merged.rowsPerTable).toEqual({ SDS: 3, VERSION: 1 });
    expect(merged.rewritesPerColumn).toEqual(whole.report.rewritesPerColumn);
    expect(merged.hiveVersion).toBe('3.1.0');
    expect(merged.leftAlone.map((l) => [l.table, l.column, l.count])).toEqual(
      whole.report.leftAlone.map((l) => [l.table, l.column, l.count]),
    );
    expect(merged.bytesOut).toBe(parts.reduce((n, p) => n + p.out.length, 0));
  });
});
