// Where a lab's PostgreSQL servers keep their files. As root, initdb and the servers run as the
// `postgres` OS user, which must traverse every parent of their directories: a lab under a 0700
// home (a clone in /root) keeps them in a per-lab directory under /var/tmp instead, named after the
// lab's path so that `lab down` finds it even when lab.json is gone.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SERVERS_ROOT = '/var/tmp';

/** `/var/tmp/hmsdr-lab-<12 hex of sha256(absolute lab dir)>`: this lab's place outside its directory. */
export function outsideServersDir(dir: string): string {
  return join(SERVERS_ROOT, `hmsdr-lab-${createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 12)}`);
}

/** The directory holding this lab's `pg-source` and `pg-dr`: outside it when it was made there. */
export function labServersDir(dir: string): string {
  const outside = outsideServersDir(dir);
  return existsSync(outside) ? outside : dir;
}

/** Can the `postgres` OS user traverse every parent of `dir` (only asked as root)? */
export function postgresReaches(dir: string): boolean {
  return spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', dir]).status === 0;
}

/** Choose (and create) where a new lab's servers go: the lab dir, or outside it when `postgres` cannot reach it. */
export function prepareLabServersDir(dir: string): string {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || postgresReaches(dir)) return dir;
  const outside = outsideServersDir(dir);
  // A directory left by a lab whose own directory was deleted by hand holds stale server data
  // (another lab's passwords): `lab up` already tore down a lab still running here, so start clean.
  rmSync(outside, { recursive: true, force: true });
  mkdirSync(outside, { recursive: true, mode: 0o755 });
  chmodSync(outside, 0o755);
  return outside;
}

/** Remove the outside directory of a lab, if it has one (after its servers stopped). */
export function removeOutsideServersDir(dir: string): string | undefined {
  const outside = outsideServersDir(dir);
  if (!existsSync(outside)) return undefined;
  rmSync(outside, { recursive: true, force: true });
  return outside;
}
