// Options shared by several commands, and loading the config they name.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { loadConfig, type ResolvedConfig } from '../config/load.js';
import { ConfigError } from '../errors/errors.js';

export interface ConfigArgs {
  config?: string | undefined;
}

/** Where a config is looked for when --config is not given, in order (after $HMSDR_CONFIG). */
export const CONFIG_SEARCH_PATH = ['hmsdr.yaml', '/etc/hmsdr/hmsdr.yaml'] as const;

/**
 * The config file a command reads: `--config`, else `$HMSDR_CONFIG`, else `./hmsdr.yaml`, else
 * `/etc/hmsdr/hmsdr.yaml` (the first that exists of the last two).
 */
export function resolveConfigPath(given: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  if (given !== undefined && given !== '') return given;
  if (env.HMSDR_CONFIG) return env.HMSDR_CONFIG;
  const found = CONFIG_SEARCH_PATH.map((p) => resolve(cwd, p)).find((p) => existsSync(p));
  if (found) return found;
  throw new ConfigError(`no configuration file: looked for --config, $HMSDR_CONFIG, ./hmsdr.yaml and /etc/hmsdr/hmsdr.yaml`, [], {
    hint: 'pass --config FILE, set HMSDR_CONFIG, or write one with `hmsdr init -o /etc/hmsdr/hmsdr.yaml`',
  });
}

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

export function readConfig(args: ConfigArgs): ResolvedConfig {
  return loadConfig(resolveConfigPath(args.config));
}

/** For commands that only read run directories: no secret needs to be available (a monitoring user has none). */
export function readConfigWithoutSecrets(args: ConfigArgs): ResolvedConfig {
  return loadConfig(resolveConfigPath(args.config), process.env, { checkSecrets: false });
}

export const isInteractiveTerminal = (): boolean => Boolean(process.stdin.isTTY && process.stdout.isTTY);
