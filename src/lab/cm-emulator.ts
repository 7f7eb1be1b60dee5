// A stand-in Cloudera Manager server (node:http) that follows reference/ambari-and-cm-api.md §2.6
// for service start/stop: /api/version, Basic auth, application/json, ApiCommand lifecycle, faults.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { isMainModule, serveUntilSignal, standaloneArgs, timerSet } from './emulator-main.js';
import { CmCluster } from './cm/cluster.js';
import { CmReplication, type ReplicationFault } from './cm/replication.js';
import type { StandinSites } from './cm/replication-copy.js';
import { CmHttpError, createCmRouter, type CmRouteResult } from './cm/routes.js';
import { jacksonPretty } from './json-styles.js';
import type { CmRoleFault, CmServiceSpec, RoleState } from './cm/types.js';

export type { CmRoleFault, CmServiceSpec, RoleState } from './cm/types.js';
export type { ReplicationFault } from './cm/replication.js';

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
  /** BDR: replication schedules of the DR HDFS service copy these HDFS stand-in trees. */
  readonly replication?: {
    readonly sites: StandinSites;
    readonly hdfsService?: string;
    /** Peers that exist from the start (name and source CM url). */
    readonly peers?: readonly { readonly name: string; readonly url: string }[];
    /** Time before a replication job runs and time it takes (default: the command timing). */
    readonly timing?: { readonly pendingMs?: number; readonly inProgressMs?: number };
  };
}

export const CDP_HIVE: readonly CmServiceSpec[] = [
  {
    name: 'hive',
    type: 'HIVE',
    roles: [
      { type: 'HIVEMETASTORE', host: 'm1.example' },
      { type: 'HIVEMETASTORE', host: 'm2.example' },
      { type: 'GATEWAY', host: 'e1.example' },
    ],
  },
  {
    name: 'hive_on_tez',
    type: 'HIVE_ON_TEZ',
    roles: [
      { type: 'HIVESERVER2', host: 'm1.example' },
      { type: 'GATEWAY', host: 'e1.example' },
    ],
  },
];

export interface CmRecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  readonly status: number;
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
  /** The next `count` service commands get HTTP 400 "Command X is not currently available for execution." (no command created). */
  refuseCommands(count: number): void;
  /** The BDR state (peers, schedules, replication commands), when `replication` was given. */
  readonly replication: CmReplication | undefined;
  /** The next replication run (not a dry run) meets this fault. */
  replicationFault(fault: ReplicationFault): void;
  serviceState(service: string): string;
  commandIds(): number[];
}

export async function startCmEmulator(options: CmEmulatorOptions = {}): Promise<CmEmulator> {
  const timers = timerSet();
  const timing = { pendingMs: 500, inProgressMs: 3000, ...options.timing };
  const cm = new CmCluster(
    options.cluster ?? 'Cluster 1',
    options.services ?? CDP_HIVE,
    options.initialState ?? 'STARTED',
    timing,
    timers.later,
    options.firstCommandId ?? 1000,
  );
  const bdr = options.replication;
  const replication = bdr ? new CmReplication(cm, bdr.sites, { ...timing, ...bdr.timing }, timers.later) : undefined;
  for (const peer of bdr?.peers ?? [])
    replication?.peers.set(peer.name, {
      name: peer.name,
      url: peer.url,
      username: `cmpeer-${peer.name}`,
      type: 'REPLICATION',
      clouderaManagerCreatedUser: true,
    });
  const route = createCmRouter(cm, {
    user: options.user ?? 'admin',
    password: options.password ?? 'admin',
    apiVersion: options.apiVersion ?? 'v41',
    ...(replication
      ? { replication: { state: replication, hdfsService: bdr?.hdfsService ?? 'hdfs', scheme: options.tls ? 'https' : 'http' } }
      : {}),
  });
  const recorded: CmRecordedRequest[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const { status, headers, text } = respond(() => route(req, body));
      recorded.push({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: { ...req.headers },
        body,
        status,
      });
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
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    cluster: cm.name,
    recorded,
    async close() {
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    roleStates: (service) => cm.rolesOf(service).map((r) => ({ name: r.name, type: r.type, host: r.host, state: r.state })),
    setRoleState: (service, type, host, state) => {
      cm.findRole(service, type, host).state = state;
    },
    setRoleMaintenance: (service, type, host, on) => {
      cm.findRole(service, type, host).maintenance = on;
    },
    failRole: (fault) => {
      cm.findRole(fault.service, fault.roleType, fault.host);
      cm.faults.push(fault);
    },
    setStuck: (value) => {
      cm.stuck = value;
    },
    refuseCommands: (count) => {
      cm.refusals = count;
    },
    replication,
    replicationFault: (fault) => {
      if (!replication) throw new Error('emulator: started without replication');
      replication.faults.push(fault);
    },
    serviceState: (service) => cm.serviceState(service),
    commandIds: () => [...cm.commands.keys()],
  };
}

/** CM's response: JSON (or text/plain for /api/version), errors as `{ "message": ... }`. */
function respond(route: () => CmRouteResult): { status: number; headers: Record<string, string>; text: string | Buffer } {
  try {
    const result = route();
    if (result.bytes !== undefined) return { status: result.status, headers: { 'Content-Type': 'application/zip' }, text: result.bytes };
    if (result.text !== undefined) return { status: result.status, headers: { 'Content-Type': 'text/plain' }, text: result.text };
    return {
      status: result.status,
      headers: { 'Content-Type': 'application/json' },
      text: jacksonPretty(result.json, { arraysOnNewLines: false }),
    };
  } catch (error) {
    const e = error instanceof CmHttpError ? error : new CmHttpError(500, (error as Error).message);
    return {
      status: e.status,
      headers: { ...e.headers, 'Content-Type': 'application/json' },
      text: jacksonPretty({ message: e.message }, { arraysOnNewLines: false }),
    };
  }
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
