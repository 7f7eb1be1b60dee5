// Start-up fast paths: the invocations a machine repeats (`hmsdr --version`, `hmsdr check` from a
// monitoring agent every minute, `hmsdr rewrite --map` in a pipe) and a person's first `--help`
// answered without loading yargs (about as much CPU as Node's own start). Anything this module does
// not recognise exactly goes to the full parser in cli.ts, which also owns every error message:
// here, no argument is ever rejected.
import { fs } from './builtins.js';
import { bundledOr } from './built-after.js';
import { cachedHelp, helpKey, readHelpCache } from './help-cache.js';
import { isTerminal, writeText } from '../util/std-text.js';

/** The exit code when the fast path handled argv, else undefined (use the full CLI). */
export async function fastPath(argv: readonly string[]): Promise<number | undefined> {
  const version = argv.length === 1 && argv[0] === '--version' ? packageVersion() : undefined;
  if (version !== undefined) {
    writeText(1, `${version}\n`);
    return 0;
  }
  const help =
    helpKey(argv) === undefined
      ? undefined
      : cachedHelp(argv, readHelpCache(), {
          version: packageVersion(),
          columns: isTerminal(1) ? process.stdout.columns : undefined,
          env: process.env,
        });
  if (help !== undefined) {
    writeText(1, help);
    return 0;
  }
  if (argv[0] === 'check') return (await besideOr('check-fast', () => import('./check-fast.js'))).fastCheck(argv.slice(1));
  if (argv[0] === 'rewrite') return (await besideOr('rewrite-fast', () => import('./rewrite-fast.js'))).fastRewrite(argv.slice(1));
  return undefined;
}

/**
 * The module `name` (beside this one) as the build bundled it unless stale, else the modules:
 * imported by name, so that the single-file binary's bundler (scripts/build-sea.ts) takes them in.
 */
const besideOr = <T>(name: string, modules: () => Promise<T>): Promise<T> =>
  bundledOr(new URL(`./${name}.bundle.cjs`, import.meta.url), new URL(`./${name}.js`, import.meta.url), modules);

/** The version yargs prints: hmsdr's package.json, the nearest above this file (dist/src/cli or src/cli). */
function packageVersion(): string | undefined {
  for (const up of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(fs.readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'hmsdr') return pkg.version;
    } catch {
      // not at this level
    }
  }
  return undefined; // elsewhere (a bundle): yargs knows
}
