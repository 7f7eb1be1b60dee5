// The start-up fast path answers exactly as the full yargs CLI does, and hands everything it does
// not recognise to it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { minimalConfigYaml } from '../../test/harness/config.js';
import { makeDump } from '../../test/harness/rewrite-stream.js';
import { runCli } from './cli.js';
import { fastPath } from './fast-path.js';

// The fast paths write to the descriptors themselves (util/std-text.ts); here through
// process.stdout and process.stderr, which `captured` records.
vi.mock('../util/std-text.js', async (original) => ({
  ...(await original<typeof import('../util/std-text.js')>()),
  writeText: (fd: 1 | 2, text: string) => void (fd === 1 ? process.stdout : process.stderr).write(text),
}));

let dir = '';
let config = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmsdr-fast-path-'));
  config = join(dir, 'hmsdr.yaml');
  writeFileSync(config, minimalConfigYaml({ runsDir: './runs' }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** stdout, stderr and the exit code of one invocation. */
async function captured(run: () => Promise<number | undefined>): Promise<{ out: string; err: string; code: number | undefined }> {
  let out = '';
  let err = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await run();
    return { out, err, code };
  } finally {
    spy.mockRestore();
    errSpy.mockRestore();
  }
}

const noDeps = async () => {
  throw new Error('check must not load the runbook');
};

describe('the start-up fast path', () => {
  it.each([
    [['--config', 'CONFIG']],
    [['--config=CONFIG', '--format', 'json']],
    [['-c', 'CONFIG', '--format=prometheus', '--rpo-warning', '1s', '--rpo-critical', '2s']],
    [['--config', 'CONFIG', '--rpo-warning', 'soon']],
    [['--config', 'NOPE']],
  ])('check %j prints what the full CLI prints, with its exit code', async (args) => {
    const argv = ['check', ...args.map((a) => a.replace('CONFIG', config).replace('NOPE', join(dir, 'nope.yaml')))];
    const fast = await captured(() => fastPath(argv));
    const full = await captured(() => runCli(argv, noDeps));
    expect(fast.code).toBeDefined();
    // The time in the JSON differs by the milliseconds between the two runs.
    const stable = (text: string) => text.replace(/"checkedAt": "[^"]+"/, '"checkedAt": "…"');
    expect(stable(fast.out)).toBe(stable(full.out));
    expect(fast.code).toBe(full.code);
    expect(fast.out).toMatch(/HMSDR (CRITICAL|UNKNOWN)|"status"|hmsdr_check_status/);
  });

  it('--version prints the package version', async () => {
    const fast = await captured(() => fastPath(['--version']));
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(fast).toEqual({ out: `${version}\n`, err: '', code: 0 });
  });

  it.each([
    [['check', '--bogus']],
    [['check', '--format', 'xml']],
    [['check', '--config']],
    [['check', '--config', 'a', '--config', 'b']],
    [['check', '--help']],
    [['--version', '--json']],
    [['rewrite']],
    [['rewrite', '--config', 'hmsdr.yaml']],
    [['rewrite', '--map', 'hdfs://a=hdfs://b', 'hdfs://c=hdfs://d']],
    [['rewrite', '--map']],
    [['rewrite', '--map', 'hdfs://a=hdfs://b', '--strict=false']],
    [['rewrite', '--map', 'hdfs://a=hdfs://b', '--no-strict']],
    [['rewrite', '--map', 'hdfs://a=hdfs://b', '--bogus']],
    [['rewrite', '--map', 'hdfs://a=hdfs://b', '--max-value-length', '0']],
    [['rewrite', '--map', 'hdfs://a=hdfs://b', '--in', 'x.sql', '--in', 'y.sql']],
    [['rewrite', '--map', 'hdfs://a=hdfs://b', '--help']],
    [['--help']],
    [['status']],
  ])('%j goes to the full parser', async (argv) => {
    expect(await fastPath(argv)).toBeUndefined();
  });
});

describe('rewrite on the start-up fast path', () => {
  const map = 'hdfs://nn1.prod:8020=hdfs://nn1.dr:8020';
  let input = '';
  beforeAll(() => {
    input = join(dir, 'dump.sql');
    const dump = makeDump([
      { name: 'DBS', columns: ['DB_ID', 'DB_LOCATION_URI'], rows: [['1', 'hdfs://nn1.prod:8020/warehouse']] },
      {
        name: 'SDS',
        columns: ['SD_ID', 'LOCATION'],
        rows: Array.from({ length: 40 }, (_, i) => [String(i), `hdfs://nn1.prod:8020/warehouse/a_very_long_table_name_${i}`]),
      },
      { name: 'TABLE_PARAMS', columns: ['TBL_ID', 'PARAM_KEY', 'PARAM_VALUE'], rows: [['1', 'comment', 'hdfs://nn1.prod:8020/x']] },
    ]);
    writeFileSync(input, `${dump}--\n-- PostgreSQL database dump complete\n--\n`);
  });

  /** The output file, report file, stderr and exit code of one way of running `argv`. */
  async function outcome(argv: string[], run: (argv: string[]) => Promise<number | undefined>, tag: string) {
    const out = join(dir, `${tag}.out.sql`);
    const report = join(dir, `${tag}.report.json`);
    const concrete = argv.map((a) => a.replace('IN', input).replace('OUT', out).replace('REPORT', report).replace('DIR', dir));
    const result = await captured(() => run(concrete));
    const read = (file: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    };
    const files = { out: read(out), report: read(report) };
    rmSync(out, { force: true });
    rmSync(report, { force: true });
    // The two runs write to different file names; the messages name them. --verbose's stack traces
    // differ by the callers above runRewrite.
    const err = result.err
      .replaceAll(tag, 'TAG')
      .split('\n')
      .filter((line) => !/^\s+at /.test(line))
      .join('\n');
    return { ...result, err, ...files };
  }

  it.each([
    [['--map', 'MAP', '--in', 'IN', '--out', 'OUT', '--report', 'REPORT']],
    [['--map=MAP', '--in=IN', '--out', 'OUT', '--strict', '--param-key', 'comment', '--param-key', 'path']],
    [['--map', 'hdfs://nn1.prod=hdfs://drns', '--in', 'IN', '--out', 'OUT', '--strict']],
    [['--map', 'MAP', '--map', 'hdfs://other=hdfs://x', '--in', 'IN', '--count-only', '--all-param-keys', '--max-value-length', '40']],
    [
      [
        '--map',
        'hdfs://nn1.prod:8020=hdfs://an-authority-long-enough-to-overflow',
        '--in',
        'IN',
        '--out',
        'OUT',
        '--max-value-length',
        '60',
      ],
    ],
    [['--map', 'nonsense', '--in', 'IN', '--out', 'OUT']],
    [['--map', 'MAP', '--in', 'DIR/missing.sql', '--out', 'OUT']],
    [['--map', 'MAP', '--in', 'DIR', '--out', 'OUT', '--verbose']],
    [['--map', 'MAP', '--in', 'IN', '--out', 'DIR/no/such/dir/out.sql']],
  ])('rewrite %j writes, reports and exits as the full CLI', async (args) => {
    const argv = ['rewrite', ...args.map((a) => a.replace('MAP', map))];
    const fast = await outcome(argv, fastPath, 'by-fast-path');
    const full = await outcome(argv, (a) => runCli(a, noDeps), 'by-full-parser');
    expect(fast.code).toBeDefined();
    expect(fast).toEqual(full);
    expect(fast.err).toMatch(/values rewritten|✖/i);
  });
});
