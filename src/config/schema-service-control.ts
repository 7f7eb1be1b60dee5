// The config of DR service control (`dr.serviceControl`): Ambari, Cloudera Manager, a shell command
// on the DR host, or none (the operator is asked).
import * as z from 'zod/mini';
import { describe, durationMs, secretRef, text } from './schema-helpers.js';

const ambariSchema = z.strictObject({
  type: z.literal('ambari'),
  url: describe(z.url(), 'Ambari server base URL, e.g. https://ambari.dr:8443.'),
  cluster: describe(text(), 'Cluster name as shown in Ambari.'),
  services: describe(z._default(z.array(text()).check(z.minLength(1)), ['HIVE']), 'Services to stop before the swap and start after it.'),
  user: describe(text(), 'Ambari user.'),
  ...secretRef,
  caFile: describe(z.optional(text()), 'CA certificate for a private TLS certificate.'),
  requestTimeoutMs: describe(durationMs(1000, 900_000), 'How long to wait for a stop/start request.'),
  pollIntervalMs: describe(durationMs(10, 2000), 'Polling interval for requests and states.'),
});

const clouderaManagerSchema = z.strictObject({
  type: z.literal('cloudera-manager'),
  url: describe(z.url(), 'Cloudera Manager base URL, e.g. https://cm.dr:7183.'),
  apiVersion: describe(z._default(z.string().check(z.regex(/^v\d+$/)), 'v41'), 'API version prefix (v19 .. v57).'),
  cluster: describe(text(), 'Cluster name as shown in Cloudera Manager.'),
  services: describe(
    z._default(z.array(text()).check(z.minLength(1)), ['HIVE_ON_TEZ', 'HIVE']),
    'Service names to stop/start, in stop order (started in reverse): HiveServer2 (HIVE_ON_TEZ) before the metastore (HIVE).',
  ),
  user: describe(text(), 'Cloudera Manager user.'),
  ...secretRef,
  caFile: describe(z.optional(text()), 'CA certificate for a private TLS certificate.'),
  requestTimeoutMs: describe(durationMs(1000, 900_000), 'How long to wait for a command.'),
  pollIntervalMs: describe(durationMs(10, 2000), 'Polling interval.'),
});

const commandControllerSchema = z.strictObject({
  type: z.literal('command'),
  stop: describe(text(), 'Shell command run on the DR SSH host to stop Hive (e.g. sudo systemctl stop hive-metastore hive-server2).'),
  start: describe(text(), 'Shell command run on the DR SSH host to start Hive.'),
  status: describe(text(), 'Shell command that exits 0 when Hive is running and 3 when it is stopped (systemctl is-active semantics).'),
  timeoutMs: describe(durationMs(1000, 300_000), 'Time allowed for each command.'),
});

const noneControllerSchema = z.strictObject({
  type: z.literal('none'),
});

export const serviceControlSchema = describe(
  z.discriminatedUnion('type', [ambariSchema, clouderaManagerSchema, commandControllerSchema, noneControllerSchema]),
  'How Hive is stopped and started on the DR cluster: ambari, cloudera-manager, command (over SSH) or none (the operator does it when asked).',
);
