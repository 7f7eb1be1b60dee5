// `hmsdr plan` of the Cloudera Manager engine: per path, the requests run() sends to the DR
// Cloudera Manager (built by the same request builders and schedule builder), then the T1 check and
// the target snapshot. The peer password is never printed.
import { hdfsCommands } from '../../adapters/hdfs/commands.js';
import { siteSpec } from '../../adapters/hdfs/hdfs.js';
import {
  createScheduleRequest,
  historyRequest,
  listSchedulesRequest,
  peerRequest,
  replicationCommandRequest,
  runScheduleRequest,
  updateScheduleRequest,
  type CmJsonRequest,
} from '../../adapters/cloudera-manager/replication-requests.js';
import type { Action } from '../../actions/action.js';
import type { ResolvedConfig } from '../../config/load.js';
import type { RunInfo } from '../../runbook/step.js';
import { dataPairs, hdfsWhere } from '../pairs.js';
import { syncSnapshotName } from '../distcp/sync-state.js';
import { cmSettings, desiredSchedule, scheduleName } from './schedule.js';

const http = (url: string, r: CmJsonRequest, description?: string): Action => ({
  kind: 'http',
  method: r.method,
  url: `${url.replace(/\/+$/, '')}${r.path}`,
  ...(r.body === undefined ? {} : { body: r.body }),
  description: description ?? r.description,
});

export function cmPlan(config: ResolvedConfig, run: RunInfo): Action[] {
  const s = cmSettings(config);
  const name = syncSnapshotName(run.id);
  const dr = siteSpec('dr', config.dr);
  const where = hdfsWhere(config, 'dr');
  const peer: Action[] = [
    http(
      s.url,
      peerRequest(s, s.engine.peer.name),
      `the peer of the source Cloudera Manager must exist${s.engine.createPeer ? ' (created when missing: POST /cm/peers, its password from the configured source, never printed)' : ''}`,
    ),
  ];
  return [
    ...peer,
    ...dataPairs(config).flatMap((pair): Action[] => {
      const schedule = desiredSchedule(s.engine, pair);
      const label = scheduleName(pair);
      return [
        http(
          s.url,
          listSchedulesRequest(s),
          `find schedule ${label} (by its name; a same-named schedule hmsdr did not create stops the run)`,
        ),
        http(s.url, createScheduleRequest(s, schedule, label), 'when it does not exist'),
        {
          kind: 'note',
          text: `${updateScheduleRequest(s, '<id>', schedule, label).method} ${updateScheduleRequest(s, '<id>', schedule, label).path} with the same schedule when its arguments differ from the config`,
        },
        http(
          s.url,
          runScheduleRequest(s, '<id>', false),
          `replicate ${pair.source} → ${pair.target} (after snapshot T1 ${name} of the source)`,
        ),
        http(s.url, replicationCommandRequest(s, 0), 'poll the command (its id replaces 0) until active is false'),
        http(
          s.url,
          historyRequest(s, '<id>'),
          'hdfsResult of the command: progress, throughput, files/bytes copied, skipped, failed, deleted; on failure POST .../collectDiagnosticData, bundle saved in the run directory',
        ),
        {
          kind: 'note',
          text: `check ${pair.target} against ${pair.source}/.snapshot/${name}: every T1 file present with its length; files newer than T1 are listed`,
        },
        { kind: 'exec', where, command: hdfsCommands.createSnapshot(dr, pair.target, name), description: 'snapshot the target at T1' },
        { kind: 'note', text: `then keep the newest ${config.retention.snapshots} hmsdr snapshots of ${pair.source} and ${pair.target}` },
      ];
    }),
  ];
}
