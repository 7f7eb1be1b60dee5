// The DR Cloudera Manager's replication API (peers, HDFS replication schedules, runs, commands,
// history, diagnostic bundles) over the shared HTTP client. Errors carry CM's `message`; the
// passwords (DR user, source peer admin) never reach a message, a log or an argv.
import { Agent, fetch } from 'undici';
import { readFileSync } from 'node:fs';
import { AdapterError } from '../../errors/errors.js';
import { createHttpClient, errorMessageOf, parseJsonBody, type HttpClient } from '../service-control/http.js';
import {
  collectDiagnosticsRequest,
  createScheduleRequest,
  historyRequest,
  listSchedulesRequest,
  peerCreateRequest,
  peerRequest,
  readScheduleRequest,
  replicationCommandRequest,
  runScheduleRequest,
  updateScheduleRequest,
  type CmJsonRequest,
  type CmReplicationCoordinates,
} from './replication-requests.js';
import type { ApiCmPeer, ApiReplicationCommand, ApiReplicationSchedule } from './replication-types.js';

export type * from './replication-types.js';

export interface CmReplicationConnection extends CmReplicationCoordinates {
  readonly url: string;
  readonly user: string;
  readonly password: string;
  readonly caFile?: string | undefined;
  readonly callTimeoutMs?: number;
}

/** A 4xx/5xx answer of CM, with its status and `message`. */
export class CmApiError extends AdapterError {
  constructor(
    readonly status: number,
    readonly cmMessage: string,
    request: CmJsonRequest,
  ) {
    super(
      status === 401
        ? 'E_CM_AUTH'
        : status === 403
          ? 'E_CM_FORBIDDEN'
          : status === 404
            ? 'E_CM_NOT_FOUND'
            : status >= 500
              ? 'E_CM_SERVER'
              : 'E_CM_BAD_REQUEST',
      `Cloudera Manager refused "${request.description}" (${status}): ${cmMessage}`,
      {
        hint:
          status === 401
            ? 'check data.cm.user (or dr.serviceControl.user) and its password source'
            : status === 403
              ? 'the Cloudera Manager user needs the Replication Administrator (or Full Administrator) role'
              : status === 404
                ? 'check data.cm.cluster, data.cm.hdfsService and the API version (GET /api/version)'
                : status === 400
                  ? 'fix the data.cm option Cloudera Manager names, then resume'
                  : 'look at the Cloudera Manager server log, then resume',
      },
    );
  }
}

export class CmReplicationClient {
  private readonly http: HttpClient;
  constructor(private readonly c: CmReplicationConnection) {
    this.http = createHttpClient({
      baseUrl: c.url,
      user: c.user,
      password: c.password,
      caFile: c.caFile,
      system: 'Cloudera Manager',
      contentType: 'application/json',
      ...(c.callTimeoutMs === undefined ? {} : { callTimeoutMs: c.callTimeoutMs }),
    });
  }

  get coordinates(): CmReplicationCoordinates {
    return this.c;
  }

  private async send(request: CmJsonRequest, signal: AbortSignal): Promise<unknown> {
    const body = request.body === undefined ? {} : { body: JSON.stringify(request.body) };
    const response = await this.http.request(request.method, request.path, { signal, ...body });
    if (response.status < 200 || response.status >= 300) throw new CmApiError(response.status, errorMessageOf(response.text), request);
    return parseJsonBody(response.text, request.description, 'Cloudera Manager') ?? {};
  }

  /** The peer, or undefined when CM has none of that name (404). */
  async readPeer(name: string, signal: AbortSignal): Promise<ApiCmPeer | undefined> {
    try {
      return (await this.send(peerRequest(this.c, name), signal)) as ApiCmPeer;
    } catch (error) {
      if (error instanceof CmApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  async createPeer(peer: { name: string; url: string; username: string; password: string }, signal: AbortSignal): Promise<ApiCmPeer> {
    return (await this.send(peerCreateRequest(this.c, peer), signal)) as ApiCmPeer;
  }

  async listSchedules(signal: AbortSignal): Promise<ApiReplicationSchedule[]> {
    return ((await this.send(listSchedulesRequest(this.c), signal)) as { items?: ApiReplicationSchedule[] }).items ?? [];
  }

  async readSchedule(id: number, signal: AbortSignal): Promise<ApiReplicationSchedule> {
    return (await this.send(readScheduleRequest(this.c, id), signal)) as ApiReplicationSchedule;
  }

  async createSchedule(schedule: ApiReplicationSchedule, name: string, signal: AbortSignal): Promise<ApiReplicationSchedule> {
    const list = (await this.send(createScheduleRequest(this.c, schedule, name), signal)) as { items?: ApiReplicationSchedule[] };
    const created = list.items?.[0];
    if (created?.id === undefined)
      throw new AdapterError('E_CM_BAD_ANSWER', `Cloudera Manager created schedule ${name} but returned no id`);
    return created;
  }

  async updateSchedule(id: number, schedule: ApiReplicationSchedule, name: string, signal: AbortSignal): Promise<ApiReplicationSchedule> {
    return (await this.send(updateScheduleRequest(this.c, id, schedule, name), signal)) as ApiReplicationSchedule;
  }

  async run(id: number, dryRun: boolean, signal: AbortSignal): Promise<ApiReplicationCommand> {
    return (await this.send(runScheduleRequest(this.c, id, dryRun), signal)) as ApiReplicationCommand;
  }

  async readCommand(id: number, signal: AbortSignal): Promise<ApiReplicationCommand> {
    return (await this.send(replicationCommandRequest(this.c, id), signal)) as ApiReplicationCommand;
  }

  async history(scheduleId: number, signal: AbortSignal, limit = 20): Promise<ApiReplicationCommand[]> {
    return ((await this.send(historyRequest(this.c, scheduleId, limit), signal)) as { items?: ApiReplicationCommand[] }).items ?? [];
  }

  async collectDiagnostics(scheduleId: number, commandIds: number[], signal: AbortSignal): Promise<ApiReplicationCommand> {
    return (await this.send(collectDiagnosticsRequest(this.c, scheduleId, commandIds), signal)) as ApiReplicationCommand;
  }

  /** The bytes behind a command's resultDataUrl (same Basic auth; only below the configured CM URL). */
  async download(resultDataUrl: string, signal: AbortSignal): Promise<Buffer> {
    const base = new URL(this.c.url);
    const target = new URL(resultDataUrl, base);
    if (target.origin !== base.origin) {
      throw new AdapterError('E_CM_BAD_ANSWER', `Cloudera Manager pointed the diagnostic bundle at another server (${target.origin})`, {
        hint: `download it from the Cloudera Manager UI (Diagnostics > Bundles); hmsdr sends its credentials only to ${base.origin}`,
      });
    }
    const ca = this.c.caFile ? readFileSync(this.c.caFile, 'utf8') : undefined;
    const dispatcher = new Agent(ca === undefined ? {} : { connect: { ca } });
    try {
      const response = await fetch(target, {
        headers: { authorization: `Basic ${Buffer.from(`${this.c.user}:${this.c.password}`).toString('base64')}` },
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.c.callTimeoutMs ?? 120_000)]),
        dispatcher,
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      if (response.status !== 200)
        throw new CmApiError(response.status, errorMessageOf(bytes.toString('utf8')), {
          method: 'GET',
          path: target.pathname,
          description: 'download the diagnostic bundle',
        });
      return bytes;
    } finally {
      await dispatcher.close();
    }
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
