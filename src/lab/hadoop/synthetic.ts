// Synthetic namespace of the stand-in: a warehouse of millions of files served without creating
// them, deterministic from a seed and a shape (databases × tables × partitions × files). Each
// "generation" changes `changedPercent` % of the partitions (their files get new sizes, times and
// checksums); the live tree is at the generation in `synthetic-state.json`, a snapshot of the
// synthetic root records the generation it saw. Real files under the live root (an overlay, for
// fault cases) are served alongside.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the synthetic namespace needs of a stand-in cluster (structural: cluster.ts imports this module). */
export interface SyntheticHost {
  readonly metaDir: string;
  livePath(path: string): string;
  snapshot(dir: string, name: string): { generation?: number } | undefined;
}

type Cluster = SyntheticHost;

/** Relative path → entry, as cluster.ts's Manifest. */
export type SyntheticManifest = Map<string, { id: string; type: 'file' | 'dir'; size: number; mtimeMs: number; mode: number }>;

export interface SyntheticShape {
  seed: number;
  /** The snapshottable root the tree lives under (`/warehouse`). */
  root: string;
  databases: number;
  tables: number;
  partitions: number;
  files: number;
  minSize: number;
  maxSize: number;
  /** % of partitions each generation changes. */
  changedPercent: number;
  /** Modification time of directories and of generation 0 files. */
  baseMs: number;
}

export const DEFAULT_SHAPE: Omit<SyntheticShape, 'root'> = {
  seed: 1,
  databases: 10,
  tables: 100,
  partitions: 100,
  files: 10,
  minSize: 1024,
  maxSize: 16 * 1024 * 1024,
  changedPercent: 1,
  baseMs: Date.UTC(2026, 0, 5, 3, 0),
};

/** -1: empty (no synthetic entries yet, e.g. a DR target before its first copy). */
interface SyntheticState {
  generation: number;
}

export interface SyntheticInfo {
  isDir: boolean;
  size: number;
  mtimeMs: number;
  mode: number;
}

function mix(seed: number, ...xs: number[]): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (const x of xs) {
    h = Math.imul(h ^ (x >>> 0), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 16), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');
export const dbName = (d: number): string => `db_${pad(d, 4)}.db`;
export const tableName = (t: number): string => `tbl_${pad(t, 4)}`;
export const partitionName = (p: number): string => `p=${pad(p, 6)}`;
export const fileName = (f: number): string => `part-${pad(f, 5)}.parquet`;

const NAME = [/^db_(\d{4})\.db$/, /^tbl_(\d{4})$/, /^p=(\d{6})$/, /^part-(\d{5})\.parquet$/];

export class SyntheticTree {
  constructor(readonly shape: SyntheticShape) {}

  private counts(): number[] {
    const s = this.shape;
    return [s.databases, s.tables, s.partitions, s.files];
  }

  partitionIndex(d: number, t: number, p: number): number {
    return (d * this.shape.tables + t) * this.shape.partitions + p;
  }

  changedIn(pi: number, generation: number): boolean {
    return mix(this.shape.seed, generation, pi, 0x51) % 1_000_000 < this.shape.changedPercent * 10_000;
  }

  /** How many times partition `pi` changed up to `generation`. */
  version(pi: number, generation: number): number {
    let v = 0;
    for (let g = 1; g <= generation; g++) if (this.changedIn(pi, g)) v++;
    return v;
  }

  fileInfo(pi: number, f: number, v: number): SyntheticInfo {
    const s = this.shape;
    const size = s.minSize + (mix(s.seed, pi, f, v, 0x5e) % (s.maxSize - s.minSize + 1));
    return { isDir: false, size, mtimeMs: s.baseMs + v * 86_400_000, mode: 0o644 };
  }

  dirInfo(): SyntheticInfo {
    return { isDir: true, size: 0, mtimeMs: this.shape.baseMs, mode: 0o755 };
  }

  /** `[d, t, p, f]` prefix of a relative path, undefined when it names nothing synthetic. */
  parse(rel: readonly string[]): number[] | undefined {
    if (rel.length > 4) return undefined;
    const counts = this.counts();
    const out: number[] = [];
    for (const [i, name] of rel.entries()) {
      const m = NAME[i]!.exec(name);
      const n = m ? Number(m[1]) : NaN;
      if (!(n >= 0 && n < counts[i]!)) return undefined;
      out.push(n);
    }
    return out;
  }

  info(ix: readonly number[], generation: number): SyntheticInfo {
    if (ix.length < 4) return this.dirInfo();
    const pi = this.partitionIndex(ix[0]!, ix[1]!, ix[2]!);
    return this.fileInfo(pi, ix[3]!, this.version(pi, generation));
  }

  /** Names of the children of a directory prefix, in byte order (zero-padded: numeric order). */
  childNames(ix: readonly number[]): string[] {
    const level = ix.length;
    const make = [dbName, tableName, partitionName, fileName][level]!;
    return Array.from({ length: this.counts()[level]! }, (_, i) => make(i));
  }

  /** Children with their infos: one directory read (a partition computes its version once). */
  children(ix: readonly number[], generation: number): { name: string; info: SyntheticInfo }[] {
    const names = this.childNames(ix);
    if (ix.length < 3) return names.map((name) => ({ name, info: this.dirInfo() }));
    const pi = this.partitionIndex(ix[0]!, ix[1]!, ix[2]!);
    const v = this.version(pi, generation);
    return names.map((name, f) => ({ name, info: this.fileInfo(pi, f, v) }));
  }

  /** DIR_COUNT / FILE_COUNT / CONTENT_SIZE of a prefix's subtree. */
  summary(ix: readonly number[], generation: number): { dirs: number; files: number; bytes: number } {
    const s = this.shape;
    if (generation < 0) return { dirs: 1, files: 0, bytes: 0 };
    if (ix.length === 4) return { dirs: 0, files: 1, bytes: this.info(ix, generation).size };
    const dLo = ix[0] ?? 0;
    const dHi = ix.length > 0 ? dLo + 1 : s.databases;
    const tLo = ix[1] ?? 0;
    const tHi = ix.length > 1 ? tLo + 1 : s.tables;
    const pLo = ix[2] ?? 0;
    const pHi = ix.length > 2 ? pLo + 1 : s.partitions;
    let bytes = 0;
    for (let d = dLo; d < dHi; d++)
      for (let t = tLo; t < tHi; t++)
        for (let p = pLo; p < pHi; p++) {
          const pi = this.partitionIndex(d, t, p);
          const v = this.version(pi, generation);
          for (let f = 0; f < s.files; f++) bytes += this.fileInfo(pi, f, v).size;
        }
    const parts = (dHi - dLo) * (tHi - tLo) * (pHi - pLo);
    const tables = (dHi - dLo) * (tHi - tLo);
    const dirs =
      ix.length === 0 ? 1 + s.databases + tables + parts : ix.length === 1 ? 1 + tables + parts : ix.length === 2 ? 1 + parts : 1;
    return { dirs, files: parts * s.files, bytes };
  }

  /** Checksum hex of a file (stable per content version), as MD5-of-MD5 (24+32 hex) or COMPOSITE (8 hex). */
  checksum(ix: readonly number[], generation: number, composite: boolean): { algorithm: string; hex: string } {
    const pi = this.partitionIndex(ix[0]!, ix[1]!, ix[2]!);
    const v = this.version(pi, generation);
    const h = (k: number): string => mix(this.shape.seed, pi, ix[3]!, v, k).toString(16).padStart(8, '0');
    if (composite) return { algorithm: 'COMPOSITE-CRC32C', hex: h(1) };
    return { algorithm: 'MD5-of-0MD5-of-512CRC32C', hex: `00000200${'0'.repeat(16)}${h(2)}${h(3)}${h(4)}${h(5)}` };
  }

  /**
   * The part of the tree that differs between two generations, as a manifest (stable path-based
   * ids: no renames), for diffManifests: the root, the dirs above changed partitions, and their files.
   */
  changedManifest(fromGen: number, toGen: number, atGen: number): SyntheticManifest {
    const s = this.shape;
    const manifest: SyntheticManifest = new Map();
    const dir = (rel: string): void => {
      if (!manifest.has(rel)) manifest.set(rel, { id: `syn:${rel}`, type: 'dir', size: 0, mtimeMs: s.baseMs, mode: 0o755 });
    };
    dir('');
    if (atGen < 0) return manifest;
    const lo = Math.min(fromGen, toGen);
    const hi = Math.max(fromGen, toGen);
    for (let d = 0; d < s.databases; d++)
      for (let t = 0; t < s.tables; t++)
        for (let p = 0; p < s.partitions; p++) {
          const pi = this.partitionIndex(d, t, p);
          let changed = false;
          for (let g = Math.max(lo, 0) + 1; g <= hi && !changed; g++) changed = this.changedIn(pi, g);
          if (!changed && !(lo < 0 && hi >= 0)) continue;
          const rel = `${dbName(d)}/${tableName(t)}/${partitionName(p)}`;
          dir(dbName(d));
          dir(`${dbName(d)}/${tableName(t)}`);
          dir(rel);
          const v = this.version(pi, atGen);
          for (let f = 0; f < s.files; f++) {
            const info = this.fileInfo(pi, f, v);
            manifest.set(`${rel}/${fileName(f)}`, {
              id: `syn:${rel}/${fileName(f)}`,
              type: 'file',
              size: info.size,
              mtimeMs: info.mtimeMs,
              mode: 0o644,
            });
          }
        }
    return manifest;
  }
}

const shapeFile = (cluster: Cluster): string => join(cluster.metaDir, 'synthetic.json');
const stateFile = (cluster: Cluster): string => join(cluster.metaDir, 'synthetic-state.json');
const trees = new Map<string, SyntheticTree | null>();
const generations = new Map<string, number>();

/** The synthetic tree of a cluster (read once per process), undefined when it has none. */
export function syntheticOf(cluster: Cluster): SyntheticTree | undefined {
  let tree = trees.get(cluster.metaDir);
  if (tree === undefined) {
    const file = shapeFile(cluster);
    tree = existsSync(file) ? new SyntheticTree(JSON.parse(readFileSync(file, 'utf8')) as SyntheticShape) : null;
    trees.set(cluster.metaDir, tree);
  }
  return tree ?? undefined;
}

export function liveGeneration(cluster: Cluster): number {
  let generation = generations.get(cluster.metaDir);
  if (generation === undefined) {
    const file = stateFile(cluster);
    generation = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SyntheticState).generation : 0;
    generations.set(cluster.metaDir, generation);
  }
  return generation;
}

export function setLiveGeneration(cluster: Cluster, generation: number): void {
  mkdirSync(cluster.metaDir, { recursive: true });
  const file = stateFile(cluster);
  writeFileSync(`${file}.tmp-${process.pid}`, JSON.stringify({ generation } satisfies SyntheticState));
  renameSync(`${file}.tmp-${process.pid}`, file);
  generations.set(cluster.metaDir, generation);
}

/** Where an HDFS path falls in the synthetic tree: the generation it is read at and its indices. */
export function syntheticAt(cluster: Cluster, path: string): { tree: SyntheticTree; generation: number; ix: number[] } | undefined {
  const tree = syntheticOf(cluster);
  if (!tree) return undefined;
  const root = tree.shape.root;
  if (path !== root && !path.startsWith(root === '/' ? '/' : `${root}/`)) return undefined;
  let rest = path === root ? [] : path.slice(root === '/' ? 1 : root.length + 1).split('/');
  let generation = liveGeneration(cluster);
  if (rest[0] === '.snapshot') {
    const snapshot = rest[1] === undefined ? undefined : cluster.snapshot(root, rest[1]);
    if (snapshot?.generation === undefined) return undefined;
    generation = snapshot.generation;
    rest = rest.slice(2);
  }
  if (generation < 0) return rest.length === 0 ? { tree, generation, ix: [] } : undefined;
  const ix = tree.parse(rest);
  return ix ? { tree, generation, ix } : undefined;
}

/** Set up a cluster's synthetic namespace at `generation` (the live root dir is created; snapshots are allowed by the caller). */
export function writeSyntheticNamespace(cluster: Cluster, shape: SyntheticShape, generation = 0): void {
  mkdirSync(cluster.metaDir, { recursive: true });
  mkdirSync(cluster.livePath(shape.root), { recursive: true });
  writeFileSync(shapeFile(cluster), JSON.stringify(shape, null, 1));
  setLiveGeneration(cluster, generation);
  trees.delete(cluster.metaDir);
}
