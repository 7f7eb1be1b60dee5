// The config of the Cloudera Manager replication engine (`data.engine: cloudera-manager`,
// `data.cm`): the DR Cloudera Manager that runs the HDFS replication (replications are pull-based),
// its peer for the source Cloudera Manager, and the ApiHdfsReplicationArguments hmsdr sets on the
// schedules it creates (field names as in cm_api's ApiHdfsReplicationArguments).
import * as z from 'zod/mini';
import { describe, durationMs, flag, integer, secretRef, text } from './schema-helpers.js';

const peerSchema = z.strictObject({
  name: describe(text(), 'Name of the peer (the source Cloudera Manager) on the DR Cloudera Manager (Administration > Peers).'),
  url: describe(
    z.optional(z.url()),
    'URL of the source Cloudera Manager; only used when createPeer is true (CM contacts it to create its replication user).',
  ),
  user: describe(z.optional(text()), 'Admin user of the source Cloudera Manager, only used when createPeer is true.'),
  ...secretRef,
});

export const cmEngineSchema = z.strictObject({
  url: describe(
    z.optional(z.url()),
    'DR Cloudera Manager base URL (default: dr.serviceControl.url when service control is cloudera-manager).',
  ),
  apiVersion: describe(
    z.optional(z.string().check(z.regex(/^v\d+$/))),
    'API version prefix (default: dr.serviceControl.apiVersion, else v41). Diagnostic collection needs v11 or later.',
  ),
  cluster: describe(z.optional(text()), 'DR cluster name (default: dr.serviceControl.cluster).'),
  user: describe(z.optional(text()), 'DR Cloudera Manager user (default: dr.serviceControl.user with its password).'),
  ...secretRef,
  caFile: describe(z.optional(text()), 'CA certificate for a private TLS certificate of the DR Cloudera Manager.'),
  hdfsService: describe(z._default(text(), 'hdfs'), 'Name of the DR HDFS service the replication schedules belong to.'),
  peer: describe(peerSchema, 'The peer of the source Cloudera Manager, as registered on the DR Cloudera Manager.'),
  createPeer: describe(
    flag(false),
    'Create the peer when it does not exist (needs peer.url, peer.user and the peer password); otherwise a missing peer stops the run.',
  ),
  sourceCluster: describe(text(), 'Cluster name on the source Cloudera Manager (sourceService.clusterName).'),
  sourceHdfsService: describe(z._default(text(), 'hdfs'), 'HDFS service on the source cluster (sourceService.serviceName).'),
  mapreduceServiceName: describe(z._default(text(), 'yarn'), 'YARN/MapReduce service of the DR cluster that runs the copy job.'),
  schedulerPoolName: describe(z.optional(text()), 'Scheduler pool (queue) of the copy job.'),
  userName: describe(z.optional(text()), 'User the copy job runs as (required with Kerberos).'),
  numMaps: describe(z.optional(integer(1)), 'Number of mappers of the copy job.'),
  bandwidthPerMap: describe(z.optional(integer(1)), 'Maximum bandwidth per mapper, in MB.'),
  replicationStrategy: describe(
    z._default(z.enum(['STATIC', 'DYNAMIC']), 'DYNAMIC'),
    'STATIC: files split among the mappers up front by size; DYNAMIC: mappers take small sets as they finish.',
  ),
  abortOnError: describe(flag(true), 'Abort the replication on the first failed file.'),
  removeMissingFiles: describe(
    flag(true),
    'Delete DR files that are no longer on the source (a mirror; off leaves them, and L5 then reports them as extra).',
  ),
  skipTrash: describe(flag(false), 'Delete those files permanently instead of moving them to the trash.'),
  preserveReplicationCount: describe(flag(false), 'Preserve the HDFS replication factor.'),
  preserveBlockSize: describe(flag(true), 'Preserve the block size (keep it: block-based checksums of source and DR are then comparable).'),
  preservePermissions: describe(flag(true), 'Preserve owner, group, permissions (and ACLs).'),
  preserveXAttrs: describe(flag(false), 'Preserve extended attributes.'),
  skipChecksumChecks: describe(
    flag(false),
    'Skip the checksum validation of copied files (the report then warns that copy-time checksums were off).',
  ),
  skipListingChecksumChecks: describe(
    flag(false),
    'Skip the checksum comparison that decides which files to copy (CM 7; length and time only).',
  ),
  exclusionFilters: describe(z._default(z.array(text()), []), 'Regular expressions of full paths excluded from the replication.'),
  raiseSnapshotDiffFailures: describe(
    flag(true),
    'Fail instead of falling back to a full copy listing when the snapshot diff of a run fails.',
  ),
  pollIntervalMs: describe(durationMs(10, 5000), 'Polling interval of a replication command.'),
  timeoutMs: describe(durationMs(1000, 6 * 3600_000), 'How long to wait for one replication command.'),
});

export type CmEngineConfig = z.output<typeof cmEngineSchema>;

/** Cross-field rules of the engine (called from rules.ts). */
export function cmEngineRules(config: {
  data: { engine: string; cm?: CmEngineConfig | undefined };
  dr: { serviceControl: { type: string } };
}): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const cm = config.data.cm;
  if (config.data.engine !== 'cloudera-manager') return issues;
  if (!cm) return [{ path: 'data.cm', message: 'is required when data.engine is cloudera-manager' }];
  const inherits = config.dr.serviceControl.type === 'cloudera-manager';
  for (const key of ['url', 'cluster', 'user'] as const) {
    if (!cm[key] && !inherits)
      issues.push({
        path: `data.cm.${key}`,
        message: 'is required unless dr.serviceControl.type is cloudera-manager (it is taken from there)',
      });
  }
  if (cm.user && !inherits && !cm.passwordEnv && !cm.passwordFile)
    issues.push({ path: 'data.cm.passwordEnv', message: 'set passwordEnv or passwordFile for data.cm.user' });
  if (cm.passwordEnv && cm.passwordFile) issues.push({ path: 'data.cm.passwordEnv', message: 'set passwordEnv or passwordFile, not both' });
  if (cm.peer.passwordEnv && cm.peer.passwordFile)
    issues.push({ path: 'data.cm.peer.passwordEnv', message: 'set passwordEnv or passwordFile, not both' });
  if (cm.createPeer) {
    if (!cm.peer.url) issues.push({ path: 'data.cm.peer.url', message: 'is required when createPeer is true' });
    if (!cm.peer.user) issues.push({ path: 'data.cm.peer.user', message: 'is required when createPeer is true' });
    if (!cm.peer.passwordEnv && !cm.peer.passwordFile)
      issues.push({ path: 'data.cm.peer.passwordEnv', message: 'set passwordEnv or passwordFile when createPeer is true' });
  }
  return issues;
}
