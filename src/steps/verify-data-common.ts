// L4 (data presence) and L5 (file equivalence) as the verify steps run them.
import type { ResolvedConfig } from '../config/load.js';
import type { HdfsPorts } from '../adapters/hdfs/hdfs.js';
import type { SitePort } from '../adapters/site.js';
import { rung, type RungResult } from '../verify/ladder.js';
import { checkLocations } from '../verify/data/presence.js';
import { compareSnapshotListings, type PathEquivalence } from '../verify/data/equivalence.js';
import { listLocations } from '../verify/metastore/locations.js';
import type { CopyDataOutput } from './copy-data.js';
import { dataPairs } from './snapshot-source.js';

/** L4: every location of `database` exists on DR HDFS at the run's snapshot. */
export async function dataPresenceRung(
  by: string,
  dr: SitePort,
  database: string,
  hdfs: HdfsPorts,
  config: ResolvedConfig,
  copy: CopyDataOutput | undefined,
  signal?: AbortSignal,
): Promise<RungResult & { checked: number }> {
  const client = await dr.connect(database, signal);
  let locations: string[];
  try {
    locations = await listLocations(client);
  } finally {
    await client.end().catch(() => undefined);
  }
  const report = await checkLocations(hdfs.dr, locations, { signal, roots: dataPairs(config).map((p) => p.target), snapshot: copy?.snapshot });
  const differences = report.missing.slice(0, 200).map((m) => `missing on DR: ${m.location} (checked ${m.checkedPath})`);
  if (report.missing.length > 200) differences.push(`… ${report.missing.length - 200} more missing`);
  const result = rung('L4', by, differences, `${report.checked} locations present on DR${copy ? ` at snapshot ${copy.snapshot}` : ''}${report.outsideSnapshotRoots.length ? ` (${report.outsideSnapshotRoots.length} outside the copied paths, checked live)` : ''}`);
  return { ...result, checked: report.checked };
}

/** L5: source `.snapshot/<T1>` and target `.snapshot/<T1>` list the same files and bytes (and checksums when configured). */
export async function fileEquivalenceRung(by: string, hdfs: HdfsPorts, config: ResolvedConfig, copy: CopyDataOutput, signal?: AbortSignal): Promise<RungResult & { paths: PathEquivalence[] }> {
  const paths: PathEquivalence[] = [];
  for (const pair of dataPairs(config)) {
    paths.push(await compareSnapshotListings(hdfs, pair, copy.snapshot, { signal, checksums: config.data.checksums }));
  }
  const differences = paths.flatMap((p) => p.mismatches.slice(0, 100).map((m) => `${p.target}/${m.path}: ${m.kind}${m.source ? ` (source ${m.source}` : ''}${m.target ? `, target ${m.target})` : m.source ? ')' : ''}`));
  const files = paths.reduce((n, p) => n + p.files.source, 0);
  const bytes = paths.reduce((n, p) => n + p.bytes.source, 0);
  const result = rung('L5', by, differences, `${paths.length} path(s): ${files} files, ${bytes} bytes equal at ${copy.snapshot}${config.data.checksums ? ', COMPOSITE_CRC checksums equal' : ''}`);
  return { ...result, paths };
}
