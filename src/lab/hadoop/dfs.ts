// `hdfs dfs` of the stand-in: the FsShell commands hmsdr and its tests use, with FsShell's output
// formats and exit codes (per-path failure → 1, usage → 255).
import { cat, checksum, count, ls, stat, test } from './dfs-read.js';
import { appendToFile, chmod, createSnapshot, deleteSnapshot, mkdir, mv, put, renameSnapshot, rm, touchz } from './dfs-write.js';
import { meter } from './cost.js';
import { takeGenericOptions } from './fs-shell.js';
import type { Io } from './io.js';

export { contentSummary } from './dfs-read.js';
export { pathInfo, takeGenericOptions, type PathInfo } from './fs-shell.js';

/** `hdfs dfs <args>` → exit code (a promise of it when `-ls` prints at the reader's pace). */
export function dfs(argv: string[], io: Io): number | Promise<number> {
  const { conf, rest } = takeGenericOptions(argv);
  const [cmd, ...args] = rest;
  // -ls, -count, -checksum, -test and -stat count their own RPCs; the others one per path.
  if (!['-ls', '-count', '-checksum', '-test', '-stat'].includes(cmd ?? ''))
    meter.rpc(Math.max(1, args.filter((a) => !a.startsWith('-')).length));
  switch (cmd) {
    case '-ls':
      return ls(args, io);
    case '-count':
      return count(args, io);
    case '-checksum':
      return checksum(args, conf, io);
    case '-mkdir':
      return mkdir(args, io);
    case '-put':
    case '-copyFromLocal':
      return put(args, io);
    case '-test':
      return test(args, io);
    case '-rm':
      return rm(args, io);
    case '-cat':
      return cat(args, io);
    case '-mv':
      return mv(args, io);
    case '-stat':
      return stat(args, io);
    case '-chmod':
      return chmod(args, io);
    case '-appendToFile':
      return appendToFile(args, io);
    case '-touchz':
      return touchz(args, io);
    case '-createSnapshot':
      return createSnapshot(args, io);
    case '-deleteSnapshot':
      return deleteSnapshot(args, io);
    case '-renameSnapshot':
      return renameSnapshot(args, io);
    case undefined:
      io.err('Usage: hadoop fs [generic options]\n');
      return 255;
    default:
      io.err(`${cmd}: Unknown command\n`);
      io.err('Usage: hadoop fs [generic options]\n');
      return 255;
  }
}
