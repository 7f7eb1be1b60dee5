// The config of the Cloudera Manager replication engine (`data.engine: cloudera-manager`,
// `data.cm`): the DR Cloudera Manager that runs the HDFS replication (replications are pull-based),
// its peer for the source Cloudera Manager, and the ApiHdfsReplicationArguments hmsdr sets on the
// schedules it creates (field names as in cm_api's ApiHdfsReplicationArguments).
import { z } from 'zod';
import { describe, durationMs, secretRef } from './schema-helpers.js';

const peerSchema = z
  .object({
    name: describe(
      z.string().min(1),
      'Name of the peer (the source Cloudera Manager) on the DR Cloudera Manager (Administration > Peers).',
    ),
    url: describe(
      z.url().optional(),
      'URL of the source Cloudera Manager; only used when createPeer is true (CM contacts it to create its replication user).',
    ),
    user: describe(z.string().min(1).optional(), 'Admin user of the source Cloudera Manager, only used when createPeer is true.'),
    ...secretRef,
  })
  .strict();

export const cmEngineSchema = z
  .object({
    url: describe(
      z.url().optional(),
      'DR Cloudera Manager base URL (default: dr.serviceControl.url when service control is cloudera-manager).',
    ),
    apiVersion: describe(
      z
        .string()
        .regex(/^v\d+$/)
        .optional(),
      'API version prefix (default: dr.serviceControl.apiVersion, else v41). Diagnostic collection needs v11 or later.',
    ),
    cluster: describe(z.string().min(1).optional(), 'DR cluster name (default: dr.serviceControl.cluster).'),
    user: describe(z.string().min(1).optional(), 'DR Cloudera Manager user (default: dr.serviceControl.user with its password).'),
    ...secretRef,
    caFile: describe(z.string().min(1).optional(), 'CA certificate for a private TLS certificate of the DR Cloudera Manager.'),
    hdfsService: describe(z.string().min(1).default('hdfs'), 'Name of the DR HDFS service the replication schedules belong to.'),
    peer: describe(peerSchema, 'The peer of the source Cloudera Manager, as registered on the DR Cloudera Manager.'),
    createPeer: describe(
      z.boolean().default(false),
      'Create the peer when it does not exist (needs peer.url, peer.user and the peer password); otherwise a missing peer stops the run.',
    ),
    sourceCluster: describe(z.string().min(1), 'Cluster name on the source Cloudera Manager (sourceService.clusterName).'),
    sourceHdfsService: describe(z.string().min(1).default('hdfs'), 'HDFS service on the source cluster (sourceService.serviceName).'),
    mapreduceServiceName: describe(z.string().min(1).default('yarn'), 'YARN/MapReduce service of the DR cluster that runs the copy job.'),
    schedulerPoolName: describe(z.string().min(1).optional(), 'Scheduler pool (queue) of the copy job.'),
    userName: describe(z.string().min(1).optional(), 'User the copy job runs as (required with Kerberos).'),
    numMaps: describe(z.number().int().min(1).optional(), 'Number of mappers of the copy job.'),
    bandwidthPerMap: describe(z.number().int().min(1).optional(), 'Maximum bandwidth per mapper, in MB.'),
    replicationStrategy: describe(
      z.enum(['STATIC', 'DYNAMIC']).default('DYNAMIC'),
      'STATIC: files split among the mappers up front by size; DYNAMIC: mappers take small sets as they finish.',
    ),
    abortOnError: describe(z.boolean().default(true), 'Abort the replication on the first failed file.'),
    removeMissingFiles: describe(
      z.boolean().default(true),
      'Delete DR files that are no longer on the source (a mirror; off leaves them, and L5 then reports them as extra).',
    ),
    skipTrash: describe(z.boolean().default(false), 'Delete those files permanently instead of moving them to the trash.'),
    preserveReplicationCount: describe(z.boolean().default(false), 'Preserve the HDFS replication factor.'),
    preserveBlockSize: describe(
      z.boolean().default(true),
      'Preserve the block size (keep it: block-based checksums of source and DR are then comparable).',
    ),
    preservePermissions: describe(z.boolean().default(true), 'Preserve owner, group, permissions (and ACLs).'),
    preserveXAttrs: describe(z.boolean().default(false), 'Preserve extended attributes.'),
    skipChecksumChecks: describe(
      z.boolean().default(false),
      'Skip the checksum validation of copied files (the report then warns that copy-time checksums were off).',
    ),
    skipListingChecksumChecks: describe(
      z.boolean().default(false),
      'Skip the checksum comparison that decides which files to copy (CM 7; length and time only).',
    ),
    exclusionFilters: describe(z.array(z.string().min(1)).default([]), 'Regular expressions of full paths excluded from the replication.'),
    raiseSnapshotDiffFailures: describe(
      z.boolean().default(true),
      'Fail instead of falling back to a full copy listing when the snapshot diff of a run fails.',
    ),
    pollIntervalMs: describe(durationMs(10, 5000), 'Polling interval of a replication command.'),
    timeoutMs: describe(durationMs(1000, 6 * 3600_000), 'How long to wait for one replication command.'),
  })
  .strict();

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
