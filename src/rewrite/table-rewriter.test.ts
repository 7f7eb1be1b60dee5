// createTableRewriter (one table's bare COPY data, as the parallel transfer streams it) must do
// exactly what the dump rewriter does to the same rows inside a pg_dump COPY block.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTableRewriter, type CopyTable } from './rewriter.js';
import type { RewriterOptions } from './rules.js';
import { copyEscapeValue, everyN, makeDump, runRewriter, runRewriteStream } from '../../test/harness/rewrite-stream.js';

const options: RewriterOptions = {
  rules: [{ from: 'hdfs://nn1.prod:8020', to: 'hdfs://drns' }],
  parameterKeys: ['path'],
  allParameterKeys: false,
  maxValueLength: 4000,
};

const runTable = (data: Buffer, table: CopyTable, cuts: readonly number[], opts = options) =>
  runRewriteStream(createTableRewriter(opts, table), data, cuts);

const sds = { name: 'SDS', columns: ['SD_ID', 'LOCATION', 'INPUT_FORMAT'] };
const params = { name: 'TABLE_PARAMS', columns: ['TBL_ID', 'PARAM_KEY', 'PARAM_VALUE'] };
const version = { name: 'VERSION', columns: ['VER_ID', 'SCHEMA_VERSION', 'VERSION_COMMENT'] };

const rowsText = (rows: (string | null)[][]): Buffer => Buffer.from(rows.map((r) => r.map(copyEscapeValue).join('\t') + '\n').join(''));

/** The bytes between the COPY header line and the `\.` line of `table` in a rewritten dump. */
function blockOf(dump: Buffer, table: string): Buffer {
  const text = dump.toString('latin1');
  const header = text.indexOf(`COPY public."${table}" (`);
  const start = text.indexOf('\n', header) + 1;
  const end = text.indexOf('\\.\n', start);
  return dump.subarray(start, end);
}

describe('createTableRewriter', () => {
  const sdsRows: (string | null)[][] = [
    ['1', 'hdfs://nn1.prod:8020/warehouse/a', 'org.X'],
    ['2', 'hdfs://nn10.prod:8020/warehouse/b', null],
    ['3', null, 'tab\there hdfs://nn1.prod:8020/c'],
    ['4', 'hdfs://NN1.PROD:8020/é☃\\x', 'y'],
  ];
  const paramRows: (string | null)[][] = [
    ['7', 'path', 'hdfs://nn1.prod:8020/p'],
    ['7', 'comment', 'hdfs://nn1.prod:8020/p'],
  ];

  it('rewrites the same values and counts the same rows as the dump rewriter', async () => {
    const dump = Buffer.from(
      makeDump([
        { ...sds, rows: sdsRows },
        { ...params, rows: paramRows },
      ]),
    );
    const whole = await runRewriter(dump, options);
    for (const [t, rows] of [
      [sds, sdsRows],
      [params, paramRows],
    ] as const) {
      const single = await runTable(rowsText(rows), { schema: 'public', table: t.name, columns: t.columns }, []);
      expect(single.out.equals(blockOf(whole.out, t.name))).toBe(true);
      expect(single.report.rowsPerTable).toEqual({ [t.name]: rows.length });
      const own = Object.fromEntries(Object.entries(whole.report.rewritesPerColumn).filter(([k]) => k.startsWith(`${t.name}.`)));
      expect(single.report.rewritesPerColumn).toEqual(own);
    }
    const sdsOnly = await runTable(rowsText(sdsRows), { schema: 'public', table: 'SDS', columns: sds.columns }, []);
    expect(sdsOnly.report.rewritesPerColumn).toEqual({ 'SDS.LOCATION': 2 });
    expect(sdsOnly.report.leftAlone).toEqual([expect.objectContaining({ table: 'SDS', column: 'INPUT_FORMAT', count: 1 })]);
  });

  it('gives the same bytes wherever the stream is cut', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), async (size) => {
        const data = rowsText(sdsRows);
        const expected = await runTable(data, { schema: 'public', table: 'SDS', columns: sds.columns }, []);
        const cut = await runTable(data, { schema: 'public', table: 'SDS', columns: sds.columns }, everyN(data.length, size));
        expect(cut.out.equals(expected.out)).toBe(true);
        expect(cut.report).toEqual(expected.report);
      }),
      { numRuns: 40 },
    );
  });

  it('reads the schema version from VERSION and counts an empty table as zero rows', async () => {
    const v = await runTable(
      rowsText([['1', '3.1.0', 'Hive release version 3.1.0']]),
      { schema: 'public', table: 'VERSION', columns: version.columns },
      [3, 9],
    );
    expect(v.report.hiveVersion).toBe('3.1.0');
    const empty = await runTable(Buffer.alloc(0), { schema: 'public', table: 'SDS', columns: sds.columns }, []);
    expect(empty.out.length).toBe(0);
    expect(empty.report.rowsPerTable).toEqual({ SDS: 0 });
  });

  it('refuses a rewritten value longer than the declared varchar limit', async () => {
    const long = `hdfs://nn1.prod:8020/${'x'.repeat(2)}`; // 23 characters, 33 after rewriting
    const table: CopyTable = { schema: 'public', table: 'SDS', columns: sds.columns, limits: new Map([['LOCATION', 22]]) };
    const longer = { ...options, rules: [{ from: 'hdfs://nn1.prod:8020', to: 'hdfs://a-longer-dr-nameservice' }] };
    await expect(runTable(rowsText([['1', long, 'x']]), table, [], longer)).rejects.toThrow(
      /SDS\.LOCATION in row SD_ID=1 gives 33 characters, more than the column allows \(22\)/,
    );
  });

  it('refuses data cut off inside a row', async () => {
    await expect(
      runTable(Buffer.from('1\thdfs://nn1.prod:8020/a\tx\n2\thdfs://nn1'), { schema: 'public', table: 'SDS', columns: sds.columns }, []),
    ).rejects.toThrow(/truncated/);
  });
});
