// The CM emulator's REST routes: Basic auth, /api/version, versioned clusters/services/roles/commands.
import type { IncomingMessage } from 'node:http';
import type { CmCluster, Command } from './cluster.js';
import type { CmReplication } from './replication.js';
import { replicationRoute } from './replication-routes.js';
import { CmHttpError, type CmRouteResult } from './http-error.js';

export { CmHttpError, type CmRouteResult } from './http-error.js';

export interface CmRouterOptions {
  readonly user: string;
  readonly password: string;
  /** Highest API version served, e.g. v41. */
  readonly apiVersion: string;
  /** BDR: peers, replication schedules of `hdfsService`, their commands and diagnostic bundles. */
  readonly replication?: { readonly state: CmReplication; readonly hdfsService: string; readonly scheme: 'http' | 'https' };
}

export function createCmRouter(cm: CmCluster, options: CmRouterOptions): (req: IncomingMessage, body?: string) => CmRouteResult {
  const maxVersion = Number(options.apiVersion.slice(1));
  const serviceRef = (service: string): Record<string, string> => ({ clusterName: cm.name, serviceName: service });

  const commandJson = (c: Command, full: boolean): Record<string, unknown> => ({
    id: c.id,
    name: c.name,
    startTime: c.startTime,
    endTime: c.endTime,
    active: c.active,
    success: c.success,
    resultMessage: c.resultMessage,
    serviceRef: c.service !== undefined ? serviceRef(c.service) : undefined,
    roleRef: c.role ? { clusterName: cm.name, serviceName: c.role.service, roleName: c.role.name } : undefined,
    hostRef: c.role ? { hostId: c.role.hostId, hostname: c.role.host } : undefined,
    children: full && c.children.length > 0 ? { items: c.children.map((child) => commandJson(child, false)) } : undefined,
    canRetry: c.active ? undefined : c.success === false,
  });

  const serviceJson = (service: string): Record<string, unknown> => {
    const state = cm.serviceState(service);
    return {
      name: service,
      type: cm.serviceType(service),
      clusterRef: { clusterName: cm.name },
      serviceState: state,
      healthSummary: state === 'STOPPED' ? 'DISABLED' : 'GOOD',
      configStalenessStatus: 'FRESH',
      clientConfigStalenessStatus: 'FRESH',
      maintenanceMode: false,
      maintenanceOwners: [],
      displayName: service.toUpperCase(),
      entityStatus: state === 'STOPPED' ? 'STOPPED' : 'GOOD_HEALTH',
    };
  };

  const rolesJson = (service: string): Record<string, unknown> => ({
    items: cm.rolesOf(service).map((r) => ({
      name: r.name,
      type: r.type,
      serviceRef: serviceRef(service),
      hostRef: { hostId: r.hostId, hostname: r.host },
      roleState: r.state,
      healthSummary: r.state === 'STARTED' ? 'GOOD' : 'DISABLED',
      maintenanceMode: r.maintenance,
      maintenanceOwners: r.maintenance ? ['ROLE'] : [],
      entityStatus: r.state === 'NA' ? 'NONE' : r.state,
    })),
  });

  const authenticate = (req: IncomingMessage): void => {
    const header = req.headers.authorization ?? '';
    const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon === -1 || decoded.slice(0, colon) !== options.user || decoded.slice(colon + 1) !== options.password) {
      // The exact 401 body is unverified; the JSON form with `message` is what clients read.
      throw new CmHttpError(401, 'Bad credentials', { 'WWW-Authenticate': 'Basic realm="Cloudera Manager"' });
    }
  };

  /** Routes below /api/v<n>/ (`rest` is the path after the version). */
  const versioned = (rest: string[], method: string, pathname: string, replicated?: () => CmRouteResult | undefined): CmRouteResult => {
    const bdr = replicated?.();
    if (bdr) return bdr;
    if (rest[0] === 'commands' && rest[1] !== undefined && rest.length === 2 && method === 'GET') {
      const c = /^\d+$/.test(rest[1]) ? cm.commands.get(Number(rest[1])) : undefined;
      if (!c) throw new CmHttpError(404, `Command '${rest[1]}' not found.`);
      return { status: 200, json: commandJson(c, true) };
    }
    if (rest[0] !== 'clusters' || rest[1] === undefined) throw new CmHttpError(404, `Resource not found: ${pathname}`);
    if (rest[1] !== cm.name) throw new CmHttpError(404, `Cluster '${rest[1]}' not found.`);
    if (rest[2] === 'services' && rest.length === 3 && method === 'GET') {
      return { status: 200, json: { items: cm.specs.map((s) => serviceJson(s.name)) } };
    }
    if (rest[2] !== 'services' || rest[3] === undefined) throw new CmHttpError(404, `Resource not found: ${pathname}`);
    const service = rest[3];
    if (!cm.specs.some((s) => s.name === service)) throw new CmHttpError(404, `Service '${service}' not found in cluster '${cm.name}'.`);
    if (rest.length === 4 && method === 'GET') return { status: 200, json: serviceJson(service) };
    if (rest[4] === 'roles' && rest.length === 5 && method === 'GET') return { status: 200, json: rolesJson(service) };
    if (rest[4] === 'commands' && rest.length === 6 && method === 'POST' && (rest[5] === 'stop' || rest[5] === 'start')) {
      const result = cm.runServiceCommand(service, rest[5] === 'stop' ? 'Stop' : 'Start');
      if ('refused' in result) throw new CmHttpError(400, result.refused);
      return { status: 200, json: commandJson(result, false) };
    }
    throw new CmHttpError(404, `Resource not found: ${pathname}`);
  };

  return (req, body = '') => {
    authenticate(req);
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://cm');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const bdr = options.replication;
    if (bdr && parts[0] === 'cmf' && parts[1] === 'command' && parts[3] === 'download' && method === 'GET') {
      const bundle = bdr.state.bundles.get(Number(parts[2]));
      if (!bundle) throw new CmHttpError(404, `Resource not found: ${url.pathname}`);
      return { status: 200, bytes: bundle };
    }
    if (parts[0] !== 'api') throw new CmHttpError(404, `Resource not found: ${url.pathname}`);
    if (parts[1] === 'version' && parts.length === 2 && method === 'GET') return { status: 200, text: options.apiVersion };
    const version = /^v(\d+)$/.exec(parts[1] ?? '');
    if (!version || Number(version[1]) > maxVersion || Number(version[1]) < 1)
      throw new CmHttpError(404, `Unknown API version: ${parts[1] ?? ''}`);
    const baseUrl = `${bdr?.scheme ?? 'http'}://${req.headers.host ?? '127.0.0.1'}`;
    return versioned(
      parts.slice(2),
      method,
      url.pathname,
      bdr ? () => replicationRoute(bdr.state, bdr.hdfsService, cm.name, { rest: parts.slice(2), method, url, body, baseUrl }) : undefined,
    );
  };
}
