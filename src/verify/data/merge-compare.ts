// The heart of L5: a merge of two listings sorted by relative path (compareKeys). One pass, one
// record of each side in memory: every path is missing on the target, extra on the target, of
// another type, of another length, or equal.
import { compareKeys } from '../../util/external-sort.js';
import type { ListingRecord } from './sorted-listing.js';

export type MismatchKind = 'missing-on-target' | 'extra-on-target' | 'type' | 'length' | 'checksum';

export interface Mismatch {
  /** Relative to the snapshot root. */
  path: string;
  kind: MismatchKind;
  source?: string;
  target?: string;
}

export interface SideTotals {
  files: number;
  dirs: number;
  bytes: number;
}

export interface MergeResult {
  source: SideTotals;
  target: SideTotals;
  /** Files present on both sides with the same length. */
  equalFiles: number;
}

const describe = (r: ListingRecord): string => `${r.dir ? 'dir' : 'file'} ${r.length}`;

function add(totals: SideTotals, r: ListingRecord): void {
  if (r.dir) totals.dirs++;
  else {
    totals.files++;
    totals.bytes += r.length;
  }
}

/**
 * Merge `source` and `target` (both sorted by `rel`); `onMismatch` for each difference, `onEqualFile`
 * for each file of equal length on both sides (the checksum candidates), `onEqualDir` for each
 * directory on both sides. Both inputs are started
 * together, so two listings run at once.
 */
export async function mergeCompare(
  source: AsyncIterator<ListingRecord>,
  target: AsyncIterator<ListingRecord>,
  onMismatch: (m: Mismatch) => void,
  onEqualFile: (rel: string) => void | Promise<void>,
  onEqualDir?: (rel: string) => void,
): Promise<MergeResult> {
  const result: MergeResult = { source: { files: 0, dirs: 0, bytes: 0 }, target: { files: 0, dirs: 0, bytes: 0 }, equalFiles: 0 };
  let [s, t] = await Promise.all([source.next(), target.next()]);
  let previous: string | undefined;
  const inOrder = (rel: string): void => {
    if (previous !== undefined && compareKeys(previous, rel) >= 0)
      throw new Error(`L5 merge: listings are not sorted (${JSON.stringify(previous)} before ${JSON.stringify(rel)})`);
  };
  let lastTarget: string | undefined;
  while (!s.done || !t.done) {
    const order = s.done ? 1 : t.done ? -1 : compareKeys(s.value.rel, t.value.rel);
    if (order < 0) {
      const a = s.value as ListingRecord;
      inOrder(a.rel);
      previous = a.rel;
      add(result.source, a);
      onMismatch({ path: a.rel, kind: 'missing-on-target', source: describe(a) });
      s = await source.next();
    } else if (order > 0) {
      const b = t.value as ListingRecord;
      if (lastTarget !== undefined && compareKeys(lastTarget, b.rel) >= 0)
        throw new Error(`L5 merge: listings are not sorted (${JSON.stringify(lastTarget)} before ${JSON.stringify(b.rel)})`);
      lastTarget = b.rel;
      add(result.target, b);
      onMismatch({ path: b.rel, kind: 'extra-on-target', target: describe(b) });
      t = await target.next();
    } else {
      const a = s.value as ListingRecord;
      const b = t.value as ListingRecord;
      inOrder(a.rel);
      previous = a.rel;
      lastTarget = b.rel;
      add(result.source, a);
      add(result.target, b);
      if (a.dir !== b.dir) onMismatch({ path: a.rel, kind: 'type', source: a.dir ? 'dir' : 'file', target: b.dir ? 'dir' : 'file' });
      else if (a.dir) onEqualDir?.(a.rel);
      else if (!a.dir && a.length !== b.length)
        onMismatch({ path: a.rel, kind: 'length', source: String(a.length), target: String(b.length) });
      else if (!a.dir) {
        result.equalFiles++;
        await onEqualFile(a.rel);
      }
      [s, t] = await Promise.all([source.next(), target.next()]);
    }
  }
  return result;
}
