// The emulator's REST routes: authentication and CSRF first, then the few resources the product uses.
import type { IncomingMessage } from 'node:http';
import { calculateServiceState, type ClusterState } from './cluster-state.js';
import { allTasks, type EmulatedRequest, type RequestQueue } from './requests.js';
import { componentsJson, hostRolesJson, hostsJson, requestJson, taskJson } from './resources.js';
import { HttpError } from './types.js';

export interface RouteResult {
  readonly status: number;
  readonly json?: unknown;
}

export interface RouterOptions {
  readonly user: string;
  readonly password: string;
  readonly kerberos: boolean;
  readonly csrf: boolean;
}

const STATES = new Set<string>([
  'INIT',
  'INSTALLING',
  'INSTALL_FAILED',
  'INSTALLED',
  'STARTING',
  'STARTED',
  'STOPPING',
  'UNINSTALLING',
  'UNINSTALLED',
  'WIPING_OUT',
  'UPGRADING',
  'DISABLED',
  'UNKNOWN',
]);
const LEVELS = new Set(['CLUSTER', 'SERVICE', 'HOST', 'HOST_COMPONENT']);

type Verb = 'requested' | 'specified';

export function createRouter(
  state: ClusterState,
  queue: RequestQueue,
  options: RouterOptions,
): (req: IncomingMessage, body: string, base: string) => RouteResult {
  const { cluster } = state;

  const authenticate = (req: IncomingMessage): void => {
    const header = req.headers.authorization;
    const fail = (message: string): never => {
      if (options.kerberos) throw new HttpError(401, 'Authentication requested', 'gson', { 'WWW-Authenticate': 'Negotiate' });
      throw new HttpError(403, message, 'gson');
    };
    if (!header?.startsWith('Basic ')) fail('Missing authentication token');
    const decoded = Buffer.from((header ?? '').slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (decoded.slice(0, colon) !== options.user || decoded.slice(colon + 1) !== options.password)
      fail('Unable to sign in. Invalid username/password combination.');
  };

  const service = (
    id: string,
    method: string,
    sub: string | undefined,
    body: string,
    self: string,
    base: string,
  ): RouteResult | undefined => {
    if (method === 'PUT' && sub === undefined) return putService(state, queue, id, body, base);
    if (method === 'GET' && sub === undefined) {
      return {
        status: 200,
        json: {
          href: self,
          ServiceInfo: {
            cluster_name: cluster,
            maintenance_state: state.serviceMaintenance.get(id),
            service_name: id,
            state: calculateServiceState(state, id),
          },
        },
      };
    }
    if (method === 'GET' && sub === 'components') return { status: 200, json: componentsJson(state, id, self, base) };
    return undefined;
  };

  const request = (
    id: string,
    method: string,
    sub: string | undefined,
    body: string,
    url: URL,
    self: string,
    base: string,
  ): RouteResult | undefined => {
    const r = queue.requests.get(Number(id));
    if (!r || !/^\d+$/.test(id)) throw new HttpError(404, "Request resource doesn't exist.");
    if (method === 'GET' && sub === undefined) {
      return { status: 200, json: requestJson(cluster, r, base, (url.searchParams.get('fields') ?? '').includes('tasks/')) };
    }
    if (method === 'GET' && sub === 'tasks')
      return { status: 200, json: { href: self, items: allTasks(r).map((t) => taskJson(cluster, r, t, base)) } };
    if (method === 'PUT' && sub === undefined) return abortRequest(queue, r, body);
    return undefined;
  };

  return (req, body, base) => {
    authenticate(req);
    const method = req.method ?? 'GET';
    if (options.csrf && !['GET', 'HEAD', 'OPTIONS'].includes(method) && req.headers['x-requested-by'] === undefined) {
      throw new HttpError(400, 'CSRF protection is turned on. X-Requested-By HTTP header is required.');
    }
    const url = new URL(req.url ?? '/', base);
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const self = `${base}${url.pathname}${url.search}`;
    if (parts[0] !== 'api' || parts[1] !== 'v1' || parts[2] !== 'clusters')
      throw new HttpError(404, "The requested resource doesn't exist: unknown path");
    const verb: Verb = method === 'GET' ? 'requested' : 'specified';
    const [, , , clusterName, collection, id, sub] = parts;
    if (clusterName !== cluster)
      throw new HttpError(404, `The ${verb} resource doesn't exist: Cluster not found, clusterName=${clusterName ?? ''}`);

    if (method === 'GET' && collection === undefined) {
      return { status: 200, json: { href: self, Clusters: { cluster_name: cluster, version: 'HDP-3.1' } } };
    }
    if (collection === 'services' && id !== undefined) {
      if (!(id in state.services))
        throw new HttpError(404, `The ${verb} resource doesn't exist: Service not found, clusterName=${cluster}, serviceName=${id}`);
      const result = service(id, method, sub, body, self, base);
      if (result) return result;
    }
    if (method === 'GET' && collection === 'host_components' && id === undefined) {
      const name = url.searchParams.get('HostRoles/service_name');
      return {
        status: 200,
        json: {
          href: self,
          items: state.hostComponents.filter((h) => name === null || h.service === name).map((hc) => hostRolesJson(state, hc, base)),
        },
      };
    }
    if (method === 'GET' && collection === 'hosts' && id === undefined) return { status: 200, json: hostsJson(state, self, base) };
    if (collection === 'requests' && id !== undefined) {
      const result = request(id, method, sub, body, url, self, base);
      if (result) return result;
    }
    throw new HttpError(404, `The requested resource doesn't exist: ${url.pathname}`);
  };
}

function parseBody(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new HttpError(
      400,
      `Invalid Request: Malformed Request Body.  An exception occurred parsing the request body: ${(error as Error).message}`,
    );
  }
}

/** PUT services/<name>: maintenance on/off and/or a target state, which creates a request. */
function putService(state: ClusterState, queue: RequestQueue, service: string, body: string, base: string): RouteResult {
  const parsed = parseBody(body);
  const requestInfo = (parsed.RequestInfo ?? {}) as Record<string, unknown>;
  const properties = (parsed.Body ?? Object.fromEntries(Object.entries(parsed).filter(([k]) => k !== 'RequestInfo'))) as Record<
    string,
    unknown
  >;
  const info = (properties.ServiceInfo ?? {}) as Record<string, unknown>;
  const mm = info.maintenance_state;
  if (mm !== undefined) {
    if (mm !== 'ON' && mm !== 'OFF') throw new HttpError(400, 'Invalid arguments, can only set maintenance state to one of [OFF, ON]');
    state.serviceMaintenance.set(service, mm);
  }
  const target = info.state;
  if (target === undefined) return { status: 200 };
  if (typeof target !== 'string' || !STATES.has(target))
    throw new HttpError(400, `No enum constant org.apache.ambari.server.state.State.${String(target)}`);
  const opLevel = requestInfo.operation_level as Record<string, string> | undefined;
  let level = 'CLUSTER';
  if (opLevel !== undefined) {
    if (!LEVELS.has(String(opLevel.level).toUpperCase())) throw new HttpError(400, `Wrong operation level value: ${String(opLevel.level)}`);
    if (!opLevel.cluster_name) throw new HttpError(400, 'Mandatory key operation_level/cluster_name for operation level is not specified');
    level = String(opLevel.level).toUpperCase();
  }
  if (target !== 'INSTALLED' && target !== 'STARTED') return { status: 200 }; // other targets are not emulated
  const operationLevel = opLevel
    ? { level, cluster_name: opLevel.cluster_name ?? '', ...(opLevel.service_name ? { service_name: opLevel.service_name } : {}) }
    : null;
  const r = queue.create(service, target, level, String(requestInfo.context ?? ''), operationLevel);
  if (!r) return { status: 200 };
  return {
    status: 202,
    json: { href: `${base}/api/v1/clusters/${state.cluster}/requests/${r.id}`, Requests: { id: r.id, status: 'Accepted' } },
  };
}

function abortRequest(queue: RequestQueue, r: EmulatedRequest, body: string): RouteResult {
  const parsed = parseBody(body) as { Requests?: { request_status?: string } };
  if (parsed.Requests?.request_status !== 'ABORTED') throw new HttpError(400, 'The only allowed value for request status is ABORTED');
  queue.abort(r);
  return { status: 200 };
}
