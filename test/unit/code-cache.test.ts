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
import { afterAll, expect, it, vi } from 'vitest';
import { codeCacheFile, requireWithCodeCache, runCommonJs } from '../../src/cli/code-cache.js';
import { EXAMPLE_CONFIG } from '../../src/config/example.js';
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

/** What a loader makes of a config: the config, or the error's message and issues (lines included). */
function outcome(load: typeof loadConfig, file: string): unknown {
  try {
    return { config: JSON.parse(JSON.stringify(load(file, { HMSDR_TEST_PASSWORD: 'x' }, { checkSecrets: false }))) };
  } catch (error) {
    return { message: (error as Error).message, issues: (error as { issues?: unknown }).issues };
  }
}

// The bundle takes yaml's ES modules (its browser build) where the modules take its CommonJS build
// (scripts/bundle-fast-paths.ts): configs that reach the places where the two builds differ.
const minimal = minimalConfigYaml({ runsDir: './runs' });
it.each([
  ['a valid config', minimal, 'config'],
  ['the config hmsdr init writes', EXAMPLE_CONFIG, 'config'],
  [
    'wrong values and an unknown key',
    minimal.replace('version: 1', 'version: 2\nsurprise: true').replace('port: 5432', 'port: http'),
    'issues',
  ],
  ['a YAML syntax error', `${minimal}dr: [unclosed\n`, 'issues'],
  ['a duplicate key', `${minimal}runsDir: ./other\n`, 'issues'],
  ['a key yaml would stringify', `${minimal}? [a, b]\n: 1\n`, 'issues'],
  ['YAML 1.1 with !!binary and yes/no', `%YAML 1.1\n---\n${minimal.replace('./runs', '!!binary aGVsbG8=')}extra: yes\n`, 'issues'],
  [
    'an alias bomb',
    `${minimal}a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n`,
    'issues',
  ],
  ['two documents', `${minimal}---\nversion: 1\n`, 'issues'],
  ['an inline password', minimal.replace('user: hive }', 'user: hive, password: secret }'), 'issues'],
  ['an empty file', '', 'issues'],
])('the loader run through its code cache answers %s as the modules do, and prints nothing', (_, yaml, answer) => {
  const file = join(dir, 'hmsdr.yaml');
  writeFileSync(file, yaml);
  const bundled = requireWithCodeCache(loaderBundle) as typeof import('../../src/config/load.js');
  const warn = vi.spyOn(console, 'warn');
  const emitWarning = vi.spyOn(process, 'emitWarning');
  try {
    const expected = outcome(loadConfig, file);
    // The case reaches what it names: a config, or an error listing at least one issue.
    if (answer === 'config') expect(expected).toHaveProperty('config.version', 1);
    else expect((expected as { issues?: unknown[] }).issues?.length).toBeGreaterThan(0);
    expect(outcome(bundled.loadConfig, file)).toEqual(expected);
    expect(warn).not.toHaveBeenCalled();
    expect(emitWarning).not.toHaveBeenCalled();
  } finally {
    warn.mockRestore();
    emitWarning.mockRestore();
  }
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
