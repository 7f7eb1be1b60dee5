// Remembers the small snapshot-state reads of one step: a step's probe and its run ask the same
// questions (is it snapshottable, which snapshots, does the sync record exist), and on a field
// cluster each answer is a Hadoop client process (1–2 s of JVM). Any write through the port
// forgets everything (the write may change the answers); the runner forgets at every step start,
// so nothing read for one step is trusted by the next.
import type { CountRow, SnapshottableDir } from './parse.js';
import type { CallOptions, HdfsPort, SnapshotInfo } from './port.js';

/** Larger batches (L4's per-location counts) are never kept: at a million partitions they would hold memory for nothing. */
const MAX_CACHED_COUNT_PATHS = 100;

export interface ReadCachingPort extends HdfsPort {
  /** Forget every remembered answer. */
  forget(): void;
}

export function withReadCache(port: HdfsPort): ReadCachingPort {
  const answers = new Map<string, Promise<unknown>>();
  const remember = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    const known = answers.get(key);
    if (known) return known as Promise<T>;
    const answer = read();
    answers.set(key, answer);
    // A failed read is not an answer: the next caller asks again.
    answer.catch(() => answers.delete(key));
    return answer;
  };
  const writing = async <T>(write: () => Promise<T>): Promise<T> => {
    answers.clear();
    try {
      return await write();
    } finally {
      answers.clear();
    }
  };
  const cached: ReadCachingPort = {
    site: port.site,
    where: port.where,
    forget: () => answers.clear(),
    snapshottableDirs: (options?: CallOptions) => remember<SnapshottableDir[]>('lsSnapshottableDir', () => port.snapshottableDirs(options)),
    exists: (path, options) => remember<boolean>(`exists ${path}`, () => port.exists(path, options)),
    summary: (path, options) => remember<CountRow | undefined>(`summary ${path}`, () => port.summary(path, options)),
    listSnapshots: (dir, options) => remember<SnapshotInfo[]>(`snapshots ${dir}`, () => port.listSnapshots(dir, options)),
    readText: (path, options) => remember<string | undefined>(`text ${path}`, () => port.readText(path, options)),
    countMany: (paths, options) =>
      paths.length > MAX_CACHED_COUNT_PATHS || options?.onBatch
        ? port.countMany(paths, options)
        : remember(`count ${JSON.stringify(paths)}`, () => port.countMany(paths, options)),
    allowSnapshot: (dir, options) => writing(() => port.allowSnapshot(dir, options)),
    createSnapshot: (dir, name, options) => writing(() => port.createSnapshot(dir, name, options)),
    deleteSnapshot: (dir, name, options) => writing(() => port.deleteSnapshot(dir, name, options)),
    renameSnapshot: (dir, from, to, options) => writing(() => port.renameSnapshot(dir, from, to, options)),
    mkdirs: (dir, options) => writing(() => port.mkdirs(dir, options)),
    putText: (path, text, options) => writing(() => port.putText(path, text, options)),
    distcp: (spec, options) => writing(() => port.distcp(spec, options)),
    writeLocalFile: (path, text, options) => port.writeLocalFile(path, text, options),
    snapshotDiff: (dir, from, to, options) => port.snapshotDiff(dir, from, to, options),
    checksums: (paths, options) => port.checksums(paths, options),
    listRecursive: (dir, options) => port.listRecursive(dir, options),
    ticketSecondsLeft: (options) => port.ticketSecondsLeft(options),
  };
  // Optional capabilities stay optional: callers test for them.
  if (port.listRecursiveStream) cached.listRecursiveStream = port.listRecursiveStream.bind(port);
  if (port.listManyStream) cached.listManyStream = port.listManyStream.bind(port);
  if (port.hadoopVersion) {
    const version = port.hadoopVersion.bind(port);
    cached.hadoopVersion = (options) => remember('hadoop version', () => version(options));
  }
  if (port.isDirectory) {
    const isDirectory = port.isDirectory.bind(port);
    cached.isDirectory = (path, options) => remember<boolean>(`isDirectory ${path}`, () => isDirectory(path, options));
  }
  return cached;
}
