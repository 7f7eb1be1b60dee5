// The only module that imports execa: runs Command data locally, maps failures to CommandFailedError.
import { execa, type ResultPromise } from 'execa';
import type { Readable } from 'node:stream';
import { AdapterError } from '../../errors/errors.js';
import { redact } from '../../util/secrets.js';
import { formatCommand, type Command } from '../../actions/command.js';
import { childExited, childStarted } from './children.js';

export interface RunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Text written to the child's stdin. */
  input?: string;
  /** A stream piped into the child's stdin (after `input`, and after a remote command's secrets). */
  stdin?: Readable;
  /** Called with every chunk of stderr (for progress parsing and the run's stderr capture). */
  onStderr?: (chunk: string) => void;
  onStdout?: (chunk: string) => void;
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export class CommandFailedError extends AdapterError {
  constructor(
    readonly command: Command,
    readonly exitCode_: number | undefined,
    readonly signalName: string | undefined,
    readonly stderr: string,
    options: { cause?: unknown; reason?: string; hint?: string } = {},
  ) {
    const how = options.reason ?? (signalName ? `was killed by ${signalName}` : `exited with code ${exitCode_}`);
    super('E_COMMAND', redact(`${formatCommand(command)} ${how}`), {
      cause: options.cause,
      hint: options.hint,
      stderrTail: tail(redact(stderr)),
    });
  }
}

/** The last `lines` lines of `text`, for error headlines. */
export function tail(text: string, lines = 20): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

function spawn(command: Command, options: RunOptions, stdout: 'pipe' | 'ignore'): ResultPromise {
  const child = start(command, options, stdout);
  if (options.stdin && child.stdin) {
    child.stdin.on('error', () => undefined); // the child stopped reading (it failed): its exit code tells
    options.stdin.pipe(child.stdin);
  }
  return child;
}

/** The child recorded from its start to its exit (children.ts: a resume ends what a killed attempt left). */
function tracked(child: ResultPromise, command: Command): ResultPromise {
  childStarted(child.pid, command.file);
  child.then(
    () => childExited(child.pid),
    () => childExited(child.pid),
  );
  return child;
}

/** What every child gets: its environment and directory, cancellation, timeout, no throw on failure. */
const baseOptions = (command: Command, options: RunOptions) =>
  ({
    env: command.env ? { ...process.env, ...command.env } : process.env,
    cwd: command.cwd,
    cancelSignal: options.signal,
    timeout: options.timeoutMs,
    forceKillAfterDelay: 5000,
    stderr: 'pipe',
    reject: false,
  }) as const;

function start(command: Command, options: RunOptions, stdout: 'pipe' | 'ignore'): ResultPromise {
  return tracked(
    execa(command.file, [...command.args], {
      ...baseOptions(command, options),
      input: options.input,
      stdout,
      stripFinalNewline: false,
      buffer: { stdout: stdout === 'pipe', stderr: true },
      maxBuffer: 256 * 1024 * 1024,
    }),
    command,
  );
}

function missingProgramHint(command: Command): string {
  const packages: Record<string, string> = {
    pg_dump: 'postgresql-client',
    psql: 'postgresql-client',
    ssh: 'openssh-client',
    sed: 'sed',
    hdfs: 'the Hadoop client (or `hmsdr lab up` for the stand-in)',
    hadoop: 'the Hadoop client',
  };
  const base = command.file.split('/').pop() ?? command.file;
  return `install ${packages[base] ?? base} or put it on PATH`;
}

/** Run to completion. Resolves only on exit code 0; decides on the exit code, never on stderr. */
export async function runCommand(command: Command, options: RunOptions = {}): Promise<CommandResult> {
  const child = spawn(command, options, 'pipe');
  if (options.onStderr) child.stderr?.on('data', (b: Buffer) => options.onStderr?.(b.toString('utf8')));
  if (options.onStdout) child.stdout?.on('data', (b: Buffer) => options.onStdout?.(b.toString('utf8')));
  const result = await child;
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  if (result.failed) {
    const code = (result as { code?: string }).code;
    if (code === 'ENOENT') {
      throw new CommandFailedError(command, undefined, undefined, stderr, {
        reason: 'could not start: program not found',
        hint: missingProgramHint(command),
        cause: result,
      });
    }
    if (result.isCanceled) {
      throw new CommandFailedError(command, result.exitCode, result.signal, stderr, { reason: 'was cancelled', cause: result });
    }
    if (result.timedOut) {
      throw new CommandFailedError(command, result.exitCode, result.signal, stderr, {
        reason: `timed out after ${options.timeoutMs} ms`,
        cause: result,
      });
    }
    throw new CommandFailedError(command, result.exitCode, result.signal, stderr, { cause: result });
  }
  return { exitCode: result.exitCode ?? 0, stdout, stderr };
}

/** Run and return the exit code whatever it is (for commands whose non-zero codes are answers, like `hdfs dfs -test`). */
export async function runCommandAnyExit(command: Command, options: RunOptions = {}): Promise<CommandResult> {
  try {
    return await runCommand(command, options);
  } catch (error) {
    if (error instanceof CommandFailedError && error.exitCode_ !== undefined && error.signalName === undefined) {
      const cause = (error.cause ?? {}) as { stdout?: unknown };
      return { exitCode: error.exitCode_, stdout: String(cause.stdout ?? ''), stderr: error.stderr };
    }
    throw error;
  }
}

export interface StreamingChild {
  /** The child's stdout; errors (CommandFailedError) when the child exits non-zero. */
  stdout: Readable;
  /** Resolves on exit 0, rejects with CommandFailedError otherwise. */
  done: Promise<CommandResult>;
}

/**
 * Start a child whose stdout is consumed as a stream (pg_dump). A non-zero exit destroys the
 * stdout stream with the error, so a pipeline never mistakes a cut-off output for a complete one.
 */
export function streamCommand(command: Command, options: RunOptions = {}): StreamingChild {
  const child = tracked(
    execa(command.file, [...command.args], { ...baseOptions(command, options), stdout: 'pipe', buffer: { stdout: false, stderr: true } }),
    command,
  );
  const stdout = child.stdout as Readable;
  if (options.onStderr) child.stderr?.on('data', (b: Buffer) => options.onStderr?.(b.toString('utf8')));
  const done = child.then((result) => {
    const stderr = String(result.stderr ?? '');
    if (result.failed) {
      const error = new CommandFailedError(command, result.exitCode, result.signal, stderr, { cause: result });
      stdout.destroy(error);
      throw error;
    }
    return { exitCode: 0, stdout: '', stderr };
  });
  done.catch(() => undefined); // observed by the caller; avoid an unhandled rejection before it awaits
  return { stdout, done };
}
