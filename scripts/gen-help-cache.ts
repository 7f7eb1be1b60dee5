// Build step (after tsc): dist/src/cli/help-cache.json, the `--help` texts the start-up fast path
// prints (src/cli/help-cache.ts). Each is rendered by the real yargs parser in a child process, as
// a pipe receives it: English, stdout not a terminal (so at helpWidth(undefined)).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { CATALOG } from '../src/cli/commands/catalog.js';
import { HELP_CACHE_FILE, helpWidth, type HelpCache } from '../src/cli/help-cache.js';

// The repository: above dist/scripts/ when built, above scripts/ when a test imports the source.
const root = [resolve(import.meta.dirname, '..'), resolve(import.meta.dirname, '../..')].find((dir) =>
  existsSync(join(dir, 'package.json')),
)!;
const distCli = join(root, 'dist/src/cli');

/** The environment the texts are rendered in: English whatever the build machine's locale. */
export const RENDER_ENV: NodeJS.ProcessEnv = (() => {
  const { LC_ALL: _a, LC_MESSAGES: _m, LANGUAGE: _l, ...rest } = process.env;
  return { ...rest, LANG: 'en_US.UTF-8' };
})();

/**
 * What the full parser (cli.ts's runCli, without the fast path) prints on stdout for argv; throws
 * unless it exits 0 with nothing on stderr.
 */
export async function renderWithYargs(argv: readonly string[], env: NodeJS.ProcessEnv = RENDER_ENV): Promise<string> {
  const url = (file: string): string => JSON.stringify(pathToFileURL(join(distCli, file)).href);
  const script =
    `const { runCli } = await import(${url('cli.js')});\n` +
    `process.exitCode = await runCli(${JSON.stringify(argv)}, async () => (await import(${url('default-deps.js')})).defaultDeps);`;
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    env,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (stderr !== '') throw new Error(`hmsdr ${argv.join(' ')}: ${stderr}`);
  return stdout;
}

/** Every key the cache holds: `hmsdr --help` and each top-level command's. */
export const HELP_KEYS: readonly string[] = ['', ...CATALOG.map((c) => c.name)];

export async function buildHelpCache(): Promise<HelpCache> {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const texts: Record<string, string> = {};
  // Two at a time: the build machine has two cores.
  for (let i = 0; i < HELP_KEYS.length; i += 2) {
    const keys = HELP_KEYS.slice(i, i + 2);
    const rendered = await Promise.all(keys.map((k) => renderWithYargs(k === '' ? ['--help'] : [k, '--help'])));
    keys.forEach((k, j) => {
      texts[k] = rendered[j]!;
    });
  }
  return { version, width: helpWidth(undefined), texts };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = join(distCli, HELP_CACHE_FILE);
  rmSync(file, { force: true });
  writeFileSync(file, `${JSON.stringify(await buildHelpCache(), null, 1)}\n`);
}
