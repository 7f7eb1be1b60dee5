// T0 ≤ T1 with an engine that copies the live source: Cloudera Manager replicates what the source
// holds when its job runs (after hmsdr's snapshot T1). The DR side is checked against T1: every
// file of `.snapshot/<T1>` must be on DR with the same length; a DR file that is not in T1 but is
// on the source now is "newer than T1" (allowed, reported); any other extra file is stale.
import { snapshotPath } from '../../adapters/hdfs/commands.js';
import type { CallOptions, HdfsPorts } from '../../adapters/hdfs/hdfs.js';
import type { LsEntry } from '../../adapters/hdfs/parse.js';

export interface T1Check {
  missing: string[];
  wrongLength: { path: string; t1: number; dr: number }[];
  newerThanT1: string[];
  stale: string[];
  files: number;
}

function relative(entries: LsEntry[], root: string): Map<string, LsEntry> {
  const out = new Map<string, LsEntry>();
  const marker = root.replace(/\/+$/, '');
  for (const e of entries) {
    const at = e.path.indexOf(marker);
    out.set(at >= 0 ? e.path.slice(at + marker.length).replace(/^\//, '') : e.path, e);
  }
  return out;
}

export async function checkAgainstT1(
  hdfs: HdfsPorts,
  pair: { source: string; target: string },
  snapshot: string,
  options: CallOptions = {},
): Promise<T1Check> {
  const t1Root = snapshotPath(pair.source, snapshot);
  const t1 = relative(await hdfs.source.listRecursive(t1Root, options), `/.snapshot/${snapshot}`);
  const dr = relative(await hdfs.dr.listRecursive(pair.target, options), pair.target);
  const check: T1Check = { missing: [], wrongLength: [], newerThanT1: [], stale: [], files: 0 };
  for (const [rel, s] of t1) {
    if (s.type !== 'file') continue;
    check.files++;
    const d = dr.get(rel);
    if (d?.type !== 'file') check.missing.push(rel);
    else if (d.length !== s.length) check.wrongLength.push({ path: rel, t1: s.length, dr: d.length });
  }
  const extras = [...dr].filter(([rel, d]) => d.type === 'file' && !t1.has(rel)).map(([rel]) => rel);
  if (extras.length > 0) {
    const live = relative(await hdfs.source.listRecursive(pair.source, options), pair.source);
    for (const rel of extras) (live.has(rel) ? check.newerThanT1 : check.stale).push(rel);
  }
  return check;
}

export const t1Violations = (c: T1Check): number => c.missing.length + c.wrongLength.length;
