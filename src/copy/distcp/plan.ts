// Pure builders of the DistCp engine: the spec of one DistCp pass from the config's data options,
// and the actions `hmsdr plan` prints per path (the same specs run() hands to the adapter).
import { distcpCommand, hdfsCommands, qualify, snapshotPath, type DistcpSpec, type HdfsSiteSpec } from '../../adapters/hdfs/commands.js';
import { siteSpec } from '../../adapters/hdfs/hdfs.js';
import type { ResolvedConfig } from '../../config/load.js';
import type { Action } from '../../actions/action.js';
import type { RunInfo } from '../../runbook/step.js';
import { dataPairs, hdfsWhere } from '../pairs.js';
import type { CopyOptions } from '../../config/schema-copy.js';
import { distcpOptions, filtersFileText, generatedFiltersFile, pairOptions, type PassContext } from './options.js';
import { syncRecordPath } from './sync-record.js';
import { syncSnapshotName } from './sync-state.js';

/** A full copy of a snapshot, or a -diff/-rdiff pass between two snapshots. */
export type DistcpPass = { mode: 'full'; snapshot: string } | { mode: 'diff' | 'rdiff'; from: string; to: string };

/** The DistCp spec of one pass, from the path's copy options. */
export function distcpSpec(
  config: ResolvedConfig,
  hdfs: { source: { site: HdfsSiteSpec }; dr: { site: HdfsSiteSpec } },
  pair: { source: string; target: string },
  pass: DistcpPass,
  context: PassContext,
): DistcpSpec {
  const sourceUri = qualify(hdfs.source.site, pair.source);
  const options = distcpOptions(config, pair, context);
  // -log resolves against the client's fs.defaultFS: qualified, it is DR's whatever the edge node's core-site says.
  const logDir = options.logDir === undefined ? undefined : qualify(hdfs.dr.site, options.logDir);
  const common = { ...options, logDir, target: qualify(hdfs.dr.site, pair.target) };
  if (pass.mode === 'full') {
    // deletePolicy keep: no -delete, DR keeps what the source deleted.
    const deleteMissing = pairOptions(config, pair).deletePolicy === 'delete';
    return { ...common, mode: 'full', source: snapshotPath(sourceUri, pass.snapshot), deleteMissing };
  }
  return { ...common, mode: pass.mode, from: pass.from, to: pass.to, source: sourceUri };
}

/** Per path: the filters file, the incremental DistCp, the bootstrap alternative, the target snapshot and retention. */
export function distcpPlan(config: ResolvedConfig, run: RunInfo): Action[] {
  const source = siteSpec('source', config.source);
  const dr = siteSpec('dr', config.dr);
  const name = syncSnapshotName(run.id);
  const sites = { source: { site: source }, dr: { site: dr } };
  const where = hdfsWhere(config, 'dr');
  return dataPairs(config).flatMap((pair): Action[] => {
    const options = pairOptions(config, pair);
    const context = { runId: run.id, pass: 1 };
    const full = distcpCommand(dr, distcpSpec(config, sites, pair, { mode: 'full', snapshot: name }, context));
    const filters = generatedFiltersFile(config, run.id, pair);
    const actions: Action[] = [];
    if (filters) {
      actions.push({
        kind: 'note',
        text: `write the DistCp -filters file ${filters} on the DR host (${options.exclude.length} exclusion(s) of ${pair.source}: ${options.exclude.join(', ')}):\n${filtersFileText(config, pair).trimEnd()}`,
      });
    }
    if (options.deletePolicy === 'keep') {
      actions.push({
        kind: 'exec',
        where,
        command: full,
        description: `copy of ${pair.source} (deletePolicy keep: an -update of the whole snapshot without -delete, never -diff, which would apply the deletions)`,
      });
    } else {
      actions.push(
        {
          kind: 'exec',
          where,
          command: distcpCommand(dr, distcpSpec(config, sites, pair, { mode: 'diff', from: '<prev>', to: name }, context)),
          description: `incremental copy of ${pair.source} (<prev> = newest hmsdr snapshot on both sides)`,
        },
        {
          kind: 'note',
          text: `bootstrap instead (no common snapshot), or full copy when the copy policy (deletePolicy, preserve, target, exclusions) changed since the last run or files failed then: ${full.args.join(' ')}`,
        },
      );
    }
    for (const note of optionNotes(options)) actions.push({ kind: 'note', text: `${pair.source}: ${note}` });
    actions.push(
      { kind: 'exec', where, command: hdfsCommands.createSnapshot(dr, pair.target, name), description: 'snapshot the target at T1' },
      {
        kind: 'note',
        text: `record the copy policy in ${syncRecordPath(pair.target)} (on DR HDFS, beside the target); then keep the newest ${config.retention.snapshots} hmsdr snapshots of ${pair.source} and ${pair.target}`,
      },
    );
    return actions;
  });
}

/** What the options mean for this run, in words (plan and report). */
export function optionNotes(options: CopyOptions): string[] {
  const notes: string[] = [];
  if (options.skipChecksum)
    notes.push(
      'WARNING skipChecksum: DistCp does not compare checksums at copy time (-skipcrccheck); a file of the same length is taken as equal',
    );
  if (!options.abortOnError)
    notes.push(
      'abortOnError false (-i): a file DistCp cannot read does not stop the job; failed files are read from the job log (-log) and the run ends "copied with failures" (exit 5)',
    );
  return notes;
}
