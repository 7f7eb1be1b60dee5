// `hdfs dfsadmin -allowSnapshot/-disallowSnapshot`, `hdfs lsSnapshottableDir`, `hdfs snapshotDiff`.
import { meter } from './cost.js';
import { FsError } from './errors.js';
import { minuteStamp, permissionString, type Io } from './io.js';
import { pathInfo } from './dfs.js';
import { clusterFor, defaultFs, resolvePath } from './resolve.js';
import { formatDiffEntry, type DiffEntry } from './snapshot-diff.js';
import { diffStates } from './synthetic-diff.js';
import { takeGenericOptions } from './dfs.js';

export function dfsadmin(argv: string[], io: Io): number {
  const { rest } = takeGenericOptions(argv);
  const [cmd, ...args] = rest;
  if (cmd !== '-allowSnapshot' && cmd !== '-disallowSnapshot') {
    io.err(`${cmd ?? ''}: Unknown command\nUsage: hdfs dfsadmin\n`);
    return 255;
  }
  if (args.length !== 1) {
    io.err(`Usage: hdfs dfsadmin [${cmd} <snapshotDir>]\n`);
    return 255;
  }
  const typed = args[0]!;
  meter.rpc();
  try {
    const r = resolvePath(typed);
    if (cmd === '-allowSnapshot') r.cluster.allowSnapshot(r.path, typed);
    else r.cluster.disallowSnapshot(r.path, typed);
    io.out(`${cmd === '-allowSnapshot' ? 'Allowing' : 'Disallowing'} snapshot on ${typed} succeeded\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof FsError)) throw error;
    io.err(`${cmd.slice(1)}: ${error.message.split('\n')[0]}\n`);
    return 255;
  }
}

export function lsSnapshottableDir(argv: string[], io: Io): number {
  const { rest } = takeGenericOptions(argv);
  if (rest.length > 0) {
    io.err(
      'Usage: \nhdfs lsSnapshottableDir: \n\tGet the list of snapshottable directories that are owned by the current user.\n\tReturn all the snapshottable directories if the current user is a super user.\n',
    );
    return 1;
  }
  meter.rpc();
  const cluster = clusterFor(/^[a-z]+:\/\/([^/]*)/.exec(defaultFs())?.[1] ?? 'localhost:8020');
  const owner = process.env.HADOOP_USER_NAME ?? 'hdfs';
  const rows = cluster
    .snapshottableDirs()
    .map((dir) => {
      const info = pathInfo(resolvePath(`hdfs://${cluster.authority}${dir}`));
      const parent = dir.slice(0, dir.lastIndexOf('/')) || '/';
      return {
        dir,
        parent,
        name: dir.slice(dir.lastIndexOf('/') + 1),
        info,
        count: cluster.snapshots(dir).length,
        quota: cluster.quota(dir),
      };
    })
    .filter((row) => row.info !== undefined)
    .sort(
      (a, b) => Buffer.compare(Buffer.from(a.parent), Buffer.from(b.parent)) || Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)),
    );
  if (rows.length === 0) {
    io.out('\n');
    return 0;
  }
  const width = (f: (r: (typeof rows)[number]) => string): number => Math.max(...rows.map((r) => f(r).length));
  const wOwner = owner.length;
  const wCount = width((r) => String(r.count));
  const wQuota = width((r) => String(r.quota));
  for (const r of rows) {
    io.out(
      `d${permissionString(r.info!.mode)} 0 ${owner.padEnd(wOwner)} supergroup 0 ${minuteStamp(r.info!.mtimeMs)} ${String(r.count).padStart(wCount)} ${String(r.quota).padStart(wQuota)} ${r.dir}\n`,
    );
  }
  return 0;
}

/** `.`/'' → current state; `.snapshot/x` or `/.snapshot/x` → x. */
export function snapshotArg(arg: string): string {
  if (arg === '.' || arg === '') return '';
  return arg.replace(/^\/?\.snapshot\//, '');
}

export function snapshotDiff(argv: string[], io: Io): number {
  const { rest } = takeGenericOptions(argv);
  if (rest.length !== 3) {
    io.err(
      'Usage: \nhdfs snapshotDiff <snapshotDir> <from> <to>:\n\tGet the difference between two snapshots, \n\tor between a snapshot and the current tree of a directory.\n\tFor <from>/<to>, users can use "." to present the current status,\n\tand use ".snapshot/snapshot_name" to present a snapshot,\n\twhere ".snapshot/" can be omitted\n',
    );
    return 1;
  }
  try {
    const { header, lines } = computeSnapshotDiff(rest[0]!, rest[1]!, rest[2]!);
    // getSnapshotDiffReportListing, paged (dfs.snapshotdiff-report.limit entries a call).
    meter.listing(lines.length);
    io.out(`${header}\n${lines.map((l) => l + '\n').join('')}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof FsError)) throw error;
    io.err(`snapshotDiff: ${error.message}\n`);
    return 1;
  }
}

/** The report of `hdfs snapshotDiff dir from to` (throws FsError with Hadoop's message). */
export function computeSnapshotDiff(
  typedDir: string,
  fromArg: string,
  toArg: string,
): { header: string; lines: string[]; entries: DiffEntry[] } {
  const r = resolvePath(typedDir);
  const dir = r.path;
  if (!pathInfo(r)) throw new FsError(`File does not exist: ${dir}`, 'java.io.FileNotFoundException');
  if (!r.cluster.isSnapshottable(dir))
    throw new FsError('Directory is neither snapshottable nor under a snap root!', 'org.apache.hadoop.hdfs.protocol.SnapshotException');
  const from = snapshotArg(fromArg);
  const to = snapshotArg(toArg);
  const state = (name: string) => {
    if (name === '') return undefined;
    const snapshot = r.cluster.snapshot(dir, name);
    if (!snapshot)
      throw new FsError(
        `Cannot find the snapshot of directory ${dir} with name ${name}`,
        'org.apache.hadoop.hdfs.protocol.SnapshotException',
      );
    return snapshot;
  };
  const fromSnap = state(from);
  const toSnap = state(to);
  const label = (name: string): string => (name === '' ? 'current directory' : `snapshot ${name}`);
  const header = `Difference between ${label(from)} and ${label(to)} under directory ${dir}:`;
  const entries = from === to ? [] : diffStates(r.cluster, dir, fromSnap, toSnap);
  return { header, lines: entries.map(formatDiffEntry), entries };
}
