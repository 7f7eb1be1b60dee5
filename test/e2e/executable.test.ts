// The executable (dist/src/cli/hmsdr.cjs, package.json `bin`) answers the start-up fast paths from
// CommonJS bundles without Node's ES loader, sends every other command to the ES module CLI, and
// falls back to that CLI whole when the bundle is missing or older than the modules.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmsdrBin, repoRoot } from '../harness/cli.js';

let dir = '';
let preload = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmsdr-executable-'));
  // Node's list of the internal modules it loaded, written when the process exits.
  preload = join(dir, 'loaded.cjs');
  writeFileSync(
    preload,
    "process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_LIST, process.moduleLoadList.join('\\n')));",
  );
  writeFileSync(
    join(dir, 'one-row.sql'),
    'COPY public."SDS" ("SD_ID", "LOCATION") FROM stdin;\n1\thdfs://nn1.prod:8020/w/t1\n\\.\n\n--\n-- PostgreSQL database dump complete\n--\n',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Started {
  code: number | null;
  out: string;
  err: string;
  /** Whether an ES module was evaluated (Node loaded its ES module jobs). */
  esLoader: boolean;
}

function start(bin: string, args: string[], node = process.execPath): Promise<Started> {
  const list = join(dir, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  return new Promise((done) => {
    const child = execFile(node, ['-r', preload, bin, ...args], { env: { ...process.env, LOADED_LIST: list } }, (_error, out, err) =>
      done({
        code: child.exitCode,
        out,
        err,
        esLoader: readFileSync(list, 'utf8').includes('NativeModule internal/modules/esm/module_job'),
      }),
    );
  });
}

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

describe('the executable', () => {
  it('answers --version, rewrite --map and cached --help without the ES loader', async () => {
    const v = await start(hmsdrBin, ['--version']);
    expect(v).toMatchObject({ code: 0, out: `${version}\n`, esLoader: false });
    const r = await start(hmsdrBin, ['rewrite', '--map', 'hdfs://nn1.prod:8020=hdfs://nn1.dr:8020', '--in', join(dir, 'one-row.sql')]);
    expect(r).toMatchObject({ code: 0, esLoader: false });
    expect(r.out).toContain('1\thdfs://nn1.dr:8020/w/t1\n');
    const h = await start(hmsdrBin, ['--help']);
    expect(h).toMatchObject({ code: 0, esLoader: false });
    expect(h.out).toMatch(/^hmsdr <command>/);
  });

  it('sends every other command to the ES module CLI, which owns the errors', async () => {
    const r = await start(hmsdrBin, ['no-such-command']);
    expect(r).toMatchObject({ code: 2, esLoader: true });
    expect(r.err).toContain('E_USAGE');
  });

  it('falls back to the modules when its bundle is stale or missing', async () => {
    // A copy of the build: touching or removing a bundle in dist/ would race the other tests.
    const copy = join(dir, 'copy');
    cpSync(join(repoRoot, 'dist/src'), join(copy, 'dist/src'), { recursive: true });
    cpSync(join(repoRoot, 'package.json'), join(copy, 'package.json'));
    const bin = join(copy, 'dist/src/cli/hmsdr.cjs');
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(copy, 'dist/src/cli/fast-launch.js'), later, later); // as after a plain tsc
    expect(await start(bin, ['--version'])).toMatchObject({ code: 0, out: `${version}\n`, esLoader: true });
    rmSync(join(copy, 'dist/src/cli/fast-path.bundle.cjs'));
    expect(await start(bin, ['--version'])).toMatchObject({ code: 0, out: `${version}\n`, esLoader: true });
  });
});
