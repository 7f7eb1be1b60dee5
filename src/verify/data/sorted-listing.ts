// One side of L5 as a stream of records sorted by relative path: the `-ls -R` listing read line by
// line, paths made relative to the snapshot root, excluded paths counted and dropped, and the rest
// sorted with an external sort (Hadoop prints depth first per directory — `a`, `a/x`, `a-b` —
// which is not the order of path strings — `a`, `a-b`, `a/x` — so the two listings are sorted the
// same way before they are merged).
import { qualify } from '../../adapters/hdfs/commands.js';
import { streamListing, type CallOptions, type HdfsPort } from '../../adapters/hdfs/hdfs.js';
import { externalSort, type SortStats } from '../../util/external-sort.js';

export interface ListingRecord {
  /** Relative to the listed root, without a leading slash. */
  rel: string;
  dir: boolean;
  length: number;
}

export interface ListingOptions extends CallOptions {
  /** Paths (relative to the root) left out of the comparison: counted, not compared. */
  exclude?: ((relativePath: string) => boolean) | undefined;
  /** Records held in memory before a spill to disk (default 5,000). */
  maxInMemory?: number | undefined;
  /** Where spilled runs go (default the OS temp dir); removed when the listing ends. */
  tmpDir?: string | undefined;
}

export interface ExcludedCount {
  files: number;
  bytes: number;
}

/** The part of `path` below `root` (qualified or not, as Hadoop echoes what was typed). */
export function relativeTo(path: string, root: string, qualifiedRoot: string): string {
  for (const r of [qualifiedRoot, root]) {
    const base = r.replace(/\/+$/, '');
    if (path === base) return '';
    if (path.startsWith(`${base}/`)) return path.slice(base.length + 1);
  }
  // A listing that echoes another spelling of the root (a default port added): cut at the snapshot marker.
  const marker = root.lastIndexOf('/.snapshot/');
  const tail = marker >= 0 ? root.slice(marker) : root;
  const at = path.indexOf(`${tail}/`);
  return at >= 0 ? path.slice(at + tail.length + 1) : path.replace(/^\/+/, '');
}

const encode = (r: ListingRecord): string => JSON.stringify([r.rel, r.dir ? 1 : 0, r.length]);
const decode = (line: string): ListingRecord => {
  const [rel, dir, length] = JSON.parse(line) as [string, number, number];
  return { rel, dir: dir === 1, length };
};

/** The listing of `root` on `port`, relative and sorted by path (compareKeys), in bounded memory. */
export function sortedListing(
  port: HdfsPort,
  root: string,
  options: ListingOptions,
  counters: { excluded: ExcludedCount; sort?: SortStats; onExcluded?: (rel: string, length: number) => void },
): AsyncGenerator<ListingRecord> {
  const qualified = qualify(port.site, root);
  const { exclude } = options;
  async function* relative(): AsyncGenerator<ListingRecord> {
    for await (const e of streamListing(port, root, options)) {
      const rel = relativeTo(e.path, root, qualified);
      if (exclude?.(rel)) {
        if (e.type === 'file') {
          counters.excluded.files++;
          counters.excluded.bytes += e.length;
          counters.onExcluded?.(rel, e.length);
        }
        continue;
      }
      yield { rel, dir: e.type === 'dir', length: e.length };
    }
  }
  return externalSort(relative(), {
    key: (r) => r.rel,
    encode,
    decode,
    ...(options.maxInMemory ? { maxInMemory: options.maxInMemory } : {}),
    ...(options.tmpDir ? { tmpDir: options.tmpDir } : {}),
    ...(counters.sort ? { stats: counters.sort } : {}),
  });
}
