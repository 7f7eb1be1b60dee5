// The bundled rewrite fast path (dist/src/cli/rewrite-fast.bundle.cjs, scripts/bundle-fast-paths.ts)
// behaves exactly as the modules it bundles, required as it is and run with the V8 code cache the
// build kept of it (src/cli/code-cache.ts): the same output bytes, report, messages and exit code,
// for a plain rewrite, the count-only and strict modes, a cut dump, an archive, arguments it leaves
// to the full parser, and the dump the build trained the cache on. Needs the build (npm test builds
// before vitest runs).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../harness/cli.js';
import { makeDump } from '../harness/rewrite-stream.js';
import { trainingDump } from '../../scripts/training-dump.js';

const distCli = join(repoRoot, 'dist/src/cli');
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmsdr-rewrite-bundle-'));
  const dump = makeDump([
    {
      name: 'SDS',
      columns: ['SD_ID', 'LOCATION', 'INPUT_FORMAT'],
      rows: Array.from({ length: 3000 }, (_, i) => [String(i), `hdfs://nn1.prod:8020/warehouse/t${i}`, 'org.X']),
    },
    { name: 'TABLE_PARAMS', columns: ['TBL_ID', 'PARAM_KEY', 'PARAM_VALUE'], rows: [['1', 'path', 'hdfs://nn1.prod:8020/p']] },
  ]);
  const complete = `${dump}--\n-- PostgreSQL database dump complete\n--\n`;
  writeFileSync(join(dir, 'dump.sql'), complete);
  writeFileSync(join(dir, 'cut.sql'), complete.slice(0, complete.indexOf('t1500')));
  writeFileSync(join(dir, 'archive.dump'), Buffer.concat([Buffer.from('PGDMP'), Buffer.alloc(4000)]));
  writeFileSync(join(dir, 'training.sql'), trainingDump(2000));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Answer {
  code: number | null;
  out: string;
  err: string;
  report: string | undefined;
}

const bundle = join(distCli, 'rewrite-fast.bundle.cjs');
const importOf = (file: string) => `(await import(${JSON.stringify(pathToFileURL(file).href)}))`;
/** How each way loads fastRewrite: the bundle, the bundle with its code cache, the modules. */
const loaders = {
  bundled: importOf(bundle),
  cached: `${importOf(join(distCli, 'code-cache.js'))}.requireWithCodeCache(${JSON.stringify(bundle)})`,
  modules: importOf(join(distCli, 'rewrite-fast.js')),
};

/** fastRewrite(args) loaded one way, in a process of its own, stdin from `input`. */
function run(way: keyof typeof loaders, args: string[], input: string): Promise<Answer> {
  const reportFile = join(dir, `${way}.report.json`);
  rmSync(reportFile, { force: true });
  const argv = args.map((a) => (a === 'REPORT' ? reportFile : a));
  const script = `process.exitCode = (await ${loaders[way]}.fastRewrite(${JSON.stringify(argv)})) ?? 99;`;
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { encoding: 'buffer', maxBuffer: 64 << 20 },
      (_error, out, err) =>
        done({
          code: child.exitCode,
          out: out.toString('latin1'),
          err: err.toString('utf8'),
          report: existsSync(reportFile) ? readFileSync(reportFile, 'utf8') : undefined,
        }),
    );
    child.stdin?.end(readFileSync(join(dir, input)));
  });
}

describe('the bundled rewrite', () => {
  it('is built', () => {
    expect(existsSync(bundle), 'run the build first (npm test does)').toBe(true);
  });

  const map = ['--map', 'hdfs://nn1.prod:8020=hdfs://nn1.dr:8020'];
  it.each([
    [[...map, '--report', 'REPORT'], 'dump.sql', 0],
    [[...map, '--param-key', 'path', '--report', 'REPORT'], 'dump.sql', 0],
    [[...map, '--count-only'], 'dump.sql', 0],
    [[...map, '--strict'], 'dump.sql', 0],
    [[...map, '--report', 'REPORT'], 'cut.sql', 'failed'],
    [map, 'archive.dump', 'failed'],
    [[...map, '--bogus'], 'dump.sql', 99],
    [[...map, '--report', 'REPORT'], 'training.sql', 0],
  ])('%j < %s: as the modules answer', async (args, input, outcome) => {
    const [bundled, cached, modules] = await Promise.all([
      run('bundled', args, input),
      run('cached', args, input),
      run('modules', args, input),
    ]);
    expect(bundled).toEqual(modules);
    expect(cached).toEqual(modules);
    if (outcome === 'failed') expect(modules.code).not.toBe(0);
    else expect(modules.code).toBe(outcome);
    if (outcome === 0 && !args.includes('--count-only'))
      expect(modules.out).toContain(input === 'training.sql' ? 'hdfs://nn1.dr:8020/warehouse/' : 'hdfs://nn1.dr:8020/warehouse/t2999');
  });
});
