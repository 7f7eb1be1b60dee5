// The replication requests of the DR Cloudera Manager as data (cm_api services.py / cms.py):
// peers, HDFS replication schedules, runs, history, diagnostic collection and commands. The
// replication client sends these and the engine's plan prints them.
import type { CmCoordinates } from './requests.js';

export interface CmJsonRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Path below the base URL, starting with /api/vNN. */
  readonly path: string;
  readonly description: string;
  /** JSON body (never printed when it holds a password: see peerCreateRequest). */
  readonly body?: unknown;
}

/** Where schedules live: the DR cluster's HDFS service (replications are created on the target). */
export interface CmReplicationCoordinates extends CmCoordinates {
  readonly hdfsService: string;
}

const seg = encodeURIComponent;
const replications = (c: CmReplicationCoordinates): string =>
  `/api/${c.apiVersion}/clusters/${seg(c.cluster)}/services/${seg(c.hdfsService)}/replications`;

export const peerRequest = (c: CmCoordinates, name: string): CmJsonRequest => ({
  method: 'GET',
  path: `/api/${c.apiVersion}/cm/peers/${seg(name)}`,
  description: `read peer ${name}`,
});

/** POST /cm/peers: the body carries the source admin password; callers print the description only. */
export const peerCreateRequest = (
  c: CmCoordinates,
  peer: { name: string; url: string; username: string; password: string },
): CmJsonRequest => ({
  method: 'POST',
  path: `/api/${c.apiVersion}/cm/peers`,
  description: `create peer ${peer.name} (${peer.url}, user ${peer.username})`,
  body: { ...peer, type: 'REPLICATION' },
});

export const listSchedulesRequest = (c: CmReplicationCoordinates): CmJsonRequest => ({
  method: 'GET',
  path: replications(c),
  description: `list the replication schedules of ${c.hdfsService}`,
});

export const createScheduleRequest = (c: CmReplicationCoordinates, schedule: unknown, name: string): CmJsonRequest => ({
  method: 'POST',
  path: replications(c),
  description: `create replication schedule ${name}`,
  body: { items: [schedule] },
});

export const updateScheduleRequest = (
  c: CmReplicationCoordinates,
  id: number | string,
  schedule: unknown,
  name: string,
): CmJsonRequest => ({
  method: 'PUT',
  path: `${replications(c)}/${id}`,
  description: `update replication schedule ${name} (${id})`,
  body: schedule,
});

export const readScheduleRequest = (c: CmReplicationCoordinates, id: number | string): CmJsonRequest => ({
  method: 'GET',
  path: `${replications(c)}/${id}`,
  description: `read replication schedule ${id}`,
});

export const runScheduleRequest = (c: CmReplicationCoordinates, id: number | string, dryRun: boolean): CmJsonRequest => ({
  method: 'POST',
  path: `${replications(c)}/${id}/run?dryRun=${dryRun}`,
  description: `${dryRun ? 'dry-run' : 'run'} replication schedule ${id}`,
});

export const historyRequest = (c: CmReplicationCoordinates, id: number | string, limit = 20): CmJsonRequest => ({
  method: 'GET',
  path: `${replications(c)}/${id}/history?limit=${limit}&offset=0&view=full`,
  description: `read the history of replication schedule ${id}`,
});

export const collectDiagnosticsRequest = (c: CmReplicationCoordinates, id: number | string, commandIds: number[]): CmJsonRequest => ({
  method: 'POST',
  path: `${replications(c)}/${id}/collectDiagnosticData?view=summary`,
  description: `collect the diagnostic data of replication schedule ${id}`,
  body: { commands: { items: commandIds.map((n) => ({ id: n })) } },
});

export const replicationCommandRequest = (c: CmCoordinates, id: number): CmJsonRequest => ({
  method: 'GET',
  path: `/api/${c.apiVersion}/commands/${id}`,
  description: `poll command ${id}`,
});
