// L5 file equivalence: the listing of source `.snapshot/<T1>` against target `.snapshot/<T1>` —
// file count, bytes, per-path type and length, optionally COMPOSITE_CRC checksums.
import { snapshotPath } from '../../adapters/hdfs/commands.js';
import type { CallOptions, HdfsPorts } from '../../adapters/hdfs/hdfs.js';
import type { LsEntry } from '../../adapters/hdfs/parse.js';

export type MismatchKind = 'missing-on-target' | 'extra-on-target' | 'type' | 'length' | 'checksum';

export interface Mismatch {
  /** Relative to the snapshot root. */
  path: string;
  kind: MismatchKind;
  source?: string;
  target?: string;
}

export interface PathEquivalence {
  source: string;
  target: string;
  snapshot: string;
  files: { source: number; target: number };
  dirs: { source: number; target: number };
  bytes: { source: number; target: number };
  checksumsCompared: number;
  mismatches: Mismatch[];
  ok: boolean;
}

function relativeListing(entries: LsEntry[], root: string): Map<string, LsEntry> {
  const out = new Map<string, LsEntry>();
  for (const e of entries) {
    const at = e.path.indexOf(root);
    const rel = at >= 0 ? e.path.slice(at + root.length).replace(/^\//, '') : e.path;
    out.set(rel, e);
  }
  return out;
}

const totals = (listing: Map<string, LsEntry>): { files: number; dirs: number; bytes: number } => {
  let files = 0;
  let dirs = 0;
  let bytes = 0;
  for (const e of listing.values()) {
    if (e.type === 'dir') dirs++;
    else {
      files++;
      bytes += e.length;
    }
  }
  return { files, dirs, bytes };
};

/** Compare one pair at `snapshot`; `checksums` adds a COMPOSITE_CRC comparison of every common file. */
export async function compareSnapshotListings(
  hdfs: HdfsPorts,
  pair: { source: string; target: string },
  snapshot: string,
  options: CallOptions & { checksums?: boolean } = {},
): Promise<PathEquivalence> {
  const srcRoot = snapshotPath(pair.source, snapshot);
  const dstRoot = snapshotPath(pair.target, snapshot);
  const src = relativeListing(await hdfs.source.listRecursive(srcRoot, options), `/.snapshot/${snapshot}`);
  const dst = relativeListing(await hdfs.dr.listRecursive(dstRoot, options), `/.snapshot/${snapshot}`);
  const mismatches: Mismatch[] = [];
  const sameLength: string[] = [];
  for (const [rel, s] of src) {
    const d = dst.get(rel);
    if (!d) mismatches.push({ path: rel, kind: 'missing-on-target', source: `${s.type} ${s.length}` });
    else if (d.type !== s.type) mismatches.push({ path: rel, kind: 'type', source: s.type, target: d.type });
    else if (s.type === 'file' && d.length !== s.length)
      mismatches.push({ path: rel, kind: 'length', source: String(s.length), target: String(d.length) });
    else if (s.type === 'file') sameLength.push(rel);
  }
  for (const [rel, d] of dst) if (!src.has(rel)) mismatches.push({ path: rel, kind: 'extra-on-target', target: `${d.type} ${d.length}` });
  let checksumsCompared = 0;
  if (options.checksums && sameLength.length > 0) {
    const srcSums = await hdfs.source.checksums(
      sameLength.map((r) => `${srcRoot}/${r}`),
      { ...options, composite: true },
    );
    const dstSums = await hdfs.dr.checksums(
      sameLength.map((r) => `${dstRoot}/${r}`),
      { ...options, composite: true },
    );
    for (const rel of sameLength) {
      const a = srcSums.get(`${srcRoot}/${rel}`);
      const b = dstSums.get(`${dstRoot}/${rel}`);
      checksumsCompared++;
      const text = (c: typeof a): string => (c ? `${c.algorithm}:${c.hex}` : 'none');
      if (!a || !b || a.algorithm !== b.algorithm || a.hex !== b.hex)
        mismatches.push({ path: rel, kind: 'checksum', source: text(a), target: text(b) });
    }
  }
  mismatches.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const s = totals(src);
  const d = totals(dst);
  return {
    source: pair.source,
    target: pair.target,
    snapshot,
    files: { source: s.files, target: d.files },
    dirs: { source: s.dirs, target: d.dirs },
    bytes: { source: s.bytes, target: d.bytes },
    checksumsCompared,
    mismatches,
    ok: mismatches.length === 0 && s.files === d.files && s.bytes === d.bytes,
  };
}

/** Human-readable lines of an L5 result. */
export function renderEquivalence(results: readonly PathEquivalence[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(
      `${r.ok ? 'OK  ' : 'FAIL'} ${r.source} → ${r.target} at ${r.snapshot}: files ${r.files.source}/${r.files.target}, bytes ${r.bytes.source}/${r.bytes.target}${r.checksumsCompared > 0 ? `, ${r.checksumsCompared} checksums compared` : ''}`,
    );
    for (const m of r.mismatches.slice(0, 200))
      lines.push(
        `     ${m.kind.padEnd(17)} ${m.path}${m.source !== undefined || m.target !== undefined ? `  (source ${m.source ?? '-'}, target ${m.target ?? '-'})` : ''}`,
      );
    if (r.mismatches.length > 200) lines.push(`     … ${r.mismatches.length - 200} more`);
  }
  return lines.join('\n');
}
