// What `npm pack` ships: the built CLI, its docs, the config schema, the licence and the lab's
// Hadoop shims; no source maps, code caches, tests, test helpers or benchmark scripts. Needs the build (npm test
// builds before vitest runs).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

it('npm pack ships the CLI, docs, schema and licence, and nothing test-only', () => {
  expect(existsSync(join(root, 'dist/src/cli/hmsdr.cjs')), 'run the build first (npm test does)').toBe(true);
  const out = execFileSync('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  for (const needed of [
    'dist/src/cli/hmsdr.cjs',
    'dist/src/cli/main.js',
    'dist/src/cli/fast-path.bundle.cjs',
    'dist/src/cli/help-cache.json',
    'dist/src/cli/check-fast.bundle.cjs',
    'dist/src/cli/rewrite-fast.bundle.cjs',
    'dist/src/config/load.bundle.cjs',
    'dist/src/lab/hadoop/cli.js',
    'docs/runbook.md',
    'hmsdr.schema.json',
    'LICENSE',
    'README.md',
    'fixtures/bin/hdfs',
    'fixtures/bin/hadoop',
  ]) {
    expect(files, needed).toContain(needed);
  }
  const unwanted = files.filter(
    (f) =>
      f.endsWith('.map') ||
      f.endsWith('.test.js') ||
      // V8's code cache of the config loader holds for the Node that built it only (src/cli/code-cache.ts).
      f.endsWith('.v8cache') ||
      f.startsWith('dist/scripts/') ||
      f.startsWith('test/') ||
      /fixtures\.js$|test-helpers/.test(f),
  );
  expect(unwanted).toEqual([]);
});
