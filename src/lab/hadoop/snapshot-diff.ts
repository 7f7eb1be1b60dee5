// Snapshot diff reports computed from two states (manifests) of a snapshottable directory, with
// HDFS's semantics: renames by inode identity, children listed under their parent's `M` entry,
// component-wise path order (§3.4 of the reference).
import type { Manifest, ManifestEntry } from './cluster.js';

export type DiffType = 'CREATE' | 'MODIFY' | 'DELETE' | 'RENAME';

export interface DiffEntry {
  type: DiffType;
  /** Path as reported (relative, '' = root), in the earlier state's terms. */
  path: string;
  /** RENAME: the path in the later state. */
  target?: string;
  /** Path of the inode in the later state (CREATE, MODIFY, RENAME). */
  laterPath?: string;
  isDir: boolean;
}

const LABEL: Record<DiffType, string> = { CREATE: '+', MODIFY: 'M', DELETE: '-', RENAME: 'R' };

const parentOf = (rel: string): string => (rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '');
const nameOf = (rel: string): string => rel.slice(rel.lastIndexOf('/') + 1);
const join = (dir: string, name: string): string => (dir === '' ? name : `${dir}/${name}`);

/** Component-wise comparison with byte order (root first, `dir` before `dir/sub` before `zdir`). */
export function comparePaths(a: string, b: string): number {
  const pa = a === '' ? [] : a.split('/');
  const pb = b === '' ? [] : b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const c = Buffer.compare(Buffer.from(pa[i]!), Buffer.from(pb[i]!));
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

function byId(manifest: Manifest): Map<string, string> {
  const map = new Map<string, string>();
  for (const [rel, entry] of manifest) map.set(entry.id, rel);
  return map;
}

function fileChanged(a: ManifestEntry, b: ManifestEntry): boolean {
  return a.type !== b.type || a.mode !== b.mode || (a.type === 'file' && (a.size !== b.size || a.mtimeMs !== b.mtimeMs));
}

/** The diff report from state `earlier` to state `later`, in report order. */
export function diffManifests(earlier: Manifest, later: Manifest): DiffEntry[] {
  const earlierIds = byId(earlier);
  const laterIds = byId(later);
  const created = new Map<string, DiffEntry[]>(); // parent id → entries
  const removed = new Map<string, DiffEntry[]>();
  const modified = new Set<string>();
  const add = (map: Map<string, DiffEntry[]>, parentId: string, entry: DiffEntry): void => {
    map.set(parentId, [...(map.get(parentId) ?? []), entry]);
    modified.add(parentId);
  };

  for (const [laterPath, entry] of later) {
    const earlierPath = earlierIds.get(entry.id);
    const laterParentId = laterPath === '' ? undefined : later.get(parentOf(laterPath))?.id;
    if (earlierPath === undefined) {
      if (laterParentId !== undefined && earlierIds.has(laterParentId)) {
        const parentEarlier = earlierIds.get(laterParentId)!;
        add(created, laterParentId, {
          type: 'CREATE',
          path: join(parentEarlier, nameOf(laterPath)),
          laterPath,
          isDir: entry.type === 'dir',
        });
      }
      continue;
    }
    const before = earlier.get(earlierPath)!;
    if (laterPath !== '') {
      const earlierParentId = earlier.get(parentOf(earlierPath))?.id;
      if (earlierParentId !== laterParentId || nameOf(earlierPath) !== nameOf(laterPath)) {
        add(removed, earlierParentId ?? '', {
          type: 'RENAME',
          path: earlierPath,
          target: laterPath,
          laterPath,
          isDir: entry.type === 'dir',
        });
        if (laterParentId !== undefined && earlierIds.has(laterParentId)) modified.add(laterParentId);
      }
    }
    if (fileChanged(before, entry)) modified.add(entry.id);
  }
  for (const [earlierPath, entry] of earlier) {
    if (laterIds.has(entry.id) || earlierPath === '') continue;
    const parentId = earlier.get(parentOf(earlierPath))?.id;
    if (parentId !== undefined && laterIds.has(parentId))
      add(removed, parentId, { type: 'DELETE', path: earlierPath, isDir: entry.type === 'dir' });
  }

  const rows = [...modified]
    .map((id) => ({ id, path: earlierIds.get(id) ?? '', entry: earlier.get(earlierIds.get(id) ?? '') }))
    .filter((row) => row.entry !== undefined)
    .sort((a, b) => comparePaths(a.path, b.path));
  const report: DiffEntry[] = [];
  const byName = (a: DiffEntry, b: DiffEntry): number => Buffer.compare(Buffer.from(nameOf(a.path)), Buffer.from(nameOf(b.path)));
  for (const row of rows) {
    report.push({ type: 'MODIFY', path: row.path, laterPath: laterIds.get(row.id), isDir: row.entry!.type === 'dir' });
    report.push(...(created.get(row.id) ?? []).sort(byName));
    report.push(...(removed.get(row.id) ?? []).sort(byName));
  }
  return report;
}

const render = (rel: string): string => (rel === '' ? '.' : `./${rel}`);

/** One line of `hdfs snapshotDiff` output (without newline). */
export function formatDiffEntry(entry: DiffEntry): string {
  const head = `${LABEL[entry.type]}\t${render(entry.path)}`;
  return entry.type === 'RENAME' ? `${head} -> ${render(entry.target ?? '')}` : head;
}
