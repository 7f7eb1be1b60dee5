// Shared by the stand-in's `hdfs dfs` commands: what a path is, write checks (with injected
// permission faults), and FsShell's error and usage output.
import { readdirSync } from 'node:fs';
import { FsError, noSuchFile, notADirectory } from './errors.js';
import { takeFault } from './faults.js';
import type { Io } from './io.js';
import { standinRoot, type ResolvedPath } from './resolve.js';

/** What `ls`/`stat` need to know about a path (snapshot roots get their creation time). */
export interface PathInfo {
  isDir: boolean;
  size: number;
  mtimeMs: number;
  mode: number;
}

export function pathInfo(r: ResolvedPath): PathInfo | undefined {
  const parts = r.path.split('/');
  const at = parts.indexOf('.snapshot');
  if (at >= 0 && parts.length === at + 2) {
    const root = parts.slice(0, at).join('/') || '/';
    const snapshot = r.cluster.snapshot(root, parts[at + 1]!);
    if (!snapshot) return undefined;
    return { isDir: true, size: 0, mtimeMs: snapshot.createdMs, mode: 0o755 };
  }
  const stats = r.cluster.stat(r.path, r.typed);
  if (!stats) return undefined;
  return { isDir: stats.isDirectory(), size: stats.isDirectory() ? 0 : stats.size, mtimeMs: stats.mtimeMs, mode: stats.mode & 0o777 };
}

/** Children of a directory path as [name, resolved] pairs in byte order (`.snapshot` hidden). */
export function children(r: ResolvedPath): ResolvedPath[] {
  const located = r.cluster.locate(r.path, r.typed);
  const names = located.kind === 'snapshotDir' ? r.cluster.snapshots(located.root).map((s) => s.name) : readdirSync(located.local);
  const sep = r.typed.endsWith('/') ? '' : '/';
  return names
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map((name) => ({
      ...r,
      path: r.path === '/' ? `/${name}` : `${r.path}/${name}`,
      typed: `${r.typed}${sep}${name}`,
      qualified: `${r.qualified}${sep}${name}`,
    }));
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
