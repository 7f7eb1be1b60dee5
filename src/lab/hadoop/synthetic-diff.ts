// Snapshot diffs of a directory that holds a synthetic namespace: the real entries (an overlay) and
// the synthetic partitions that changed between the two states' generations, diffed as one tree.
import type { Cluster, Manifest, SnapshotMeta } from './cluster.js';
import { diffManifests, type DiffEntry } from './snapshot-diff.js';
import { liveGeneration, syntheticOf } from './synthetic.js';

/** The state of `dir` at `snapshot` (undefined = now) merged with its synthetic part (real entries win). */
function merged(cluster: Cluster, dir: string, snapshot: SnapshotMeta | undefined, fromGen: number, toGen: number): Manifest {
  const real = cluster.manifest(dir, snapshot);
  const tree = syntheticOf(cluster);
  if (!tree || tree.shape.root !== dir) return real;
  const at = snapshot ? (snapshot.generation ?? 0) : liveGeneration(cluster);
  const out: Manifest = tree.changedManifest(fromGen, toGen, at);
  for (const [rel, entry] of real) {
    const synthetic = out.get(rel);
    // A real directory standing where a synthetic one is keeps the synthetic identity (no false rename).
    out.set(rel, synthetic && synthetic.type === 'dir' && entry.type === 'dir' ? synthetic : entry);
  }
  return out;
}

/** Whether `dir` is the root of the cluster's synthetic namespace. */
export function isSyntheticRoot(cluster: Cluster, dir: string): boolean {
  return syntheticOf(cluster)?.shape.root === dir;
}

/** The generation of `dir` at `snapshot` (undefined = now); 0 for non-synthetic dirs. */
export function generationAt(cluster: Cluster, snapshot: SnapshotMeta | undefined): number {
  return snapshot ? (snapshot.generation ?? 0) : liveGeneration(cluster);
}

/** diffManifests of `dir` from state `from` to state `to` (undefined = the current state). */
export function diffStates(cluster: Cluster, dir: string, from: SnapshotMeta | undefined, to: SnapshotMeta | undefined): DiffEntry[] {
  if (!isSyntheticRoot(cluster, dir)) return diffManifests(cluster.manifest(dir, from), cluster.manifest(dir, to));
  const fromGen = generationAt(cluster, from);
  const toGen = generationAt(cluster, to);
  return diffManifests(merged(cluster, dir, from, fromGen, toGen), merged(cluster, dir, to, fromGen, toGen));
}
