// A large tree listed by several processes at once. One `-ls -R` reads every directory of the tree
// one getListing RPC after the other: a million partition directories are a million sequential
// RPCs (about 5 min at 0.3 ms). The NameNode serves concurrent clients, so the tree is cut breadth
// first (one `-ls` of a whole level per process) until it has enough directories, and their
// subtrees are listed by `fanOut` concurrent `-ls -R` processes of contiguous groups. Entries come
// in no useful order: this is for consumers that look each one up (L4), not for merges.
import { forEachLimit } from '../../util/limit.js';
import { HADOOP_GLOB_CHARS } from './commands.js';
import { argvChunks, MAX_ARGV_BYTES, streamListing } from './hdfs.js';
import type { LsEntry } from './parse.js';
import type { CallOptions, HdfsPort } from './port.js';

export interface TreeListingOptions extends CallOptions {
  /** Listing processes at once (default 4); 1 lists the tree as one `-ls -R`. */
  fanOut?: number;
  /** Levels read breadth first before the subtrees are listed (default 3). */
  maxLevels?: number;
}

const bytesOf = (paths: readonly string[]): number => paths.reduce((n, p) => n + Buffer.byteLength(p) + 3, 0);

/** `paths` cut into `parts` contiguous groups, each further cut to fit a command line. */
function groupsOf(paths: readonly string[], parts: number): string[][] {
  const per = Math.ceil(paths.length / parts);
  const out: string[][] = [];
  for (let i = 0; i < paths.length; i += per) out.push(...argvChunks(paths.slice(i, i + per), per, (p) => Buffer.byteLength(p)));
  return out;
}

/**
 * Calls `visit` once for every entry below `root` (the root itself is not an entry), a few
 * entries possibly twice; `visit` returns true to stop early. Ports without `listManyStream`
 * (test fakes) and `fanOut` 1 read one `-ls -R`.
 */
export async function forEachInTree(
  port: HdfsPort,
  root: string,
  options: TreeListingOptions,
  visit: (entry: LsEntry) => boolean | undefined,
): Promise<void> {
  const fanOut = Math.max(1, options.fanOut ?? 4);
  const call = options.signal ? { signal: options.signal } : {};
  let stopped = false;
  const read = async (entries: AsyncIterable<LsEntry>, onDir?: (path: string) => void): Promise<void> => {
    for await (const entry of entries) {
      if (stopped || visit(entry) === true) {
        stopped = true;
        break;
      }
      if (entry.type === 'dir') onDir?.(entry.path);
    }
  };
  const listMany = port.listManyStream?.bind(port);
  if (!listMany || fanOut === 1) return read(streamListing(port, root, call));
  let frontier = [root];
  let levels = 0;
  while (levels < (options.maxLevels ?? 3) && frontier.length < fanOut * 4) {
    const next: string[] = [];
    await read(listMany(frontier, call), (dir) => next.push(dir));
    levels++;
    if (stopped || next.length === 0) return;
    // Too many to name, or not safe to name: list the level just read as subtrees instead (its
    // children are then seen twice, which a lookup does not mind).
    if (bytesOf(next) > fanOut * MAX_ARGV_BYTES || next.some((p) => HADOOP_GLOB_CHARS.test(p))) break;
    frontier = next;
  }
  if (levels === 0 || (frontier.length === 1 && frontier[0] === root)) return read(streamListing(port, root, call));
  await forEachLimit(groupsOf(frontier, fanOut), fanOut, async (group) => {
    if (!stopped) await read(listMany(group, { ...call, recursive: true }));
  });
}
