// T0 ≤ T1 with an engine that copies the live source: Cloudera Manager replicates what the source
// holds when its job runs (after hmsdr's snapshot T1). The DR side is checked against T1: every
// file of `.snapshot/<T1>` must be on DR with the same length; a DR file that is not in T1 but is
// on the source now is "newer than T1" (allowed, reported); any other extra file is stale.
// The listings are streamed, sorted on disk and merged as L5's are: memory does not grow with the
// number of files, only with the files on DR that T1 lacks (held until the live source is read).
import { snapshotPath } from '../../adapters/hdfs/commands.js';
import type { CallOptions, HdfsPorts } from '../../adapters/hdfs/hdfs.js';
import { compareKeys } from '../../util/external-sort.js';
import { mergeCompare } from '../../verify/data/merge-compare.js';
import { sortedListing, type ListingOptions } from '../../verify/data/sorted-listing.js';

export interface T1Check {
  missing: string[];
  wrongLength: { path: string; t1: number; dr: number }[];
  newerThanT1: string[];
  stale: string[];
  files: number;
}

const isFile = (described: string | undefined): boolean => described?.startsWith('file') ?? false;

export async function checkAgainstT1(
  hdfs: HdfsPorts,
  pair: { source: string; target: string },
  snapshot: string,
  options: CallOptions & Pick<ListingOptions, 'tmpDir'> = {},
): Promise<T1Check> {
  const listing: ListingOptions = { ...(options.signal ? { signal: options.signal } : {}), tmpDir: options.tmpDir };
  const counters = () => ({ excluded: { files: 0, bytes: 0 } });
  const t1 = sortedListing(hdfs.source, snapshotPath(pair.source, snapshot), listing, counters());
  const dr = sortedListing(hdfs.dr, pair.target, listing, counters());
  const check: T1Check = { missing: [], wrongLength: [], newerThanT1: [], stale: [], files: 0 };
  // DR files T1 lacks, in sorted order.
  const extras: string[] = [];
  try {
    const merged = await mergeCompare(
      t1,
      dr,
      (m) => {
        if (m.kind === 'missing-on-target' && isFile(m.source)) check.missing.push(m.path);
        else if (m.kind === 'type' && m.source === 'file') check.missing.push(m.path);
        else if (m.kind === 'length') check.wrongLength.push({ path: m.path, t1: Number(m.source), dr: Number(m.target) });
        else if (m.kind === 'extra-on-target' && isFile(m.target)) extras.push(m.path);
      },
      () => undefined,
    );
    check.files = merged.source.files;
  } finally {
    await Promise.all([t1.return(undefined), dr.return(undefined)]);
  }
  if (extras.length > 0) {
    // Walk the live source's sorted listing alongside the sorted extras.
    const live = sortedListing(hdfs.source, pair.source, listing, counters());
    let next = 0;
    try {
      for await (const record of live) {
        while (next < extras.length && compareKeys(extras[next]!, record.rel) < 0) check.stale.push(extras[next++]!);
        if (next < extras.length && extras[next] === record.rel) (record.dir ? check.stale : check.newerThanT1).push(extras[next++]!);
        if (next === extras.length) break;
      }
    } finally {
      await live.return(undefined);
    }
    check.stale.push(...extras.slice(next));
  }
  return check;
}

export const t1Violations = (c: T1Check): number => c.missing.length + c.wrongLength.length;
