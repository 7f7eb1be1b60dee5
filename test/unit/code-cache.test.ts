// The config loader and the rewriter run with the code V8 compiled for them at build time
// (src/cli/code-cache.ts): the build leaves a cache V8 accepts for this Node, the loader answers
// through it as its modules do (the rewriter: rewrite-bundle.test.ts), a cache older than its bundle
// is never read (V8 checks only the source's length), and one V8 refuses costs only a compile.
// Needs the build (npm test builds before vitest runs).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { codeCacheFile, requireWithCodeCache, runCommonJs } from '../../src/cli/code-cache.js';
import { loadConfig } from '../../src/config/load.js';
import { repoRoot } from '../harness/cli.js';
import { minimalConfigYaml } from '../harness/config.js';

const dir = mkdtempSync(join(tmpdir(), 'hmsdr-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const loaderBundle = join(repoRoot, 'dist/src/config/load.bundle.cjs');
const rewriteBundle = join(repoRoot, 'dist/src/cli/rewrite-fast.bundle.cjs');

it.each([loaderBundle, rewriteBundle])(
  'the build keeps one code cache of %s, for the Node that built it: accepted by that Node only',
  (bundle) => {
    const name = basename(bundle);
    const caches = readdirSync(dirname(bundle)).filter((f) => f.startsWith(`${name}.`) && f.endsWith('.v8cache'));
    expect(caches, 'run the build first (npm test does)').toHaveLength(1);
    const cache = join(dirname(bundle), caches[0]!);
    expect(statSync(cache).mtimeMs).toBeGreaterThanOrEqual(statSync(bundle).mtimeMs);
    // CI builds with Node 22 and runs the unit tests on Node 24 too: there, V8 refuses the cache,
    // which is why its name carries the Node version (requireWithCodeCache never reads it).
    const { script } = runCommonJs(bundle, readFileSync(cache));
    expect(script.cachedDataRejected).toBe(cache !== codeCacheFile(bundle));
  },
);

it('the loader run through its code cache loads a config as the modules do', () => {
  const file = join(dir, 'hmsdr.yaml');
  writeFileSync(file, minimalConfigYaml({ runsDir: './runs' }));
  const bundled = requireWithCodeCache(loaderBundle) as typeof import('../../src/config/load.js');
  const env = { HMSDR_TEST_PASSWORD: 'x' };
  expect(JSON.parse(JSON.stringify(bundled.loadConfig(file, env, { checkSecrets: false })))).toEqual(
    JSON.parse(JSON.stringify(loadConfig(file, env, { checkSecrets: false }))),
  );
  writeFileSync(file, 'version: 2\n');
  expect(() => bundled.loadConfig(file, env)).toThrow(/problems? in/);
});

it('a cache older than its bundle is not read: the file is required as it is now', () => {
  const bundle = join(dir, 'module.cjs');
  writeFileSync(bundle, 'module.exports = { answer: 1 };');
  const { script } = runCommonJs(bundle);
  writeFileSync(codeCacheFile(bundle), script.createCachedData());
  // The same length, another answer, written after the cache: V8 alone would take the cached code.
  writeFileSync(bundle, 'module.exports = { answer: 2 };');
  const later = new Date(statSync(codeCacheFile(bundle)).mtimeMs + 5000);
  utimesSync(bundle, later, later);
  expect(requireWithCodeCache(bundle)).toEqual({ answer: 2 });
});

it('a cache not older than its bundle is used', () => {
  const bundle = join(dir, 'fresh.cjs');
  writeFileSync(bundle, 'module.exports = { answer: 3 };');
  const { script } = runCommonJs(bundle);
  writeFileSync(codeCacheFile(bundle), script.createCachedData());
  expect(requireWithCodeCache(bundle)).toEqual({ answer: 3 });
  expect(runCommonJs(bundle, readFileSync(codeCacheFile(bundle))).script.cachedDataRejected).toBe(false);
});

it('a cache V8 refuses (made under other V8 flags) costs only a compile: the file still loads', () => {
  const bundle = join(dir, 'flags.cjs');
  writeFileSync(bundle, 'module.exports = { answer: 4 };');
  const codeCache = pathToFileURL(join(repoRoot, 'dist/src/cli/code-cache.js')).href;
  const make = `const { runCommonJs, codeCacheFile } = await import(${JSON.stringify(codeCache)}); const { writeFileSync } = await import('node:fs');
    writeFileSync(codeCacheFile(${JSON.stringify(bundle)}), runCommonJs(${JSON.stringify(bundle)}).script.createCachedData());`;
  execFileSync(process.execPath, ['--no-opt', '--input-type=module', '-e', make]);
  expect(runCommonJs(bundle, readFileSync(codeCacheFile(bundle))).script.cachedDataRejected).toBe(true);
  expect(requireWithCodeCache(bundle)).toEqual({ answer: 4 });
});
