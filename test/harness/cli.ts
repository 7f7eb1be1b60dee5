// Spawn the built hmsdr CLI (or the engine fixture) as a real process and collect its outcome.
import { execa, type ResultPromise } from 'execa';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const hmsdrBin = `${repoRoot}dist/src/cli/hmsdr.cjs`;

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runHmsdr(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; script?: string; input?: string } = {},
): Promise<CliResult> {
  const result = await startHmsdr(args, options);
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

export function startHmsdr(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; script?: string; input?: string } = {},
): ResultPromise {
  return execa(process.execPath, [options.script ?? hmsdrBin, ...args], {
    env: { ...options.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    cwd: options.cwd ?? repoRoot,
    reject: false,
    input: options.input ?? '',
    stripFinalNewline: false,
  });
}
