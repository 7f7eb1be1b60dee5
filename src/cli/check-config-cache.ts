// What `hmsdr check` needs from its config (the runs directory, the DR metastore the lock names),
// remembered per config file. A monitoring agent starts check every minute with the same config,
// and validating it (yaml and the config schema in zod) cost more CPU than the check itself
// (docs/performance.md). An entry is used only while the file is the same inode, unchanged since
// (size, modification and change times: any write or replacement changes the change time, which
// no user can set back), for the same build of hmsdr; anything else validates again. Every command
// that validates a config remembers it too (readConfig in options.ts): after an edit, the next
// run, plan or `hmsdr status` spares the monitoring agent's check the work. It holds no
// secret: paths, a host, a port and a database name. Kept in $XDG_CACHE_HOME/hmsdr (else
// ~/.cache/hmsdr), private to the user; a cache that cannot be read or written is simply not used.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ResolvedConfig } from '../config/load.js';

/** What check reads from a config. */
export interface CheckTarget {
  runsDirAbs: string;
  lock: { host: string; port: number; database: string };
}

/** A config file as check found it: its absolute path and the key its cache entry must carry. */
export interface ConfigIdentity {
  abs: string;
  key: string;
}

/** Above this a config is not a config (load.ts refuses it with its own message): never cached. */
const MAX_CACHED_BYTES = 1024 * 1024;

function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const home = env.HOME || homedir();
  const base = env.XDG_CACHE_HOME || (home ? join(home, '.cache') : undefined);
  return base === undefined ? undefined : join(base, 'hmsdr', 'check');
}

/** The entry's file name: a 53-bit hash of the path (cyrb53; a collision only costs a miss: the entry names its file). */
function entryFile(dir: string, abs: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < abs.length; i++) {
    const c = abs.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return join(dir, `${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16)}.json`);
}

/**
 * The file's identity for `build` (which must change whenever the config schema may have), or
 * undefined when it is not a regular file of a config's size. Taken before the file is
 * read: a change after this point gives the next check another key, never a stale hit.
 */
export function identify(path: string, build: string): ConfigIdentity | undefined {
  const abs = resolve(path);
  try {
    const st = statSync(abs, { bigint: true });
    if (!st.isFile() || st.size > MAX_CACHED_BYTES) return undefined;
    return { abs, key: [build, st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs].join(':') };
  } catch {
    return undefined;
  }
}

/** The remembered target of this exact config, if any. */
export function cachedTarget(id: ConfigIdentity, env: NodeJS.ProcessEnv = process.env): CheckTarget | undefined {
  const dir = cacheDir(env);
  if (dir === undefined) return undefined;
  try {
    const entry = JSON.parse(readFileSync(entryFile(dir, id.abs), 'utf8')) as { key?: unknown; config?: unknown; target?: CheckTarget };
    const t = entry.target;
    if (entry.key !== id.key || entry.config !== id.abs || typeof t?.runsDirAbs !== 'string' || typeof t.lock?.host !== 'string')
      return undefined;
    if (typeof t.lock.port !== 'number' || typeof t.lock.database !== 'string') return undefined;
    return { runsDirAbs: t.runsDirAbs, lock: { host: t.lock.host, port: t.lock.port, database: t.lock.database } };
  } catch {
    return undefined;
  }
}

/** Remember the target of a config that validated (best effort: a read-only home just means no cache). */
export function rememberTarget(id: ConfigIdentity, target: CheckTarget, env: NodeJS.ProcessEnv = process.env): void {
  const dir = cacheDir(env);
  if (dir === undefined) return;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = entryFile(dir, id.abs);
    writeFileSync(`${file}.${process.pid}.tmp`, `${JSON.stringify({ key: id.key, config: id.abs, target })}\n`, { mode: 0o600 });
    renameSync(`${file}.${process.pid}.tmp`, file);
  } catch {
    // not cached: the next check validates again
  }
}

/** What check reads from a validated config. */
export function checkTargetOf(config: ResolvedConfig): CheckTarget {
  const { host, port, database } = config.dr.metastore;
  return { runsDirAbs: config.runsDirAbs, lock: { host, port, database } };
}

/**
 * What a cache entry is valid for: this hmsdr's package.json and config modules as installed
 * (a new version or a rebuild changes them). Undefined where they are not beside this module
 * (the sources under test): no cache.
 */
export function checkCacheBuild(): string | undefined {
  try {
    return ['../../../package.json', '../config/load.js', '../config/schema.js']
      .map((rel) => {
        const stat = statSync(new URL(rel, import.meta.url));
        return `${stat.size}:${stat.mtimeMs}`;
      })
      .join('/');
  } catch {
    return undefined;
  }
}

/** This config file's identity for this build, or undefined (no build beside the module, not a config-sized regular file). */
export function checkCacheIdentity(path: string): ConfigIdentity | undefined {
  const build = checkCacheBuild();
  return build === undefined ? undefined : identify(path, build);
}

/** `load(path)`, and what check needs from it remembered under `id` (taken before the file is read). */
export function loadRemembering(
  path: string,
  load: (path: string) => ResolvedConfig,
  id: ConfigIdentity | undefined = checkCacheIdentity(path),
): ResolvedConfig {
  const config = load(path);
  if (id) {
    const target = checkTargetOf(config);
    // A command run every minute (a `status` from monitoring) rewrites nothing while the entry holds.
    if (!sameTarget(cachedTarget(id), target)) rememberTarget(id, target);
  }
  return config;
}

function sameTarget(a: CheckTarget | undefined, b: CheckTarget): boolean {
  return (
    a !== undefined &&
    a.runsDirAbs === b.runsDirAbs &&
    a.lock.host === b.lock.host &&
    a.lock.port === b.lock.port &&
    a.lock.database === b.lock.database
  );
}
