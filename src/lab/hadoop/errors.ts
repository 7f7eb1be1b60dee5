// How stand-in commands fail: an exit code plus the lines Hadoop prints. Only cli.ts turns them
// into a process exit code.

/** Ends the program with `exitCode` after `stderrLines` (already formatted). */
export class HadoopExit extends Error {
  constructor(
    readonly exitCode: number,
    readonly stderrLines: readonly string[] = [],
  ) {
    super(stderrLines[0] ?? `exit ${exitCode}`);
  }
}

/** A per-path failure of `hdfs dfs`: printed as `<cmd>: <message>`, exit 1. */
export class FsError extends Error {
  constructor(
    message: string,
    /** Java exception class, for the places that print it (distcp, snapshotDiff traces). */
    readonly javaClass = 'java.io.IOException',
  ) {
    super(message);
  }
}

export const noSuchFile = (typed: string): FsError =>
  new FsError(`\`${typed}': No such file or directory`, 'java.io.FileNotFoundException');
export const isADirectory = (typed: string): FsError => new FsError(`\`${typed}': Is a directory`);
export const notADirectory = (typed: string): FsError => new FsError(`\`${typed}': Is not a directory`);
export const readOnlySnapshot = (): FsError =>
  new FsError('Modification on a read-only snapshot is disallowed', 'org.apache.hadoop.hdfs.protocol.SnapshotAccessControlException');
