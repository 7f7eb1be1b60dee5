// Reads passwords from the environment or a file at the moment they are needed, and registers
// each value for redaction. The config object itself never holds a secret.
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors/errors.js';
import { registerSecret } from '../util/secrets.js';

export interface SecretRef {
  readonly passwordEnv?: string | undefined;
  readonly passwordFile?: string | undefined;
}

/** The secret named by `ref`, or undefined when the ref names none. `where` is the dotted config path. */
export function readSecret(ref: SecretRef, where: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (ref.passwordEnv) {
    const value = env[ref.passwordEnv];
    if (value === undefined || value === '') {
      throw new ConfigError(`${where}.passwordEnv: environment variable ${ref.passwordEnv} is not set`, [
        { path: `${where}.passwordEnv`, message: `environment variable ${ref.passwordEnv} is not set` },
      ]);
    }
    registerSecret(value);
    return value;
  }
  if (ref.passwordFile) {
    let value: string;
    try {
      value = (readFileSync(ref.passwordFile, 'utf8').split('\n')[0] ?? '').replace(/\r$/, '');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError(`${where}.passwordFile: cannot read ${ref.passwordFile} (${code})`, [
        { path: `${where}.passwordFile`, message: `cannot read ${ref.passwordFile} (${code})` },
      ]);
    }
    registerSecret(value);
    return value;
  }
  return undefined;
}
