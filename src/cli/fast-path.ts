// Start-up fast paths: the invocations a machine repeats (`hmsdr --version`, `hmsdr check` from a
// monitoring agent every minute) and a person's first `--help` answered without loading yargs
// (about as much CPU as Node's own start). Anything this module does not recognise exactly goes to
// the full parser in cli.ts, which also owns every error message: here, no argument is ever rejected.
import { readFileSync } from 'node:fs';
import { ExitStatus } from '../errors/errors.js';
import { cachedHelp, helpKey, readHelpCache } from './help-cache.js';

/** The exit code when the fast path handled argv, else undefined (use the full CLI). */
export async function fastPath(argv: readonly string[]): Promise<number | undefined> {
  const version = argv.length === 1 && argv[0] === '--version' ? packageVersion() : undefined;
  if (version !== undefined) {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const help =
    helpKey(argv) === undefined
      ? undefined
      : cachedHelp(argv, readHelpCache(), { version: packageVersion(), columns: process.stdout.columns, env: process.env });
  if (help !== undefined) {
    process.stdout.write(help);
    return 0;
  }
  if (argv[0] === 'check') {
    const { CHECK_DEFAULTS, CHECK_FORMATS, runCheck } = await import('./commands/check-run.js');
    const parsed = parseOptions(argv.slice(1), {
      config: ['--config', '-c'],
      rpoWarning: ['--rpo-warning'],
      rpoCritical: ['--rpo-critical'],
      format: ['--format'],
    });
    if (!parsed) return undefined;
    const format = parsed.format ?? CHECK_DEFAULTS.format;
    if (!(CHECK_FORMATS as readonly string[]).includes(format)) return undefined;
    try {
      runCheck({
        config: parsed.config,
        rpoWarning: parsed.rpoWarning ?? CHECK_DEFAULTS.rpoWarning,
        rpoCritical: parsed.rpoCritical ?? CHECK_DEFAULTS.rpoCritical,
        format: format as (typeof CHECK_FORMATS)[number],
      });
      return 0;
    } catch (error) {
      if (error instanceof ExitStatus) return error.exitCode;
      throw error;
    }
  }
  return undefined;
}

/** The version yargs prints: hmsdr's package.json, the nearest above this file (dist/src/cli or src/cli). */
function packageVersion(): string | undefined {
  for (const up of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'hmsdr') return pkg.version;
    } catch {
      // not at this level
    }
  }
  return undefined; // elsewhere (a bundle): yargs knows
}

/**
 * `--name value` and `--name=value` for string options, each at most once; undefined for anything
 * else (an unknown flag, a repeated or valueless option), which the full parser then explains.
 */
function parseOptions<K extends string>(
  args: readonly string[],
  names: Record<K, readonly string[]>,
): Partial<Record<K, string>> | undefined {
  const out: Partial<Record<K, string>> = {};
  const keyOf = (flag: string): K | undefined => (Object.keys(names) as K[]).find((k) => names[k].includes(flag));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const key = keyOf(eq > 0 ? arg.slice(0, eq) : arg);
    if (key === undefined || out[key] !== undefined) return undefined;
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '' || value.startsWith('-')) return undefined;
    out[key] = value;
  }
  return out;
}
