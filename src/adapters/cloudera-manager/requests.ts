// Cloudera Manager REST requests as data: the client sends these and `plan` prints them.
import type { Action } from '../../actions/action.js';
import type { Target } from '../service-control/controller.js';

export interface CmRequest {
  readonly method: 'GET' | 'POST';
  /** Path below the base URL, starting with /api/vNN. */
  readonly path: string;
  readonly description: string;
}

const seg = encodeURIComponent;

export interface CmCoordinates {
  readonly apiVersion: string;
  readonly cluster: string;
}

const clusterPath = (c: CmCoordinates): string => `/api/${c.apiVersion}/clusters/${seg(c.cluster)}`;

export function listServicesRequest(c: CmCoordinates): CmRequest {
  return { method: 'GET', path: `${clusterPath(c)}/services`, description: `list the services of cluster ${c.cluster}` };
}

export function serviceRequest(c: CmCoordinates, service: string): CmRequest {
  return { method: 'GET', path: `${clusterPath(c)}/services/${seg(service)}`, description: `read service ${service}` };
}

export function rolesRequest(c: CmCoordinates, service: string): CmRequest {
  return { method: 'GET', path: `${clusterPath(c)}/services/${seg(service)}/roles`, description: `read the roles of ${service}` };
}

/** The command endpoints consume nothing: the POST carries no body. */
export function serviceCommandRequest(c: CmCoordinates, service: string, target: Target): CmRequest {
  const verb = target === 'stopped' ? 'stop' : 'start';
  return {
    method: 'POST',
    path: `${clusterPath(c)}/services/${seg(service)}/commands/${verb}`,
    description: `${verb} service ${service} in cluster ${c.cluster}`,
  };
}

export function commandRequest(c: CmCoordinates, id: number): CmRequest {
  return { method: 'GET', path: `/api/${c.apiVersion}/commands/${id}`, description: `poll command ${id}` };
}

export function toAction(baseUrl: string, request: CmRequest): Action {
  return { kind: 'http', method: request.method, url: `${baseUrl.replace(/\/+$/, '')}${request.path}`, description: request.description };
}
