// `hmsdr verify data` and the verify steps: L5 per configured path at a snapshot (default: the
// newest hmsdr snapshot both sides have), plus L4 over a list of metastore locations when given.
import type { CallOptions, HdfsPorts } from '../../adapters/hdfs/hdfs.js';
import { isSyncSnapshot, type PathPair } from '../../copy/distcp/sync-state.js';
import { PreconditionError } from '../../errors/errors.js';
import { compareSnapshotListings, renderEquivalence, type PathEquivalence } from './equivalence.js';
import { checkLocations, type LocationReport } from './presence.js';

export interface DataVerification {
  equivalence: PathEquivalence[];
  presence?: LocationReport;
  ok: boolean;
}

/** Newest hmsdr snapshot present on both sides of a pair. */
export async function latestCommonSnapshot(hdfs: HdfsPorts, pair: PathPair, options: CallOptions = {}): Promise<string | undefined> {
  const onTarget = new Set((await hdfs.dr.listSnapshots(pair.target, options)).map((s) => s.name));
  const common = (await hdfs.source.listSnapshots(pair.source, options)).filter((s) => isSyncSnapshot(s.name) && onTarget.has(s.name));
  return common.pop()?.name;
}

export async function verifyData(hdfs: HdfsPorts, pairs: readonly PathPair[], options: CallOptions & { snapshot?: string; checksums?: boolean; locations?: readonly string[] } = {}): Promise<DataVerification> {
  const equivalence: PathEquivalence[] = [];
  const snapshots = new Map<PathPair, string>();
  for (const pair of pairs) {
    const snapshot = options.snapshot ?? (await latestCommonSnapshot(hdfs, pair, options));
    if (!snapshot) {
      throw new PreconditionError(`${pair.source} → ${pair.target}: no hmsdr snapshot exists on both sides`, { hint: 'run the copy-data step first (hmsdr run), or name a snapshot with --snapshot' });
    }
    snapshots.set(pair, snapshot);
    equivalence.push(await compareSnapshotListings(hdfs, pair, snapshot, { signal: options.signal, checksums: options.checksums ?? false }));
  }
  let presence: LocationReport | undefined;
  if (options.locations) {
    // One snapshot for L4: the named one, or the one of the first pair (a run snapshots every path with the same name).
    const snapshot = options.snapshot ?? [...snapshots.values()][0];
    presence = await checkLocations(hdfs.dr, options.locations, { signal: options.signal, roots: pairs.map((p) => p.target), ...(snapshot ? { snapshot } : {}) });
  }
  return { equivalence, ...(presence ? { presence } : {}), ok: equivalence.every((e) => e.ok) && (presence?.ok ?? true) };
}

export function renderDataVerification(result: DataVerification): string {
  const lines = [renderEquivalence(result.equivalence)];
  const p = result.presence;
  if (p) {
    lines.push(`${p.ok ? 'OK  ' : 'FAIL'} L4: ${p.checked} locations, ${p.missing.length} missing on DR${p.foreign.length > 0 ? `, ${p.foreign.length} on other file systems (not checked)` : ''}${p.outsideSnapshotRoots.length > 0 ? `, ${p.outsideSnapshotRoots.length} outside data.paths (checked live)` : ''}`);
    for (const m of p.missing.slice(0, 200)) lines.push(`     missing           ${m.location}  (checked ${m.checkedPath})`);
  }
  lines.push(result.ok ? 'data verification passed' : 'data verification FAILED');
  return lines.join('\n');
}
