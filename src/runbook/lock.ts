// One run at a time per DR target: an exclusive lock file in the runs directory, keyed by the DR
// metastore (server + database). A lock left by a dead process on this host is detected as stale.
import { createHash } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LockedError, type LockHolder } from '../errors/errors.js';

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
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

/**
 * Take the lock or throw LockedError naming the holder. A lock whose holder process is gone (same
 * host) is stale and taken over; `onStale` is told so it lands in the run's log.
 */
export function acquireLock(
  runsDir: string,
  target: LockTarget,
  holder: Omit<LockHolder, 'pid' | 'host'>,
  onStale: (stale: LockHolder) => void = () => undefined,
): HeldLock {
  mkdirSync(runsDir, { recursive: true });
  const path = lockPath(runsDir, target);
  const me: LockHolder = { pid: process.pid, host: hostname(), ...holder };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me) + '\n');
      closeSync(fd);
      return {
        path,
        release: () => {
          const current = readLockHolder(path);
          if (current?.pid === me.pid && current.host === me.host) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readLockHolder(path);
      if (current && current.host === me.host && !isAlive(current.pid)) {
        onStale(current);
        rmSync(path, { force: true });
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
  }
  throw new LockedError(`could not take the lock ${path}`, undefined);
}
