// `hdfs dfs -ls -R` read as a stream: entries are parsed line by line as the child prints them (no
// output buffer, whatever the size of the tree). A non-zero exit, a line that does not parse, or a
// listing that ends without a single entry for a root that is not empty is an error, never a pass.
import { createInterface } from 'node:readline';
import { AdapterError } from '../../errors/errors.js';
import type { StreamingChild } from '../process/run-command.js';
import { parseLsLine, type LsEntry } from './parse.js';

export interface ListingSource {
  /** Start the `-ls -R` child with this signal (aborted when the reader stops early). */
  start: (signal: AbortSignal) => Promise<StreamingChild>;
  /** Called when the listing printed no entry: resolves with the root's `{dirs, files}` (the root itself counts as a dir). */
  countRoot: () => Promise<{ dirs: number; files: number } | undefined>;
  /** For messages: the qualified root. */
  root: string;
  /** For messages: the command (default `hdfs dfs -ls -R`). */
  label?: string;
}

/**
 * The lines of a streaming child's stdout as it prints them. A non-zero exit is the child's
 * CommandFailedError; when the reader stops early (it had enough, or a line did not parse) the
 * child is stopped through its signal.
 */
async function* childLines(start: (signal: AbortSignal) => Promise<StreamingChild>, signal?: AbortSignal): AsyncGenerator<string> {
  const stop = new AbortController();
  const child = await start(signal ? AbortSignal.any([signal, stop.signal]) : stop.signal);
  const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
  let complete = false;
  try {
    yield* lines;
    await child.done;
    complete = true;
  } finally {
    if (!complete) stop.abort();
    lines.close();
  }
}

/** Entries in the order Hadoop prints them (depth first, per directory); see docs/hdfs.md. */
export async function* readListing(source: ListingSource, signal?: AbortSignal): AsyncGenerator<LsEntry> {
  let entries = 0;
  for await (const line of childLines((s) => source.start(s), signal)) {
    const entry = parseLsLine(line);
    if (!entry) continue;
    entries++;
    yield entry;
  }
  if (entries === 0) {
    const count = await source.countRoot();
    if (count && (count.files > 0 || count.dirs > 1)) {
      throw new AdapterError(
        'E_HDFS_OUTPUT',
        `${source.label ?? 'hdfs dfs -ls -R'} ${source.root} printed no entry and exited 0, but -count finds ${count.dirs - 1} directories and ${count.files} files below it`,
        {
          hint: 'the Hadoop client printed its listing elsewhere (a wrapper script, a log4j setting sending output to stderr?): run the command by hand',
        },
      );
    }
  }
}

/**
 * Each line of a streaming child's stdout as it prints, then its exit: for outputs too large to
 * buffer whole (a snapshot diff of millions of lines). When `onLine` throws, the child is stopped
 * and the error is the result.
 */
export async function forEachLine(
  start: (signal: AbortSignal) => Promise<StreamingChild>,
  signal: AbortSignal | undefined,
  onLine: (line: string) => void,
): Promise<void> {
  for await (const line of childLines(start, signal)) onLine(line);
}
