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
  /** What is listed: the root, or its `.snapshot/<T1>`. */
  root: string;
  /** `<DR name node><root>`: the key of a path below the root is `<base>/<rel>`, the root's own is `<base>`. */
  base: string;
  /**
   * Keys still wanted. A location spelled as its key (nearly all of them) is its own key, so the set
   * holds no string of its own for it: a million partitions cost the set's slots, not new strings.
   */
  wanted: Set<string>;
  /**
   * Keys reached by a spelling other than themselves (`//`, a trailing `/`, no authority): the index
   * of the first spelling when it is not the key, and of the last one that differs from the first.
   */
  spelling: Map<string, { first?: number; last?: number }>;
}

const keyOf = (base: string, rel: string): string => (rel === '' ? base : `${base}/${rel}`);
const relOf = (group: RootGroup, key: string): string => (key === group.base ? '' : key.slice(group.base.length + 1));

/** A missing location: the path checked, the index of its first spelling (for the order) and the spelling reported. */
interface Missing {
  checkedPath: string;
  first: number;
  location: string;
}

type Placement =
  | { kind: 'foreign' }
  | { kind: 'excluded' }
  | { kind: 'outside'; path: string }
  | { kind: 'under'; root: string; base: string; rel: string };

/** Where `location` is checked: on another file system, under a root (and its path below it), excluded, or outside every root. */
function placeOf(location: string, nameNode: string, options: CheckLocationsOptions): Placement {
  const authority = authorityOf(location);
  if (authority !== undefined && authority !== nameNode) return { kind: 'foreign' };
  const raw = authority === undefined ? location : location.slice(authority.length) || '/';
  const path = raw.replace(/\/{2,}/g, '/').replace(/\/+$/, '') || '/';
  const root = options.roots.find((r) => path === r || path.startsWith(r.endsWith('/') ? r : `${r}/`));
  if (!root) return { kind: 'outside', path };
  const base = root.replace(/\/$/, '');
  const rel = path.length > base.length + 1 ? path.slice(base.length + 1) : '';
  if (rel !== '' && options.exclude?.(rel, root)) return { kind: 'excluded' };
  return { kind: 'under', root, base, rel };
}

/**
 * `locations`: URIs such as `hdfs://drns/warehouse/db.db/t/p=1`. `roots`: the DR target dirs of
 * data.paths; a location under a root is checked at `<root>/.snapshot/<snapshot>/...`. Memory is
 * one set slot per distinct location, no copies of the location strings: a million partitions cost
 * about 20 MB beyond the strings the caller holds.
 */
export async function checkLocations(dr: HdfsPort, locations: readonly string[], options: CheckLocationsOptions): Promise<LocationReport> {
  const spelledNameNode = dr.site.nameNode.replace(/\/$/, '');
  const nameNode = spelledNameNode.toLowerCase();
  const foreign = new Set<string>();
  const outside = new Set<string>();
  const excluded = new Set<string>();
  const groups = new Map<string, RootGroup>();
  const groupOf = (p: { root: string; base: string }): RootGroup => {
    const listed = options.snapshot ? snapshotPath(p.root, options.snapshot) : p.base;
    let group = groups.get(listed);
    if (!group) groups.set(listed, (group = { root: listed, base: `${spelledNameNode}${p.base}`, wanted: new Set(), spelling: new Map() }));
    return group;
  };
  const spelledAs = (group: RootGroup, key: string): string => {
    const first = group.spelling.get(key)?.first;
    return first === undefined ? key : locations[first]!;
  };
  const outsidePaths = new Map<string, number>(); // live path → index of its first spelling
  // A checked path reached by more than one spelling is reported with the last one (first index → last index).
  const lastSpelling = new Map<number, number>();
  for (let i = 0; i < locations.length; i++) {
    const location = locations[i]!;
    const place = placeOf(location, nameNode, options);
    if (place.kind === 'foreign') foreign.add(location);
    else if (place.kind === 'excluded') excluded.add(location);
    else if (place.kind === 'outside') {
      outside.add(location);
      const first = outsidePaths.get(place.path);
      if (first === undefined) outsidePaths.set(place.path, i);
      else if (locations[first] !== location) lastSpelling.set(first, i);
    } else {
      const group = groupOf(place);
      const key = keyOf(group.base, place.rel);
      if (!group.wanted.has(key)) {
        group.wanted.add(key === location ? location : key); // the caller's string, not the one just built
        if (key !== location) group.spelling.set(key, { first: i });
      } else if (location !== spelledAs(group, key)) {
        group.spelling.set(key, { ...group.spelling.get(key), last: i });
      }
    }
  }
  const missing: Missing[] = [];
  // Keys not found under their root, with their group: their first spellings are looked up at the end.
  const missingKeys = new Map<string, RootGroup>();
  const missingUnder = (group: RootGroup): void => {
    for (const key of group.wanted) missingKeys.set(key, group);
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
      group.wanted.delete(group.base);
      const qualified = qualify(dr.site, group.root);
      if (group.wanted.size > 0) {
        const fanOut = options.listingFanOut ?? (group.wanted.size >= SPLIT_FROM ? 4 : 1);
        await forEachInTree(dr, group.root, { ...call, fanOut }, (entry) => {
          group.wanted.delete(keyOf(group.base, relativeTo(entry.path, group.root, qualified)));
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
      if (first !== undefined) missing.push({ checkedPath: path, first, location: locations[lastSpelling.get(first) ?? first]! });
    }
  }
  // The first spelling of each key missing under a root: one more pass over the locations, only on failure.
  for (let i = 0; i < locations.length && missingKeys.size > 0; i++) {
    const place = placeOf(locations[i]!, nameNode, options);
    if (place.kind !== 'under') continue;
    const key = keyOf(groupOf(place).base, place.rel);
    const group = missingKeys.get(key);
    if (!group) continue;
    missingKeys.delete(key);
    const rel = relOf(group, key);
    const spelling = group.spelling.get(key);
    const reported = spelling?.last ?? spelling?.first;
    missing.push({
      checkedPath: rel === '' ? group.root : `${group.root}/${rel}`,
      first: i,
      location: reported === undefined ? key : locations[reported]!,
    });
  }
  // In the order the locations came (their first spelling).
  missing.sort((a, b) => a.first - b.first);
  return {
    checked: total + foreign.size,
    missing: missing.map((m) => ({ location: m.location, checkedPath: m.checkedPath })),
    foreign: [...foreign],
    outsideSnapshotRoots: [...outside],
    ...(excluded.size > 0 ? { excluded: [...excluded] } : {}),
    ok: missing.length === 0,
  };
}
