// The config of DR service control (`dr.serviceControl`): Ambari, Cloudera Manager, a shell command
// on the DR host, or none (the operator is asked).
import { z } from 'zod';
import { describe, durationMs, secretRef } from './schema-helpers.js';

const ambariSchema = z
  .object({
    type: z.literal('ambari'),
    url: describe(z.url(), 'Ambari server base URL, e.g. https://ambari.dr:8443.'),
    cluster: describe(z.string().min(1), 'Cluster name as shown in Ambari.'),
    services: describe(z.array(z.string().min(1)).min(1).default(['HIVE']), 'Services to stop before the swap and start after it.'),
    user: describe(z.string().min(1), 'Ambari user.'),
    ...secretRef,
    caFile: describe(z.string().min(1).optional(), 'CA certificate for a private TLS certificate.'),
    requestTimeoutMs: describe(durationMs(1000, 900_000), 'How long to wait for a stop/start request.'),
    pollIntervalMs: describe(durationMs(10, 2000), 'Polling interval for requests and states.'),
  })
  .strict();

const clouderaManagerSchema = z
  .object({
    type: z.literal('cloudera-manager'),
    url: describe(z.url(), 'Cloudera Manager base URL, e.g. https://cm.dr:7183.'),
    apiVersion: describe(
      z
        .string()
        .regex(/^v\d+$/)
        .default('v41'),
      'API version prefix (v19 .. v57).',
    ),
    cluster: describe(z.string().min(1), 'Cluster name as shown in Cloudera Manager.'),
    services: describe(
      z.array(z.string().min(1)).min(1).default(['HIVE_ON_TEZ', 'HIVE']),
      'Service names to stop/start, in stop order (started in reverse): HiveServer2 (HIVE_ON_TEZ) before the metastore (HIVE).',
    ),
    user: describe(z.string().min(1), 'Cloudera Manager user.'),
    ...secretRef,
    caFile: describe(z.string().min(1).optional(), 'CA certificate for a private TLS certificate.'),
    requestTimeoutMs: describe(durationMs(1000, 900_000), 'How long to wait for a command.'),
    pollIntervalMs: describe(durationMs(10, 2000), 'Polling interval.'),
  })
  .strict();

const commandControllerSchema = z
  .object({
    type: z.literal('command'),
    stop: describe(
      z.string().min(1),
      'Shell command run on the DR SSH host to stop Hive (e.g. sudo systemctl stop hive-metastore hive-server2).',
    ),
    start: describe(z.string().min(1), 'Shell command run on the DR SSH host to start Hive.'),
    status: describe(
      z.string().min(1),
      'Shell command that exits 0 when Hive is running and 3 when it is stopped (systemctl is-active semantics).',
    ),
    timeoutMs: describe(durationMs(1000, 300_000), 'Time allowed for each command.'),
  })
  .strict();

const noneControllerSchema = z
  .object({
    type: z.literal('none'),
  })
  .strict();

export const serviceControlSchema = describe(
  z.discriminatedUnion('type', [ambariSchema, clouderaManagerSchema, commandControllerSchema, noneControllerSchema]),
  'How Hive is stopped and started on the DR cluster: ambari, cloudera-manager, command (over SSH) or none (the operator does it when asked).',
);
