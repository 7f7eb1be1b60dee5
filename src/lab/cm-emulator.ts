// A stand-in Cloudera Manager server (node:http) that follows reference/ambari-and-cm-api.md §2.6
// for service start/stop: /api/version, Basic auth, application/json, ApiCommand lifecycle, faults.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { isMainModule, serveUntilSignal, standaloneArgs, timerSet } from './emulator-main.js';
import { jacksonPretty } from './json-styles.js';

export type RoleState = 'HISTORY_NOT_AVAILABLE' | 'UNKNOWN' | 'STARTING' | 'STARTED' | 'BUSY' | 'STOPPING' | 'STOPPED' | 'NA';

export interface CmServiceSpec {
  readonly name: string;
  readonly type: string;
  readonly roles: readonly { readonly type: string; readonly host: string }[];
}

export interface CmEmulatorOptions {
  readonly port?: number;
  /** Cluster name in URLs (the display name works too). */
  readonly cluster?: string;
  /** Highest API version served, e.g. v41. */
  readonly apiVersion?: string;
  readonly user?: string;
  readonly password?: string;
  /** Default: CDP 7 layout, `hive` (HIVE: 2 metastores + gateway) and `hive_on_tez` (HIVE_ON_TEZ: HS2 + gateway). */
  readonly services?: readonly CmServiceSpec[];
  readonly initialState?: 'STARTED' | 'STOPPED';
  /** Time before the role commands start, and time the role commands take. */
  readonly timing?: { readonly pendingMs?: number; readonly inProgressMs?: number };
  readonly firstCommandId?: number;
  /** Serve HTTPS with this PEM key and certificate (the url then starts with https://). */
  readonly tls?: { readonly key: string; readonly cert: string };
}

export const CDP_HIVE: readonly CmServiceSpec[] = [
  { name: 'hive', type: 'HIVE', roles: [{ type: 'HIVEMETASTORE', host: 'm1.example' }, { type: 'HIVEMETASTORE', host: 'm2.example' }, { type: 'GATEWAY', host: 'e1.example' }] },
  { name: 'hive_on_tez', type: 'HIVE_ON_TEZ', roles: [{ type: 'HIVESERVER2', host: 'm1.example' }, { type: 'GATEWAY', host: 'e1.example' }] },
];

export interface CmRoleFault {
  readonly service: string;
  readonly roleType: string;
  readonly host: string;
  readonly command?: 'Stop' | 'Start';
  readonly message?: string;
}

export interface CmRecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  readonly status: number;
}

interface Role {
  readonly name: string;
  readonly type: string;
  readonly service: string;
  readonly host: string;
  readonly hostId: string;
  state: RoleState;
  maintenance: boolean;
}

interface Command {
  readonly id: number;
  readonly name: 'Stop' | 'Start';
  readonly startTime: string;
  endTime?: string;
  active: boolean;
  success?: boolean;
  resultMessage?: string;
  readonly service?: string;
  readonly role?: Role;
  children: Command[];
}

export interface CmEmulator {
  readonly url: string;
  readonly port: number;
  readonly cluster: string;
  readonly recorded: CmRecordedRequest[];
  close(): Promise<void>;
  roleStates(service: string): { name: string; type: string; host: string; state: RoleState }[];
  setRoleState(service: string, roleType: string, host: string, state: RoleState): void;
  setRoleMaintenance(service: string, roleType: string, host: string, on: boolean): void;
  /** The next Stop (or Start) of this role fails; the role keeps its state. */
  failRole(fault: CmRoleFault): void;
  /** Commands stay active for ever. */
  setStuck(stuck: boolean): void;
  serviceState(service: string): string;
  commandIds(): number[];
}

class CmHttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export async function startCmEmulator(options: CmEmulatorOptions = {}): Promise<CmEmulator> {
  const cluster = options.cluster ?? 'Cluster 1';
  const apiVersion = options.apiVersion ?? 'v41';
  const maxVersion = Number(apiVersion.slice(1));
  const user = options.user ?? 'admin';
  const password = options.password ?? 'admin';
  const timing = { pendingMs: 500, inProgressMs: 3000, ...options.timing };
  const specs = options.services ?? CDP_HIVE;
  const roles: Role[] = [];
  specs.forEach((spec, si) => spec.roles.forEach((r, ri) => {
    const state: RoleState = r.type === 'GATEWAY' ? 'NA' : options.initialState ?? 'STARTED';
    const hash = `${(si * 97 + ri * 31 + 0x5eed).toString(16)}a1b2c3d4e5f6`;
    roles.push({ name: `${spec.name}-${r.type}-${hash}`, type: r.type, service: spec.name, host: r.host, hostId: `host-id-${r.host}`, state, maintenance: false });
  }));
  const commands = new Map<number, Command>();
  let nextId = options.firstCommandId ?? 1000;
  let faults: CmRoleFault[] = [];
  let stuck = false;
  const timers = timerSet();
  const recorded: CmRecordedRequest[] = [];
  const { later } = timers;
  const iso = (): string => new Date().toISOString();
  const rolesOf = (service: string): Role[] => roles.filter((r) => r.service === service);
  const operable = (service: string): Role[] => rolesOf(service).filter((r) => r.type !== 'GATEWAY');

  const serviceState = (service: string): string => {
    const states = operable(service).map((r) => r.state);
    if (states.length === 0) return 'NA';
    if (states.includes('STOPPING')) return 'STOPPING';
    if (states.includes('STARTING')) return 'STARTING';
    if (states.every((s) => s === 'STOPPED')) return 'STOPPED';
    if (states.some((s) => s === 'STARTED' || s === 'BUSY')) return 'STARTED';
    return 'UNKNOWN';
  };
  const serviceType = (service: string): string => specs.find((s) => s.name === service)?.type ?? '?';
  const serviceRef = (service: string): Record<string, string> => ({ clusterName: cluster, serviceName: service });

  const commandJson = (c: Command, full: boolean): Record<string, unknown> => ({
    id: c.id, name: c.name, startTime: c.startTime, endTime: c.endTime, active: c.active, success: c.success, resultMessage: c.resultMessage,
    serviceRef: c.service !== undefined ? serviceRef(c.service) : undefined,
    roleRef: c.role ? { clusterName: cluster, serviceName: c.role.service, roleName: c.role.name } : undefined,
    hostRef: c.role ? { hostId: c.role.hostId, hostname: c.role.host } : undefined,
    children: full && c.children.length > 0 ? { items: c.children.map((child) => commandJson(child, false)) } : undefined,
    canRetry: c.active ? undefined : c.success === false,
  });

  const finishedCommand = (name: 'Stop' | 'Start', service: string, message: string): Command => {
    const now = iso();
    const c: Command = { id: nextId++, name, startTime: now, endTime: now, active: false, success: false, resultMessage: message, service, children: [] };
    commands.set(c.id, c);
    return c;
  };

  const runServiceCommand = (service: string, name: 'Stop' | 'Start'): Command => {
    if ([...commands.values()].some((c) => c.active && c.service === service)) {
      return finishedCommand(name, service, `There is already a pending command on this entity: ${service}.`);
    }
    const from: RoleState = name === 'Stop' ? 'STARTED' : 'STOPPED';
    const targets = operable(service).filter((r) => r.state === from);
    if (targets.length === 0) {
      // Stop text seen in real captures; the start text is not verified (hmsdr checks roleState first).
      return finishedCommand(name, service, name === 'Stop' ? 'At least one role must be started.' : 'At least one role must be stopped.');
    }
    const parent: Command = { id: nextId++, name, startTime: iso(), active: true, service, children: [] };
    commands.set(parent.id, parent);
    if (stuck) return parent;
    later(timing.pendingMs, () => {
      for (const role of targets) {
        role.state = name === 'Stop' ? 'STOPPING' : 'STARTING';
        const child: Command = { id: nextId++, name, startTime: iso(), active: true, service, role, children: [] };
        commands.set(child.id, child);
        parent.children.push(child);
      }
      later(timing.inProgressMs, () => {
        let failures = 0;
        for (const child of parent.children) {
          const role = child.role as Role;
          const fault = faults.find((f) => f.service === service && f.roleType === role.type && f.host === role.host && (f.command ?? 'Stop') === name);
          child.active = false;
          child.endTime = iso();
          if (fault) {
            faults = faults.filter((f) => f !== fault);
            failures++;
            child.success = false;
            child.resultMessage = fault.message ?? `Failed to ${name.toLowerCase()} process.`;
            role.state = from;
          } else {
            child.success = true;
            child.resultMessage = name === 'Stop' ? 'Successfully stopped process.' : 'Successfully started process.';
            role.state = name === 'Stop' ? 'STOPPED' : 'STARTED';
          }
        }
        parent.active = false;
        parent.endTime = iso();
        parent.success = failures === 0;
        // The failure wording of the parent is not verified; the role children carry the detail.
        parent.resultMessage = failures === 0
          ? (name === 'Stop' ? 'Successfully stopped service.' : 'Successfully started service.')
          : `Failed to ${name.toLowerCase()} service.`;
      });
    });
    return parent;
  };

  const authenticate = (req: IncomingMessage): void => {
    const header = req.headers.authorization ?? '';
    const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon === -1 || decoded.slice(0, colon) !== user || decoded.slice(colon + 1) !== password) {
      // The exact 401 body is unverified; the JSON form with `message` is what clients read.
      throw new CmHttpError(401, 'Bad credentials', { 'WWW-Authenticate': 'Basic realm="Cloudera Manager"' });
    }
  };

  const handle = (req: IncomingMessage): { status: number; json?: unknown; text?: string } => {
    authenticate(req);
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://cm');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'api') throw new CmHttpError(404, `Resource not found: ${url.pathname}`);
    if (parts[1] === 'version' && parts.length === 2 && method === 'GET') return { status: 200, text: apiVersion };
    const version = /^v(\d+)$/.exec(parts[1] ?? '');
    if (!version || Number(version[1]) > maxVersion || Number(version[1]) < 1) throw new CmHttpError(404, `Unknown API version: ${parts[1] ?? ''}`);
    const rest = parts.slice(2);
    if (rest[0] === 'commands' && rest[1] !== undefined && rest.length === 2 && method === 'GET') {
      const c = /^\d+$/.test(rest[1]) ? commands.get(Number(rest[1])) : undefined;
      if (!c) throw new CmHttpError(404, `Command '${rest[1]}' not found.`);
      return { status: 200, json: commandJson(c, true) };
    }
    if (rest[0] !== 'clusters' || rest[1] === undefined) throw new CmHttpError(404, `Resource not found: ${url.pathname}`);
    if (rest[1] !== cluster) throw new CmHttpError(404, `Cluster '${rest[1]}' not found.`);
    if (rest[2] === 'services' && rest.length === 3 && method === 'GET') {
      return { status: 200, json: { items: specs.map((s) => serviceJson(s.name)) } };
    }
    if (rest[2] !== 'services' || rest[3] === undefined) throw new CmHttpError(404, `Resource not found: ${url.pathname}`);
    const service = rest[3];
    if (!specs.some((s) => s.name === service)) throw new CmHttpError(404, `Service '${service}' not found in cluster '${cluster}'.`);
    if (rest.length === 4 && method === 'GET') return { status: 200, json: serviceJson(service) };
    if (rest[4] === 'roles' && rest.length === 5 && method === 'GET') {
      return {
        status: 200,
        json: {
          items: rolesOf(service).map((r) => ({
            name: r.name, type: r.type, serviceRef: serviceRef(service), hostRef: { hostId: r.hostId, hostname: r.host },
            roleState: r.state, healthSummary: r.state === 'STARTED' ? 'GOOD' : 'DISABLED', maintenanceMode: r.maintenance,
            maintenanceOwners: r.maintenance ? ['ROLE'] : [], entityStatus: r.state === 'NA' ? 'NONE' : r.state,
          })),
        },
      };
    }
    if (rest[4] === 'commands' && rest.length === 6 && method === 'POST' && (rest[5] === 'stop' || rest[5] === 'start')) {
      return { status: 200, json: commandJson(runServiceCommand(service, rest[5] === 'stop' ? 'Stop' : 'Start'), false) };
    }
    throw new CmHttpError(404, `Resource not found: ${url.pathname}`);
  };

  const serviceJson = (service: string): Record<string, unknown> => {
    const state = serviceState(service);
    return {
      name: service, type: serviceType(service), clusterRef: { clusterName: cluster }, serviceState: state,
      healthSummary: state === 'STOPPED' ? 'DISABLED' : 'GOOD', configStalenessStatus: 'FRESH', clientConfigStalenessStatus: 'FRESH',
      maintenanceMode: false, maintenanceOwners: [], displayName: service.toUpperCase(), entityStatus: state === 'STOPPED' ? 'STOPPED' : 'GOOD_HEALTH',
    };
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let status: number;
      let text: string;
      let contentType = 'application/json';
      const headers: Record<string, string> = {};
      try {
        const result = handle(req);
        status = result.status;
        if (result.text !== undefined) {
          text = result.text;
          contentType = 'text/plain';
        } else {
          text = jacksonPretty(result.json, { arraysOnNewLines: false });
        }
      } catch (error) {
        const e = error instanceof CmHttpError ? error : new CmHttpError(500, (error as Error).message);
        status = e.status;
        Object.assign(headers, e.headers);
        text = jacksonPretty({ message: e.message }, { arraysOnNewLines: false });
      }
      recorded.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: { ...req.headers }, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(text)) });
      res.end(text);
    });
  };
  const server: Server | HttpsServer = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : createServer(listener);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const findRole = (service: string, type: string, host: string): Role => {
    const role = roles.find((r) => r.service === service && r.type === type && r.host === host);
    if (!role) throw new Error(`emulator: no ${type} of ${service} on ${host}`);
    return role;
  };

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    cluster,
    recorded,
    async close() {
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    roleStates: (service) => rolesOf(service).map((r) => ({ name: r.name, type: r.type, host: r.host, state: r.state })),
    setRoleState: (service, type, host, state) => {
      findRole(service, type, host).state = state;
    },
    setRoleMaintenance: (service, type, host, on) => {
      findRole(service, type, host).maintenance = on;
    },
    failRole: (fault) => {
      findRole(fault.service, fault.roleType, fault.host);
      faults.push(fault);
    },
    setStuck: (value) => {
      stuck = value;
    },
    serviceState,
    commandIds: () => [...commands.keys()],
  };
}

// Standalone: node dist/src/lab/cm-emulator.js --port 7180 [--cluster "Cluster 1"] [--user admin]
// [--password-env CM_PASSWORD] [--phase-ms 2000] [--stopped]
if (isMainModule(import.meta.url)) {
  const a = standaloneArgs();
  serveUntilSignal(
    await startCmEmulator({
      port: a.port,
      cluster: a.cluster ?? 'Cluster 1',
      user: a.user,
      password: a.password,
      initialState: a.stopped ? 'STOPPED' : 'STARTED',
      timing: { pendingMs: a.phaseMs / 2, inProgressMs: a.phaseMs * 2 },
    }),
  );
}
