// Checksum candidates grouped by directory, so that one command-line argument covers a whole
// directory: a directory whose every entry, on both sides, is a candidate file of equal length is
// check-summed as `<dir>/*` (Hadoop expands the glob); any other candidate goes by its own path.
// A command line holds ~1,000 paths but ~1,000 directories of ten files: at 1M partitions the
// changed files of one run are tens of processes fewer. Records arrive in the merge's order
// (sorted by path), where a directory's subtree is contiguous: only the directories on the current
// path are open, each holding at most `maxHeld` names.
import { HADOOP_GLOB_CHARS } from '../../adapters/hdfs/commands.js';

/** A file (relative path), or every file of a directory (`names`: their relative paths). */
export type ChecksumEntry = string | { dir: string; names: string[] };

interface OpenDir {
  dir: string;
  held: string[];
  /** Every entry seen so far is a candidate file with a name a glob matches literally. */
  whole: boolean;
}

const parentOf = (rel: string): string => {
  const at = rel.lastIndexOf('/');
  return at < 0 ? '' : rel.slice(0, at);
};
const within = (dir: string, ancestor: string): boolean => ancestor === '' || dir === ancestor || dir.startsWith(`${ancestor}/`);
/** Names `*` might not match as they are (hidden files), or that are globs themselves. */
const plainName = (rel: string): boolean => {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  return !name.startsWith('.') && !HADOOP_GLOB_CHARS.test(name);
};

/** The argument for `entry` under `root`. */
export const checksumArgument = (root: string, entry: ChecksumEntry): string =>
  typeof entry === 'string' ? `${root}/${entry}` : `${root}/${entry.dir === '' ? '' : `${entry.dir}/`}*`;

export class ChecksumGroups {
  private readonly open: OpenDir[] = [];

  constructor(
    private readonly emit: (entry: ChecksumEntry) => void,
    private readonly maxHeld = 10_000,
  ) {}

  /** A file of equal length on both sides, selected for a checksum. */
  candidate(rel: string): void {
    const dir = this.enter(rel);
    if (dir.whole && plainName(rel)) {
      dir.held.push(rel);
      if (dir.held.length > this.maxHeld) this.split(dir);
    } else {
      this.split(dir);
      this.emit(rel);
    }
  }

  /** Any other record of the merge (a directory, a file not selected, a difference): its directory is not whole. */
  other(rel: string): void {
    this.split(this.enter(rel));
  }

  end(): void {
    while (this.open.length > 0) this.close(this.open.pop()!);
  }

  private split(dir: OpenDir): void {
    dir.whole = false;
    for (const rel of dir.held) this.emit(rel);
    dir.held = [];
  }

  private close(dir: OpenDir): void {
    if (dir.whole && dir.held.length >= 2) this.emit({ dir: dir.dir, names: dir.held });
    else for (const rel of dir.held) this.emit(rel);
  }

  /** The open directory of `rel`'s parent; directories `rel` is not in are complete and closed. */
  private enter(rel: string): OpenDir {
    const parent = parentOf(rel);
    while (this.open.length > 0 && !within(parent, this.open[this.open.length - 1]!.dir)) this.close(this.open.pop()!);
    let top = this.open[this.open.length - 1];
    if (!top || top.dir !== parent) {
      top = { dir: parent, held: [], whole: !HADOOP_GLOB_CHARS.test(parent) };
      this.open.push(top);
    }
    return top;
  }
}
