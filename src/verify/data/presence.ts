// L4 data presence: every table/partition location of the restored metastore exists on the DR
// side at the run's snapshot. O(data paths) processes, not O(locations): each DR root's tree at
// the snapshot (`<root>/.snapshot/<T1>`) is listed once, streamed, as a few subtrees at a time
// (forEachInTree: a handful of processes per root), and joined with the set of locations under it
// (a listed file or directory is present); only locations outside every root are checked one by
// one, in `-count` batches. A root's reachability is `-test -d`, never a `-count` of a subtree.
import { isDirectory, type CallOptions, type HdfsPort } from '../../adapters/hdfs/hdfs.js';
import { forEachInTree } from '../../adapters/hdfs/tree-listing.js';
import { qualify, snapshotPath } from '../../adapters/hdfs/commands.js';
import { forEachLimit } from '../../util/limit.js';
import { relativeTo } from './sorted-listing.js';

export interface LocationReport {
  /** Distinct locations looked at (excluded ones are not). */
  checked: number;
  /** Locations absent on DR (with the path actually checked). */
  missing: { location: string; checkedPath: string }[];
  /** Locations on another file system or authority than the DR name node (not checked). */
  foreign: string[];
  /** Locations outside every configured target path: checked in the live tree, not at the snapshot. */
  outsideSnapshotRoots: string[];
  /** Locations under a path `exclude` leaves out of the copy: not checked, not missing. */
  excluded?: string[];
  ok: boolean;
}

export interface CheckLocationsOptions extends CallOptions {
  roots: readonly string[];
  snapshot?: string;
  /** `-count` batch size for locations outside every root. */
  batchSize?: number;
  onProgress?: (text: string) => void;
  /** Relative to its root (one of `roots`): a location under an excluded path is reported as excluded. */
  exclude?: ((relativePath: string, root: string) => boolean) | undefined;
  /** Roots listed at once (default 2). */
  concurrency?: number;
  /** Listing processes per root, its tree cut into subtrees listed at once (default 4 from SPLIT_FROM locations, else 1). */
  listingFanOut?: number;
}

/**
 * Locations under one root from which its tree is listed as concurrent subtrees: below, one `-ls -R`
 * (about 20,000 directories, 6 s of getListing RPCs) costs less than the processes a split starts.
 */
export const SPLIT_FROM = 20_000;

const authorityOf = (uri: string): string | undefined => /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*)/.exec(uri)?.[1]?.toLowerCase();

interface RootGroup {
  root: string;
  /** relative path → index in `locations` of its first spelling (the checked path is `<root>/<rel>`). */
  wanted: Map<string, number>;
}

/** Where a location is checked: its group's key (or the live path outside every root) and the index of its first spelling. */
interface Wanted {
  checkedPath: string;
  first: number;
}

/**
 * `locations`: URIs such as `hdfs://drns/warehouse/db.db/t/p=1`. `roots`: the DR target dirs of
 * data.paths; a location under a root is checked at `<root>/.snapshot/<snapshot>/...`. Memory is
 * one map entry per distinct location (relative path → index into `locations`), no copies of the
 * location strings: a million partitions are a few tens of MB, not hundreds.
 */
export async function checkLocations(dr: HdfsPort, locations: readonly string[], options: CheckLocationsOptions): Promise<LocationReport> {
  const nameNode = dr.site.nameNode.toLowerCase().replace(/\/$/, '');
  const foreign = new Set<string>();
  const outside = new Set<string>();
  const excluded = new Set<string>();
  const groups = new Map<string, RootGroup>();
  const outsidePaths = new Map<string, number>(); // live path → index of its first spelling
  // A checked path reached by more than one spelling is reported with the last one (first index → last index).
  const lastSpelling = new Map<number, number>();
  const want = (wanted: Map<string, number>, key: string, i: number): void => {
    const first = wanted.get(key);
    if (first === undefined) wanted.set(key, i);
    else if (locations[first] !== locations[i]) lastSpelling.set(first, i);
  };
  for (let i = 0; i < locations.length; i++) {
    const location = locations[i]!;
    const authority = authorityOf(location);
    if (authority !== undefined && authority !== nameNode) {
      foreign.add(location);
      continue;
    }
    const raw = authority === undefined ? location : location.slice(authority.length) || '/';
    const path = raw.replace(/\/{2,}/g, '/').replace(/\/+$/, '') || '/';
    const root = options.roots.find((r) => path === r || path.startsWith(r.endsWith('/') ? r : `${r}/`));
    if (!root) {
      outside.add(location);
      want(outsidePaths, path, i);
      continue;
    }
    const base = root.replace(/\/$/, '');
    const rel = path.length > base.length + 1 ? path.slice(base.length + 1) : '';
    if (rel !== '' && options.exclude?.(rel, root)) {
      excluded.add(location);
      continue;
    }
    const listed = options.snapshot ? snapshotPath(root, options.snapshot) : base;
    let group = groups.get(listed);
    if (!group) groups.set(listed, (group = { root: listed, wanted: new Map() }));
    want(group.wanted, rel, i);
  }
  const missing: Wanted[] = [];
  const missingUnder = (group: RootGroup): void => {
    for (const [rel, first] of group.wanted) missing.push({ checkedPath: rel === '' ? group.root : `${group.root}/${rel}`, first });
  };
  let total = outsidePaths.size;
  for (const group of groups.values()) total += group.wanted.size;
  let done = 0;
  const progress = (): void =>
    options.onProgress?.(`L4: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} locations checked on DR`);
  await forEachLimit([...groups.values()], options.concurrency ?? 2, async (group) => {
    const call = options.signal ? { signal: options.signal } : {};
    const size = group.wanted.size;
    if (await isDirectory(dr, group.root, call)) {
      group.wanted.delete('');
      const qualified = qualify(dr.site, group.root);
      if (group.wanted.size > 0) {
        const fanOut = options.listingFanOut ?? (group.wanted.size >= SPLIT_FROM ? 4 : 1);
        await forEachInTree(dr, group.root, { ...call, fanOut }, (entry) => {
          group.wanted.delete(relativeTo(entry.path, group.root, qualified));
          return group.wanted.size === 0;
        });
      }
    }
    missingUnder(group);
    group.wanted.clear();
    done += size;
    progress();
  });
  if (outsidePaths.size > 0) {
    const base = done;
    const { missing: absent } = await dr.countMany([...outsidePaths.keys()], {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      onBatch: (n) => {
        done = base + n;
        progress();
      },
    });
    for (const path of new Set(absent)) {
      const first = outsidePaths.get(path);
      if (first !== undefined) missing.push({ checkedPath: path, first });
    }
  }
  // In the order the locations came (their first spelling).
  missing.sort((a, b) => a.first - b.first);
  return {
    checked: total + foreign.size,
    missing: missing.map((m) => ({ location: locations[lastSpelling.get(m.first) ?? m.first]!, checkedPath: m.checkedPath })),
    foreign: [...foreign],
    outsideSnapshotRoots: [...outside],
    ...(excluded.size > 0 ? { excluded: [...excluded] } : {}),
    ok: missing.length === 0,
  };
}
