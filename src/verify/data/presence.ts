// L4 data presence: every table/partition location of the restored metastore exists on the DR
// side at the run's snapshot. O(data paths) processes, not O(locations): each DR root is listed
// once (`-ls -R <root>/.snapshot/<T1>`, streamed) and joined with the set of locations under it
// (a listed file or directory is present); only locations outside every root are checked one by
// one, in `-count` batches. A root's reachability is `-test -d`, never a `-count` of a subtree.
import { isDirectory, streamListing, type CallOptions, type HdfsPort } from '../../adapters/hdfs/hdfs.js';
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
}

const authorityOf = (uri: string): string | undefined => /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*)/.exec(uri)?.[1]?.toLowerCase();

interface RootGroup {
  root: string;
  /** relative path → checked path */
  wanted: Map<string, string>;
}

/**
 * `locations`: URIs such as `hdfs://drns/warehouse/db.db/t/p=1`. `roots`: the DR target dirs of
 * data.paths; a location under a root is checked at `<root>/.snapshot/<snapshot>/...`.
 */
export async function checkLocations(dr: HdfsPort, locations: readonly string[], options: CheckLocationsOptions): Promise<LocationReport> {
  const nameNode = dr.site.nameNode.toLowerCase().replace(/\/$/, '');
  const foreign: string[] = [];
  const outside: string[] = [];
  const excluded: string[] = [];
  const toCheck = new Map<string, string>(); // checked path → location
  const groups = new Map<string, RootGroup>();
  const outsidePaths: string[] = [];
  for (const location of new Set(locations)) {
    const authority = authorityOf(location);
    if (authority !== undefined && authority !== nameNode) {
      foreign.push(location);
      continue;
    }
    const raw = authority === undefined ? location : location.slice(authority.length) || '/';
    const path = raw.replace(/\/{2,}/g, '/').replace(/\/+$/, '') || '/';
    const root = options.roots.find((r) => path === r || path.startsWith(r.endsWith('/') ? r : `${r}/`));
    if (!root) {
      outside.push(location);
      toCheck.set(path, location);
      outsidePaths.push(path);
      continue;
    }
    const base = root.replace(/\/$/, '');
    const rel = path.slice(base.length).replace(/^\//, '');
    if (rel !== '' && options.exclude?.(rel, root)) {
      excluded.push(location);
      continue;
    }
    const listed = options.snapshot ? snapshotPath(root, options.snapshot) : base;
    const checked = rel === '' ? listed : `${listed}/${rel}`;
    toCheck.set(checked, location);
    const group = groups.get(listed) ?? { root: listed, wanted: new Map() };
    group.wanted.set(rel, checked);
    groups.set(listed, group);
  }
  const missingPaths = new Set<string>();
  const total = toCheck.size;
  let done = 0;
  const progress = (): void =>
    options.onProgress?.(`L4: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} locations checked on DR`);
  await forEachLimit([...groups.values()], options.concurrency ?? 2, async (group) => {
    const call = options.signal ? { signal: options.signal } : {};
    const size = group.wanted.size;
    if (!(await isDirectory(dr, group.root, call))) {
      for (const checked of group.wanted.values()) missingPaths.add(checked);
    } else {
      group.wanted.delete('');
      const qualified = qualify(dr.site, group.root);
      if (group.wanted.size > 0) {
        for await (const entry of streamListing(dr, group.root, call)) {
          group.wanted.delete(relativeTo(entry.path, group.root, qualified));
          if (group.wanted.size === 0) break;
        }
      }
      for (const checked of group.wanted.values()) missingPaths.add(checked);
    }
    done += size;
    progress();
  });
  if (outsidePaths.length > 0) {
    const base = done;
    const { missing } = await dr.countMany(outsidePaths, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      onBatch: (n) => {
        done = base + n;
        progress();
      },
    });
    for (const p of missing) missingPaths.add(p);
  }
  const missing = [...toCheck.entries()].filter(([checked]) => missingPaths.has(checked));
  return {
    checked: toCheck.size + foreign.length,
    missing: missing.map(([checkedPath, location]) => ({ location, checkedPath })),
    foreign,
    outsideSnapshotRoots: outside,
    ...(excluded.length > 0 ? { excluded } : {}),
    ok: missing.length === 0,
  };
}
