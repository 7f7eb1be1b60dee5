// The read-only `hdfs dfs` commands of the stand-in: -ls, -count, -checksum, -test, -cat, -stat.
import { existsSync, readFileSync } from 'node:fs';
import { compositeCrc32c, DEFAULT_BLOCK_SIZE, md5Md5Crc32c } from './checksum.js';
import { buildManifest } from './cluster.js';
import { meter } from './cost.js';
import { isADirectory, noSuchFile } from './errors.js';
import { children, pathInfo, report, usage, type PathInfo } from './fs-shell.js';
import { expandGlob } from './glob.js';
import { humanBytes, minuteStamp, permissionString, printLines, type Io } from './io.js';
import { resolvePath, type ResolvedPath } from './resolve.js';
import { syntheticAt } from './synthetic.js';

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

export function ls(args: string[], io: Io): number | Promise<number> {
  return printLines(lsLines(args, io), io);
}

/** The lines of `-ls`, in order, as they are computed (directories are read as the listing reaches them). */
function* lsLines(args: string[], io: Io): Generator<string, number> {
  const recursive = args.includes('-R');
  const human = args.includes('-h');
  const paths = args.filter((a) => !a.startsWith('-') || a === '-');
  let code = 0;
  const w: Widths = { repl: 3, owner: 0, group: 0, len: 10 };
  function* batch(items: ResolvedPath[], recurse: boolean): Generator<string, void> {
    const infos = items.map((r) => ({ r, info: pathInfo(r)! }));
    adjust(w, infos, human);
    for (const { r, info } of infos) {
      yield lsLine(r, info, w, human);
      if (recurse && info.isDir) yield* batch(children(r), true);
    }
  }
  for (const typed of paths.length > 0 ? paths : ['.']) {
    try {
      const r = resolvePath(typed);
      meter.rpc();
      const info = pathInfo(r);
      if (!info) throw noSuchFile(typed);
      if (!info.isDir) yield* batch([r], false);
      else {
        const kids = children(r);
        if (!recursive) yield `Found ${kids.length} items\n`;
        yield* batch(kids, recursive);
      }
    } catch (error) {
      code = report('ls', error, io);
    }
  }
  return code;
}

export function count(args: string[], io: Io): number {
  const quota = args.includes('-q');
  const human = args.includes('-h');
  const header = args.includes('-v');
  const excludeSnapshots = args.includes('-x');
  const paths = args.filter((a) => !a.startsWith('-'));
  const num = (n: number): string => (human ? humanBytes(n) : String(n));
  const quotaPart = quota ? `${'none'.padStart(12)} ${'inf'.padStart(15)} ${'none'.padStart(15)} ${'inf'.padStart(15)} ` : '';
  if (header) {
    const q = quota
      ? `${'QUOTA'.padStart(12)} ${'REM_QUOTA'.padStart(15)} ${'SPACE_QUOTA'.padStart(15)} ${'REM_SPACE_QUOTA'.padStart(15)} `
      : '';
    io.out(`${q}${'DIR_COUNT'.padStart(12)} ${'FILE_COUNT'.padStart(12)} ${'CONTENT_SIZE'.padStart(18)} PATHNAME\n`);
  }
  let code = 0;
  for (const typed of paths) {
    try {
      const r = resolvePath(typed);
      meter.rpc();
      if (!pathInfo(r)) throw noSuchFile(typed);
      const { dirs, files, bytes } = contentSummary(r, excludeSnapshots || quota);
      meter.walk(dirs + files);
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
    const synthetic = syntheticAt(r.cluster, r.path);
    if (!synthetic || existsSync(located.local)) {
      const real = [...buildManifest(located.local)];
      // Real entries (an overlay) that stand where synthetic ones are count once, with the synthetic tree's totals.
      collect(real.filter(([rel]) => !(synthetic && syntheticAt(r.cluster, rel === '' ? r.path : `${r.path}/${rel}`))).map(([, e]) => e));
    }
    if (located.kind === 'live' && !excludeSnapshots) {
      for (const dir of r.cluster.snapshottableDirs()) {
        const inside = dir === r.path || dir.startsWith(r.path === '/' ? '/' : r.path + '/');
        if (!inside) continue;
        for (const s of r.cluster.snapshots(dir)) collect(r.cluster.manifest(dir, s).values());
      }
    }
  }
  const synthetic = located.kind === 'snapshotDir' ? undefined : syntheticAt(r.cluster, r.path);
  let { dirs, files, bytes } = synthetic ? synthetic.tree.summary(synthetic.ix, synthetic.generation) : { dirs: 0, files: 0, bytes: 0 };
  for (const e of seen.values()) {
    if (e.dir) dirs++;
    else {
      files++;
      bytes += e.size;
    }
  }
  return { dirs, files, bytes };
}

/** One file's `-checksum` line (a glob's matches are printed as Hadoop prints them, in the form typed). */
function checksumLine(r: ResolvedPath, composite: boolean, blockSize: number, verbose: boolean): string {
  const typed = r.typed;
  // getFileInfo, getBlockLocations, the DataNodes' block checksums.
  meter.rpc(3);
  const info = pathInfo(r);
  if (!info) throw noSuchFile(typed);
  if (info.isDir) throw isADirectory(typed);
  const located = r.cluster.locate(r.path, typed);
  if (located.kind === 'snapshotDir') throw isADirectory(typed);
  const synthetic = existsSync(located.local) ? undefined : syntheticAt(r.cluster, r.path);
  const sum = synthetic
    ? synthetic.tree.checksum(synthetic.ix, synthetic.generation, composite)
    : composite
      ? compositeCrc32c(readFileSync(located.local))
      : md5Md5Crc32c(readFileSync(located.local), blockSize);
  return `${typed}\t${sum.algorithm}\t${sum.hex}${verbose ? `\tBlockSize=${blockSize}` : ''}\n`;
}

export function checksum(args: string[], conf: Map<string, string>, io: Io): number {
  const verbose = args.includes('-v');
  const composite = conf.get('dfs.checksum.combine.mode') === 'COMPOSITE_CRC';
  const blockSize = Number(conf.get('dfs.blocksize') ?? process.env.HMSDR_HADOOP_BLOCK_SIZE ?? DEFAULT_BLOCK_SIZE);
  let code = 0;
  for (const arg of args.filter((a) => !a.startsWith('-'))) {
    try {
      const matches = expandGlob(arg);
      if (matches.length === 0) throw noSuchFile(arg);
      for (const r of matches) {
        try {
          io.out(checksumLine(r, composite, blockSize, verbose));
        } catch (error) {
          code = report('checksum', error, io);
        }
      }
    } catch (error) {
      code = report('checksum', error, io);
    }
  }
  return code;
}

export function test(args: string[], io: Io): number {
  const flag = args[0];
  const typed = args[1];
  if (!flag || !typed || args.length !== 2) return usage('-test', io);
  const r = resolvePath(typed);
  meter.rpc();
  const info = pathInfo(r);
  switch (flag) {
    case '-e':
      return info ? 0 : 1;
    case '-d':
      return info?.isDir ? 0 : 1;
    case '-f':
      return info && !info.isDir ? 0 : 1;
    case '-s':
      return info && info.size > 0 ? 0 : 1;
    case '-z':
      return info && info.size === 0 ? 0 : 1;
    default:
      return usage('-test', io);
  }
}

export function cat(args: string[], io: Io): number {
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

export function stat(args: string[], io: Io): number {
  // `-stat [format] <path>...`: a first argument with a % directive is the format.
  const hasFormat = args.length > 1 && args[0]!.includes('%');
  const format = hasFormat ? args[0]! : '%y';
  const paths = hasFormat ? args.slice(1) : args;
  let code = 0;
  for (const typed of paths) {
    try {
      const r = resolvePath(typed);
      meter.rpc();
      const info = pathInfo(r);
      if (!info) throw noSuchFile(typed);
      const utc = new Date(info.mtimeMs).toISOString().replace('T', ' ').slice(0, 19);
      const text = format.replace(/%([YynFbo])/g, (_m, c: string) => {
        switch (c) {
          case 'Y':
            return String(Math.floor(info.mtimeMs));
          case 'y':
            return utc;
          case 'n':
            return r.path.split('/').pop() ?? '';
          case 'F':
            return info.isDir ? 'directory' : 'regular file';
          case 'b':
            return String(info.size);
          default:
            return String(DEFAULT_BLOCK_SIZE);
        }
      });
      io.out(text.replaceAll('\\t', '\t') + '\n');
    } catch (error) {
      code = report('stat', error, io);
    }
  }
  return code;
}
