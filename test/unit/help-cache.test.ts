// The built --help cache (dist/src/cli/help-cache.json, scripts/gen-help-cache.ts) holds exactly
// what the full yargs parser prints, and hmsdr prints it only where yargs would print the same.
// Needs the build (npm test builds before vitest runs).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELP_KEYS, RENDER_ENV, renderWithYargs } from '../../scripts/gen-help-cache.js';
import type { HelpCache } from '../../src/cli/help-cache.js';
import { hmsdrBin, repoRoot, runHmsdr } from '../harness/cli.js';

const file = join(repoRoot, 'dist/src/cli/help-cache.json');
const cache = (): HelpCache => JSON.parse(readFileSync(file, 'utf8')) as HelpCache;
const argvOf = (key: string): string[] => (key === '' ? ['--help'] : [key, '--help']);

describe('the built --help cache', () => {
  it('exists for this version and every command', () => {
    expect(existsSync(file), 'run the build first (npm test does)').toBe(true);
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(cache().version).toBe(version);
    expect(Object.keys(cache().texts)).toEqual(HELP_KEYS);
  });

  it.each(HELP_KEYS.map((k) => [k]))('%j: byte-equal to what the full parser prints', async (key) => {
    expect(cache().texts[key]).toBe(await renderWithYargs(argvOf(key)));
  });

  it('hmsdr prints it in English (C or en_US) and leaves other languages to yargs', async () => {
    const text = cache().texts['rewrite'];
    for (const LANG of ['C.UTF-8', 'en_US.UTF-8']) {
      const result = await runHmsdr(['rewrite', '--help'], { env: { LANG, LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '' } });
      expect({ code: result.exitCode, out: result.stdout, err: result.stderr }).toEqual({ code: 0, out: text, err: '' });
    }
    const german = await renderWithYargs(['rewrite', '--help'], { ...RENDER_ENV, LANG: 'de_DE.UTF-8' });
    expect(german).not.toBe(text); // yargs translates: the cache must not answer here
    const result = await runHmsdr(['rewrite', '--help'], { env: { LANG: 'de_DE.UTF-8', LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '' } });
    expect(result.stdout).toBe(german);
    expect(hmsdrBin).toMatch(/hmsdr\.cjs$/);
  });
});
