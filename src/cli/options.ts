// Options shared by several commands, and loading the config they name.
import type { Argv } from 'yargs';
import { loadConfig, type ResolvedConfig } from '../config/load.js';
import { loadRemembering } from './check-config-cache.js';
import { resolveConfigPath } from './config-path.js';

export interface ConfigArgs {
  config?: string | undefined;
}

export { CONFIG_SEARCH_PATH, resolveConfigPath } from './config-path.js';

export function withConfig<T>(yargs: Argv<T>): Argv<T & ConfigArgs> {
  return yargs.option('config', {
    alias: 'c',
    type: 'string',
    defaultDescription: '$HMSDR_CONFIG, ./hmsdr.yaml, /etc/hmsdr/hmsdr.yaml',
    describe: 'configuration file (see `hmsdr docs configuration`; `hmsdr init` writes an example)',
  }) as Argv<T & ConfigArgs>;
}

export function withJson<T>(yargs: Argv<T>): Argv<T & { json: boolean }> {
  return yargs.option('json', { type: 'boolean', default: false, describe: 'print machine-readable JSON on stdout (errors too)' }) as Argv<
    T & { json: boolean }
  >;
}

export { integerAtLeast } from './integer-option.js';

/** The config a command names, validated; `hmsdr check` remembers what it needs from it (check-config-cache.ts). */
export function readConfig(args: ConfigArgs): ResolvedConfig {
  return loadRemembering(resolveConfigPath(args.config), (file) => loadConfig(file));
}

/** For commands that only read run directories: no secret needs to be available (a monitoring user has none). */
export function readConfigWithoutSecrets(args: ConfigArgs): ResolvedConfig {
  return loadRemembering(resolveConfigPath(args.config), (file) => loadConfig(file, process.env, { checkSecrets: false }));
}

export const isInteractiveTerminal = (): boolean => Boolean(process.stdin.isTTY && process.stdout.isTTY);
