// One stand-in "cluster" per URI authority: the live namespace is the directory
// `<root>/<authority>/`, snapshots and metadata live in `<root>/.standin/<authority>/`.
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { join } from 'node:path';
import { FsError, noSuchFile, readOnlySnapshot } from './errors.js';
import { liveGeneration, syntheticOf } from './synthetic.js';

export const SNAPSHOT_QUOTA = 65536;

export interface SnapshotMeta {
  name: string;
  id: number;
  createdMs: number;
  /** Snapshots of a synthetic namespace's root: the generation the tree was at. */
  generation?: number;
}

interface SnapshottableMeta {
  quota: number;
  snapshots: SnapshotMeta[];
}

interface ClusterMeta {
  snapshottable: Record<string, SnapshottableMeta>;
  nextSnapshotId: number;
}

/** One inode as seen in a state of a snapshottable directory. */
export interface ManifestEntry {
  /** Stable identity across renames: inode number + birth time. */
  id: string;
  type: 'file' | 'dir';
  size: number;
  mtimeMs: number;
  mode: number;
}

/** Relative path ('' = the snapshot root) → entry. */
export type Manifest = Map<string, ManifestEntry>;

export type Located =
  | { kind: 'live'; local: string }
  | { kind: 'snapshot'; local: string; root: string; snapshot: SnapshotMeta }
  | { kind: 'snapshotDir'; root: string };

/** Normalise an absolute HDFS path: no trailing slash, no empty or `.` components. */
export function normalisePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

export function identityOf(stats: Stats): string {
  return `${stats.ino}:${stats.birthtimeMs}`;
}

export class Cluster {
  readonly liveRoot: string;
  readonly metaDir: string;
  private meta: ClusterMeta;

  constructor(
    readonly root: string,
    readonly authority: string,
  ) {
    this.liveRoot = join(root, authority);
    this.metaDir = join(root, '.standin', authority);
    mkdirSync(this.liveRoot, { recursive: true });
    this.meta = this.readMeta();
  }

  private readMeta(): ClusterMeta {
    const file = join(this.metaDir, 'meta.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ClusterMeta) : { snapshottable: {}, nextSnapshotId: 1 };
  }

  private save(): void {
    mkdirSync(this.metaDir, { recursive: true });
    const file = join(this.metaDir, 'meta.json');
    writeFileSync(`${file}.tmp-${process.pid}`, JSON.stringify(this.meta, null, 1));
    renameSync(`${file}.tmp-${process.pid}`, file);
  }

  /**
   * Read-modify-write of the metadata under a lock, as a NameNode serialises namespace changes:
   * two stand-in processes creating snapshots at once must not lose one. The lock is a directory
   * (mkdir is atomic); one left by a killed process is stale after 30 s.
   */
  private mutate<T>(change: () => T): T {
    mkdirSync(this.metaDir, { recursive: true });
    const lock = join(this.metaDir, 'meta.lock');
    const giveUp = Date.now() + 60_000;
    for (;;) {
      try {
        mkdirSync(lock);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 30_000)
          rmSync(lock, { recursive: true, force: true });
        if (Date.now() > giveUp) throw new Error(`${lock}: held for a minute`);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      }
    }
    try {
      this.meta = this.readMeta();
      const result = change();
      this.save();
      return result;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }

  /** Local path of a live HDFS path (no `.snapshot` handling). */
  livePath(path: string): string {
    return join(this.liveRoot, path);
  }

  snapshottableDirs(): string[] {
    return Object.keys(this.meta.snapshottable);
  }

  isSnapshottable(dir: string): boolean {
    return this.meta.snapshottable[dir] !== undefined;
  }

  snapshots(dir: string): SnapshotMeta[] {
    return this.meta.snapshottable[dir]?.snapshots ?? [];
  }

  quota(dir: string): number {
    return this.meta.snapshottable[dir]?.quota ?? SNAPSHOT_QUOTA;
  }

  snapshot(dir: string, name: string): SnapshotMeta | undefined {
    return this.snapshots(dir).find((s) => s.name === name);
  }

  snapshotDataDir(snapshot: SnapshotMeta): string {
    return join(this.metaDir, 'snapshots', String(snapshot.id), 'data');
  }

  /** Where an HDFS path is readable: the live tree, a snapshot copy, or the virtual `.snapshot` dir. */
  locate(path: string, typed: string): Located {
    const parts = path.split('/');
    const at = parts.indexOf('.snapshot');
    if (at < 0) return { kind: 'live', local: this.livePath(path) };
    const root = normalisePath(parts.slice(0, at).join('/'));
    if (!this.isSnapshottable(root)) throw noSuchFile(typed);
    const name = parts[at + 1];
    if (name === undefined) return { kind: 'snapshotDir', root };
    const snapshot = this.snapshot(root, name);
    if (!snapshot) throw noSuchFile(typed);
    return { kind: 'snapshot', local: join(this.snapshotDataDir(snapshot), ...parts.slice(at + 2)), root, snapshot };
  }

  /** lstat of whatever `path` denotes, undefined when it does not exist. */
  stat(path: string, typed: string): Stats | undefined {
    let located: Located;
    try {
      located = this.locate(path, typed);
    } catch {
      return undefined;
    }
    if (located.kind === 'snapshotDir') return lstatSync(this.livePath(located.root));
    try {
      return lstatSync(located.local);
    } catch {
      return undefined;
    }
  }

  /** Local path for writing `path`; snapshots are read-only. */
  writable(path: string): string {
    if (path.split('/').includes('.snapshot')) throw readOnlySnapshot();
    return this.livePath(path);
  }

  allowSnapshot(dir: string, typed: string): void {
    return this.mutate(() => {
      const stats = this.stat(dir, typed);
      if (!stats) throw new FsError(`File/Directory does not exist: ${dir}`, 'java.io.FileNotFoundException');
      if (!stats.isDirectory()) throw new FsError(`Path ${dir} is not a directory`, 'org.apache.hadoop.hdfs.protocol.SnapshotException');
      for (const other of this.snapshottableDirs()) {
        if (other === dir) continue;
        if (dir.startsWith(other === '/' ? '/' : other + '/')) {
          throw new FsError(
            `Nested snapshottable directories not allowed: path=${dir}, the ancestor ${other} is already a snapshottable directory.`,
            'org.apache.hadoop.hdfs.protocol.SnapshotException',
          );
        }
        if (other.startsWith(dir === '/' ? '/' : dir + '/')) {
          throw new FsError(
            `Nested snapshottable directories not allowed: path=${dir}, the subdirectory ${other} is already a snapshottable directory.`,
            'org.apache.hadoop.hdfs.protocol.SnapshotException',
          );
        }
      }
      const existing = this.meta.snapshottable[dir];
      this.meta.snapshottable[dir] = { quota: SNAPSHOT_QUOTA, snapshots: existing?.snapshots ?? [] };
    });
  }

  disallowSnapshot(dir: string, typed: string): void {
    return this.mutate(() => {
      if (!this.stat(dir, typed)) throw new FsError(`File/Directory does not exist: ${dir}`, 'java.io.FileNotFoundException');
      if (this.snapshots(dir).length > 0) {
        throw new FsError(
          `The directory ${dir} has snapshot(s). Please redo the operation after removing all the snapshots.`,
          'org.apache.hadoop.hdfs.protocol.SnapshotException',
        );
      }
      delete this.meta.snapshottable[dir];
    });
  }

  createSnapshot(dir: string, name: string, now = Date.now()): SnapshotMeta {
    return this.mutate(() => {
      const state = this.meta.snapshottable[dir];
      if (!state)
        throw new FsError(`Directory is not a snapshottable directory: ${dir}`, 'org.apache.hadoop.hdfs.protocol.SnapshotException');
      if (name.includes('/')) throw new FsError('Snapshot name cannot contain "/"', 'org.apache.hadoop.HadoopIllegalArgumentException');
      if (state.snapshots.some((s) => s.name === name)) {
        throw new FsError(
          `Failed to add snapshot: there is already a snapshot with the same name "${name}".`,
          'org.apache.hadoop.hdfs.protocol.SnapshotException',
        );
      }
      if (state.snapshots.length >= state.quota) {
        throw new FsError(
          `Failed to add snapshot: there are already ${state.snapshots.length} snapshot(s) and the snapshot quota is ${state.quota}`,
          'org.apache.hadoop.hdfs.protocol.SnapshotException',
        );
      }
      const snapshot: SnapshotMeta = { name, id: this.meta.nextSnapshotId++, createdMs: now };
      if (syntheticOf(this)?.shape.root === dir) snapshot.generation = liveGeneration(this);
      const manifest = buildManifest(this.livePath(dir));
      const data = this.snapshotDataDir(snapshot);
      mkdirSync(join(data, '..'), { recursive: true });
      cpSync(this.livePath(dir), data, { recursive: true, preserveTimestamps: true });
      writeFileSync(join(data, '..', 'manifest.json'), JSON.stringify([...manifest]));
      state.snapshots.push(snapshot);
      return snapshot;
    });
  }

  deleteSnapshot(dir: string, name: string): void {
    return this.mutate(() => {
      const state = this.meta.snapshottable[dir];
      if (!state)
        throw new FsError(`Directory is not a snapshottable directory: ${dir}`, 'org.apache.hadoop.hdfs.protocol.SnapshotException');
      const snapshot = state.snapshots.find((s) => s.name === name);
      if (!snapshot)
        throw new FsError(
          `Cannot delete snapshot ${name} from path ${dir}: the snapshot does not exist.`,
          'org.apache.hadoop.hdfs.protocol.SnapshotException',
        );
      state.snapshots = state.snapshots.filter((s) => s !== snapshot);
      rmSync(join(this.snapshotDataDir(snapshot), '..'), { recursive: true, force: true });
    });
  }

  renameSnapshot(dir: string, from: string, to: string): void {
    return this.mutate(() => {
      const state = this.meta.snapshottable[dir];
      if (!state)
        throw new FsError(`Directory is not a snapshottable directory: ${dir}`, 'org.apache.hadoop.hdfs.protocol.SnapshotException');
      const snapshot = state.snapshots.find((s) => s.name === from);
      if (!snapshot)
        throw new FsError(`The snapshot ${from} does not exist for directory ${dir}`, 'org.apache.hadoop.hdfs.protocol.SnapshotException');
      if (state.snapshots.some((s) => s.name === to))
        throw new FsError(`The snapshot ${to} already exists for directory ${dir}`, 'org.apache.hadoop.hdfs.protocol.SnapshotException');
      snapshot.name = to;
    });
  }

  /** The state of snapshottable `dir` at `snapshot`, or now when `snapshot` is undefined. */
  manifest(dir: string, snapshot: SnapshotMeta | undefined): Manifest {
    if (!snapshot) return buildManifest(this.livePath(dir));
    const file = join(this.snapshotDataDir(snapshot), '..', 'manifest.json');
    return new Map(JSON.parse(readFileSync(file, 'utf8')) as [string, ManifestEntry][]);
  }

  /** Snapshottable dirs with snapshots at or below `path` (they block delete and rename). */
  snapshottedAtOrBelow(path: string): string | undefined {
    return this.snapshottableDirs().find(
      (dir) => (dir === path || dir.startsWith(path === '/' ? '/' : path + '/')) && this.snapshots(dir).length > 0,
    );
  }

  /** Forget snapshottable dirs that no longer exist (after a delete). */
  dropMissing(): void {
    let changed = false;
    for (const dir of this.snapshottableDirs()) {
      if (!existsSync(this.livePath(dir))) {
        delete this.meta.snapshottable[dir];
        changed = true;
      }
    }
    if (changed) this.save();
  }
}

/** Walk a local directory into a manifest of relative paths. */
export function buildManifest(localDir: string): Manifest {
  const manifest: Manifest = new Map();
  const visit = (local: string, rel: string): void => {
    const stats = lstatSync(local);
    const type = stats.isDirectory() ? 'dir' : 'file';
    manifest.set(rel, {
      id: identityOf(stats),
      type,
      size: type === 'dir' ? 0 : stats.size,
      mtimeMs: stats.mtimeMs,
      mode: stats.mode & 0o7777,
    });
    if (type === 'dir') {
      for (const name of readdirSync(local).sort()) visit(join(local, name), rel === '' ? name : `${rel}/${name}`);
    }
  };
  visit(localDir, '');
  return manifest;
}
