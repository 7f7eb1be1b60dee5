// `hmsdr check` as the start-up fast path (fast-path.ts) runs it: the options read without yargs,
// then the same runCheck as the yargs command. The build also bundles this module and everything it
// imports into check-fast.bundle.js (scripts/bundle-check.ts): one module to load instead of ~200
// (zod alone is 96 files, yaml ~70), which is most of what check spends before it reads its config.
import { ExitStatus } from '../errors/errors.js';
import { CHECK_DEFAULTS, CHECK_FORMATS, runCheck } from './commands/check-run.js';

/** check's exit code, or undefined when its arguments are not plain (the full parser explains them). */
export function fastCheck(args: readonly string[]): number | undefined {
  const parsed = parseOptions(args, {
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
    // Caught here, not by the caller: the bundle has its own copy of the ExitStatus class.
    if (error instanceof ExitStatus) return error.exitCode;
    throw error;
  }
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
