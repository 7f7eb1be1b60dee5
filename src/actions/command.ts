// Commands are data: the same object is printed by `plan`, logged before it runs and executed.
import { REDACTED } from '../util/secrets.js';

export interface Command {
  /** Program to run (looked up on PATH, or an absolute path). */
  readonly file: string;
  readonly args: readonly string[];
  /** Extra environment for the child; merged over the parent's. */
  readonly env?: Readonly<Record<string, string>>;
  /** Names in `env` whose values are secrets: printed as `NAME=***`. */
  readonly secretEnv?: readonly string[];
  /** Working directory of the child. */
  readonly cwd?: string;
}

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** POSIX-shell quoting of one word: the only quoting function of hmsdr (local and remote). */
export function shellQuote(word: string): string {
  if (word !== '' && SAFE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A copy-pasteable shell line for `command`, secrets replaced by `***`. */
export function formatCommand(command: Command): string {
  const secret = new Set(command.secretEnv ?? []);
  const envPart = Object.entries(command.env ?? {}).map(([name, value]) => `${name}=${secret.has(name) ? REDACTED : shellQuote(value)}`);
  return [...envPart, shellQuote(command.file), ...command.args.map(shellQuote)].join(' ');
}

/**
 * The shell line a remote host runs for `command`. Secret env values are left out on purpose: a
 * remote `sh -c` line is visible in `ps`, so the SSH adapter delivers them on the channel's stdin.
 */
export function toShellLine(command: Command): string {
  const secret = new Set(command.secretEnv ?? []);
  const envPart = Object.entries(command.env ?? {})
    .filter(([name]) => !secret.has(name))
    .map(([name, value]) => `${name}=${shellQuote(value)}`);
  const main = [...envPart, shellQuote(command.file), ...command.args.map(shellQuote)].join(' ');
  return command.cwd === undefined ? main : `cd ${shellQuote(command.cwd)} && ${main}`;
}
