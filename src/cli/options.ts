// Options shared by several commands, and loading the config they name.
import type { Argv } from 'yargs';
import { loadConfig, type ResolvedConfig } from '../config/load.js';

export interface ConfigArgs {
  config: string;
}

export function withConfig<T>(yargs: Argv<T>): Argv<T & ConfigArgs> {
  return yargs.option('config', {
    alias: 'c',
    type: 'string',
    default: process.env.HMSDR_CONFIG ?? 'hmsdr.yaml',
    defaultDescription: '$HMSDR_CONFIG or ./hmsdr.yaml',
    describe: 'configuration file (see docs/configuration.md; `hmsdr init` writes an example)',
  }) as Argv<T & ConfigArgs>;
}

export function withJson<T>(yargs: Argv<T>): Argv<T & { json: boolean }> {
  return yargs.option('json', { type: 'boolean', default: false, describe: 'print machine-readable JSON on stdout' }) as Argv<T & { json: boolean }>;
}

export function readConfig(args: ConfigArgs): ResolvedConfig {
  return loadConfig(args.config);
}

export const isInteractiveTerminal = (): boolean => Boolean(process.stdin.isTTY && process.stdout.isTTY);
