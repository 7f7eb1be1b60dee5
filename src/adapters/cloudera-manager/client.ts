// Cloudera Manager implementation of ServiceController: resolves services by name or type (HIVE,
// HIVE_ON_TEZ), checks roleState first, runs commands/stop|start and follows /commands/{id}.
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
import { createHttpClient, errorMessageOf, parseJsonBody, sleep, type HttpClient, type HttpResponse } from '../service-control/http.js';
import {
  commandRequest,
  listServicesRequest,
  rolesRequest,
  serviceCommandRequest,
  serviceRequest,
  toAction,
  type CmCoordinates,
  type CmRequest,
} from './requests.js';

export type ClouderaManagerConfig = Extract<ServiceControlConfig, { type: 'cloudera-manager' }>;

/** CM's refusals of a command that does not apply now: a 400 `{ "message" }`, or a failed command inside a 200. */
const RETRYABLE = /already a pending command|not currently available for execution/i;
/** Sends of one command at most (the first and two retries), with a backoff between them. */
const COMMAND_ATTEMPTS = 3;

interface ApiCommand {
  id?: number;
  name?: string;
  active?: boolean;
  success?: boolean;
  resultMessage?: string;
  roleRef?: { roleName?: string };
  children?: { items?: ApiCommand[] };
}
interface ApiRole {
  name?: string;
  type?: string;
  roleState?: string;
  maintenanceMode?: boolean;
  hostRef?: { hostId?: string; hostname?: string };
}
interface ApiService {
  name?: string;
  type?: string;
  serviceState?: string;
  maintenanceMode?: boolean;
}

export function createClouderaManagerController(
  config: ClouderaManagerConfig,
  password: string,
  options: { callTimeoutMs?: number } = {},
): ServiceController {
  const http = createHttpClient({
    baseUrl: config.url,
    user: config.user,
    password,
    caFile: config.caFile,
    system: 'Cloudera Manager',
    ...(options.callTimeoutMs === undefined ? {} : { callTimeoutMs: options.callTimeoutMs }),
  });
  const cm = new CmApi(http, config);
  const change = async (target: Target, control: ControlOptions): Promise<ControlOutcome> => {
    const names = await cm.resolveServices(control.signal);
    const ordered = target === 'stopped' ? names : [...names].reverse();
    const actions: ServiceActionResult[] = [];
    for (const name of ordered) actions.push(await cm.changeService(name, target, control));
    return { target, actions };
  };
  return {
    kind: 'cloudera-manager',
    describe: () => `Cloudera Manager ${config.url} cluster ${config.cluster} (${config.services.join(', ')})`,
    getState: async (signal) => {
      const names = await cm.resolveServices(signal);
      return { observable: true, services: await Promise.all(names.map((n) => cm.readService(n, signal))) };
    },
    stop: (control) => change('stopped', control),
    start: (control) => change('started', control),
  };
}

/** The commands a stop/start sends, in order: pure, from config (stop-hive/start-hive plans via planServiceControl); built by serviceCommandRequest, as the controller sends them. */
export function planClouderaManager(config: ClouderaManagerConfig, target: Target): Action[] {
  const order = target === 'stopped' ? config.services : [...config.services].reverse();
  return order.flatMap((service) => [
    toAction(config.url, serviceCommandRequest(config, service, target)),
    {
      kind: 'note' as const,
      text: `${service}: a service name, or a type resolved to the service name(s) at run time; poll /commands/{id} until active is false and check success, then check every non-gateway role is ${target === 'stopped' ? 'STOPPED' : 'STARTED'}`,
    },
  ]);
}

class CmApi {
  private readonly at: CmCoordinates;
  constructor(
    private readonly http: HttpClient,
    private readonly config: ClouderaManagerConfig,
  ) {
    this.at = config;
  }

  /** Each configured entry is a service name, or else a service type (CDP: HIVE, HIVE_ON_TEZ). */
  async resolveServices(signal: AbortSignal): Promise<string[]> {
    const body = (await this.getJson(listServicesRequest(this.at), signal)) as { items?: ApiService[] };
    const items = body.items ?? [];
    const names: string[] = [];
    for (const entry of this.config.services) {
      const byName = items.filter((s) => s.name === entry);
      const matches = byName.length > 0 ? byName : items.filter((s) => s.type === entry);
      if (matches.length === 0) {
        throw new AdapterError(
          'E_CM_NOT_FOUND',
          `Cloudera Manager cluster ${this.config.cluster} has no service named or of type ${entry} (it has: ${items.map((s) => `${s.name} (${s.type})`).join(', ') || 'none'})`,
          {
            hint: 'fix dr.serviceControl.services: list service names or types, in stop order',
          },
        );
      }
      for (const m of matches) if (m.name && !names.includes(m.name)) names.push(m.name);
    }
    return names;
  }

  async readService(name: string, signal: AbortSignal): Promise<ServiceStatus> {
    const [service, roles] = await Promise.all([
      this.getJson(serviceRequest(this.at, name), signal) as Promise<ApiService>,
      this.getJson(rolesRequest(this.at, name), signal) as Promise<{ items?: ApiRole[] }>,
    ]);
    const components: ComponentStatus[] = (roles.items ?? [])
      .filter((r) => r.type !== 'GATEWAY' && r.roleState !== 'NA') // gateways are client configs, never started
      .map((r) => {
        const state = r.roleState ?? 'UNKNOWN';
        const phase = phaseOf(state);
        return {
          service: name,
          component: r.type ?? '?',
          instance: r.name ?? '?',
          host: r.hostRef?.hostname ?? r.hostRef?.hostId ?? '?',
          state,
          phase,
          maintenance: r.maintenanceMode ? 'ON' : 'OFF',
          skippedByMaintenance: false,
          agent: phase === 'unknown' ? 'lost' : 'ok',
        };
      });
    return { name, state: service.serviceState ?? 'UNKNOWN', maintenance: service.maintenanceMode ? 'ON' : 'OFF', components };
  }

  async changeService(name: string, target: Target, control: ControlOptions): Promise<ServiceActionResult> {
    const { signal } = control;
    const verb = target === 'stopped' ? 'stop' : 'start';
    const before = assessState({ observable: true, services: [await this.readService(name, signal)] }, target);
    if (before.status === 'done') return { service: name, result: 'already', detail: before.reason };
    if (before.status === 'blocked') throw new PreconditionError(before.reason, { hint: before.hint });

    const deadline = Date.now() + (control.timeoutMs ?? this.config.requestTimeoutMs);
    const sent = await this.sendCommand(name, target, deadline, control);
    if ('already' in sent) return { service: name, result: 'already', detail: sent.already };
    let command = sent.command;
    const id = command.id ?? -1;
    if (command.active !== false) command = await this.waitForCommand(id, name, deadline, control);
    if (command.success !== true) {
      const after = assessState({ observable: true, services: [await this.readService(name, signal)] }, target);
      // "At least one role must be started." on a stop of an already stopped service is a no-op.
      if (after.status === 'done')
        return { service: name, result: 'already', detail: `Cloudera Manager: ${command.resultMessage ?? 'no result'}; ${after.reason}` };
      throw await this.commandFailed(command, name, verb, signal);
    }
    const proven = await this.awaitProven(name, target, deadline, signal);
    if (proven.status !== 'done') {
      throw new AdapterError(
        'E_CM_NOT_PROVEN',
        `Cloudera Manager command ${id} (${verb} ${name}) succeeded but ${name} is not proven ${target}: ${proven.reason}`,
        {
          hint: 'look at the roles of the service in Cloudera Manager, then resume',
        },
      );
    }
    return {
      service: name,
      result: 'requested',
      requestId: id,
      detail: `Cloudera Manager command ${id}: ${command.resultMessage ?? 'success'}; ${proven.reason}`,
    };
  }

  /**
   * POSTs the command; when CM refuses it (400 "not currently available for execution", or a
   * failed command "already a pending command"), re-reads the roles: already in the target state
   * means done; otherwise it sends again after a backoff, at most COMMAND_ATTEMPTS times in all.
   */
  private async sendCommand(
    name: string,
    target: Target,
    deadline: number,
    control: ControlOptions,
  ): Promise<{ command: ApiCommand } | { already: string }> {
    const { signal } = control;
    const verb = target === 'stopped' ? 'stop' : 'start';
    const request = serviceCommandRequest(this.at, name, target);
    for (let attempt = 1; ; attempt++) {
      const answer = await this.postCommand(request, signal);
      const refusal =
        'refused' in answer
          ? answer.refused
          : answer.active === false && answer.success !== true && RETRYABLE.test(answer.resultMessage ?? '')
            ? (answer.resultMessage ?? '')
            : undefined;
      if (refusal === undefined) return { command: answer as ApiCommand };
      const now = assessState({ observable: true, services: [await this.readService(name, signal)] }, target);
      if (now.status === 'done') return { already: `Cloudera Manager: ${refusal}; ${now.reason}` };
      if (attempt >= COMMAND_ATTEMPTS || Date.now() >= deadline) {
        throw new AdapterError(
          'E_CM_COMMAND_REFUSED',
          `Cloudera Manager refused to ${verb} ${name} ${attempt} time(s): "${refusal}"; ${now.reason}`,
          {
            hint: `look at Running Commands and the roles of ${name} in Cloudera Manager (another command or a pending configuration change can block it), then resume`,
          },
        );
      }
      const backoffMs = Math.min(this.config.pollIntervalMs * 4 ** attempt, Math.max(0, deadline - Date.now()));
      control.onProgress?.(
        undefined,
        `Cloudera Manager refused to ${verb} ${name} (${refusal}); trying again in ${Math.round(backoffMs / 1000)} s (${attempt}/${COMMAND_ATTEMPTS})`,
      );
      await sleep(backoffMs, signal, `waiting to ${verb} ${name}`);
    }
  }

  private async awaitProven(name: string, target: Target, deadline: number, signal: AbortSignal): Promise<ReturnType<typeof assessState>> {
    for (;;) {
      const assessment = assessState({ observable: true, services: [await this.readService(name, signal)] }, target);
      if (assessment.status !== 'todo' || Date.now() >= deadline) return assessment;
      await sleep(this.config.pollIntervalMs, signal, `waiting for the roles of ${name} to report ${target}`);
    }
  }

  private async waitForCommand(id: number, name: string, deadline: number, control: ControlOptions): Promise<ApiCommand> {
    const { signal } = control;
    try {
      for (;;) {
        const command = (await this.getJson(commandRequest(this.at, id), signal)) as ApiCommand;
        const children = command.children?.items ?? [];
        const finished = children.filter((c) => c.active === false).length;
        const percent = command.active === false ? 100 : children.length > 0 ? (100 * finished) / children.length : 0;
        control.onProgress?.(
          percent,
          `Cloudera Manager command ${id} ${command.name ?? ''} (${name}) ${command.active === false ? 'finished' : 'running'}; ${finished}/${children.length} role command(s) done`,
        );
        if (command.active === false) return command;
        if (Date.now() >= deadline) {
          throw new AdapterError(
            'E_CM_COMMAND_TIMEOUT',
            `Cloudera Manager command ${id} (${name}) is still active after ${Math.round((control.timeoutMs ?? this.config.requestTimeoutMs) / 1000)} s; ${finished}/${children.length} role command(s) done`,
            {
              hint: `the command was not aborted and keeps running; watch it under Running Commands in Cloudera Manager (command ${id}), then resume`,
            },
          );
        }
        await sleep(this.config.pollIntervalMs, signal, `waiting for Cloudera Manager command ${id}`);
      }
    } catch (error) {
      if (error instanceof InterruptedError) {
        throw new InterruptedError(`interrupted while waiting for Cloudera Manager command ${id} (${name})`, {
          cause: error,
          hint: `the command keeps running in Cloudera Manager (Running Commands, command ${id}); resume when it has finished`,
        });
      }
      throw error;
    }
  }

  private async commandFailed(command: ApiCommand, name: string, verb: string, signal: AbortSignal): Promise<AdapterError> {
    const roles = (await this.getJson(rolesRequest(this.at, name), signal)) as { items?: ApiRole[] };
    const hostOf = new Map((roles.items ?? []).map((r) => [r.name, r.hostRef?.hostname ?? r.hostRef?.hostId ?? '?']));
    const typeOf = new Map((roles.items ?? []).map((r) => [r.name, r.type ?? '?']));
    const failed = (command.children?.items ?? []).filter((c) => c.success === false);
    const names = failed
      .map((c) => {
        const role = c.roleRef?.roleName ?? '?';
        return `${typeOf.get(role) ?? '?'} ${role} on ${hostOf.get(role) ?? '?'}: ${c.resultMessage ?? 'failed'}`;
      })
      .join('; ');
    return new AdapterError(
      'E_CM_COMMAND_FAILED',
      `Cloudera Manager could not ${verb} ${name} (command ${command.id ?? -1}): ${command.resultMessage ?? 'no result message'}${names ? `; ${names}` : ''}`,
      {
        hint: 'open the command in Cloudera Manager (Running Commands / Recent Commands) and the role log on that host, fix it, then resume',
      },
    );
  }

  /** The ApiCommand, or CM's message when it answers 400 with a retryable refusal. */
  private async postCommand(request: CmRequest, signal: AbortSignal): Promise<ApiCommand | { refused: string }> {
    const response = await this.http.request(request.method, request.path, { signal });
    if (response.status === 400 && RETRYABLE.test(errorMessageOf(response.text))) return { refused: errorMessageOf(response.text) };
    if (response.status < 200 || response.status >= 300) throw cmHttpError(response, request, this.config);
    return (parseJsonBody(response.text, request.description, 'Cloudera Manager') ?? {}) as ApiCommand;
  }

  private async getJson(request: CmRequest, signal: AbortSignal): Promise<unknown> {
    const response = await this.http.request(request.method, request.path, { signal });
    if (response.status < 200 || response.status >= 300) throw cmHttpError(response, request, this.config);
    return parseJsonBody(response.text, request.description, 'Cloudera Manager') ?? {};
  }
}

function phaseOf(state: string): Phase {
  if (state === 'STOPPED') return 'stopped';
  if (state === 'STARTED') return 'started';
  if (state === 'UNKNOWN' || state === 'HISTORY_NOT_AVAILABLE') return 'unknown';
  return 'transitioning';
}

export function cmHttpError(response: HttpResponse, request: CmRequest, config: ClouderaManagerConfig): AdapterError {
  const message = errorMessageOf(response.text);
  const what = `Cloudera Manager refused "${request.description}" (${response.status})`;
  const passwordSource = config.passwordEnv
    ? `environment variable ${config.passwordEnv}`
    : config.passwordFile
      ? `file ${config.passwordFile}`
      : 'the configured password';
  if (response.status === 401) {
    return new AdapterError('E_CM_AUTH', `Cloudera Manager rejected the credentials of user ${config.user}: ${message}`, {
      hint: `check dr.serviceControl.user and the password in ${passwordSource}`,
    });
  }
  if (response.status === 403) {
    return new AdapterError('E_CM_FORBIDDEN', `${what}: ${message}`, {
      hint: `user ${config.user} needs the Operator (or Cluster Administrator) role`,
    });
  }
  if (response.status === 404) {
    return new AdapterError('E_CM_NOT_FOUND', `${what}: ${message}`, {
      hint: `check dr.serviceControl.cluster (${config.cluster}), services and apiVersion (${config.apiVersion}; GET /api/version shows the highest the server supports)`,
    });
  }
  if (response.status === 503)
    return new AdapterError('E_CM_UNAVAILABLE', `${what}: ${message}`, {
      hint: 'Cloudera Manager asks to retry later; resume in a minute',
    });
  return new AdapterError(response.status >= 500 ? 'E_CM_SERVER' : 'E_CM_BAD_REQUEST', `${what}: ${message}`);
}
