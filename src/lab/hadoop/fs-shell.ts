// Shared by the stand-in's `hdfs dfs` commands: what a path is, write checks (with injected
// permission faults), and FsShell's error and usage output.
import { readdirSync } from 'node:fs';
import { meter } from './cost.js';
import { FsError, noSuchFile, notADirectory } from './errors.js';
import { takeFault } from './faults.js';
import type { Io } from './io.js';
import { standinRoot, type ResolvedPath } from './resolve.js';
import { syntheticAt } from './synthetic.js';

/** What `ls`/`stat` need to know about a path (snapshot roots get their creation time). */
export interface PathInfo {
  isDir: boolean;
  size: number;
  mtimeMs: number;
  mode: number;
}

export function pathInfo(r: ResolvedPath): PathInfo | undefined {
  if (r.known) return r.known;
  const parts = r.path.split('/');
  const at = parts.indexOf('.snapshot');
  if (at >= 0 && parts.length === at + 2) {
    const root = parts.slice(0, at).join('/') || '/';
    const snapshot = r.cluster.snapshot(root, parts[at + 1]!);
    if (!snapshot) return undefined;
    return { isDir: true, size: 0, mtimeMs: snapshot.createdMs, mode: 0o755 };
  }
  const stats = r.cluster.stat(r.path, r.typed);
  if (!stats) {
    const synthetic = syntheticAt(r.cluster, r.path);
    return synthetic?.tree.info(synthetic.ix, synthetic.generation);
  }
  return { isDir: stats.isDirectory(), size: stats.isDirectory() ? 0 : stats.size, mtimeMs: stats.mtimeMs, mode: stats.mode & 0o777 };
}

/**
 * Children of a directory path in byte order (`.snapshot` hidden): the real entries and, under a
 * synthetic namespace, the synthetic ones (real files win). Costs one directory read (getListing, paged).
 */
export function children(r: ResolvedPath): ResolvedPath[] {
  const located = r.cluster.locate(r.path, r.typed);
  let names: string[] = [];
  if (located.kind === 'snapshotDir') names = r.cluster.snapshots(located.root).map((s) => s.name);
  else {
    try {
      names = readdirSync(located.local);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    }
  }
  const synthetic = syntheticAt(r.cluster, r.path);
  const known = new Map<string, PathInfo>();
  if (synthetic && synthetic.generation >= 0 && synthetic.ix.length < 4) {
    const real = new Set(names);
    for (const child of synthetic.tree.children(synthetic.ix, synthetic.generation)) {
      if (!real.has(child.name)) known.set(child.name, child.info);
    }
    // Synthetic names are zero-padded ASCII: already in byte order when there is nothing real to merge.
    names = names.length === 0 ? [...known.keys()] : [...names, ...known.keys()];
  }
  if (known.size === 0 || known.size !== names.length) names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  meter.listing(names.length);
  const sep = r.typed.endsWith('/') ? '' : '/';
  return names.map((name) => {
    const child: ResolvedPath = {
      cluster: r.cluster,
      path: r.path === '/' ? `/${name}` : `${r.path}/${name}`,
      typed: `${r.typed}${sep}${name}`,
      qualified: `${r.qualified}${sep}${name}`,
    };
    const info = known.get(name);
    if (info) child.known = info;
    return child;
  });
}

export function checkWrite(r: ResolvedPath): string {
  const local = r.cluster.writable(r.path);
  const fault = takeFault(standinRoot(), 'permissionDenied', (f) => r.path === f.pathPrefix || r.path.startsWith(f.pathPrefix + '/'));
  if (fault) {
    throw new FsError(
      `Permission denied: user=${process.env.HADOOP_USER_NAME ?? 'hdfs'}, access=WRITE, inode="${r.path}":hdfs:supergroup:drwxr-xr-x`,
      'org.apache.hadoop.security.AccessControlException',
    );
  }
  return local;
}

export function report(cmd: string, error: unknown, io: Io): number {
  if (error instanceof FsError) {
    io.err(`${cmd}: ${error.message}\n`);
    return 1;
  }
  throw error;
}

export function requireDir(r: ResolvedPath): string {
  const info = pathInfo(r);
  if (!info) throw noSuchFile(r.typed);
  if (!info.isDir) throw notADirectory(r.typed);
  return r.path;
}

const USAGES: Record<string, string> = {
  '-createSnapshot': '-createSnapshot <snapshotDir> [<snapshotName>]',
  '-deleteSnapshot': '-deleteSnapshot <snapshotDir> <snapshotName>',
  '-renameSnapshot': '-renameSnapshot <snapshotDir> <oldName> <newName>',
  '-test': '-test -[defswrz] <path>',
  '-put': '-put [-f] [-p] [-l] [-d] [-t <thread count>] [-q <thread pool queue size>] <localsrc> ... <dst>',
  '-mv': '-mv <src> ... <dst>',
  '-appendToFile': '-appendToFile <localsrc> ... <dst>',
};

export function usage(cmd: string, io: Io): number {
  io.err(`Usage: hadoop fs [generic options]\n\t[${USAGES[cmd] ?? cmd}]\n`);
  return 255;
}

export function shellUsageError(cmd: string, message: string, io: Io): number {
  io.err(`${cmd}: ${message}\n`);
  io.err(`Usage: hadoop fs [generic options] ${USAGES[cmd] ?? cmd}\n`);
  return 255;
}

/** Generic options (`-D k=v`, `-Dk=v`) before the command. */
export function takeGenericOptions(args: string[]): { conf: Map<string, string>; rest: string[] } {
  const conf = new Map<string, string>();
  let i = 0;
  while (i < args.length) {
    const arg = args[i]!;
    let kv: string | undefined;
    if (arg === '-D') {
      kv = args[i + 1];
      i += 2;
    } else if (arg.startsWith('-D') && arg.length > 2) {
      kv = arg.slice(2);
      i += 1;
    } else break;
    const eq = kv?.indexOf('=') ?? -1;
    if (kv && eq > 0) conf.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  // fs.defaultFS / -fs point path-less commands (lsSnapshottableDir) at a cluster.
  if (args[i] === '-fs' && args[i + 1] !== undefined) {
    conf.set('fs.defaultFS', args[i + 1]!);
    i += 2;
  }
  const fs = conf.get('fs.defaultFS');
  if (fs) process.env.HMSDR_HADOOP_DEFAULT_FS = fs;
  return { conf, rest: args.slice(i) };
}
