// `hdfs dfs` of the stand-in: the FsShell commands hmsdr and its tests use, with FsShell's output
// formats and exit codes (per-path failure → 1, usage → 255).
import { appendFileSync, chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildManifest, type Cluster } from './cluster.js';
import { compositeCrc32c, DEFAULT_BLOCK_SIZE, md5Md5Crc32c } from './checksum.js';
import { FsError, isADirectory, noSuchFile, notADirectory } from './errors.js';
import { takeFault } from './faults.js';
import { humanBytes, minuteStamp, permissionString, type Io } from './io.js';
import { resolvePath, standinRoot, type ResolvedPath } from './resolve.js';

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
function children(r: ResolvedPath): ResolvedPath[] {
  const located = r.cluster.locate(r.path, r.typed);
  const names =
    located.kind === 'snapshotDir'
      ? r.cluster.snapshots(located.root).map((s) => s.name)
      : readdirSync(located.local);
  const sep = r.typed.endsWith('/') ? '' : '/';
  return names
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map((name) => ({ ...r, path: r.path === '/' ? `/${name}` : `${r.path}/${name}`, typed: `${r.typed}${sep}${name}`, qualified: `${r.qualified}${sep}${name}` }));
}

function checkWrite(r: ResolvedPath): string {
  const local = r.cluster.writable(r.path);
  const fault = takeFault(standinRoot(), 'permissionDenied', (f) => r.path === f.pathPrefix || r.path.startsWith(f.pathPrefix + '/'));
  if (fault) {
    throw new FsError(`Permission denied: user=${process.env.HADOOP_USER_NAME ?? 'hdfs'}, access=WRITE, inode="${r.path}":hdfs:supergroup:drwxr-xr-x`, 'org.apache.hadoop.security.AccessControlException');
  }
  return local;
}

interface Widths {
  repl: number;
  owner: number;
  group: number;
  len: number;
}

const OWNER = (): string => process.env.HADOOP_USER_NAME ?? 'hdfs';
const GROUP = 'supergroup';

function lsLine(r: ResolvedPath, info: PathInfo, w: Widths, human: boolean): string {
  const repl = info.isDir ? '-' : '3';
  const len = human ? humanBytes(info.size) : String(info.size);
  return `${info.isDir ? 'd' : '-'}${permissionString(info.mode)} ${repl.padStart(w.repl)} ${OWNER().padEnd(w.owner)} ${GROUP.padEnd(w.group)} ${len.padStart(w.len)} ${minuteStamp(info.mtimeMs)} ${r.typed}\n`;
}

function adjust(w: Widths, items: { info: PathInfo }[], human: boolean): void {
  for (const { info } of items) {
    w.owner = Math.max(w.owner, OWNER().length);
    w.group = Math.max(w.group, GROUP.length);
    w.len = Math.max(w.len, (human ? humanBytes(info.size) : String(info.size)).length);
  }
}

function ls(args: string[], io: Io): number {
  const recursive = args.includes('-R');
  const human = args.includes('-h');
  const paths = args.filter((a) => !a.startsWith('-') || a === '-');
  let code = 0;
  const w: Widths = { repl: 3, owner: 0, group: 0, len: 10 };
  const batch = (items: ResolvedPath[], recurse: boolean): void => {
    const infos = items.map((r) => ({ r, info: pathInfo(r)! }));
    adjust(w, infos, human);
    for (const { r, info } of infos) {
      io.out(lsLine(r, info, w, human));
      if (recurse && info.isDir) batch(children(r), true);
    }
  };
  for (const typed of paths.length > 0 ? paths : ['.']) {
    try {
      const r = resolvePath(typed);
      const info = pathInfo(r);
      if (!info) throw noSuchFile(typed);
      if (!info.isDir) batch([r], false);
      else {
        const kids = children(r);
        if (!recursive) io.out(`Found ${kids.length} items\n`);
        batch(kids, recursive);
      }
    } catch (error) {
      code = report('ls', error, io);
    }
  }
  return code;
}

function report(cmd: string, error: unknown, io: Io): number {
  if (error instanceof FsError) {
    io.err(`${cmd}: ${error.message}\n`);
    return 1;
  }
  throw error;
}

function count(args: string[], io: Io): number {
  const quota = args.includes('-q');
  const human = args.includes('-h');
  const header = args.includes('-v');
  const excludeSnapshots = args.includes('-x');
  const paths = args.filter((a) => !a.startsWith('-'));
  const num = (n: number): string => (human ? humanBytes(n) : String(n));
  const quotaPart = quota ? `${'none'.padStart(12)} ${'inf'.padStart(15)} ${'none'.padStart(15)} ${'inf'.padStart(15)} ` : '';
  if (header) {
    const q = quota ? `${'QUOTA'.padStart(12)} ${'REM_QUOTA'.padStart(15)} ${'SPACE_QUOTA'.padStart(15)} ${'REM_SPACE_QUOTA'.padStart(15)} ` : '';
    io.out(`${q}${'DIR_COUNT'.padStart(12)} ${'FILE_COUNT'.padStart(12)} ${'CONTENT_SIZE'.padStart(18)} PATHNAME\n`);
  }
  let code = 0;
  for (const typed of paths) {
    try {
      const r = resolvePath(typed);
      if (!pathInfo(r)) throw noSuchFile(typed);
      const { dirs, files, bytes } = contentSummary(r, excludeSnapshots || quota);
      io.out(`${quotaPart}${num(dirs).padStart(12)} ${num(files).padStart(12)} ${num(bytes).padStart(18)} ${typed}\n`);
    } catch (error) {
      code = report('count', error, io);
    }
  }
  return code;
}

/** DIR_COUNT / FILE_COUNT / CONTENT_SIZE; without -x data only kept by snapshots counts too. */
export function contentSummary(r: ResolvedPath, excludeSnapshots: boolean): { dirs: number; files: number; bytes: number } {
  const located = r.cluster.locate(r.path, r.typed);
  const seen = new Map<string, { dir: boolean; size: number }>();
  const collect = (entries: Iterable<{ id: string; type: string; size: number }>): void => {
    for (const e of entries) if (!seen.has(e.id)) seen.set(e.id, { dir: e.type === 'dir', size: e.size });
  };
  if (located.kind === 'snapshotDir') {
    for (const s of r.cluster.snapshots(located.root)) collect(r.cluster.manifest(located.root, s).values());
  } else {
    collect(buildManifest(located.local).values());
    if (located.kind === 'live' && !excludeSnapshots) {
      for (const dir of r.cluster.snapshottableDirs()) {
        const inside = dir === r.path || dir.startsWith(r.path === '/' ? '/' : r.path + '/');
        if (!inside) continue;
        for (const s of r.cluster.snapshots(dir)) collect(r.cluster.manifest(dir, s).values());
      }
    }
  }
  let dirs = 0;
  let files = 0;
  let bytes = 0;
  for (const e of seen.values()) {
    if (e.dir) dirs++;
    else {
      files++;
      bytes += e.size;
    }
  }
  return { dirs, files, bytes };
}

function checksum(args: string[], conf: Map<string, string>, io: Io): number {
  const verbose = args.includes('-v');
  const composite = conf.get('dfs.checksum.combine.mode') === 'COMPOSITE_CRC';
  const blockSize = Number(conf.get('dfs.blocksize') ?? process.env.HMSDR_HADOOP_BLOCK_SIZE ?? DEFAULT_BLOCK_SIZE);
  let code = 0;
  for (const typed of args.filter((a) => !a.startsWith('-'))) {
    try {
      const r = resolvePath(typed);
      const info = pathInfo(r);
      if (!info) throw noSuchFile(typed);
      if (info.isDir) throw isADirectory(typed);
      const located = r.cluster.locate(r.path, typed);
      if (located.kind === 'snapshotDir') throw isADirectory(typed);
      const data = readFileSync(located.local);
      const sum = composite ? compositeCrc32c(data) : md5Md5Crc32c(data, blockSize);
      io.out(`${typed}\t${sum.algorithm}\t${sum.hex}${verbose ? `\tBlockSize=${blockSize}` : ''}\n`);
    } catch (error) {
      code = report('checksum', error, io);
    }
  }
  return code;
}

function mkdir(args: string[], io: Io): number {
  const parents = args.includes('-p');
  let code = 0;
  for (const typed of args.filter((a) => !a.startsWith('-'))) {
    try {
      const r = resolvePath(typed);
      const info = pathInfo(r);
      if (info) {
        if (!info.isDir) throw new FsError(`\`${typed}': Is not a directory`);
        if (!parents) throw new FsError(`\`${typed}': File exists`);
        continue;
      }
      const local = checkWrite(r);
      if (!parents && !existsSync(dirname(local))) throw new FsError(`\`${typed}': No such file or directory`);
      mkdirSync(local, { recursive: true });
    } catch (error) {
      code = report('mkdir', error, io);
    }
  }
  return code;
}

function put(args: string[], io: Io): number {
  const force = args.includes('-f');
  const words = args.filter((a) => !a.startsWith('-') || a === '-');
  const target = words.pop();
  if (target === undefined || words.length === 0) return usage('-put', io);
  try {
    const r = resolvePath(target);
    const info = pathInfo(r);
    for (const local of words) {
      if (!existsSync(local)) throw new FsError(`\`${local}': No such file or directory`);
      const name = local.split('/').pop()!;
      const dest = info?.isDir ? { ...r, path: `${r.path}/${name}`, typed: `${r.typed}/${name}` } : r;
      if (pathInfo(dest) && !force) throw new FsError(`\`${dest.typed}': File exists`);
      const out = checkWrite(dest);
      if (!existsSync(dirname(out))) throw new FsError(`\`${dest.typed}': No such file or directory`);
      if (statSync(local).isDirectory()) throw new FsError(`\`${local}': Is a directory`);
      const tmp = `${out}._COPYING_`;
      copyFileSync(local, tmp);
      renameSync(tmp, out);
    }
    return 0;
  } catch (error) {
    return report('put', error, io);
  }
}

function test(args: string[], io: Io): number {
  const flag = args[0];
  const typed = args[1];
  if (!flag || !typed || args.length !== 2) return usage('-test', io);
  const r = resolvePath(typed);
  const info = pathInfo(r);
  switch (flag) {
    case '-e': return info ? 0 : 1;
    case '-d': return info?.isDir ? 0 : 1;
    case '-f': return info && !info.isDir ? 0 : 1;
    case '-s': return info && info.size > 0 ? 0 : 1;
    case '-z': return info && info.size === 0 ? 0 : 1;
    default: return usage('-test', io);
  }
}

function rm(args: string[], io: Io): number {
  const recursive = args.includes('-r') || args.includes('-R');
  const force = args.includes('-f');
  let code = 0;
  for (const typed of args.filter((a) => !a.startsWith('-'))) {
    try {
      const r = resolvePath(typed);
      const info = pathInfo(r);
      if (!info) {
        if (force) continue;
        throw noSuchFile(typed);
      }
      if (info.isDir && !recursive) throw new FsError(`\`${typed}': Is a directory`);
      const blocker = r.cluster.snapshottedAtOrBelow(r.path);
      if (blocker) throw new FsError(`The directory ${r.path} cannot be deleted since ${blocker} is snapshottable and already has snapshots`);
      rmSync(checkWrite(r), { recursive: true, force: true });
      r.cluster.dropMissing();
      io.out(`Deleted ${typed}\n`);
    } catch (error) {
      code = report('rm', error, io);
    }
  }
  return code;
}

function cat(args: string[], io: Io): number {
  let code = 0;
  for (const typed of args) {
    try {
      const r = resolvePath(typed);
      const info = pathInfo(r);
      if (!info) throw noSuchFile(typed);
      if (info.isDir) throw isADirectory(typed);
      const located = r.cluster.locate(r.path, typed);
      if (located.kind !== 'snapshotDir') io.out(readFileSync(located.local, 'latin1'));
    } catch (error) {
      code = report('cat', error, io);
    }
  }
  return code;
}

function mv(args: string[], io: Io): number {
  if (args.length !== 2) return usage('-mv', io);
  try {
    const from = resolvePath(args[0]!);
    const to = resolvePath(args[1]!);
    if (!pathInfo(from)) throw noSuchFile(args[0]!);
    const blocker = from.cluster.snapshottedAtOrBelow(from.path);
    if (blocker) throw new FsError(`The directory ${from.path} cannot be renamed since ${blocker} is snapshottable and already has snapshots`);
    const toInfo = pathInfo(to);
    const dest = toInfo?.isDir ? join(checkWrite(to), from.path.split('/').pop()!) : checkWrite(to);
    renameSync(checkWrite(from), dest);
    return 0;
  } catch (error) {
    return report('mv', error, io);
  }
}

function stat(args: string[], io: Io): number {
  // `-stat [format] <path>...`: a first argument with a % directive is the format.
  const hasFormat = args.length > 1 && args[0]!.includes('%');
  const format = hasFormat ? args[0]! : '%y';
  const paths = hasFormat ? args.slice(1) : args;
  let code = 0;
  for (const typed of paths) {
    try {
      const r = resolvePath(typed);
      const info = pathInfo(r);
      if (!info) throw noSuchFile(typed);
      const utc = new Date(info.mtimeMs).toISOString().replace('T', ' ').slice(0, 19);
      const text = format.replace(/%([YynFbo])/g, (_m, c: string) => {
        switch (c) {
          case 'Y': return String(Math.floor(info.mtimeMs));
          case 'y': return utc;
          case 'n': return r.path.split('/').pop() ?? '';
          case 'F': return info.isDir ? 'directory' : 'regular file';
          case 'b': return String(info.size);
          default: return String(DEFAULT_BLOCK_SIZE);
        }
      });
      io.out(text.replaceAll('\\t', '\t') + '\n');
    } catch (error) {
      code = report('stat', error, io);
    }
  }
  return code;
}

function chmod(args: string[], io: Io): number {
  const [mode, ...paths] = args.filter((a) => !a.startsWith('-R'));
  let code = 0;
  for (const typed of paths) {
    try {
      const r = resolvePath(typed);
      if (!pathInfo(r)) throw noSuchFile(typed);
      chmodSync(checkWrite(r), parseInt(mode ?? '755', 8));
    } catch (error) {
      code = report('chmod', error, io);
    }
  }
  return code;
}

function appendToFile(args: string[], io: Io): number {
  const target = args.pop();
  if (!target) return usage('-appendToFile', io);
  try {
    const r = resolvePath(target);
    const out = checkWrite(r);
    for (const local of args) appendFileSync(out, readFileSync(local));
    return 0;
  } catch (error) {
    return report('appendToFile', error, io);
  }
}

function touchz(args: string[], io: Io): number {
  let code = 0;
  for (const typed of args) {
    try {
      const r = resolvePath(typed);
      const info = pathInfo(r);
      if (info && info.size > 0) throw new FsError(`\`${typed}': Not a zero-length file`);
      writeFileSync(checkWrite(r), '');
    } catch (error) {
      code = report('touchz', error, io);
    }
  }
  return code;
}

function createSnapshot(args: string[], io: Io): number {
  if (args.length === 0) return shellUsageError('-createSnapshot', '<snapshotDir> is missing.', io);
  if (args.length > 2) return shellUsageError('-createSnapshot', 'Too many arguments.', io);
  const typed = args[0]!;
  try {
    const r = resolvePath(typed);
    const dir = requireDir(r);
    const name = args[1] ?? defaultSnapshotName();
    checkWrite(r);
    r.cluster.createSnapshot(dir, name);
    io.out(`Created snapshot ${dir === '/' ? '' : dir}/.snapshot/${name}\n`);
    return 0;
  } catch (error) {
    return report('createSnapshot', error, io);
  }
}

function requireDir(r: ResolvedPath): string {
  const info = pathInfo(r);
  if (!info) throw noSuchFile(r.typed);
  if (!info.isDir) throw notADirectory(r.typed);
  return r.path;
}

function defaultSnapshotName(now = new Date()): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `s${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}.${p(now.getMilliseconds(), 3)}`;
}

function deleteSnapshot(args: string[], io: Io): number {
  if (args.length !== 2) return shellUsageError('-deleteSnapshot', 'Incorrect number of arguments.', io);
  try {
    const r = resolvePath(args[0]!);
    r.cluster.deleteSnapshot(requireDir(r), args[1]!);
    return 0;
  } catch (error) {
    return report('deleteSnapshot', error, io);
  }
}

function renameSnapshot(args: string[], io: Io): number {
  if (args.length !== 3) return shellUsageError('-renameSnapshot', 'Incorrect number of arguments.', io);
  try {
    const r = resolvePath(args[0]!);
    r.cluster.renameSnapshot(requireDir(r), args[1]!, args[2]!);
    return 0;
  } catch (error) {
    return report('renameSnapshot', error, io);
  }
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

function usage(cmd: string, io: Io): number {
  io.err(`Usage: hadoop fs [generic options]\n\t[${USAGES[cmd] ?? cmd}]\n`);
  return 255;
}

function shellUsageError(cmd: string, message: string, io: Io): number {
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

/** `hdfs dfs <args>` → exit code. */
export function dfs(argv: string[], io: Io): number {
  const { conf, rest } = takeGenericOptions(argv);
  const [cmd, ...args] = rest;
  switch (cmd) {
    case '-ls': return ls(args, io);
    case '-count': return count(args, io);
    case '-checksum': return checksum(args, conf, io);
    case '-mkdir': return mkdir(args, io);
    case '-put': case '-copyFromLocal': return put(args, io);
    case '-test': return test(args, io);
    case '-rm': return rm(args, io);
    case '-cat': return cat(args, io);
    case '-mv': return mv(args, io);
    case '-stat': return stat(args, io);
    case '-chmod': return chmod(args, io);
    case '-appendToFile': return appendToFile(args, io);
    case '-touchz': return touchz(args, io);
    case '-createSnapshot': return createSnapshot(args, io);
    case '-deleteSnapshot': return deleteSnapshot(args, io);
    case '-renameSnapshot': return renameSnapshot(args, io);
    case undefined:
      io.err('Usage: hadoop fs [generic options]\n');
      return 255;
    default:
      io.err(`${cmd}: Unknown command\n`);
      io.err('Usage: hadoop fs [generic options]\n');
      return 255;
  }
}

