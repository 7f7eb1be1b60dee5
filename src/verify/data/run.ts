// `hmsdr verify data` and the verify steps (one implementation): L5 per configured path at a
// snapshot (default: the newest hmsdr snapshot both sides have), plus L4 over a list of metastore
// locations when given; the rungs say what failed, and `ok` is theirs.
import type { CallOptions, HdfsPorts } from '../../adapters/hdfs/hdfs.js';
import { isSyncSnapshot } from '../../names/run-names.js';
import type { PathPair } from '../../config/data-paths.js';
import { PreconditionError } from '../../errors/errors.js';
import { rung, type RungResult } from '../ladder.js';
import { compareSnapshotListings, renderEquivalence, type PathEquivalence } from './equivalence.js';
import { checkLocations, type LocationReport } from './presence.js';

export type PresenceRung = RungResult & { checked: number };
export type EquivalenceRung = RungResult & { paths: PathEquivalence[] };

export interface DataVerification {
  equivalence: PathEquivalence[];
  presence?: LocationReport;
  /** L4 (when locations were given), then L5 (when compared). */
  rungs: Array<PresenceRung | EquivalenceRung>;
  ok: boolean;
}

export interface VerifyDataOptions extends CallOptions {
  /** Compare at this snapshot (default: per pair the newest hmsdr snapshot both sides have). */
  snapshot?: string | undefined;
  checksums?: boolean;
  /** L4: metastore locations that must exist on DR (at the snapshot under a data path). */
  locations?: readonly string[];
  /** L5: compare the snapshot listings (default true). Without it and without a snapshot, L4 checks the live tree. */
  equivalence?: boolean;
  /** Who checked (step id, or `verify data`), recorded in the rungs. */
  by?: string;
  /** One line of progress (locations checked of total). */
  onProgress?: (text: string) => void;
}

/** L4 as a rung: every location present on DR. */
export function presenceRung(by: string, report: LocationReport, snapshot: string | undefined): PresenceRung {
  const differences = report.missing.slice(0, 200).map((m) => `missing on DR: ${m.location} (checked ${m.checkedPath})`);
  if (report.missing.length > 200) differences.push(`… ${report.missing.length - 200} more missing`);
  const outside = report.outsideSnapshotRoots.length
    ? ` (${report.outsideSnapshotRoots.length} outside the copied paths, checked live)`
    : '';
  return {
    ...rung('L4', by, differences, `${report.checked} locations present on DR${snapshot ? ` at snapshot ${snapshot}` : ''}${outside}`),
    checked: report.checked,
  };
}

/** L5 as a rung: every path's snapshot listings equal (and checksums when compared). */
export function equivalenceRung(by: string, paths: PathEquivalence[], checksums: boolean): EquivalenceRung {
  const differences = paths.flatMap((p) => [
    ...p.mismatches
      .slice(0, 100)
      .map(
        (m) =>
          `${p.target}/${m.path}: ${m.kind}${m.source ? ` (source ${m.source}` : ''}${m.target ? `${m.source ? ', ' : ' ('}target ${m.target})` : m.source ? ')' : ''}`,
      ),
    ...(p.ok || p.mismatches.length > 0
      ? []
      : [`${p.target} at ${p.snapshot}: files ${p.files.source}/${p.files.target}, bytes ${p.bytes.source}/${p.bytes.target}`]),
  ]);
  const files = paths.reduce((n, p) => n + p.files.source, 0);
  const bytes = paths.reduce((n, p) => n + p.bytes.source, 0);
  const at = [...new Set(paths.map((p) => p.snapshot))].join(', ');
  return {
    ...rung(
      'L5',
      by,
      differences,
      `${paths.length} path(s): ${files} files, ${bytes} bytes equal at ${at}${checksums ? ', COMPOSITE_CRC checksums equal' : ''}`,
    ),
    paths,
  };
}

/** Newest hmsdr snapshot present on both sides of a pair. */
export async function latestCommonSnapshot(hdfs: HdfsPorts, pair: PathPair, options: CallOptions = {}): Promise<string | undefined> {
  const onTarget = new Set((await hdfs.dr.listSnapshots(pair.target, options)).map((s) => s.name));
  const common = (await hdfs.source.listSnapshots(pair.source, options)).filter((s) => isSyncSnapshot(s.name) && onTarget.has(s.name));
  return common.pop()?.name;
}

export async function verifyData(hdfs: HdfsPorts, pairs: readonly PathPair[], options: VerifyDataOptions = {}): Promise<DataVerification> {
  const by = options.by ?? 'verify data';
  const equivalence: PathEquivalence[] = [];
  const snapshots = new Map<PathPair, string>();
  for (const pair of options.equivalence === false ? [] : pairs) {
    const snapshot = options.snapshot ?? (await latestCommonSnapshot(hdfs, pair, options));
    if (!snapshot) {
      throw new PreconditionError(`${pair.source} → ${pair.target}: no hmsdr snapshot exists on both sides`, {
        hint: 'run the copy-data step first (hmsdr run), or name a snapshot with --snapshot',
      });
    }
    snapshots.set(pair, snapshot);
    equivalence.push(
      await compareSnapshotListings(hdfs, pair, snapshot, { signal: options.signal, checksums: options.checksums ?? false }),
    );
  }
  const rungs: DataVerification['rungs'] = [];
  let presence: LocationReport | undefined;
  if (options.locations) {
    // One snapshot for L4: the named one, or the one of the first pair (a run snapshots every path with the same name).
    const snapshot = options.snapshot ?? [...snapshots.values()][0];
    presence = await checkLocations(hdfs.dr, options.locations, {
      signal: options.signal,
      roots: pairs.map((p) => p.target),
      ...(snapshot ? { snapshot } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    rungs.push(presenceRung(by, presence, snapshot));
  }
  if (options.equivalence !== false) rungs.push(equivalenceRung(by, equivalence, options.checksums ?? false));
  return { equivalence, ...(presence ? { presence } : {}), rungs, ok: rungs.every((r) => r.ok) };
}

export function renderDataVerification(result: DataVerification): string {
  const lines = [renderEquivalence(result.equivalence)];
  const p = result.presence;
  if (p) {
    lines.push(
      `${p.ok ? 'OK  ' : 'FAIL'} L4: ${p.checked} locations, ${p.missing.length} missing on DR${p.foreign.length > 0 ? `, ${p.foreign.length} on other file systems (not checked)` : ''}${p.outsideSnapshotRoots.length > 0 ? `, ${p.outsideSnapshotRoots.length} outside data.paths (checked live)` : ''}`,
    );
    for (const m of p.missing.slice(0, 200)) lines.push(`     missing           ${m.location}  (checked ${m.checkedPath})`);
  }
  lines.push(result.ok ? 'data verification passed' : 'data verification FAILED');
  return lines.join('\n');
}
