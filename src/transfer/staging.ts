// The DR staging directory where dumps land: on the DR SSH host when dr.metastore.via is `ssh`
// (psql restores next to the file), else on this machine. Same guarantees either way: bytes go to
// `<file>.part`, hashed on the receiving side as they are written, the size on disk is checked, and
// only then is it renamed.
import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { Writable } from 'node:stream';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AdapterError, InterruptedError } from '../errors/errors.js';
import type { Executor } from '../adapters/executor.js';
import type { SitePort } from '../adapters/site.js';
import type { Upload, UploadOptions, UploadResult } from '../adapters/ssh/index.js';
import { REMOTE_SHA256, uploadCommands } from '../adapters/ssh/index.js';
import { localExecutor } from '../adapters/executor.js';
import { stagedDumpName } from '../names/run-names.js';

export interface StagingArea {
  /** 'local' or the DR SSH host. */
  readonly where: 'local' | { host: string };
  readonly dir: string;
  /** Executor on the machine that holds the directory (psql runs there). */
  readonly executor: Executor;
  upload(path: string, options?: UploadOptions): Upload;
  /** sha256 + size of a staged file, or undefined when it does not exist. */
  stat(path: string, signal?: AbortSignal): Promise<{ sha256: string; bytes: number } | undefined>;
  remove(path: string): Promise<void>;
  /** File names in the directory (not paths), for retention. */
  list(): Promise<string[]>;
}

/** Free bytes on the file system that holds (or will hold) the directory: df of its nearest existing ancestor. */
export async function freeBytes(staging: StagingArea, signal?: AbortSignal): Promise<number> {
  const result = await staging.executor.run(
    { file: 'sh', args: ['-c', 'd="$1"; while [ ! -d "$d" ]; do d=$(dirname -- "$d"); done; df -Pk -- "$d"', 'hmsdr-df', staging.dir] },
    { signal },
  );
  return Number(result.stdout.trim().split('\n').at(-1)?.split(/\s+/)[3] ?? 0) * 1024;
}

export { stagedDumpName };
export const stagedDumpPath = (stagingDir: string, runId: string): string => join(stagingDir, stagedDumpName(runId)).replaceAll('\\', '/');

/** `create: false` for read-only callers (preflight, plan): the directory is then not created. */
export async function openStaging(
  dr: SitePort,
  dir: string,
  signal?: AbortSignal,
  options: { create?: boolean } = {},
): Promise<StagingArea> {
  const create = options.create ?? true;
  if (dr.where('pg') === 'local') return localStaging(dir, create);
  const connection = await dr.ssh(signal);
  const executor = connection.executor();
  // The staging directory is hmsdr's own: create it (private) when it is not there yet.
  if (create) await executor.run({ file: 'mkdir', args: ['-p', '-m', '700', '--', dir] }, { signal });
  return {
    where: executor.where,
    dir,
    executor,
    upload: (path, options) => connection.upload(path, options),
    async stat(path, statSignal) {
      const result = await executor.runAnyExit(
        {
          file: 'sh',
          args: ['-c', `[ -f "$1" ] || exit 4; s=$(${REMOTE_SHA256} < "$1") && echo "\${s%% *} $(wc -c < "$1")"`, 'hmsdr-stat', path],
        },
        { signal: statSignal },
      );
      if (result.exitCode === 4) return undefined;
      if (result.exitCode !== 0) throw new AdapterError('E_STAGING', `cannot read ${connection.host}:${path}: ${result.stderr.trim()}`);
      const [sha256 = '', bytes = '0'] = result.stdout.trim().split(' ');
      return { sha256, bytes: Number(bytes) };
    },
    async remove(path) {
      await executor.run(uploadCommands(path).cleanup);
      await executor.run({ file: 'rm', args: ['-f', '--', path] });
    },
    async list() {
      const result = await executor.runAnyExit({ file: 'ls', args: ['-1', '--', dir] });
      return result.exitCode === 0 ? result.stdout.split('\n').filter(Boolean) : [];
    },
  };
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

export function localStaging(dir: string, create = true): StagingArea {
  if (create) mkdirSync(dir, { recursive: true, mode: 0o700 });
  return {
    where: 'local',
    dir,
    executor: localExecutor,
    upload: (path, options) => localUpload(path, options),
    async stat(path) {
      if (!existsSync(path)) return undefined;
      return { sha256: await sha256OfFile(path), bytes: statSync(path).size };
    },
    async remove(path) {
      rmSync(`${path}.part`, { force: true });
      rmSync(path, { force: true });
    },
    async list() {
      return existsSync(dir) ? readdirSync(dir) : [];
    },
  };
}

/** The local twin of the SSH upload: `.part`, sha256 while writing, size checked, rename. */
function localUpload(path: string, options: UploadOptions = {}): Upload {
  const part = `${path}.part`;
  const dir = dirname(path);
  const mapError = (error: Error): Error => {
    if (error instanceof InterruptedError || error instanceof AdapterError) return error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC')
      return new AdapterError('E_STAGING_NO_SPACE', `writing ${part} failed: no space left`, {
        cause: error,
        hint: `free space in ${dir} (df -h ${dir}) or point dr.stagingDir elsewhere`,
      });
    if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM')
      return new AdapterError('E_STAGING_DENIED', `writing ${part} failed: the directory refuses writes`, {
        cause: error,
        hint: `check ${dir} (ls -ld ${dir}) or choose another dr.stagingDir`,
      });
    return new AdapterError('E_STAGING', `writing ${part} failed: ${error.message}`, { cause: error });
  };
  const hash = createHash('sha256');
  let bytes = 0;
  let file: WriteStream | undefined;
  let resolveDone!: (r: UploadResult) => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<UploadResult>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  done.catch(() => undefined); // observed by the caller
  const stream = new Writable({
    highWaterMark: 1024 * 1024,
    // Not destroyed after 'finish': the .part must survive until it is checked and renamed.
    autoDestroy: false,
    construct(callback) {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const opened = createWriteStream(part, { mode: 0o600 });
        file = opened;
        const failedToOpen = (error: Error): void => callback(mapError(error));
        opened.once('error', failedToOpen);
        opened.once('open', () => {
          opened.off('error', failedToOpen);
          opened.on('error', (error) => stream.destroy(mapError(error)));
          callback();
        });
      } catch (error) {
        callback(mapError(error as Error));
      }
    },
    write(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      options.onProgress?.(bytes);
      if (file?.write(chunk)) callback();
      else file?.once('drain', () => callback());
    },
    final(callback) {
      file?.end(() => callback());
    },
    destroy(error, callback) {
      file?.destroy();
      if (!stream.writableFinished) {
        rmSync(part, { force: true });
        rejectDone(mapError(error ?? new InterruptedError(`writing ${path} stopped before the end`)));
      }
      callback(error);
    },
  });
  const onAbort = (): void => {
    stream.destroy(new InterruptedError(`writing ${path} was cancelled`));
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  stream.on('finish', () => {
    options.signal?.removeEventListener('abort', onAbort);
    // Hashed as written (as the SSH receiver does); the size on disk must be what was written.
    const sha256 = hash.digest('hex');
    try {
      const onDisk = statSync(part).size;
      if (onDisk !== bytes) {
        rmSync(part, { force: true });
        rejectDone(new AdapterError('E_STAGING_SIZE', `${part} holds ${onDisk} bytes, ${bytes} were written`));
        return;
      }
      renameSync(part, path);
      resolveDone({ remotePath: path, bytes, sha256, remoteSha256: sha256, remoteBytes: onDisk });
    } catch (error) {
      rejectDone(mapError(error as Error));
    }
  });
  return { stream, done };
}
