// Pure builders of the DistCp engine: the spec of one DistCp pass from the config's data options,
// and the actions `hmsdr plan` prints per path (the same specs run() hands to the adapter).
import { distcpCommand, hdfsCommands, qualify, snapshotPath, type DistcpSpec, type HdfsSiteSpec } from '../../adapters/hdfs/commands.js';
import { siteSpec } from '../../adapters/hdfs/hdfs.js';
import type { ResolvedConfig } from '../../config/load.js';
import type { Action } from '../../actions/action.js';
import type { RunInfo } from '../../runbook/step.js';
import { dataPairs, hdfsWhere } from '../pairs.js';
import { syncSnapshotName } from './sync-state.js';

/** A full copy of a snapshot, or a -diff/-rdiff pass between two snapshots. */
export type DistcpPass = { mode: 'full'; snapshot: string } | { mode: 'diff' | 'rdiff'; from: string; to: string };

/** The DistCp spec of one pass, from the config's data options. */
export function distcpSpec(
  config: ResolvedConfig,
  hdfs: { source: { site: HdfsSiteSpec }; dr: { site: HdfsSiteSpec } },
  pair: { source: string; target: string },
  pass: DistcpPass,
): DistcpSpec {
  const sourceUri = qualify(hdfs.source.site, pair.source);
  const common = {
    target: qualify(hdfs.dr.site, pair.target),
    preserve: config.data.preserve,
    maps: config.data.maps,
    bandwidthMBPerMap: config.data.bandwidthMBPerMap,
    filtersFile: config.data.filtersFile,
    extraArgs: config.data.extraArgs,
  };
  if (pass.mode === 'full') return { ...common, mode: 'full', source: snapshotPath(sourceUri, pass.snapshot), deleteMissing: true };
  return { ...common, mode: pass.mode, from: pass.from, to: pass.to, source: sourceUri };
}

/** Per path: the incremental DistCp, the bootstrap alternative, the target snapshot and retention. */
export function distcpPlan(config: ResolvedConfig, run: RunInfo): Action[] {
  const source = siteSpec('source', config.source);
  const dr = siteSpec('dr', config.dr);
  const name = syncSnapshotName(run.id);
  const sites = { source: { site: source }, dr: { site: dr } };
  const where = hdfsWhere(config, 'dr');
  return dataPairs(config).flatMap((pair): Action[] => [
    {
      kind: 'exec',
      where,
      command: distcpCommand(dr, distcpSpec(config, sites, pair, { mode: 'diff', from: '<prev>', to: name })),
      description: `incremental copy of ${pair.source} (<prev> = newest hmsdr snapshot on both sides)`,
    },
    {
      kind: 'note',
      text: `bootstrap instead (no common snapshot): ${distcpCommand(dr, distcpSpec(config, sites, pair, { mode: 'full', snapshot: name })).args.join(' ')}`,
    },
    { kind: 'exec', where, command: hdfsCommands.createSnapshot(dr, pair.target, name), description: 'snapshot the target at T1' },
    { kind: 'note', text: `then keep the newest ${config.retention.snapshots} hmsdr snapshots of ${pair.source} and ${pair.target}` },
  ]);
}
