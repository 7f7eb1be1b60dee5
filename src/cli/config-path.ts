// Which config file a command reads. Kept apart from the config loader (zod, yaml): `hmsdr check`
// finds its config before it knows whether it must load them (check-config-cache.ts).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../errors/errors.js';

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
