// The HDFS port's contract: what steps and verification need from one cluster's HDFS (hdfs.ts
// implements it with the Hadoop CLI; tests provide fakes).
import type { Executor } from '../executor.js';
import type { DistcpSpec, HdfsSiteSpec } from './commands.js';
import type { ChecksumRow, CountRow, DistcpCounters, LsEntry, SnapshotDiffReport, SnapshottableDir, YarnKillOutcome } from './parse.js';

export interface SnapshotInfo {
  name: string;
  /** Creation time (the snapshot root's modification time), ms since the epoch. */
  createdMs: number;
}

export interface DistcpOutcome {
  exitCode: number;
  counters: DistcpCounters;
  /** Last lines of stderr, for error messages and the report. */
  stderrTail: string;
  durationMs: number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** What steps and verification need from one cluster's HDFS. */
export interface HdfsPort {
  readonly site: HdfsSiteSpec;
  /** Where commands run (for plans and messages). */
  readonly where: Executor['where'];
  snapshottableDirs(options?: CallOptions): Promise<SnapshottableDir[]>;
  exists(path: string, options?: CallOptions): Promise<boolean>;
  /** `{dirs, files, bytes}` of the live tree (snapshot-only data excluded); undefined when missing. */
  summary(path: string, options?: CallOptions): Promise<CountRow | undefined>;
  /** Snapshots of a snapshottable dir, oldest first. */
  listSnapshots(dir: string, options?: CallOptions): Promise<SnapshotInfo[]>;
  allowSnapshot(dir: string, options?: CallOptions): Promise<void>;
  createSnapshot(dir: string, name: string, options?: CallOptions): Promise<void>;
  deleteSnapshot(dir: string, name: string, options?: CallOptions): Promise<void>;
  renameSnapshot(dir: string, from: string, to: string, options?: CallOptions): Promise<void>;
  mkdirs(dir: string, options?: CallOptions): Promise<void>;
  /** Write a small file (a marker) with `text` as its content, replacing it if it exists. */
  putText(path: string, text: string, options?: CallOptions): Promise<void>;
  /** Content of a small file (a sync record, a DistCp job log part); undefined when it does not exist. */
  readText(path: string, options?: CallOptions): Promise<string | undefined>;
  /** Write a file on the local disk of the host this site's commands run on (a DistCp -filters file). */
  writeLocalFile(path: string, text: string, options?: CallOptions): Promise<void>;
  /** `from`/`to`: snapshot name or `.` for the current state. */
  snapshotDiff(dir: string, from: string, to: string, options?: CallOptions): Promise<SnapshotDiffReport>;
  /** Batched `-count -x`: rows for the paths that exist (keyed as passed), the others in `missing`. */
  /** `onBatch(done, total)` after each batch (one process each): progress for long checks. */
  countMany(
    paths: readonly string[],
    options?: CallOptions & { batchSize?: number; onBatch?: (done: number, total: number) => void },
  ): Promise<{ found: Map<string, CountRow>; missing: string[] }>;
  /**
   * `-checksum` of files. A path with glob characters (Hadoop reads every path argument as a glob:
   * `<dir>/*`, `<table>/{p=1,p=2}/*`) gives one row per file it matched, keyed by the file's path
   * in the form the pattern was given (qualified or not).
   */
  checksums(
    paths: readonly string[],
    options?: CallOptions & { composite?: boolean; batchSize?: number },
  ): Promise<Map<string, ChecksumRow>>;
  listRecursive(dir: string, options?: CallOptions): Promise<LsEntry[]>;
  /**
   * `-ls -R` read as it is printed, in constant memory (readListing). Optional so that test fakes
   * need not provide it: callers go through `streamListing`, which falls back to listRecursive.
   */
  listRecursiveStream?(dir: string, options?: CallOptions): AsyncIterable<LsEntry>;
  /**
   * `-ls [-R] <dir>…` of several directories in one process, streamed like listRecursiveStream (the
   * children of each, or with `recursive` their whole subtrees, one directory after the other).
   * Optional for test fakes: see `forEachInTree`.
   */
  listManyStream?(dirs: readonly string[], options?: CallOptions & { recursive?: boolean }): AsyncIterable<LsEntry>;
  /** `hadoop version` of this site's client (`3.3.6`); undefined when it does not say. Optional for test fakes. */
  hadoopVersion?(options?: CallOptions): Promise<string | undefined>;
  /** `-test -d`: false when absent; throws E_HDFS_UNREACHABLE when even `/` does not answer. Optional, see `isDirectory`. */
  isDirectory?(path: string, options?: CallOptions): Promise<boolean>;
  /** Runs DistCp on this site; resolves with the outcome whatever the exit code. */
  distcp(
    spec: DistcpSpec,
    options?: CallOptions & { onProgress?: (percent: number, line: string) => void; onStderr?: (chunk: string) => void },
  ): Promise<DistcpOutcome>;
  /**
   * `yarn application -kill` of a DistCp job this site runs (a job outlives its killed client).
   * Optional for test fakes.
   */
  killApplication?(applicationId: string, options?: CallOptions): Promise<YarnKillOutcome>;
  /** Seconds until the Kerberos ticket expires (undefined without Kerberos or when klist is unreadable). */
  ticketSecondsLeft(options?: CallOptions): Promise<number | undefined>;
  /** Someone else (Cloudera Manager, an operator) wrote to this cluster: forget remembered answers (read-cache.ts). */
  forget?(): void;
}
