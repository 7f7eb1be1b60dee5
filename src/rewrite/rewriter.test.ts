import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { RewriteRule, RewriterOptions } from './rules.js';
import { everyN, makeDump, runRewriteFd, runRewriter, runRewriteStream } from '../../test/harness/rewrite-stream.js';
import { InputInspector } from './dump-inspector.js';
import { OUT_ROOM } from './kernel-memory.js';
import { countNewlines, createRewriter } from './rewriter.js';

const rules: RewriteRule[] = [{ from: 'hdfs://nn1.prod:8020', to: 'hdfs://nn1.dr:8020' }];
const opts = (over: Partial<RewriterOptions> = {}): RewriterOptions => ({
  rules,
  parameterKeys: ['path', 'avro.schema.url'],
  allParameterKeys: false,
  maxValueLength: 4000,
  ...over,
});

// A sample with every tricky byte: escapes, UTF-8, a non-UTF-8 byte, \restrict, DDL, comments.
const sample = Buffer.concat([
  Buffer.from(
    [
      '-- comment with hdfs://nn1.prod:8020/in/sql and ☃',
      '\\restrict Zx9',
      'CREATE TABLE public."SDS" (',
      '    "SD_ID" bigint NOT NULL,',
      '    "LOCATION" character varying(4000) DEFAULT NULL::character varying,',
      '    "INPUT_FORMAT" character varying(4000)',
      ');',
      '',
      'COPY public."SDS" ("SD_ID", "LOCATION", "INPUT_FORMAT") FROM stdin;',
      '1\thdfs://nn1.prod:8020/warehouse/t\torg.X',
      '2\thdfs://nn10.prod:8020/warehouse/t\t\\N',
      '3\t\\N\tfoo\\tbar\\\\baz\\nhdfs://nn1.prod:8020/z',
      '4\thdfs://NN1.PROD:8020/w/é☃\\thdfs://nn1.prod:8020/q\tx',
      '5\ts3a://bucket/hdfs://nn1.prod:8020\tx',
      '\\.',
      '',
      'COPY public."TBLS" ("TBL_ID", "VIEW_ORIGINAL_TEXT") FROM stdin;',
      "7\tselect * from x where p = 'hdfs://nn1.prod:8020/a'",
      '\\.',
      '',
      'COPY public."TABLE_PARAMS" ("TBL_ID", "PARAM_KEY", "PARAM_VALUE") FROM stdin;',
      '7\tpath\thdfs://nn1.prod:8020/p',
      '7\tcomment\thdfs://nn1.prod:8020/p',
      '7\tavro.schema.url\thdfs://nn1.prod:8020/s.avsc',
      '\\.',
      '',
      'COPY public.txns (txn_id, txn_state) FROM stdin;',
      '1\to',
      '\\.',
      'COPY public."VERSION" ("VER_ID", "SCHEMA_VERSION", "VERSION_COMMENT") FROM stdin;',
      '1\t3.1.0\tHive release version 3.1.0',
      '\\.',
      '',
    ].join('\n'),
  ),
  Buffer.from([0xff, 0xfe, 0x0a]), // not UTF-8, outside COPY
  Buffer.from('\\unrestrict Zx9\n'),
]);

describe('createRewriter on a sample dump', () => {
  it('rewrites only the configured columns and reports everything', async () => {
    const { out, report } = await runRewriter(sample, opts());
    const text = out.toString('latin1');
    expect(text).toContain('1\thdfs://nn1.dr:8020/warehouse/t\torg.X\n');
    expect(text).toContain('2\thdfs://nn10.prod:8020/warehouse/t\t\\N\n');
    expect(text).toContain('3\t\\N\tfoo\\tbar\\\\baz\\nhdfs://nn1.prod:8020/z\n');
    expect(text).toContain(
      '4\thdfs://nn1.dr:8020/w/é☃\\thdfs://nn1.dr:8020/q\tx\n'.replace(/[^\x00-\x7f]/g, (c) => Buffer.from(c).toString('latin1')),
    );
    expect(text).toContain('5\ts3a://bucket/hdfs://nn1.prod:8020\tx\n');
    expect(text).toContain(
      '7\tpath\thdfs://nn1.dr:8020/p\n7\tcomment\thdfs://nn1.prod:8020/p\n7\tavro.schema.url\thdfs://nn1.dr:8020/s.avsc\n',
    );
    // Everything else byte for byte: undo the expected rewrites and compare with the input.
    expect(
      Buffer.from(
        text.replaceAll('hdfs://nn1.dr:8020', 'hdfs://nn1.prod:8020').replace('hdfs://nn1.prod:8020/w/', 'hdfs://NN1.PROD:8020/w/'),
        'latin1',
      ),
    ).toEqual(sample);
    expect(report.rowsPerTable).toEqual({ SDS: 5, TBLS: 1, TABLE_PARAMS: 3, txns: 1, VERSION: 1 });
    expect(report.rewritesPerColumn).toEqual({ 'SDS.LOCATION': 2, 'TABLE_PARAMS.PARAM_VALUE': 2 });
    expect(report.hiveVersion).toBe('3.1.0');
    expect(report.bytesIn).toBe(sample.length);
    expect(report.bytesOut).toBe(out.length);
    const left = Object.fromEntries(report.leftAlone.map((l) => [`${l.table}.${l.column}`, l]));
    expect(left['SDS.INPUT_FORMAT']).toMatchObject({ count: 1, sampleKey: 'SD_ID=3' });
    expect(left['TBLS.VIEW_ORIGINAL_TEXT']).toMatchObject({ count: 1, sampleKey: 'TBL_ID=7' });
    expect(left['TABLE_PARAMS.PARAM_VALUE']).toMatchObject({ count: 1, sampleKey: 'TBL_ID=7, PARAM_KEY=comment' });
    expect(left['(outside COPY data).(SQL text)']).toMatchObject({ count: 1 });
    expect(Object.keys(left)).toHaveLength(4);
  });

  it('gives the same bytes and report at every split point and with 1-byte chunks', async () => {
    const whole = await runRewriter(sample, opts());
    for (let cut = 1; cut < sample.length; cut++) {
      const split = await runRewriter(sample, opts(), [cut]);
      expect(split.out.equals(whole.out), `split at ${cut}`).toBe(true);
      expect(split.report).toEqual(whole.report);
    }
    const bytes = await runRewriter(sample, opts(), everyN(sample.length, 1));
    expect(bytes.out.equals(whole.out)).toBe(true);
    expect(bytes.report).toEqual(whole.report);
  });

  it('countOnly counts but passes the input through unchanged', async () => {
    const whole = await runRewriter(sample, opts());
    const counted = await runRewriter(sample, opts({ countOnly: true }), everyN(sample.length, 3));
    expect(counted.out.equals(sample)).toBe(true);
    expect(counted.report.rewritesPerColumn).toEqual(whole.report.rewritesPerColumn);
    expect(counted.report.lengthViolations).toEqual([]);
  });

  it('allParameterKeys rewrites every PARAM_VALUE', async () => {
    const { report } = await runRewriter(sample, opts({ allParameterKeys: true }));
    expect(report.rewritesPerColumn['TABLE_PARAMS.PARAM_VALUE']).toBe(3);
  });
});

describe('length limits', () => {
  const long = 'hdfs://nn1.prod:8020/' + 'a'.repeat(3975); // 3996 characters
  const dump = (ddl: boolean): Buffer =>
    Buffer.from(
      (ddl ? 'CREATE TABLE public."SDS" (\n    "SD_ID" bigint,\n    "LOCATION" character varying(4000)\n);\n' : '') +
        makeDump([
          {
            name: 'SDS',
            columns: ['SD_ID', 'LOCATION'],
            rows: [
              ['1', 'hdfs://nn1.prod:8020/x'],
              ['123', long],
            ],
          },
        ]),
    );
  const longer: RewriteRule[] = [{ from: 'hdfs://nn1.prod:8020', to: 'hdfs://nn1.dr.example.org:8020' }];

  it('fails the stream naming table, column and row key', async () => {
    await expect(runRewriter(dump(true), opts({ rules: longer }), everyN(dump(true).length, 100))).rejects.toThrow(
      /SDS\.LOCATION in row SD_ID=123 gives 4006 characters.*\(4000\)/,
    );
    await expect(runRewriter(dump(false), opts({ rules: longer, maxValueLength: 4000 }))).rejects.toThrow(/SD_ID=123/);
  });

  it('counts characters, not bytes, and reports violations in countOnly mode', async () => {
    const multibyte = Buffer.from(
      makeDump([{ name: 'SDS', columns: ['SD_ID', 'LOCATION'], rows: [['9', 'hdfs://nn1.prod:8020/' + 'é'.repeat(3975)]] }]),
    );
    const ok = await runRewriter(multibyte, opts({ rules: [{ from: 'hdfs://nn1.prod:8020', to: 'hdfs://dr:8020' }] }));
    expect(ok.report.rewritesPerColumn['SDS.LOCATION']).toBe(1);
    const counted = await runRewriter(dump(true), opts({ rules: longer, countOnly: true }));
    expect(counted.report.lengthViolations).toEqual([{ table: 'SDS', column: 'LOCATION', rowKey: 'SD_ID=123', length: 4006, limit: 4000 }]);
  });

  it('a text column (per the dump DDL) has no limit', async () => {
    const text = Buffer.from(
      'CREATE TABLE public."SERDE_PARAMS" (\n    "SERDE_ID" bigint,\n    "PARAM_KEY" character varying(256),\n    "PARAM_VALUE" text\n);\n' +
        makeDump([{ name: 'SERDE_PARAMS', columns: ['SERDE_ID', 'PARAM_KEY', 'PARAM_VALUE'], rows: [['1', 'path', long]] }]),
    );
    const { report } = await runRewriter(text, opts({ rules: longer }));
    expect(report.rewritesPerColumn['SERDE_PARAMS.PARAM_VALUE']).toBe(1);
  });
});

describe('stream integrity', () => {
  it('refuses a dump that ends inside COPY data', async () => {
    await expect(runRewriter(Buffer.from('COPY public."SDS" ("SD_ID") FROM stdin;\n1\n'), opts())).rejects.toThrow(/truncated/);
  });

  it('notes gzip+base64 notification messages it cannot read', async () => {
    const dump = Buffer.from(
      makeDump([
        {
          name: 'NOTIFICATION_LOG',
          columns: ['NL_ID', 'EVENT_ID', 'MESSAGE', 'MESSAGE_FORMAT'],
          rows: [
            ['1', '10', 'H4sIAAAAAAAA/wXBMQ0AAAgDsF', 'gzip(json-2.0)'],
            ['2', '11', '{"location":"hdfs://nn1.prod:8020/t"}', 'json-0.2'],
          ],
        },
      ]),
    );
    const { report } = await runRewriter(dump, opts());
    expect(report.leftAlone).toEqual([
      expect.objectContaining({ table: 'NOTIFICATION_LOG', column: 'MESSAGE', count: 1, kind: 'occurrences', sampleKey: 'NL_ID=2' }),
      expect.objectContaining({ table: 'NOTIFICATION_LOG', column: 'MESSAGE', count: 1, kind: 'unreadable', sampleKey: 'NL_ID=1' }),
    ]);
  });
});

// ---- properties ---------------------------------------------------------------------------------

const pieces = [
  'hdfs://nn1:8020',
  'hdfs://nn1',
  'HDFS://NN1:8020',
  'hdfs://nn10:8020',
  'hdfs://nn1.example.com',
  'hdfs://nn1:80200',
  'hdfs://prodns',
  's3a://bucket',
  'xhdfs://nn1:8020',
  '/',
  '/w',
  'a',
  'é',
  '☃',
  '\t',
  '\n',
  '\r',
  '\\',
  '\\t',
  ' ',
  ':',
  ',',
  "'",
  '"',
  'hdfs://',
  '://',
];
const valueArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 8, arbitrary: fc.array(fc.constantFrom(...pieces), { maxLength: 6 }).map((p) => p.join('')) },
);
const fromPool = ['hdfs://nn1:8020', 'hdfs://nn1', 'hdfs://prodns', 'hdfs://nn1:8020/w'];
const toPool = ['hdfs://dr1:8020', 'hdfs://drns', 's3a://dr-bucket/root', 'hdfs://x.dr'];
const rulesArb = fc
  .uniqueArray(fc.constantFrom(...fromPool), { minLength: 1, maxLength: 3 })
  .chain((froms) =>
    fc.tuple(
      ...froms.map((from) => fc.record({ from: fc.constant(from), to: fc.constantFrom(...toPool), matchDefaultPort: fc.boolean() })),
    ),
  )
  .filter((rs) => !(rs.some((r) => r.from === 'hdfs://nn1' && r.matchDefaultPort) && rs.some((r) => r.from === 'hdfs://nn1:8020')));
const rowsArb = fc.array(fc.tuple(valueArb, valueArb, fc.constantFrom('path', 'other')), { maxLength: 8 });
const dumpOf = (rows: [string | null, string | null, string][]): Buffer =>
  Buffer.from(
    makeDump([
      { name: 'SDS', columns: ['SD_ID', 'LOCATION', 'INPUT_FORMAT'], rows: rows.map(([a, b], i) => [String(i), a, b]) },
      { name: 'SERDE_PARAMS', columns: ['SERDE_ID', 'PARAM_KEY', 'PARAM_VALUE'], rows: rows.map(([a, , k], i) => [String(i), k, a]) },
      { name: 'PARTITIONS', columns: ['PART_ID', 'PART_NAME'], rows: rows.map(([, b], i) => [String(i), b]) },
    ]),
  );

/** Independent reference on unescaped values: one regular expression over all rules. */
function referenceRewrite(value: string, rs: readonly RewriteRule[]): { value: string; changed: boolean } {
  const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const ci = (s: string): string => [...s].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : esc(c))).join('');
  const alts: { re: string; to: string; len: number }[] = [];
  for (const r of rs) {
    const [, scheme, auth, path = ''] = /^([a-z0-9]+):\/\/([^/]+)(\/.*)?$/.exec(r.from) as RegExpExecArray;
    const tail = path === '' ? '(?=$|/|[^A-Za-z0-9\\-._~%:@\\[\\]\\u0080-\\uffff])' : '(?=$|/|[^A-Za-z0-9\\-._~%:@+!$*=&\\u0080-\\uffff])';
    const hosts = !auth!.includes(':') && r.matchDefaultPort ? [`${auth}:8020`, auth!] : [auth!];
    for (const h of hosts)
      alts.push({ re: `${ci(`${scheme}://${h}`)}${esc(path)}${tail}`, to: r.to, len: `${scheme}://${h}${path}`.length });
  }
  alts.sort((a, b) => b.len - a.len);
  const re = new RegExp(`(?<![A-Za-z0-9+.\\-/])(?:${alts.map((a, i) => `(?<r${i}>${a.re})`).join('|')})`, 'g');
  let changed = false;
  const out = value.replace(re, (...args: unknown[]) => {
    const groups = args[args.length - 1] as Record<string, string | undefined>;
    changed = true;
    return alts[alts.findIndex((_, k) => groups[`r${k}`] !== undefined)]!.to;
  });
  return { value: out, changed };
}

/** Decode the COPY block of `table` from dump text (test-side parser). */
function decodeTable(text: string, table: string): (string | null)[][] {
  const start = text.indexOf(`COPY public."${table}"`);
  const body = text.slice(text.indexOf('\n', start) + 1, text.indexOf('\n\\.\n', start) + 1);
  if (body === '') return [];
  return body
    .slice(0, -1)
    .split('\n')
    .map((line) =>
      line
        .split('\t')
        .map((f) => (f === '\\N' ? null : f.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r', '\\': '\\' })[c] ?? c))),
    );
}

describe("the CLI's file loop at scale (WebAssembly sweep and classify)", () => {
  it("gives the JavaScript path's bytes, report and inspection across batches, a full output area and the rows it leaves", async () => {
    // 40,000 rows with `://`: among the first 3,000 every 97th one of the cases sweep leaves to
    // JavaScript (a backslash before the scheme, two URIs in a row, more escaped bytes than the
    // column takes once rewritten, a near miss), then runs longer than a batch of triggers; in
    // between, 3.2 MB of rows without a URI. Rounds of 1 MiB write their output in place in the
    // sweep's output area; rounds of 8 MiB outgrow it (more output than it holds), and then the
    // sweep's output, copied from the area, stops where the area is full (more kept bytes than it holds).
    const odd = (i: number): string =>
      [
        `\\hdfs://nn1.prod:8020/a${i}`,
        `hdfs://nn1.prod:8020/b${i} hdfs://nn1.prod:8020/c`,
        `hdfs://nn1.prod:8020/${'\t'.repeat(1980)}`, // 3,981 bytes escaped, 2,016 characters rewritten
        `hdfs://nn1.prod:9000/d${i}`,
        `HDFS://NN1.PROD:8020/e${i}`,
      ][i % 5] as string;
    const rows: (string | null)[][] = [];
    for (let i = 0; i < 40_000; i++)
      rows.push([String(i), i < 3000 && i % 97 === 0 ? odd(i / 97) : `hdfs://nn1.prod:8020/warehouse/t${i}`, 'org.X']);
    const plainRows = Array.from({ length: 70_000 }, (_, i) => [`g${i}`, 'no uri here, only some text to keep', 'y']);
    expect(plainRows.reduce((n, r) => n + r.join('\t').length + 1, 0)).toBeGreaterThan(OUT_ROOM);
    rows.splice(20_000, 0, ...plainRows);
    const input = Buffer.from(
      makeDump([{ name: 'SDS', columns: ['SD_ID', 'LOCATION', 'INPUT_FORMAT'], rows }]) + '--\n-- PostgreSQL database dump complete\n--\n',
    );
    const o = opts({ rules: [{ from: 'hdfs://nn1.prod:8020', to: 'hdfs://drns-with-a-longer-name:8020' }] });
    const plain = await runRewriteStream(createRewriter(o, { simd: false }), input, everyN(input.length, 1 << 20));
    expect(plain.out.length).toBeGreaterThan(2 * OUT_ROOM);
    const whole = new InputInspector(o.rules);
    whole.feed(input);
    whole.end();
    for (const chunk of [1 << 20, 8 << 20]) {
      const fd = runRewriteFd(input, o, chunk);
      expect(fd.out.equals(plain.out)).toBe(true);
      expect(fd.report).toEqual(plain.report);
      expect(fd.report.rewritesPerColumn['SDS.LOCATION']).toBeGreaterThan(39_000);
      expect(fd.inspection).toEqual(whole.inspection());
      expect(fd.inspection.rules[0]?.nearMisses).toBeGreaterThan(5);
    }
  });
});

describe('properties', () => {
  it('any chunking gives the output and report of one chunk, with the SIMD searches or the JavaScript ones', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, rulesArb, fc.uniqueArray(fc.nat(4000), { maxLength: 12 }), async (rows, rs, cuts) => {
        const input = dumpOf(rows);
        const o = opts({ rules: rs, parameterKeys: ['path'] });
        const one = await runRewriter(input, o);
        const sorted = cuts.filter((c) => c < input.length).sort((a, b) => a - b);
        const many = await runRewriter(input, o, sorted);
        expect(many.out.equals(one.out)).toBe(true);
        expect(many.report).toEqual(one.report);
        const plain = await runRewriteStream(createRewriter(o, { simd: false }), input, sorted);
        expect(plain.out.equals(one.out)).toBe(true);
        expect(plain.report).toEqual(one.report);
      }),
      { numRuns: 150 },
    );
  });

  it("the CLI's file loop (rewriteFd) at any read size gives the stream's output, report and inspection", async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, rulesArb, fc.integer({ min: 1, max: 700 }), async (rows, rs, chunk) => {
        const input = Buffer.concat([dumpOf(rows), Buffer.from('--\n-- PostgreSQL database dump complete\n--\n')]);
        const o = opts({ rules: rs, parameterKeys: ['path'] });
        const stream = await runRewriter(input, o);
        const fd = runRewriteFd(input, o, chunk);
        expect(fd.out.equals(stream.out)).toBe(true);
        expect(fd.report).toEqual(stream.report);
        const whole = new InputInspector(rs);
        whole.feed(input);
        whole.end();
        expect(fd.inspection).toEqual(whole.inspection());
        expect(fd.inspection.complete).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('output values and counts equal an independent reference; no match inside a longer host; idempotent', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, rulesArb, async (rows, rs) => {
        const input = dumpOf(rows);
        const o = opts({ rules: rs, parameterKeys: ['path'] });
        const { out, report } = await runRewriter(input, o);
        const text = out.toString('utf8');
        const sds = decodeTable(text, 'SDS');
        let expectedSds = 0;
        let expectedParams = 0;
        rows.forEach(([loc, fmt, key], i) => {
          const ref = loc === null ? { value: null, changed: false } : referenceRewrite(loc, rs);
          if (ref.changed) expectedSds++;
          if (ref.changed && key === 'path') expectedParams++;
          expect(sds[i]).toEqual([String(i), ref.value, fmt]);
        });
        expect(report.rewritesPerColumn['SDS.LOCATION'] ?? 0).toBe(expectedSds);
        expect(report.rewritesPerColumn['SERDE_PARAMS.PARAM_VALUE'] ?? 0).toBe(expectedParams);
        expect(decodeTable(text, 'PARTITIONS')).toEqual(rows.map(([, b], i) => [String(i), b]));
        // Longer hosts and ports never match.
        for (const [loc] of rows) {
          if (loc !== null && !referenceRewrite(loc, rs).changed) expect(sds.some((r) => r[1] === loc)).toBe(true);
        }
        const again = await runRewriter(out, o);
        expect(again.out.equals(out)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('countNewlines', () => {
  it('equals a byte-by-byte count at any alignment', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), fc.nat(300), (bytes, a, b) => {
        const buf = Buffer.from(bytes.map((x) => (x % 3 === 0 ? 10 : x)));
        const from = Math.min(a, buf.length);
        const to = Math.max(from, Math.min(b, buf.length));
        let naive = 0;
        for (let i = from; i < to; i++) if (buf[i] === 10) naive++;
        expect(countNewlines(buf, from, to)).toBe(naive);
      }),
      { numRuns: 300 },
    );
  });
});
