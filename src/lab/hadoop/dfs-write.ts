// The `hdfs dfs` commands of the stand-in that change the tree: -mkdir, -put (files or `-` for stdin), -rm, -mv, -chmod,
// -appendToFile, -touchz and the snapshot commands.
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { FsError, noSuchFile } from './errors.js';
import { checkWrite, pathInfo, report, requireDir, shellUsageError, usage } from './fs-shell.js';
import type { Io } from './io.js';
import { resolvePath } from './resolve.js';

export function mkdir(args: string[], io: Io): number {
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

export function put(args: string[], io: Io): number {
  const force = args.includes('-f');
  const words = args.filter((a) => !a.startsWith('-') || a === '-');
  const target = words.pop();
  if (target === undefined || words.length === 0) return usage('-put', io);
  try {
    const r = resolvePath(target);
    const info = pathInfo(r);
    for (const local of words) {
      if (local === '-') {
        // `-put - <dst>`: FsShell copies its stdin into the file <dst>.
        if (info?.isDir) throw new FsError(`\`${r.typed}': Is a directory`);
        if (info && !force) throw new FsError(`\`${r.typed}': File exists`);
        const out = checkWrite(r);
        if (!existsSync(dirname(out))) throw new FsError(`\`${r.typed}': No such file or directory`);
        writeFileSync(`${out}._COPYING_`, readFileSync(0));
        renameSync(`${out}._COPYING_`, out);
        continue;
      }
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

export function rm(args: string[], io: Io): number {
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
      if (blocker)
        throw new FsError(`The directory ${r.path} cannot be deleted since ${blocker} is snapshottable and already has snapshots`);
      rmSync(checkWrite(r), { recursive: true, force: true });
      r.cluster.dropMissing();
      io.out(`Deleted ${typed}\n`);
    } catch (error) {
      code = report('rm', error, io);
    }
  }
  return code;
}

export function mv(args: string[], io: Io): number {
  if (args.length !== 2) return usage('-mv', io);
  try {
    const from = resolvePath(args[0]!);
    const to = resolvePath(args[1]!);
    if (!pathInfo(from)) throw noSuchFile(args[0]!);
    const blocker = from.cluster.snapshottedAtOrBelow(from.path);
    if (blocker)
      throw new FsError(`The directory ${from.path} cannot be renamed since ${blocker} is snapshottable and already has snapshots`);
    const toInfo = pathInfo(to);
    const dest = toInfo?.isDir ? join(checkWrite(to), from.path.split('/').pop()!) : checkWrite(to);
    renameSync(checkWrite(from), dest);
    return 0;
  } catch (error) {
    return report('mv', error, io);
  }
}

export function chmod(args: string[], io: Io): number {
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

export function appendToFile(args: string[], io: Io): number {
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

export function touchz(args: string[], io: Io): number {
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

export function createSnapshot(args: string[], io: Io): number {
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

function defaultSnapshotName(now = new Date()): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `s${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}.${p(now.getMilliseconds(), 3)}`;
}

export function deleteSnapshot(args: string[], io: Io): number {
  if (args.length !== 2) return shellUsageError('-deleteSnapshot', 'Incorrect number of arguments.', io);
  try {
    const r = resolvePath(args[0]!);
    r.cluster.deleteSnapshot(requireDir(r), args[1]!);
    return 0;
  } catch (error) {
    return report('deleteSnapshot', error, io);
  }
}

export function renameSnapshot(args: string[], io: Io): number {
  if (args.length !== 3) return shellUsageError('-renameSnapshot', 'Incorrect number of arguments.', io);
  try {
    const r = resolvePath(args[0]!);
    r.cluster.renameSnapshot(requireDir(r), args[1]!, args[2]!);
    return 0;
  } catch (error) {
    return report('renameSnapshot', error, io);
  }
}
