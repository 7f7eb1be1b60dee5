// A stand-in Ambari server (node:http) that follows reference/ambari-and-cm-api.md §1.8: 403 auth,
// CSRF after auth, text/plain Jackson JSON, 200-empty no-ops, timed request lifecycle, faults.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { isMainModule, serveUntilSignal, standaloneArgs, timerSet } from './emulator-main.js';
import { gsonPretty, jacksonPretty } from './json-styles.js';

export type HostComponentState =
  | 'INIT' | 'INSTALLING' | 'INSTALL_FAILED' | 'INSTALLED' | 'STARTING' | 'STARTED' | 'STOPPING'
  | 'UNINSTALLING' | 'UNINSTALLED' | 'WIPING_OUT' | 'UPGRADING' | 'DISABLED' | 'UNKNOWN';
export type Category = 'MASTER' | 'SLAVE' | 'CLIENT';

export interface ComponentSpec {
  readonly name: string;
  readonly category: Category;
  readonly hosts: readonly string[];
}

export interface AmbariEmulatorOptions {
  readonly port?: number;
  readonly cluster?: string;
  readonly user?: string;
  readonly password?: string;
  /** Kerberos mode: auth failures are 401 + WWW-Authenticate: Negotiate instead of 403. */
  readonly kerberos?: boolean;
  /** api.csrfPrevention.enabled (default true). */
  readonly csrfProtection?: boolean;
  /** Services and their components; default: HIVE with the HDP 3 layout on m1/m2. */
  readonly services?: Readonly<Record<string, readonly ComponentSpec[]>>;
  /** Live state of every non-client host component at start (clients are always INSTALLED). */
  readonly initialState?: 'STARTED' | 'INSTALLED';
  /** Duration of each task phase; tests use tens of ms, the lab seconds. */
  readonly timing?: { readonly pendingMs?: number; readonly queuedMs?: number; readonly inProgressMs?: number };
  /** First request id (Ambari ids grow for the server's lifetime). */
  readonly firstRequestId?: number;
  /** Serve HTTPS with this PEM key and certificate (the url then starts with https://). */
  readonly tls?: { readonly key: string; readonly cert: string };
}

/** HDP 3.x Hive (no WebHCat, no HCat): two metastores, HS2, HSI, clients. */
export const HDP3_HIVE: readonly ComponentSpec[] = [
  { name: 'HIVE_METASTORE', category: 'MASTER', hosts: ['m1.example', 'm2.example'] },
  { name: 'HIVE_SERVER', category: 'MASTER', hosts: ['m1.example'] },
  { name: 'HIVE_SERVER_INTERACTIVE', category: 'MASTER', hosts: ['m2.example'] },
  { name: 'HIVE_CLIENT', category: 'CLIENT', hosts: ['m1.example', 'm2.example', 'e1.example'] },
];

/** HDP 2.6 Hive: adds WEBHCAT_SERVER (MASTER) and HCAT (CLIENT). */
export const HDP26_HIVE: readonly ComponentSpec[] = [
  { name: 'HIVE_METASTORE', category: 'MASTER', hosts: ['m1.example', 'm2.example'] },
  { name: 'HIVE_SERVER', category: 'MASTER', hosts: ['m1.example'] },
  { name: 'WEBHCAT_SERVER', category: 'MASTER', hosts: ['m1.example'] },
  { name: 'HIVE_CLIENT', category: 'CLIENT', hosts: ['m1.example', 'e1.example'] },
  { name: 'HCAT', category: 'CLIENT', hosts: ['m1.example', 'e1.example'] },
];

export type TaskStatus = 'PENDING' | 'QUEUED' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'TIMEDOUT' | 'ABORTED';

export interface TaskFault {
  readonly component: string;
  readonly host: string;
  /** Which command refuses (default STOP). */
  readonly command?: 'STOP' | 'START';
  readonly status?: 'FAILED' | 'TIMEDOUT';
  readonly stderr?: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  readonly status: number;
}

interface HostComponent {
  readonly service: string;
  readonly component: string;
  readonly category: Category;
  readonly host: string;
  state: HostComponentState;
  desiredState: HostComponentState;
  maintenance: 'ON' | 'OFF';
}

interface Task {
  readonly id: number;
  readonly stageId: number;
  readonly hc: HostComponent;
  readonly command: 'STOP' | 'START';
  status: TaskStatus;
  stderr: string;
  stdout: string;
  exitCode: number;
  startTime: number;
  endTime: number;
  /** State the host component returns to if the task fails. */
  readonly before: HostComponentState;
}

interface EmulatedRequest {
  readonly id: number;
  readonly context: string;
  readonly operationLevel: Record<string, string> | null;
  readonly createTime: number;
  startTime: number;
  endTime: number;
  readonly stages: Task[][];
  readonly target: 'INSTALLED' | 'STARTED';
}

export interface AmbariEmulator {
  readonly url: string;
  readonly port: number;
  readonly cluster: string;
  /** Every HTTP exchange, oldest first. */
  readonly recorded: RecordedRequest[];
  close(): Promise<void>;
  /** Live state of one host component. */
  hostComponentState(component: string, host: string): HostComponentState;
  setHostComponentState(component: string, host: string, state: HostComponentState): void;
  setServiceMaintenance(service: string, state: 'ON' | 'OFF'): void;
  setHostMaintenance(host: string, state: 'ON' | 'OFF'): void;
  setHostComponentMaintenance(component: string, host: string, state: 'ON' | 'OFF'): void;
  /** Heartbeat lost: host HEARTBEAT_LOST, its components UNKNOWN (silently skipped by requests). */
  loseAgent(host: string): void;
  restoreAgent(host: string, state?: HostComponentState): void;
  /** The next task for this component/host ends FAILED (or TIMEDOUT) and the component keeps running. */
  failTask(fault: TaskFault): void;
  clearFaults(): void;
  /** New requests stay PENDING for ever (hosts busy with another operation). */
  setStuckPending(stuck: boolean): void;
  /** Summary state as Ambari's Hive calculator reports it. */
  serviceState(service: string): HostComponentState;
  /** Request ids created so far. */
  requestIds(): number[];
}

const STATES = new Set<string>(['INIT', 'INSTALLING', 'INSTALL_FAILED', 'INSTALLED', 'STARTING', 'STARTED', 'STOPPING', 'UNINSTALLING', 'UNINSTALLED', 'WIPING_OUT', 'UPGRADING', 'DISABLED', 'UNKNOWN']);
const LEVELS = new Set(['CLUSTER', 'SERVICE', 'HOST', 'HOST_COMPONENT']);
const TERMINAL = new Set<TaskStatus>(['COMPLETED', 'FAILED', 'TIMEDOUT', 'ABORTED']);
/** Live states a START may come from (State.isValidStateTransition). */
const START_FROM = new Set<HostComponentState>(['INSTALLED', 'STARTING', 'STARTED']);
/** Start stages inside HIVE (role_command_order): MySQL, then the servers, then WebHCat. */
const START_STAGE: Record<string, number> = { MYSQL_SERVER: 0, WEBHCAT_SERVER: 2 };

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly style: 'jackson' | 'gson' = 'jackson', readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export async function startAmbariEmulator(options: AmbariEmulatorOptions = {}): Promise<AmbariEmulator> {
  const cluster = options.cluster ?? 'dr';
  const user = options.user ?? 'admin';
  const password = options.password ?? 'admin';
  const csrf = options.csrfProtection ?? true;
  const timing = { pendingMs: 1000, queuedMs: 500, inProgressMs: 3000, ...options.timing };
  const services = options.services ?? { HIVE: HDP3_HIVE };
  const serviceMaintenance = new Map<string, 'ON' | 'OFF'>(Object.keys(services).map((s) => [s, 'OFF']));
  const hosts = new Map<string, { state: 'HEALTHY' | 'HEARTBEAT_LOST'; maintenance: 'ON' | 'OFF' }>();
  const hostComponents: HostComponent[] = [];
  for (const [service, components] of Object.entries(services)) {
    for (const spec of components) {
      for (const host of spec.hosts) {
        hosts.set(host, { state: 'HEALTHY', maintenance: 'OFF' });
        const state: HostComponentState = spec.category === 'CLIENT' ? 'INSTALLED' : options.initialState ?? 'STARTED';
        hostComponents.push({ service, component: spec.name, category: spec.category, host, state, desiredState: state, maintenance: 'OFF' });
      }
    }
  }
  const requests = new Map<number, EmulatedRequest>();
  const waiting: EmulatedRequest[] = [];
  let running: EmulatedRequest | undefined;
  let nextRequestId = options.firstRequestId ?? 1;
  let nextTaskId = 1;
  let faults: TaskFault[] = [];
  let stuckPending = false;
  const timers = timerSet();
  const recorded: RecordedRequest[] = [];

  const { later } = timers;

  const findHc = (component: string, host: string): HostComponent => {
    const hc = hostComponents.find((h) => h.component === component && h.host === host);
    if (!hc) throw new Error(`emulator: no ${component} on ${host}`);
    return hc;
  };

  const effectiveMaintenance = (hc: HostComponent): string => {
    if (hc.maintenance === 'ON') return 'ON';
    const hostOn = hosts.get(hc.host)?.maintenance === 'ON';
    const serviceOn = serviceMaintenance.get(hc.service) === 'ON';
    if (hostOn && serviceOn) return 'IMPLIED_FROM_SERVICE_AND_HOST';
    if (hostOn) return 'IMPLIED_FROM_HOST';
    if (serviceOn) return 'IMPLIED_FROM_SERVICE';
    return 'OFF';
  };

  // MaintenanceStateHelper.isOperationAllowed
  const allowedByMaintenance = (hc: HostComponent, level: string): boolean => {
    const mm = effectiveMaintenance(hc);
    if (level === 'HOST_COMPONENT') return true;
    if (level === 'SERVICE') return mm === 'OFF' || mm === 'IMPLIED_FROM_SERVICE';
    if (level === 'HOST') return mm === 'OFF' || mm === 'IMPLIED_FROM_HOST';
    return mm === 'OFF';
  };

  // HiveServiceCalculatedState: masters only; shortcut when HS2, WebHCat, one HMS (and MySQL) run.
  const calculateServiceState = (service: string): HostComponentState => {
    const masters = hostComponents.filter((h) => h.service === service && h.category === 'MASTER');
    if (masters.length === 0) return 'UNKNOWN';
    if (masters.every((m) => m.state === 'STARTED' || m.state === 'DISABLED')) return 'STARTED';
    const started = (name: string): boolean => masters.some((m) => m.component === name && m.state === 'STARTED');
    const has = (name: string): boolean => masters.some((m) => m.component === name);
    if (has('WEBHCAT_SERVER') && started('WEBHCAT_SERVER') && started('HIVE_SERVER') && started('HIVE_METASTORE') && (!has('MYSQL_SERVER') || started('MYSQL_SERVER'))) return 'STARTED';
    let last: HostComponentState = 'STARTED';
    for (const m of masters) if (m.state !== 'STARTED' && m.state !== 'DISABLED') last = m.state;
    return last;
  };

  // CalculatedStatus: per stage, then over the stage statuses.
  const calculate = (statuses: readonly string[]): string => {
    if (statuses.length === 0) return 'COMPLETED';
    if (statuses.every((s) => s === 'PENDING')) return 'PENDING';
    if (statuses.includes('FAILED')) return 'FAILED';
    if (statuses.includes('TIMEDOUT')) return 'TIMEDOUT';
    if (statuses.includes('ABORTED') && !statuses.some((s) => s === 'PENDING' || s === 'QUEUED' || s === 'IN_PROGRESS')) return 'ABORTED';
    if (statuses.every((s) => s === 'COMPLETED')) return 'COMPLETED';
    return 'IN_PROGRESS';
  };
  const requestStatus = (r: EmulatedRequest): string => calculate(r.stages.map((stage) => calculate(stage.map((t) => t.status))));
  const allTasks = (r: EmulatedRequest): Task[] => r.stages.flat();

  const progressPercent = (r: EmulatedRequest): number => {
    const tasks = allTasks(r);
    if (tasks.length === 0) return 100;
    const count = (s: TaskStatus): number => tasks.filter((t) => t.status === s).length;
    return (100 * (0.09 * count('QUEUED') + 0.35 * count('IN_PROGRESS') + count('COMPLETED'))) / tasks.length;
  };

  const finishRequest = (r: EmulatedRequest): void => {
    r.endTime = Date.now();
    running = undefined;
    const next = waiting.shift();
    if (next) begin(next);
  };

  const begin = (r: EmulatedRequest): void => {
    running = r;
    if (stuckPending) return; // tasks stay PENDING; nothing is scheduled
    later(timing.pendingMs, () => runStage(r, 0));
  };

  const runStage = (r: EmulatedRequest, index: number): void => {
    const stage = r.stages[index];
    if (!stage) return finishRequest(r);
    for (const t of stage) if (t.status === 'PENDING') t.status = 'QUEUED';
    later(timing.queuedMs, () => {
      const now = Date.now();
      if (r.startTime === -1) r.startTime = now;
      for (const t of stage) {
        if (t.status !== 'QUEUED') continue;
        t.status = 'IN_PROGRESS';
        t.startTime = now;
        t.hc.state = t.command === 'STOP' ? 'STOPPING' : 'STARTING';
      }
      later(timing.inProgressMs, () => completeStage(r, index));
    });
  };

  const completeStage = (r: EmulatedRequest, index: number): void => {
    const stage = r.stages[index] ?? [];
    const now = Date.now();
    let failed = false;
    for (const t of stage) {
      if (t.status !== 'IN_PROGRESS') continue;
      t.endTime = now;
      const fault = faults.find((f) => f.component === t.hc.component && f.host === t.hc.host && (f.command ?? 'STOP') === t.command);
      if (fault) {
        faults = faults.filter((f) => f !== fault);
        failed = true;
        t.status = fault.status ?? 'FAILED';
        t.exitCode = fault.status === 'TIMEDOUT' ? 999 : 1;
        t.stderr = fault.stderr ?? `Traceback (most recent call last):\nresource_management.core.exceptions.Fail: ${t.hc.component} ${t.command} failed on ${t.hc.host}`;
        t.hc.state = t.before;
      } else {
        t.status = 'COMPLETED';
        t.exitCode = 0;
        t.stdout = `${t.hc.component} ${t.command} completed`;
        t.hc.state = t.command === 'STOP' ? 'INSTALLED' : 'STARTED';
      }
    }
    if (failed) {
      // The server aborts every task not yet run once one failed.
      for (const t of allTasks(r)) if (!TERMINAL.has(t.status)) t.status = 'ABORTED';
      return finishRequest(r);
    }
    runStage(r, index + 1);
  };

  const createRequest = (service: string, target: 'INSTALLED' | 'STARTED', level: string, context: string, operationLevel: Record<string, string> | null): EmulatedRequest | undefined => {
    if (level === 'CLUSTER' && serviceMaintenance.get(service) === 'ON') return undefined;
    const affected = hostComponents.filter((hc) =>
      hc.service === service && hc.category !== 'CLIENT' && hc.state !== target && hc.state !== 'UNKNOWN' && hc.state !== 'DISABLED' && allowedByMaintenance(hc, level));
    let candidates = affected;
    if (target === 'STARTED') {
      const invalidMaster = affected.find((hc) => hc.category === 'MASTER' && !START_FROM.has(hc.state));
      if (invalidMaster) {
        throw new HttpError(400, `Invalid transition for servicecomponenthost, clusterName=${cluster}, clusterId=2, serviceName=${service}, componentName=${invalidMaster.component}, hostname=${invalidMaster.host}, currentState=${invalidMaster.state}, newDesiredState=STARTED`);
      }
      candidates = affected.filter((hc) => START_FROM.has(hc.state)); // slaves in a bad state are skipped
    }
    for (const hc of hostComponents) if (hc.service === service && hc.category !== 'CLIENT') hc.desiredState = target;
    if (candidates.length === 0) return undefined;
    const command = target === 'INSTALLED' ? 'STOP' : 'START';
    const stageOf = (hc: HostComponent): number => (command === 'STOP' ? 0 : START_STAGE[hc.component] ?? 1);
    const stageNumbers = [...new Set(candidates.map(stageOf))].sort();
    const stages = stageNumbers.map((n, stageId) => candidates.filter((hc) => stageOf(hc) === n).map((hc): Task => ({
      id: nextTaskId++, stageId, hc, command, status: 'PENDING', stderr: '', stdout: '', exitCode: 999, startTime: -1, endTime: -1, before: hc.state,
    })));
    const r: EmulatedRequest = { id: nextRequestId++, context, operationLevel, createTime: Date.now(), startTime: -1, endTime: -1, stages, target };
    requests.set(r.id, r);
    if (running) waiting.push(r);
    else begin(r);
    return r;
  };

  // ---- HTTP ----
  const authenticate = (req: IncomingMessage): void => {
    const header = req.headers.authorization;
    const fail = (message: string): never => {
      if (options.kerberos) throw new HttpError(401, 'Authentication requested', 'gson', { 'WWW-Authenticate': 'Negotiate' });
      throw new HttpError(403, message, 'gson');
    };
    if (!header?.startsWith('Basic ')) fail('Missing authentication token');
    const decoded = Buffer.from((header ?? '').slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (decoded.slice(0, colon) !== user || decoded.slice(colon + 1) !== password) fail('Unable to sign in. Invalid username/password combination.');
  };

  const requireCluster = (name: string | undefined, verb: 'requested' | 'specified'): void => {
    if (name !== cluster) throw new HttpError(404, `The ${verb} resource doesn't exist: Cluster not found, clusterName=${name ?? ''}`);
  };
  const requireService = (name: string, verb: 'requested' | 'specified'): void => {
    if (!(name in services)) throw new HttpError(404, `The ${verb} resource doesn't exist: Service not found, clusterName=${cluster}, serviceName=${name}`);
  };

  const hostRoles = (hc: HostComponent, base: string): Record<string, unknown> => ({
    href: `${base}/api/v1/clusters/${cluster}/hosts/${hc.host}/host_components/${hc.component}`,
    HostRoles: {
      cluster_name: cluster, component_name: hc.component, desired_state: hc.desiredState, host_name: hc.host,
      maintenance_state: effectiveMaintenance(hc), service_name: hc.service, state: hc.state,
    },
  });

  const taskJson = (r: EmulatedRequest, t: Task, base: string): Record<string, unknown> => ({
    href: `${base}/api/v1/clusters/${cluster}/requests/${r.id}/tasks/${t.id}`,
    Tasks: {
      attempt_cnt: t.status === 'PENDING' ? 0 : 1, cluster_name: cluster, command: t.command, command_detail: `${t.hc.component} ${t.command}`,
      custom_command_name: null, end_time: t.endTime, error_log: `/var/lib/ambari-agent/data/errors-${t.id}.txt`, exit_code: t.exitCode,
      host_name: t.hc.host, id: t.id, ops_display_name: null, output_log: `/var/lib/ambari-agent/data/output-${t.id}.txt`,
      request_id: r.id, role: t.hc.component, stage_id: t.stageId, start_time: t.startTime, status: t.status,
      stderr: t.stderr, stdout: t.stdout, structured_out: {},
    },
  });

  const requestJson = (r: EmulatedRequest, base: string, withTasks: boolean): Record<string, unknown> => {
    const tasks = allTasks(r);
    const count = (s: TaskStatus): number => tasks.filter((t) => t.status === s).length;
    return {
      href: `${base}/api/v1/clusters/${cluster}/requests/${r.id}`,
      Requests: {
        aborted_task_count: count('ABORTED'), cluster_name: cluster, completed_task_count: tasks.filter((t) => TERMINAL.has(t.status)).length,
        create_time: r.createTime, end_time: r.endTime, exclusive: false, failed_task_count: count('FAILED'), id: r.id,
        inputs: null, operation_level: r.operationLevel, progress_percent: progressPercent(r), queued_task_count: count('QUEUED'),
        request_context: r.context, request_schedule: null, request_status: requestStatus(r), resource_filters: [],
        start_time: r.startTime, task_count: tasks.length, timed_out_task_count: count('TIMEDOUT'), type: 'INTERNAL_REQUEST',
      },
      ...(withTasks ? { tasks: tasks.map((t) => taskJson(r, t, base)) } : {}),
    };
  };

  const handle = (req: IncomingMessage, body: string, base: string): { status: number; json?: unknown } => {
    authenticate(req);
    const method = req.method ?? 'GET';
    if (csrf && !['GET', 'HEAD', 'OPTIONS'].includes(method) && req.headers['x-requested-by'] === undefined) {
      throw new HttpError(400, 'CSRF protection is turned on. X-Requested-By HTTP header is required.');
    }
    const url = new URL(req.url ?? '/', base);
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const self = `${base}${url.pathname}${url.search}`;
    if (parts[0] !== 'api' || parts[1] !== 'v1' || parts[2] !== 'clusters') throw new HttpError(404, 'The requested resource doesn\'t exist: unknown path');
    const verb = method === 'GET' ? 'requested' : 'specified';
    const [, , , clusterName, collection, id, sub] = parts;
    requireCluster(clusterName, verb);

    if (method === 'GET' && collection === undefined) {
      return { status: 200, json: { href: self, Clusters: { cluster_name: cluster, version: 'HDP-3.1' } } };
    }
    if (collection === 'services' && id !== undefined) {
      requireService(id, verb);
      if (method === 'PUT' && sub === undefined) return putService(id, body, base);
      if (method === 'GET' && sub === undefined) {
        return { status: 200, json: { href: self, ServiceInfo: { cluster_name: cluster, maintenance_state: serviceMaintenance.get(id), service_name: id, state: calculateServiceState(id) } } };
      }
      if (method === 'GET' && sub === 'components') {
        const specs = services[id] ?? [];
        return {
          status: 200,
          json: {
            href: self,
            items: specs.map((spec) => {
              const hcs = hostComponents.filter((h) => h.service === id && h.component === spec.name);
              const count = (pred: (h: HostComponent) => boolean): number => hcs.filter(pred).length;
              return {
                href: `${base}/api/v1/clusters/${cluster}/services/${id}/components/${spec.name}`,
                ServiceComponentInfo: {
                  category: spec.category, cluster_name: cluster, component_name: spec.name, service_name: id,
                  state: hcs[0]?.desiredState ?? 'INSTALLED',
                  init_count: count((h) => h.state === 'INIT'), install_failed_count: count((h) => h.state === 'INSTALL_FAILED'),
                  installed_and_maintenance_off_count: count((h) => h.state === 'INSTALLED' && effectiveMaintenance(h) === 'OFF'),
                  installed_count: count((h) => h.state === 'INSTALLED'), started_count: count((h) => h.state === 'STARTED'),
                  total_count: hcs.length, unknown_count: count((h) => h.state === 'UNKNOWN'),
                },
                host_components: hcs.map((hc) => hostRoles(hc, base)),
              };
            }),
          },
        };
      }
    }
    if (method === 'GET' && collection === 'host_components' && id === undefined) {
      const service = url.searchParams.get('HostRoles/service_name');
      return { status: 200, json: { href: self, items: hostComponents.filter((h) => service === null || h.service === service).map((hc) => hostRoles(hc, base)) } };
    }
    if (method === 'GET' && collection === 'hosts' && id === undefined) {
      return {
        status: 200,
        json: {
          href: self,
          items: [...hosts].map(([name, h]) => ({
            href: `${base}/api/v1/clusters/${cluster}/hosts/${name}`,
            Hosts: { cluster_name: cluster, host_name: name, host_state: h.state, host_status: h.state === 'HEALTHY' ? 'HEALTHY' : 'UNKNOWN', maintenance_state: h.maintenance },
          })),
        },
      };
    }
    if (collection === 'requests' && id !== undefined) {
      const r = requests.get(Number(id));
      if (!r || !/^\d+$/.test(id)) throw new HttpError(404, 'Request resource doesn\'t exist.');
      if (method === 'GET' && sub === undefined) {
        return { status: 200, json: requestJson(r, base, (url.searchParams.get('fields') ?? '').includes('tasks/')) };
      }
      if (method === 'GET' && sub === 'tasks') return { status: 200, json: { href: self, items: allTasks(r).map((t) => taskJson(r, t, base)) } };
      if (method === 'PUT' && sub === undefined) return abortRequest(r, body);
    }
    throw new HttpError(404, `The requested resource doesn't exist: ${url.pathname}`);
  };

  const parseBody = (body: string): Record<string, unknown> => {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      return parsed as Record<string, unknown>;
    } catch (error) {
      throw new HttpError(400, `Invalid Request: Malformed Request Body.  An exception occurred parsing the request body: ${(error as Error).message}`);
    }
  };

  const putService = (service: string, body: string, base: string): { status: number; json?: unknown } => {
    const parsed = parseBody(body);
    const requestInfo = (parsed.RequestInfo ?? {}) as Record<string, unknown>;
    const properties = (parsed.Body ?? Object.fromEntries(Object.entries(parsed).filter(([k]) => k !== 'RequestInfo'))) as Record<string, unknown>;
    const info = (properties.ServiceInfo ?? {}) as Record<string, unknown>;
    const mm = info.maintenance_state;
    if (mm !== undefined) {
      if (mm !== 'ON' && mm !== 'OFF') throw new HttpError(400, 'Invalid arguments, can only set maintenance state to one of [OFF, ON]');
      serviceMaintenance.set(service, mm);
    }
    const state = info.state;
    if (state === undefined) return { status: 200 };
    if (typeof state !== 'string' || !STATES.has(state)) throw new HttpError(400, `No enum constant org.apache.ambari.server.state.State.${String(state)}`);
    const opLevel = requestInfo.operation_level as Record<string, string> | undefined;
    let level = 'CLUSTER';
    if (opLevel !== undefined) {
      if (!LEVELS.has(String(opLevel.level).toUpperCase())) throw new HttpError(400, `Wrong operation level value: ${String(opLevel.level)}`);
      if (!opLevel.cluster_name) throw new HttpError(400, 'Mandatory key operation_level/cluster_name for operation level is not specified');
      level = String(opLevel.level).toUpperCase();
    }
    if (state !== 'INSTALLED' && state !== 'STARTED') return { status: 200 }; // other targets are not emulated
    const r = createRequest(service, state, level, String(requestInfo.context ?? ''), opLevel ? { level, cluster_name: opLevel.cluster_name ?? '', ...(opLevel.service_name ? { service_name: opLevel.service_name } : {}) } : null);
    if (!r) return { status: 200 };
    return { status: 202, json: { href: `${base}/api/v1/clusters/${cluster}/requests/${r.id}`, Requests: { id: r.id, status: 'Accepted' } } };
  };

  const abortRequest = (r: EmulatedRequest, body: string): { status: number } => {
    const parsed = parseBody(body) as { Requests?: { request_status?: string } };
    if (parsed.Requests?.request_status !== 'ABORTED') throw new HttpError(400, 'The only allowed value for request status is ABORTED');
    for (const t of allTasks(r)) {
      if (TERMINAL.has(t.status)) continue;
      t.status = 'ABORTED';
      if (t.hc.state === 'STOPPING' || t.hc.state === 'STARTING') t.hc.state = t.before;
    }
    if (running === r) finishRequest(r);
    else waiting.splice(waiting.indexOf(r), 1);
    return { status: 200 };
  };

  const scheme = options.tls ? 'https' : 'http';
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const base = `${scheme}://${req.headers.host ?? '127.0.0.1'}`;
      let status: number;
      let text = '';
      const headers: Record<string, string> = { 'Content-Type': 'text/plain' };
      try {
        const result = handle(req, body, base);
        status = result.status;
        if (result.json !== undefined) text = jacksonPretty(result.json, { arraysOnNewLines: true });
        headers['Set-Cookie'] = 'AMBARISESSIONID=node0emulator.node0;Path=/;HttpOnly';
      } catch (error) {
        const e = error instanceof HttpError ? error : new HttpError(500, `An internal system exception occurred: ${(error as Error).message}`);
        status = e.status;
        Object.assign(headers, e.headers);
        const payload = { status: e.status, message: e.message };
        text = e.style === 'gson' ? gsonPretty(payload) : jacksonPretty(payload, { arraysOnNewLines: true });
      }
      recorded.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: { ...req.headers }, body, status });
      writeResponse(res, status, headers, text);
    });
  };
  const server: Server | HttpsServer = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : createServer(listener);

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    cluster,
    recorded,
    async close() {
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    hostComponentState: (component, host) => findHc(component, host).state,
    setHostComponentState: (component, host, state) => {
      findHc(component, host).state = state;
    },
    setServiceMaintenance: (service, state) => {
      serviceMaintenance.set(service, state);
    },
    setHostMaintenance: (host, state) => {
      const h = hosts.get(host);
      if (!h) throw new Error(`emulator: no host ${host}`);
      h.maintenance = state;
    },
    setHostComponentMaintenance: (component, host, state) => {
      findHc(component, host).maintenance = state;
    },
    loseAgent: (host) => {
      const h = hosts.get(host);
      if (!h) throw new Error(`emulator: no host ${host}`);
      h.state = 'HEARTBEAT_LOST';
      for (const hc of hostComponents) if (hc.host === host && hc.category !== 'CLIENT') hc.state = 'UNKNOWN';
    },
    restoreAgent: (host, state = 'STARTED') => {
      const h = hosts.get(host);
      if (!h) throw new Error(`emulator: no host ${host}`);
      h.state = 'HEALTHY';
      for (const hc of hostComponents) if (hc.host === host && hc.state === 'UNKNOWN') hc.state = state;
    },
    failTask: (fault) => {
      findHc(fault.component, fault.host);
      faults.push(fault);
    },
    clearFaults: () => {
      faults = [];
    },
    setStuckPending: (stuck) => {
      stuckPending = stuck;
    },
    serviceState: calculateServiceState,
    requestIds: () => [...requests.keys()],
  };
}

function writeResponse(res: ServerResponse, status: number, headers: Record<string, string>, text: string): void {
  res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

// Standalone: node dist/src/lab/ambari-emulator.js --port 8080 [--cluster dr] [--user admin]
// [--password-env AMBARI_PASSWORD] [--phase-ms 2000] [--stopped]
if (isMainModule(import.meta.url)) {
  const a = standaloneArgs();
  serveUntilSignal(
    await startAmbariEmulator({
      port: a.port,
      cluster: a.cluster ?? 'dr',
      user: a.user,
      password: a.password,
      initialState: a.stopped ? 'INSTALLED' : 'STARTED',
      timing: { pendingMs: a.phaseMs, queuedMs: a.phaseMs / 2, inProgressMs: a.phaseMs * 2 },
    }),
  );
}
