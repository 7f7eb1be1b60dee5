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

/** Bytes of directory names in one `{…}` alternation at most. */
const ALTERNATION_BYTES = 8 * 1024;

/**
 * The `-checksum` arguments for `entries` under `root`: a file by its path, whole directories of
 * one parent as `<parent>/{a,b,…}/*` (Hadoop's alternation: the parent is listed once), so a
 * table's rewritten partitions take one argument.
 */
export function checksumArguments(root: string, entries: readonly ChecksumEntry[]): string[] {
  const out: string[] = [];
  let parent: string | undefined;
  let names: string[] = [];
  let bytes = 0;
  const under = (dir: string): string => (dir === '' ? root : `${root}/${dir}`);
  const flush = (): void => {
    if (parent !== undefined) out.push(`${under(parent)}/${names.length === 1 ? names[0] : `{${names.join(',')}}`}/*`);
    parent = undefined;
    names = [];
    bytes = 0;
  };
  for (const entry of entries) {
    if (typeof entry === 'string') out.push(`${root}/${entry}`);
    else if (entry.dir === '') out.push(`${root}/*`);
    else {
      const dirParent = parentOf(entry.dir);
      const name = entry.dir.slice(entry.dir.lastIndexOf('/') + 1);
      // A comma separates alternatives: such a name goes alone.
      if (name.includes(',')) out.push(`${root}/${entry.dir}/*`);
      else {
        if (dirParent !== parent || bytes + name.length > ALTERNATION_BYTES) flush();
        parent = dirParent;
        names.push(name);
        bytes += name.length + 1;
      }
    }
  }
  flush();
  return out;
}

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
