// Streaming upload over an exec channel (`tee <file>.part | openssl dgst -sha256` or `sha256sum`, private: umask 077, mode 0600): sha256 computed
// on both ends while streaming and compared, the size on disk checked, and only then renamed to the final name.
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { AdapterError, InterruptedError } from '../../errors/errors.js';
import type { Command } from '../../actions/command.js';
import { tail } from '../process/run-command.js';
import { openExecChannel, runRemoteAnyExit, signalRemote } from './exec.js';
import { remoteInvocation } from './remote-line.js';

export interface UploadOptions {
  signal?: AbortSignal;
  /** Called with the total bytes written so far (for progress and MB/s). */
  onProgress?: (bytes: number) => void;
}

export interface UploadResult {
  /** The final path (the `.part` file was renamed to it). */
  readonly remotePath: string;
  readonly bytes: number;
  /** Hex sha256 of the bytes streamed, computed locally. */
  readonly sha256: string;
  /** Hex sha256 the remote host computed of the bytes it wrote, and the file's size there (equal, or the upload failed). */
  readonly remoteSha256: string;
  readonly remoteBytes: number;
}

export interface Upload {
  /** Write the content here and end it (or use it as the last stage of `pipeline`). */
  readonly stream: Writable;
  /** Resolves after the remote check and the rename; rejects, after removing the `.part` when possible, otherwise. */
  readonly done: Promise<UploadResult>;
}

/**
 * sh: the sha256 of stdin, printed as `<hex>` and a space first: by OpenSSL where the host has a
 * working `openssl dgst -r` (checked on empty input first, so the stream is never half read by a
 * failed one), else by coreutils' `sha256sum`, which does not use the CPU's SHA instructions: on a
 * 2-core test machine 2.2 s of CPU for a 511 MB dump against 0.3-0.4 s for OpenSSL 3.0
 * (docs/ssh.md).
 */
export const REMOTE_SHA256 =
  '{ if openssl dgst -sha256 -r < /dev/null > /dev/null 2>&1; then openssl dgst -sha256 -r; else sha256sum; fi; }';

/** The remote commands, as data (shown by plans; quoted by the one quoting function). */
export function uploadCommands(
  remotePath: string,
  bytes: number | string = '<bytes>',
): { write: Command; verify: Command; cleanup: Command } {
  const part = `${remotePath}.part`;
  return {
    // A metastore dump is private whatever the login's umask: created 0600. The receiver hashes the
    // bytes as it writes them (tee | REMOTE_SHA256) and prints the sha256: re-reading the file after the
    // stream cost 1.1 s at 455 MB and read it back from the page cache, not from the disk, so it proved
    // no more. tee stops at the first write error where it can (coreutils 8.24+: a full disk fails at
    // once, not at the end of the stream); its status leaves the pipe on fd 3 (POSIX sh has no pipefail).
    write: {
      file: 'sh',
      args: [
        '-c',
        'umask 077 && x=--output-error=exit && { tee $x /dev/null < /dev/null 2> /dev/null || x=; } && ' +
          `exec 4>&1 && rc=$( { { tee $x -- "$1"; echo $? >&3; } | ${REMOTE_SHA256} >&4; } 3>&1 ) && exit "$rc"`,
        'hmsdr-upload',
        part,
      ],
    },
    // Once the received sha256 equals the streamed one: the size on disk, then the final name.
    verify: {
      file: 'sh',
      args: [
        '-c',
        'n=$(wc -c < "$1") && if [ "$n" != "$2" ]; then echo "$1 holds $n bytes, $2 were sent" >&2; exit 3; fi && mv -f -- "$1" "$3" && echo $n',
        'hmsdr-verify',
        part,
        String(bytes),
        remotePath,
      ],
    },
    cleanup: { file: 'rm', args: ['-f', '--', part] },
  };
}

/** The sha256 the receiver printed (`<hex>  -` from sha256sum, `<hex> *stdin` from OpenSSL), or undefined. */
export function receivedSha256(stdout: string): string | undefined {
  return /^([0-9a-f]{64})\s/.exec(stdout.trim() + ' ')?.[1];
}

function writeFailure(host: string, part: string, stderr: string, how: string): AdapterError {
  const stderrTail = tail(stderr, 5);
  const dir = part.replace(/\/[^/]*$/, '') || '/';
  if (/No space left on device|Disk quota exceeded/i.test(stderr)) {
    return new AdapterError('E_SSH_UPLOAD_NO_SPACE', `upload to ${host}:${part} failed: no space left on the device`, {
      stderrTail,
      hint: `free space in ${dir} on ${host} (df -h ${dir}) or point dr.stagingDir at a larger file system`,
    });
  }
  if (/Permission denied|Read-only file system|Operation not permitted/i.test(stderr)) {
    return new AdapterError('E_SSH_UPLOAD_DENIED', `upload to ${host}:${part} failed: the directory refuses writes`, {
      stderrTail,
      hint: `let the SSH user write into ${dir} on ${host} (ls -ld ${dir}), or choose another dr.stagingDir`,
    });
  }
  if (/No such file or directory|Not a directory|Directory nonexistent/i.test(stderr)) {
    return new AdapterError('E_SSH_UPLOAD_NO_DIR', `upload to ${host}:${part} failed: the directory does not exist`, {
      stderrTail,
      hint: `create ${dir} on ${host} or fix dr.stagingDir`,
    });
  }
  return new AdapterError('E_SSH_UPLOAD', `upload to ${host}:${part} failed: the remote writer ${how}`, { stderrTail });
}

/**
 * Why the remote writer stopped. What it said on stderr decides, also when its exit status did not
 * arrive before the channel closed (seen under load); silence and no status: the link was lost.
 */
function writerStopped(
  host: string,
  part: string,
  status: { code?: number | undefined; signal?: string | undefined },
  stderr: string,
  when: string,
): AdapterError {
  if (status.code === undefined && !status.signal && stderr.trim() === '') {
    return new AdapterError('E_SSH_DISCONNECTED', `upload to ${host}:${part} failed: the SSH connection was lost ${when}`, {
      hint: 'check the network and the DR host; the run can be resumed',
    });
  }
  const how =
    status.code !== undefined
      ? `exited with code ${status.code}`
      : status.signal
        ? `was killed by ${status.signal}`
        : 'lost the SSH connection';
  return writeFailure(host, part, stderr, how);
}

/** Start a streaming upload on `client`; see `Upload`. */
export function startUpload(client: Client, host: string, remotePath: string, options: UploadOptions = {}): Upload {
  const commands = uploadCommands(remotePath);
  const part = `${remotePath}.part`;
  const hash = createHash('sha256');
  let bytes = 0;
  let channel: ClientChannel | undefined;
  let stderr = '';
  let stdout = '';
  let remoteEnded: Promise<{ code: number | undefined; signal: string | undefined }> = Promise.resolve({
    code: undefined,
    signal: undefined,
  });
  let finishing = false;
  let resolveDone!: (r: UploadResult) => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<UploadResult>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  done.catch(() => undefined); // observed by the caller; avoid an unhandled rejection before it awaits

  const cleanupThenReject = async (error: unknown): Promise<void> => {
    if (channel) {
      signalRemote(channel, 'TERM');
      channel.close();
      await remoteEnded;
    }
    // Best effort: with the connection gone the `.part` stays; its name never looks complete.
    try {
      await runRemoteAnyExit(client, host, commands.cleanup, { timeoutMs: 10_000 });
    } catch {
      /* connection lost */
    }
    rejectDone(error);
  };

  const stream = new Writable({
    highWaterMark: 1024 * 1024,
    construct(callback) {
      openExecChannel(client, remoteInvocation(commands.write).line).then(
        (opened) => {
          channel = opened;
          opened.stderr.on('data', (b: Buffer) => {
            stderr = (stderr + b.toString('utf8')).slice(-64 * 1024);
          });
          opened.on('data', (b: Buffer) => {
            stdout = (stdout + b.toString('utf8')).slice(-4096);
          });
          remoteEnded = new Promise((resolve) => {
            let status = { code: undefined as number | undefined, signal: undefined as string | undefined };
            opened.on('exit', (code: number | null, signal?: string) => {
              status = { code: code ?? undefined, signal: signal ?? undefined };
            });
            opened.on('close', () => {
              resolve(status);
              // The writer stopped before we finished writing: full disk, permissions, killed, link lost.
              if (!finishing && !stream.destroyed) {
                stream.destroy(writerStopped(host, part, status, stderr, `after ${bytes} bytes`));
              }
            });
          });
          callback();
        },
        (error: Error) =>
          callback(new AdapterError('E_SSH_UPLOAD', `cannot start the upload to ${host}:${part}: ${error.message}`, { cause: error })),
      );
    },
    write(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      options.onProgress?.(bytes);
      if (channel?.write(chunk)) callback();
      else channel?.once('drain', () => callback());
    },
    final(callback) {
      finishing = true;
      channel?.end();
      remoteEnded.then((status) => {
        if (status.code === 0) return callback();
        callback(writerStopped(host, part, status, stderr, 'at the end'));
      }, callback);
    },
    destroy(error, callback) {
      if (!stream.writableFinished) {
        const reason = error ?? new InterruptedError(`upload to ${host}:${remotePath} was cancelled before the end`);
        const wrapped =
          reason instanceof AdapterError || reason instanceof InterruptedError
            ? reason
            : new AdapterError('E_SSH_UPLOAD', `upload to ${host}:${remotePath} stopped: ${reason.message}`, { cause: reason });
        void cleanupThenReject(wrapped);
      }
      callback(error);
    },
  });

  const onAbort = (): void => {
    stream.destroy(new InterruptedError(`upload to ${host}:${remotePath} was cancelled`));
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  stream.on('finish', () => {
    options.signal?.removeEventListener('abort', onAbort);
    const sha256 = hash.digest('hex');
    const remoteSha256 = receivedSha256(stdout);
    if (remoteSha256 !== sha256) {
      void cleanupThenReject(
        new AdapterError(
          'E_SSH_UPLOAD_CHECKSUM',
          `upload to ${host}:${part}: the sha256 computed on ${host} while receiving (${remoteSha256 ?? 'none printed'}) differs from the streamed one (${sha256})`,
          { stderrTail: tail(stderr, 5), hint: 'the bytes were altered on the way; retry the upload' },
        ),
      );
      return;
    }
    runRemoteAnyExit(client, host, uploadCommands(remotePath, bytes).verify, { signal: options.signal }).then(
      async (result) => {
        if (result.exitCode !== 0) {
          const error =
            result.exitCode === 3
              ? new AdapterError(
                  'E_SSH_UPLOAD_SIZE',
                  `upload to ${host}:${part}: the file on disk is not the size that was sent (${bytes} bytes)`,
                  {
                    stderrTail: tail(result.stderr, 5),
                    hint: 'something else wrote to or truncated the staging file; retry the upload',
                  },
                )
              : writeFailure(host, part, result.stderr, `check exited with code ${result.exitCode}`);
          await cleanupThenReject(error);
          return;
        }
        resolveDone({ remotePath, bytes, sha256, remoteSha256, remoteBytes: Number(result.stdout.trim()) });
      },
      (error: unknown) => {
        void cleanupThenReject(error);
      },
    );
  });
  return { stream, done };
}
