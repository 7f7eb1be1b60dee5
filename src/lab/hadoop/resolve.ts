// Turns `hdfs://<authority>/path` and plain `/path` (against fs.defaultFS) into a cluster + path.
import { Cluster, normalisePath } from './cluster.js';
import { FsError } from './errors.js';
import { assertReachable } from './reachability.js';

export interface ResolvedPath {
  cluster: Cluster;
  /** Absolute, normalised HDFS path (may contain `.snapshot`). */
  path: string;
  /** As typed on the command line (Hadoop echoes this form). */
  typed: string;
  /** `hdfs://authority/path`. */
  qualified: string;
  /** What the directory listing that produced this path already said about it (synthetic entries). */
  known?: { isDir: boolean; size: number; mtimeMs: number; mode: number };
}

/** HMSDR_HADOOP_STANDIN_ROOT: the directory holding one sub-directory per cluster authority. */
export function standinRoot(): string {
  const root = process.env.HMSDR_HADOOP_STANDIN_ROOT;
  if (!root) throw new FsError('HMSDR_HADOOP_STANDIN_ROOT is not set (the Hadoop stand-in needs a root directory)');
  return root;
}

/** fs.defaultFS of the stand-in (HMSDR_HADOOP_DEFAULT_FS, e.g. hdfs://prodns). */
export function defaultFs(): string {
  return process.env.HMSDR_HADOOP_DEFAULT_FS ?? 'hdfs://localhost:8020';
}

const clusters = new Map<string, Cluster>();

export function clusterFor(authority: string): Cluster {
  const root = standinRoot();
  assertReachable(root, authority);
  const key = `${root}\0${authority}`;
  let cluster = clusters.get(key);
  if (!cluster) {
    cluster = new Cluster(root, authority);
    clusters.set(key, cluster);
  }
  return cluster;
}

export function resolvePath(typed: string): ResolvedPath {
  const uri = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/]*)(\/.*)?$/.exec(typed);
  let scheme: string;
  let authority: string;
  let rawPath: string;
  if (uri) {
    scheme = uri[1]!;
    authority = uri[2]!;
    rawPath = uri[3] ?? '/';
  } else {
    const fallback = /^([a-z]+):\/\/([^/]*)/.exec(defaultFs());
    scheme = fallback?.[1] ?? 'hdfs';
    authority = fallback?.[2] ?? 'localhost:8020';
    rawPath = typed.startsWith('/') ? typed : `/user/${process.env.HADOOP_USER_NAME ?? 'hdfs'}/${typed}`;
  }
  if (scheme !== 'hdfs') throw new FsError(`No FileSystem for scheme "${scheme}"`, 'org.apache.hadoop.fs.UnsupportedFileSystemException');
  const path = normalisePath(rawPath);
  return { cluster: clusterFor(authority), path, typed, qualified: `hdfs://${authority}${path === '/' ? '/' : path}` };
}
