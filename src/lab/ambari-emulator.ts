// A stand-in Ambari server (node:http) that follows reference/ambari-and-cm-api.md §1.8: 403 auth,
// CSRF after auth, text/plain Jackson JSON, 200-empty no-ops, timed request lifecycle, faults.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { isMainModule, serveUntilSignal, standaloneArgs, timerSet } from './emulator-main.js';
import { buildClusterState, calculateServiceState, findHost, findHostComponent, type ClusterState } from './ambari/cluster-state.js';
import { RequestQueue } from './ambari/requests.js';
import { createRouter, type RouteResult } from './ambari/routes.js';
import { HttpError, type ComponentSpec, type HostComponentState, type RecordedRequest, type TaskFault } from './ambari/types.js';
import { gsonPretty, jacksonPretty } from './json-styles.js';

export type { Category, ComponentSpec, HostComponentState, RecordedRequest, TaskFault, TaskStatus } from './ambari/types.js';

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

export async function startAmbariEmulator(options: AmbariEmulatorOptions = {}): Promise<AmbariEmulator> {
  const state = buildClusterState(options.cluster ?? 'dr', options.services ?? { HIVE: HDP3_HIVE }, options.initialState ?? 'STARTED');
  const timers = timerSet();
  const timing = { pendingMs: 1000, queuedMs: 500, inProgressMs: 3000, ...options.timing };
  const queue = new RequestQueue(state, timing, timers.later, options.firstRequestId ?? 1);
  const route = createRouter(state, queue, {
    user: options.user ?? 'admin',
    password: options.password ?? 'admin',
    kerberos: options.kerberos ?? false,
    csrf: options.csrfProtection ?? true,
  });
  const recorded: RecordedRequest[] = [];
  const scheme = options.tls ? 'https' : 'http';
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const { status, headers, text } = respond(() => route(req, body, `${scheme}://${req.headers.host ?? '127.0.0.1'}`));
      recorded.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: { ...req.headers }, body, status });
      res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(text)) });
      res.end(text);
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
    cluster: state.cluster,
    recorded,
    async close() {
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    ...controls(state, queue),
  };
}

/** Ambari's response: text/plain Jackson JSON and a session cookie, or an error body (Jackson or Gson style). */
function respond(route: () => RouteResult): { status: number; headers: Record<string, string>; text: string } {
  const headers: Record<string, string> = { 'Content-Type': 'text/plain' };
  try {
    const result = route();
    const text = result.json !== undefined ? jacksonPretty(result.json, { arraysOnNewLines: true }) : '';
    headers['Set-Cookie'] = 'AMBARISESSIONID=node0emulator.node0;Path=/;HttpOnly';
    return { status: result.status, headers, text };
  } catch (error) {
    const e = error instanceof HttpError ? error : new HttpError(500, `An internal system exception occurred: ${(error as Error).message}`);
    Object.assign(headers, e.headers);
    const payload = { status: e.status, message: e.message };
    return {
      status: e.status,
      headers,
      text: e.style === 'gson' ? gsonPretty(payload) : jacksonPretty(payload, { arraysOnNewLines: true }),
    };
  }
}

/** The test-facing levers: states, maintenance, lost agents, faults. */
function controls(state: ClusterState, queue: RequestQueue): Omit<AmbariEmulator, 'url' | 'port' | 'cluster' | 'recorded' | 'close'> {
  return {
    hostComponentState: (component, host) => findHostComponent(state, component, host).state,
    setHostComponentState: (component, host, to) => {
      findHostComponent(state, component, host).state = to;
    },
    setServiceMaintenance: (service, to) => {
      state.serviceMaintenance.set(service, to);
    },
    setHostMaintenance: (host, to) => {
      findHost(state, host).maintenance = to;
    },
    setHostComponentMaintenance: (component, host, to) => {
      findHostComponent(state, component, host).maintenance = to;
    },
    loseAgent: (host) => {
      findHost(state, host).state = 'HEARTBEAT_LOST';
      for (const hc of state.hostComponents) if (hc.host === host && hc.category !== 'CLIENT') hc.state = 'UNKNOWN';
    },
    restoreAgent: (host, to = 'STARTED') => {
      findHost(state, host).state = 'HEALTHY';
      for (const hc of state.hostComponents) if (hc.host === host && hc.state === 'UNKNOWN') hc.state = to;
    },
    failTask: (fault) => {
      findHostComponent(state, fault.component, fault.host);
      queue.faults.push(fault);
    },
    clearFaults: () => {
      queue.faults = [];
    },
    setStuckPending: (stuck) => {
      queue.stuckPending = stuck;
    },
    serviceState: (service) => calculateServiceState(state, service),
    requestIds: () => [...queue.requests.keys()],
  };
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
