// L4 data presence: every table/partition location of the restored metastore exists on the DR
// side at the run's snapshot. Batched: one `hdfs dfs -count` process per few hundred paths.
import type { CallOptions, HdfsPort } from '../../adapters/hdfs/hdfs.js';
import { snapshotPath } from '../../adapters/hdfs/commands.js';

export interface LocationReport {
  /** Distinct locations looked at. */
  checked: number;
  /** Locations absent on DR (with the path actually checked). */
  missing: { location: string; checkedPath: string }[];
  /** Locations on another file system or authority than the DR name node (not checked). */
  foreign: string[];
  /** Locations outside every configured target path: checked in the live tree, not at the snapshot. */
  outsideSnapshotRoots: string[];
  ok: boolean;
}

const authorityOf = (uri: string): string | undefined => /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*)/.exec(uri)?.[1]?.toLowerCase();

/**
 * `locations`: URIs such as `hdfs://drns/warehouse/db.db/t/p=1`. `roots`: the DR target dirs of
 * data.paths; a location under a root is checked at `<root>/.snapshot/<snapshot>/...`.
 */
export async function checkLocations(
  dr: HdfsPort,
  locations: readonly string[],
  options: CallOptions & { roots: readonly string[]; snapshot?: string; batchSize?: number; onProgress?: (text: string) => void },
): Promise<LocationReport> {
  const nameNode = dr.site.nameNode.toLowerCase().replace(/\/$/, '');
  const foreign: string[] = [];
  const outside: string[] = [];
  const toCheck = new Map<string, string>(); // checked path → location
  for (const location of new Set(locations)) {
    const authority = authorityOf(location);
    if (authority !== undefined && authority !== nameNode) {
      foreign.push(location);
      continue;
    }
    const path = (authority === undefined ? location : location.slice(authority.length) || '/').replace(/\/+$/, '') || '/';
    const root = options.roots.find((r) => path === r || path.startsWith(r.endsWith('/') ? r : `${r}/`));
    let checked = path;
    if (root && options.snapshot)
      checked =
        path === root
          ? snapshotPath(root, options.snapshot)
          : `${snapshotPath(root, options.snapshot)}${path.slice(root.replace(/\/$/, '').length)}`;
    else outside.push(location);
    toCheck.set(checked, location);
  }
  const { missing } = await dr.countMany([...toCheck.keys()], {
    ...options,
    onBatch: (done, total) =>
      options.onProgress?.(`L4: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} locations checked on DR`),
  });
  return {
    checked: toCheck.size + foreign.length,
    missing: missing.map((checkedPath) => ({ location: toCheck.get(checkedPath)!, checkedPath })),
    foreign,
    outsideSnapshotRoots: outside,
    ok: missing.length === 0,
  };
}
