// `hmsdr check` as the start-up fast path (fast-path.ts) runs it: the options read without yargs,
// the config's target from the cache when this exact config validated before (check-config-cache.ts),
// then the same runCheck as the yargs command. The build also bundles this module and everything it
// imports into check-fast.bundle.cjs (scripts/bundle-fast-paths.ts): one module to load instead of ~100.
// The config loader (yaml, the config schema in zod/mini) is not in it: it is loaded (its own bundle,
// load.bundle.cjs) only when the config is not in the cache (a new or edited config, a new build).
import { ExitStatus } from '../errors/errors.js';
import { bundledOr } from './built-after.js';
import { cachedTarget, checkCacheIdentity, checkTargetOf, loadRemembering, type CheckTarget } from './check-config-cache.js';
import { CHECK_DEFAULTS, CHECK_FORMATS, runCheck } from './commands/check-run.js';
import { resolveConfigPath } from './config-path.js';
import { parseFastOptions } from './fast-options.js';

/** check's exit code, or undefined when its arguments are not plain (the full parser explains them). */
export async function fastCheck(args: readonly string[]): Promise<number | undefined> {
  const parsed = parseFastOptions(args, {
    config: { flags: ['--config', '-c'], kind: 'string' },
    rpoWarning: { flags: ['--rpo-warning'], kind: 'string' },
    rpoCritical: { flags: ['--rpo-critical'], kind: 'string' },
    format: { flags: ['--format'], kind: 'string' },
  }) as Partial<Record<'config' | 'rpoWarning' | 'rpoCritical' | 'format', string>> | undefined;
  if (!parsed) return undefined;
  const format = parsed.format ?? CHECK_DEFAULTS.format;
  if (!(CHECK_FORMATS as readonly string[]).includes(format)) return undefined;
  const target = await readTarget(parsed.config);
  try {
    runCheck(
      {
        config: parsed.config,
        rpoWarning: parsed.rpoWarning ?? CHECK_DEFAULTS.rpoWarning,
        rpoCritical: parsed.rpoCritical ?? CHECK_DEFAULTS.rpoCritical,
        format: format as (typeof CHECK_FORMATS)[number],
      },
      target,
    );
    return 0;
  } catch (error) {
    // Caught here, not by the caller: the bundle has its own copy of the ExitStatus class.
    if (error instanceof ExitStatus) return error.exitCode;
    throw error;
  }
}

/**
 * What check needs from the config: remembered for this file, byte for byte, and this build; else
 * validated as every command validates it, and remembered when valid. A failure is thrown when
 * runCheck asks (after its own argument errors), as reading the config there would have.
 */
async function readTarget(given: string | undefined): Promise<() => CheckTarget> {
  const fails = (error: unknown) => (): never => {
    throw error;
  };
  let path: string;
  try {
    path = resolveConfigPath(given);
  } catch (error) {
    return fails(error);
  }
  const id = checkCacheIdentity(path);
  const cached = id && cachedTarget(id);
  if (cached) return () => cached;
  // Loaded here only: the bundle leaves it out (external), and only a cache miss pays for it.
  const { loadConfig } = await loadConfigLoader();
  try {
    const config = loadRemembering(path, (file) => loadConfig(file, process.env, { checkSecrets: false }), id);
    const target = checkTargetOf(config);
    return () => target;
  } catch (error) {
    return fails(error);
  }
}

/**
 * The config loader bundled by the build (load.bundle.cjs), with the code V8 compiled for it when
 * the build ran it (code-cache.ts), unless stale or absent: else its modules.
 */
const loadConfigLoader = (): Promise<typeof import('../config/load.js')> =>
  bundledOr(
    new URL('../config/load.bundle.cjs', import.meta.url),
    new URL('../config/load.js', import.meta.url),
    () => import('../config/load.js'),
  );
