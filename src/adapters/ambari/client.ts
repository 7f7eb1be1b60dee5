// Ambari implementation of ServiceController: reads host components, sends SERVICE-level state
// changes, follows the request to a terminal status and proves the result from host components.
import type { z } from 'zod';
import { AdapterError, InterruptedError, PreconditionError } from '../../errors/errors.js';
import type { ServiceControlConfig } from '../../config/schema.js';
import type { Action } from '../../actions/action.js';
import { assessState } from '../service-control/assess.js';
import type {
  ComponentStatus,
  ControlOptions,
  ControlOutcome,
  Phase,
  ServiceActionResult,
  ServiceController,
  ServiceStatus,
  Target,
} from '../service-control/controller.js';
import {
  bodyExcerpt,
  createHttpClient,
  errorMessageOf,
  parseJsonBody,
  sleep,
  type HttpClient,
  type HttpResponse,
} from '../service-control/http.js';
import {
  checkedBody,
  componentsBody,
  hostRolesBody,
  hostsBody,
  requestCreatedBody,
  requestStatusBody,
  serviceInfoBody,
  tasksBody,
} from './bodies.js';
import {
  componentsRequest,
  hostRolesRequest,
  hostsRequest,
  requestStatusRequest,
  serviceInfoRequest,
  serviceStateRequest,
  tasksRequest,
  toAction,
  type AmbariRequest,
} from './requests.js';

export type AmbariConfig = Extract<ServiceControlConfig, { type: 'ambari' }>;

const TERMINAL_FAILURES = new Set(['FAILED', 'ABORTED', 'TIMEDOUT']);
/** Host component maintenance states that a SERVICE-level request skips. */
const SKIPPED_AT_SERVICE_LEVEL = new Set(['ON', 'IMPLIED_FROM_HOST', 'IMPLIED_FROM_SERVICE_AND_HOST']);

type AmbariTask = NonNullable<NonNullable<z.infer<typeof tasksBody>['items']>[number]['Tasks']>;

export function createAmbariController(
  config: AmbariConfig,
  password: string,
  options: { callTimeoutMs?: number } = {},
): ServiceController {
  const http = createHttpClient({
    baseUrl: config.url,
    user: config.user,
    password,
    caFile: config.caFile,
    system: 'Ambari',
    headers: { 'X-Requested-By': 'hmsdr' },
    getRetryBudgetMs: config.requestTimeoutMs,
    ...(options.callTimeoutMs === undefined ? {} : { callTimeoutMs: options.callTimeoutMs }),
  });
  const ambari = new AmbariApi(http, config);

  const change = async (target: Target, control: ControlOptions): Promise<ControlOutcome> => {
    const services = target === 'stopped' ? config.services : [...config.services].reverse();
    const actions: ServiceActionResult[] = [];
    for (const service of services) actions.push(await ambari.changeService(service, target, control));
    return { target, actions };
  };

  return {
    kind: 'ambari',
    describe: () => `Ambari ${config.url} cluster ${config.cluster} (${config.services.join(', ')})`,
    getState: async (signal) => ({
      observable: true,
      services: await Promise.all(config.services.map((s) => ambari.readService(s, signal))),
    }),
    stop: (control) => change('stopped', control),
    start: (control) => change('started', control),
  };
}

/** The requests a stop/start sends, in order: pure, from config (stop-hive/start-hive plans via planServiceControl); built by serviceStateRequest, as the controller sends them. */
export function planAmbari(config: AmbariConfig, target: Target): Action[] {
  const order = target === 'stopped' ? config.services : [...config.services].reverse();
  return order.flatMap((service) => [
    toAction(config.url, serviceStateRequest(config.cluster, service, target)),
    {
      kind: 'note' as const,
      text: `poll the Ambari request until COMPLETED (timeout ${Math.round(config.requestTimeoutMs / 1000)} s), then check every non-client ${service} host component is ${target === 'stopped' ? 'INSTALLED' : 'STARTED'}`,
    },
  ]);
}

class AmbariApi {
  constructor(
    private readonly http: HttpClient,
    private readonly config: AmbariConfig,
  ) {}

  async changeService(service: string, target: Target, control: ControlOptions): Promise<ServiceActionResult> {
    const { signal } = control;
    const before = assessState({ observable: true, services: [await this.readService(service, signal)] }, target);
    if (before.status === 'done') return { service, result: 'already', detail: before.reason };
    if (before.status === 'blocked') throw new PreconditionError(before.reason, { hint: before.hint });

    const request = serviceStateRequest(this.config.cluster, service, target);
    const deadline = Date.now() + (control.timeoutMs ?? this.config.requestTimeoutMs);
    const sent = await this.sendStateChange(request, service, target, deadline, signal);
    if ('settled' in sent) return sent.settled;
    const { response } = sent;
    if (response.status === 200 && response.text.trim() === '') {
      // 200 + empty body: Ambari created no request (already there, maintenance, UNKNOWN components).
      const after = await this.awaitProven(service, target, Math.min(deadline, Date.now() + 3 * this.config.pollIntervalMs), signal);
      if (after.status === 'done')
        return { service, result: 'already', detail: `Ambari answered 200 with an empty body (nothing to do); ${after.reason}` };
      throw new AdapterError(
        'E_AMBARI_NOTHING_DONE',
        `Ambari accepted the ${target === 'stopped' ? 'stop' : 'start'} of ${service} but created no request (200, empty body), and ${after.reason}`,
        {
          hint: 'Ambari silently skips components in maintenance mode and on hosts whose agent lost its heartbeat; check Hosts in Ambari, then resume',
        },
      );
    }
    const body = parseJsonBody(response.text, request.description, 'Ambari');
    const created = requestCreatedBody.safeParse(body);
    if (!created.success) {
      throw new AdapterError(
        'E_AMBARI_PROTOCOL',
        `Ambari answered ${response.status} to "${request.description}" without a request id: ${bodyExcerpt(response.text, 200)}`,
      );
    }
    const id = created.data.Requests.id;
    await this.waitForRequest(id, service, deadline, control);
    const after = await this.awaitProven(service, target, deadline, signal);
    if (after.status !== 'done') {
      throw new AdapterError(
        'E_AMBARI_NOT_PROVEN',
        `Ambari request ${id} COMPLETED but ${service} is not proven ${target}: ${after.reason}`,
        {
          hint: 'look at the host components in Ambari; a component may have been skipped (maintenance mode, lost agent) or restarted by someone else',
        },
      );
    }
    return { service, result: 'requested', requestId: id, detail: `Ambari request ${id} COMPLETED; ${after.reason}` };
  }

  /**
   * The PUT that starts the request, never repeated blindly: when it failed on the way (reset,
   * timeout, 502/503/504) Ambari may or may not have created the request, so the host components
   * are read again first. Already there: done. Moving: a request runs, follow the components. Still
   * as before: sent again (three tries in all, waiting longer each time).
   */
  private async sendStateChange(
    request: AmbariRequest,
    service: string,
    target: Target,
    deadline: number,
    signal: AbortSignal,
  ): Promise<{ response: HttpResponse } | { settled: ServiceActionResult }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return { response: await this.send(request, signal) };
      } catch (error) {
        if (!isLostInTransit(error) || attempt >= 3) throw error;
        const why = (error as AdapterError).message;
        await sleep(this.config.pollIntervalMs * 2 ** (attempt - 1), signal, `waiting to read ${service} again after: ${why}`);
        const state = await this.readService(service, signal);
        const now = assessState({ observable: true, services: [state] }, target);
        if (now.status === 'done') return { settled: { service, result: 'already', detail: `${now.reason} (after: ${why})` } };
        if (now.status === 'blocked') throw new PreconditionError(now.reason, { hint: now.hint });
        if (state.components.some((c) => c.phase === 'transitioning') || (await this.desiredIs(service, state, target, signal))) {
          // Ambari took the request although its answer was lost: follow the components, do not send again.
          const after = await this.awaitProven(service, target, deadline, signal);
          if (after.status !== 'done')
            throw new AdapterError(
              'E_AMBARI_NOT_PROVEN',
              `${service} is not proven ${target} after a request whose answer was lost (${why}): ${after.reason}`,
              {
                hint: 'look at Background Operations in Ambari: the request may still run; resume when it has finished',
              },
            );
          return { settled: { service, result: 'requested', detail: `the answer to the request was lost (${why}); ${after.reason}` } };
        }
      }
    }
  }

  /** Every non-client host component of `service` is already asked to reach `target` (Ambari took a request for it). */
  private async desiredIs(service: string, state: ServiceStatus, target: Target, signal: AbortSignal): Promise<boolean> {
    const wanted = target === 'stopped' ? 'INSTALLED' : 'STARTED';
    const servers = new Set(state.components.map((c) => `${c.component}@${c.host}`));
    const body = await this.getJson(hostRolesRequest(this.config.cluster, service), hostRolesBody, signal);
    const roles = (body.items ?? []).map((i) => i.HostRoles ?? {}).filter((r) => servers.has(`${r.component_name}@${r.host_name}`));
    return roles.length > 0 && roles.every((r) => r.desired_state === wanted);
  }

  /** Re-read host components until the target is proven, it is blocked, or the deadline passes. */
  private async awaitProven(
    service: string,
    target: Target,
    deadline: number,
    signal: AbortSignal,
  ): Promise<ReturnType<typeof assessState>> {
    for (;;) {
      const assessment = assessState({ observable: true, services: [await this.readService(service, signal)] }, target);
      if (assessment.status !== 'todo' || Date.now() >= deadline) return assessment;
      await sleep(this.config.pollIntervalMs, signal, `waiting for ${service} host components to report ${target}`);
    }
  }

  private async waitForRequest(id: number, service: string, deadline: number, control: ControlOptions): Promise<void> {
    const { signal } = control;
    const timeoutS = Math.round((control.timeoutMs ?? this.config.requestTimeoutMs) / 1000);
    try {
      for (;;) {
        const body = await this.getJson(requestStatusRequest(this.config.cluster, id), requestStatusBody, signal);
        const status = body.Requests?.request_status ?? 'UNKNOWN';
        const percent = body.Requests?.progress_percent;
        control.onProgress?.(
          percent,
          `Ambari request ${id} (${service}) ${status}${percent === undefined ? '' : ` ${Math.floor(percent)}%`}`,
        );
        if (status === 'COMPLETED') return;
        if (TERMINAL_FAILURES.has(status)) throw await this.requestFailed(id, service, status, signal);
        if (Date.now() >= deadline) {
          const tasks = await this.tasks(id, signal);
          throw new AdapterError(
            'E_AMBARI_REQUEST_TIMEOUT',
            `Ambari request ${id} (${service}) is still ${status} after ${timeoutS} s; tasks: ${summariseTasks(tasks)}`,
            {
              hint:
                status === 'PENDING'
                  ? 'a PENDING request waits for another operation on the same hosts or for a host agent to heartbeat: check Background Operations and Hosts in Ambari; the request was not aborted, so let it finish (or abort it there) and resume'
                  : 'the request was not aborted and keeps running in Ambari; watch it under Background Operations, then resume (the step is safe to repeat)',
            },
          );
        }
        await sleep(this.config.pollIntervalMs, signal, `waiting for Ambari request ${id}`);
      }
    } catch (error) {
      if (error instanceof InterruptedError) {
        throw new InterruptedError(`interrupted while waiting for Ambari request ${id} (${service})`, {
          cause: error,
          hint: `the request keeps running in Ambari (see Background Operations, request ${id}); resume when it has finished`,
        });
      }
      throw error;
    }
  }

  private async requestFailed(id: number, service: string, status: string, signal: AbortSignal): Promise<AdapterError> {
    const tasks = await this.tasks(id, signal);
    const failed = tasks.filter((t) => t.status !== undefined && ['FAILED', 'TIMEDOUT'].includes(t.status));
    const culprits = failed.length > 0 ? failed : tasks.filter((t) => t.status === 'ABORTED');
    const names = culprits
      .map((t) => `${t.role ?? '?'} ${t.command ?? ''} on ${t.host_name ?? '?'} ${t.status ?? ''}`.replace(/\s+/g, ' '))
      .join('; ');
    const stderr = failed
      .map((t) => (t.stderr ?? '').trim())
      .filter(Boolean)
      .join('\n---\n');
    return new AdapterError(
      'E_AMBARI_REQUEST_FAILED',
      `Ambari request ${id} (${service}) ended ${status}: ${names || 'no failed task reported'}`,
      {
        hint:
          status === 'TIMEDOUT'
            ? 'a task timed out: the agent on that host may be down or the process did not stop in time; look at the host and resume'
            : 'open the failed task in Ambari (Background Operations) or on the host (/var/log/hive, /var/lib/ambari-agent/data/errors-*.txt), fix it, then resume',
        ...(stderr ? { stderrTail: stderr.split('\n').slice(-20).join('\n') } : {}),
      },
    );
  }

  private async tasks(id: number, signal: AbortSignal): Promise<AmbariTask[]> {
    const body = await this.getJson(tasksRequest(this.config.cluster, id), tasksBody, signal);
    return (body.items ?? []).map((item) => item.Tasks ?? {});
  }

  async readService(service: string, signal: AbortSignal): Promise<ServiceStatus> {
    const { cluster } = this.config;
    const [info, components, hosts] = await Promise.all([
      this.getJson(serviceInfoRequest(cluster, service), serviceInfoBody, signal),
      this.getJson(componentsRequest(cluster, service), componentsBody, signal),
      this.getJson(hostsRequest(cluster), hostsBody, signal),
    ]);
    const lostHosts = new Set((hosts.items ?? []).filter((h) => h.Hosts?.host_state === 'HEARTBEAT_LOST').map((h) => h.Hosts?.host_name));
    const statuses: ComponentStatus[] = [];
    for (const component of components.items ?? []) {
      if (component.ServiceComponentInfo?.category === 'CLIENT') continue; // clients are never stopped
      for (const hc of component.host_components ?? []) {
        const roles = hc.HostRoles ?? {};
        const state = roles.state ?? 'UNKNOWN';
        const maintenance = roles.maintenance_state ?? 'OFF';
        const host = roles.host_name ?? '?';
        statuses.push({
          service,
          component: roles.component_name ?? component.ServiceComponentInfo?.component_name ?? '?',
          host,
          state,
          phase: phaseOf(state),
          maintenance,
          skippedByMaintenance: SKIPPED_AT_SERVICE_LEVEL.has(maintenance),
          agent: lostHosts.has(host) || state === 'UNKNOWN' ? 'lost' : 'ok',
        });
      }
    }
    return {
      name: service,
      state: info.ServiceInfo?.state ?? 'UNKNOWN',
      maintenance: info.ServiceInfo?.maintenance_state ?? 'OFF',
      components: statuses,
    };
  }

  private async getJson<T>(request: AmbariRequest, schema: z.ZodType<T>, signal: AbortSignal): Promise<T> {
    const response = await this.send(request, signal);
    return checkedBody(schema, parseJsonBody(response.text, request.description, 'Ambari') ?? {}, request.description, response.text);
  }

  private async send(request: AmbariRequest, signal: AbortSignal): Promise<HttpResponse> {
    const init = request.body === undefined ? { signal } : { signal, body: JSON.stringify(request.body) };
    const response = await this.http.request(request.method, request.path, init);
    if (response.status >= 200 && response.status < 300) return response;
    throw ambariHttpError(response, request, this.config);
  }
}

function phaseOf(state: string): Phase {
  if (state === 'INSTALLED') return 'stopped';
  if (state === 'STARTED') return 'started';
  if (state === 'UNKNOWN') return 'unknown';
  return 'transitioning';
}

/** A failure after which Ambari may or may not have taken the PUT: the network or a gateway in between. */
function isLostInTransit(error: unknown): boolean {
  if (!(error instanceof AdapterError)) return false;
  if (error.code === 'E_HTTP_UNREACHABLE' || error.code === 'E_HTTP_TIMEOUT') return true;
  return error.code === 'E_AMBARI_SERVER' && /\((502|503|504)\)/.test(error.message);
}

function summariseTasks(tasks: readonly AmbariTask[]): string {
  if (tasks.length === 0) return 'none reported';
  return tasks.map((t) => `${t.role ?? '?'} on ${t.host_name ?? '?'} ${t.status ?? '?'}`).join('; ');
}

/** Maps Ambari's error statuses to messages an operator can act on (403 is Ambari's wrong password). */
export function ambariHttpError(response: HttpResponse, request: AmbariRequest, config: AmbariConfig): AdapterError {
  const message = errorMessageOf(response.text);
  const what = `Ambari refused "${request.description}" (${response.status})`;
  const passwordSource = config.passwordEnv
    ? `environment variable ${config.passwordEnv}`
    : config.passwordFile
      ? `file ${config.passwordFile}`
      : 'the configured password';
  if ((response.status === 403 || response.status === 401) && /sign in|authentication|Missing authentication/i.test(message)) {
    return new AdapterError('E_AMBARI_AUTH', `Ambari rejected the credentials of user ${config.user}: ${message}`, {
      hint: `check dr.serviceControl.user and the password in ${passwordSource} (Ambari answers 403, not 401, to a wrong password)`,
    });
  }
  if (response.status === 403 || response.status === 401) {
    return new AdapterError('E_AMBARI_FORBIDDEN', `${what}: ${message}`, {
      hint: `user ${config.user} needs the Service Operator (or Cluster Administrator) role with the right to start and stop services`,
    });
  }
  if (response.status === 400 && /X-Requested-By/i.test(message)) {
    return new AdapterError('E_AMBARI_CSRF', `${what}: ${message}`, {
      hint: 'a proxy in front of Ambari may strip the X-Requested-By header; let it through',
    });
  }
  if (response.status === 404) {
    return new AdapterError('E_AMBARI_NOT_FOUND', `${what}: ${message}`, {
      hint: `check dr.serviceControl.cluster (${config.cluster}) and services (${config.services.join(', ')}); names are case-sensitive`,
    });
  }
  if (response.status === 400) {
    return new AdapterError('E_AMBARI_BAD_REQUEST', `${what}: ${message}`, {
      hint: /Invalid transition/i.test(message)
        ? 'a component is still moving between states (e.g. STOPPING); wait for it to settle in Ambari, then resume'
        : undefined,
    });
  }
  return new AdapterError('E_AMBARI_SERVER', `${what}: ${message}`, {
    hint: 'look at /var/log/ambari-server/ambari-server.log on the Ambari host',
  });
}
