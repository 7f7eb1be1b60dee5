// `hmsdr check` runs every minute under NRPE: its module and everything it imports (statically or
// lazily) must stay clear of the heavy and networked packages.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SPECIFIER = /(?:^\s*(?:import|export)\b[^;'"`]*?\bfrom\s*|^\s*import\s*|\bimport\(\s*)['"]([^'"]+)['"]/gm;
const HEAVY = ['pg', 'ssh2', 'listr2', 'execa'];

/** Every package the file imports, directly or through the src/ files it imports. */
function packagesReachedFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      if (!spec) continue;
      if (spec.startsWith('.')) {
        const ts = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
        if (existsSync(ts)) visit(ts);
      } else if (!spec.startsWith('node:'))
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  visit(entry);
  return packages;
}

describe('hmsdr check stays light', () => {
  it('imports none of pg, ssh2, listr2, execa', () => {
    // The yargs command, and the fast path's (which the build bundles with all it reaches).
    const reached = new Set(
      ['src/cli/commands/check.ts', 'src/cli/check-fast.ts'].flatMap((entry) => [...packagesReachedFrom(join(ROOT, entry))]),
    );
    // The walker does find them where they are: the runbook commands reach listr2 through the engine.
    expect(packagesReachedFrom(join(ROOT, 'src/cli/commands/runbook-commands.ts')).has('listr2')).toBe(true);
    expect(HEAVY.filter((p) => reached.has(p))).toEqual([]);
  });
});
