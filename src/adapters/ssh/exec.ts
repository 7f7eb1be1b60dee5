// Runs Command data on an SSH connection with the semantics of the local executor: exit codes
// decide, stderr is captured, an abort signals the remote program and closes the channel.
import type { Client, ClientChannel } from 'ssh2';
import { PassThrough } from 'node:stream';
import type { Command } from '../../actions/command.js';
import { CommandFailedError, type CommandResult, type RunOptions, type StreamingChild } from '../process/run-command.js';
import { randomBytes } from 'node:crypto';
import { killJobCommand, remoteInvocation } from './remote-line.js';
import { remoteJobEnded, remoteJobStarted } from '../process/children.js';

const MAX_BUFFER = 256 * 1024 * 1024;

/** How a remote program ended: an exit code, a signal, or no status at all (connection lost). */
export interface RemoteExit {
  code: number | undefined;
  signal: string | undefined;
  /** Why there is no exit status (aborted, timed out, connection lost), when there is none. */
  reason: string | undefined;
}

interface StartedRemote {
  channel: ClientChannel;
  exit: Promise<RemoteExit>;
  stderr: () => string;
}

/**
 * Send a signal to the remote program. ssh2's `channel.signal()` stays silent once our side sent
 * EOF (stdin ended), which is exactly when commands run, so the request is sent directly.
 * OpenSSH ≥ 8.1 delivers it to the session's process group.
 */
export function signalRemote(channel: ClientChannel, name: 'TERM' | 'KILL' | 'INT'): void {
  const c = channel as unknown as {
    outgoing?: { state: string; id: number };
    _client?: { _protocol?: { signal(id: number, signal: string): void } };
  };
  if (c.outgoing && (c.outgoing.state === 'open' || c.outgoing.state === 'eof')) {
    try {
      c._client?._protocol?.signal(c.outgoing.id, name);
    } catch {
      /* connection gone */
    }
  }
}

/** Open an exec channel for a shell line (rejects when the connection cannot open one). */
export function openExecChannel(client: Client, line: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.exec(line, (error, channel) => (error ? reject(error) : resolve(channel)));
  });
}

/** Stop a remote command: signal over the channel, then kill its tagged processes over a new channel. */
export function cancelRemote(client: Client, channel: ClientChannel, jobId: string): Promise<void> {
  signalRemote(channel, 'TERM');
  return new Promise<void>((resolve) => {
    client.exec(`${remoteInvocation(killJobCommand(jobId)).line}`, (error, killer) => {
      if (error) return resolve(); // connection gone: nothing left to kill from here
      killer.on('close', () => resolve());
      killer.resume();
      killer.stderr.resume();
      killer.end();
    });
  }).finally(() => channel.close());
}

export const newJobId = (): string => randomBytes(9).toString('base64url');

async function startRemote(client: Client, host: string, command: Command, options: RunOptions): Promise<StartedRemote> {
  const jobId = newJobId();
  const invocation = remoteInvocation(command, jobId);
  if (options.signal?.aborted) {
    throw new CommandFailedError(command, undefined, undefined, '', { reason: `was cancelled before it started on ${host}` });
  }
  const channel = await openExecChannel(client, invocation.line).catch((error: unknown) => {
    throw new CommandFailedError(command, undefined, undefined, '', {
      reason: `could not start on ${host}: ${(error as Error).message}`,
      cause: error,
      hint: 'the SSH connection is closing or the server refused a new session (MaxSessions in sshd_config)',
    });
  });
  // Recorded for a resume after hmsdr is killed; forgotten once the exit status is known (a lost
  // connection leaves it recorded: the command may still run on the host).
  remoteJobStarted(host, jobId, command.file);
  let stderr = '';
  channel.stderr.on('data', (b: Buffer) => {
    const text = b.toString('utf8');
    stderr = (stderr + text).slice(-MAX_BUFFER);
    options.onStderr?.(text);
  });
  const exit = new Promise<RemoteExit>((resolve) => {
    let status: RemoteExit | undefined;
    let stopReason: string | undefined;
    const stop = (reason: string): void => {
      if (stopReason) return;
      stopReason = reason;
      // TERM (then KILL) the remote processes; stop waiting for sshd after a few seconds in any case.
      void cancelRemote(client, channel, jobId);
      setTimeout(() => resolve({ code: undefined, signal: status?.signal, reason }), 5000).unref();
    };
    const onAbort = (): void => stop(`was cancelled on ${host}`);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = options.timeoutMs
      ? setTimeout(() => stop(`timed out after ${options.timeoutMs} ms on ${host}`), options.timeoutMs)
      : undefined;
    const exited = (code: number | null, signal?: string): void => {
      status = { code: code ?? undefined, signal: signal ?? undefined, reason: undefined };
      remoteJobEnded(jobId);
    };
    channel.on('exit', exited);
    // ssh2 emits 'exit' as soon as it parses the status: a fast command's status can arrive in the
    // same read as the channel's opening, before this listener exists. 'close' carries it too.
    channel.on('close', (code?: number | null, signal?: string) => {
      if (!status && code !== undefined) exited(code, signal);
      options.signal?.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
      if (stopReason) resolve({ code: undefined, signal: status?.signal, reason: stopReason });
      else
        resolve(status ?? { code: undefined, signal: undefined, reason: `lost the SSH connection to ${host} before the command finished` });
    });
  });
  if (invocation.stdinPrefix) channel.write(invocation.stdinPrefix);
  if (options.input !== undefined) channel.write(options.input);
  if (options.stdin) {
    channel.on('error', () => undefined); // the program stopped reading (it failed): its exit status tells
    options.stdin.pipe(channel);
  } else {
    channel.end();
  }
  return { channel, exit, stderr: () => stderr };
}

function failure(command: Command, host: string, exit: RemoteExit, stderr: string): CommandFailedError | undefined {
  if (exit.code === 0 && !exit.reason) return undefined;
  const reason = exit.reason ?? (exit.signal ? `was killed by ${exit.signal} on ${host}` : `exited with code ${exit.code} on ${host}`);
  return new CommandFailedError(command, exit.code, exit.signal, stderr, { reason });
}

/** Run to the end and collect stdout (bounded) and the stderr tail, whatever the exit. */
async function collect(
  client: Client,
  host: string,
  command: Command,
  options: RunOptions,
): Promise<{ exit: RemoteExit; result: CommandResult }> {
  const started = await startRemote(client, host, command, options);
  const stdout: Buffer[] = [];
  let size = 0;
  started.channel.on('data', (b: Buffer) => {
    if (size < MAX_BUFFER) {
      stdout.push(b);
      size += b.length;
    }
    options.onStdout?.(b.toString('utf8'));
  });
  const exit = await started.exit;
  return { exit, result: { exitCode: exit.code ?? -1, stdout: Buffer.concat(stdout).toString('utf8'), stderr: started.stderr() } };
}

/** Run and return whatever exit code the remote program had; rejects only when there is none. */
export async function runRemoteAnyExit(client: Client, host: string, command: Command, options: RunOptions = {}): Promise<CommandResult> {
  const { exit, result } = await collect(client, host, command, options);
  if (exit.code === undefined) throw failure(command, host, exit, result.stderr) as CommandFailedError;
  return result;
}

/** Run to completion; rejects with CommandFailedError unless the remote exit code is 0. */
export async function runRemote(client: Client, host: string, command: Command, options: RunOptions = {}): Promise<CommandResult> {
  const { exit, result } = await collect(client, host, command, options);
  const error = failure(command, host, exit, result.stderr);
  if (error) throw error;
  return result;
}

/**
 * Start with stdout as a stream. The stream ends only after the remote exit status is known: on
 * exit 0 it ends, otherwise it errors, so a cut-off output never looks complete.
 */
export function streamRemote(client: Client, host: string, command: Command, options: RunOptions = {}): StreamingChild {
  const stdout = new PassThrough();
  const done = (async (): Promise<CommandResult> => {
    let started: StartedRemote;
    try {
      started = await startRemote(client, host, command, options);
    } catch (error) {
      stdout.destroy(error as Error);
      throw error;
    }
    const ended = new Promise<void>((resolve) => {
      started.channel.once('end', resolve);
      started.channel.once('close', resolve);
    });
    started.channel.pipe(stdout, { end: false });
    const exit = await started.exit;
    await ended;
    const stderr = started.stderr();
    const error = failure(command, host, exit, stderr);
    if (error) {
      stdout.destroy(error);
      throw error;
    }
    stdout.end();
    return { exitCode: 0, stdout: '', stderr };
  })();
  done.catch(() => undefined); // observed by the caller; avoid an unhandled rejection before it awaits
  return { stdout, done };
}
