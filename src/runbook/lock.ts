// One run at a time per DR target: an exclusive lock file in the runs directory, keyed by the DR
// metastore (server + database). A lock left by a dead process on this host is detected as stale.
import { createHash, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LockedError, PreconditionError, type LockHolder } from '../errors/errors.js';

export interface LockTarget {
  host: string;
  port: number;
  database: string;
}

export interface HeldLock {
  readonly path: string;
  release(): void;
}

export function lockPath(runsDir: string, target: LockTarget): string {
  const key = createHash('sha256').update(`${target.host}:${target.port}/${target.database}`).digest('hex').slice(0, 16);
  return join(runsDir, `.lock-${target.database}-${key}`);
}

/** True when `pid` exists on this host. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLockHolder(path: string): LockHolder | undefined {
  try {
    return parseHolder(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Publishes `content` under `path` only if that name is free. The content goes to a private temp
 * file first, then link() gives it the name (EEXIST when taken): exactly one of any number of
 * contenders gets the name, and nobody ever reads a half-written lock.
 */
function createExclusive(path: string, content: string): boolean {
  const temp = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, content, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    // A file system without hard links: O_EXCL decides alone.
    try {
      writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
      return true;
    } catch (fallback) {
      if ((fallback as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fallback;
    }
  } finally {
    rmSync(temp, { force: true });
  }
}

function readRaw(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    return JSON.parse(raw) as LockHolder;
  } catch {
    return undefined;
  }
}

/**
 * Removes the stale lock whose content is `raw`, unless another contender is already doing so
 * (then false). The takeover marker, named after that content, is created by one contender only,
 * so no one can remove a fresh lock a faster contender published after the stale one went.
 */
function removeStale(path: string, raw: string, me: LockHolder): boolean {
  const marker = `${path}.takeover-${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;
  if (!createExclusive(marker, JSON.stringify(me) + '\n')) return false;
  try {
    if (readRaw(path) === raw) rmSync(path, { force: true });
  } finally {
    rmSync(marker, { force: true });
  }
  return true;
}

const FS_REFUSALS: Record<string, string> = {
  EEXIST: 'it exists and is not a directory',
  ENOTDIR: 'a part of the path is a regular file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

/** Runs `write` in `runsDir`; a file system refusal becomes an error the operator can act on (exit 4). */
export function inRunsDir<T>(runsDir: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const why = FS_REFUSALS[code];
    if (why === undefined) throw error;
    throw new PreconditionError(`the runs directory ${runsDir} cannot hold runs: ${why} (${code})`, {
      cause: error,
      hint: `make ${runsDir} a directory this user can write (ls -ld ${runsDir}), or set runsDir in the config to one`,
    });
  }
}

/**
 * Take the lock or throw LockedError naming the holder. A lock whose holder process is gone (same
 * host) is stale and taken over (by one contender only); `onStale` is told so it lands in the run's log.
 */
export function acquireLock(
  runsDir: string,
  target: LockTarget,
  holder: Omit<LockHolder, 'pid' | 'host'>,
  onStale: (stale: LockHolder) => void = () => undefined,
): HeldLock {
  inRunsDir(runsDir, () => mkdirSync(runsDir, { recursive: true, mode: 0o700 }));
  const path = lockPath(runsDir, target);
  const me: LockHolder = { pid: process.pid, host: hostname(), ...holder };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (inRunsDir(runsDir, () => createExclusive(path, JSON.stringify(me) + '\n'))) {
      return {
        path,
        release: () => {
          const current = readLockHolder(path);
          if (current?.pid === me.pid && current.host === me.host && current.runId === me.runId) rmSync(path, { force: true });
        },
      };
    }
    const raw = readRaw(path);
    if (raw === undefined) continue; // released in the meantime
    const current = parseHolder(raw);
    if (current && current.host === me.host && !isAlive(current.pid)) {
      if (!removeStale(path, raw, me)) {
        throw new LockedError(
          `the DR metastore ${target.database} on ${target.host}:${target.port} is being taken over from the dead run ${current.runId} by another run`,
          current,
          {
            hint: `wait for that run to finish; if no hmsdr runs any more, remove ${path} and its ${path}.takeover-* file`,
          },
        );
      }
      onStale(current);
      continue;
    }
    const who = current
      ? `run ${current.runId} (pid ${current.pid} on ${current.host}, ${current.command ?? 'hmsdr'}, since ${current.startedAt})`
      : 'an unreadable lock file';
    throw new LockedError(`the DR metastore ${target.database} on ${target.host}:${target.port} is locked by ${who}`, current, {
      hint:
        current && current.host !== me.host
          ? `wait for that run to finish; if its host is gone, check nothing runs there and remove ${path}`
          : `wait for that run to finish (hmsdr status ${current?.runId ?? ''}); remove ${path} only if that process is really gone`,
    });
  }
  throw new LockedError(`could not take the lock ${path}`, undefined);
}
