// Ambari REST requests as data: the client sends these and `plan` prints them (no secrets inside).
import type { Action } from '../../actions/action.js';
import type { Target } from '../service-control/controller.js';

export interface AmbariRequest {
  readonly method: 'GET' | 'PUT';
  /** Path below the base URL, starting with /api/v1. */
  readonly path: string;
  readonly body?: unknown;
  readonly description: string;
}

const seg = encodeURIComponent;
const clusterPath = (cluster: string): string => `/api/v1/clusters/${seg(cluster)}`;

/** Ambari has no STOPPED state: a stop asks for INSTALLED. */
export const AMBARI_STATE_OF_TARGET = { stopped: 'INSTALLED', started: 'STARTED' } as const;

/**
 * Stop/start one service. `operation_level: SERVICE` (as the Ambari UI sends) makes a service in
 * maintenance mode be operated instead of silently skipped with a 200 and an empty body.
 */
export function serviceStateRequest(cluster: string, service: string, target: Target): AmbariRequest {
  const verb = target === 'stopped' ? 'stop' : 'start';
  return {
    method: 'PUT',
    path: `${clusterPath(cluster)}/services/${seg(service)}`,
    body: {
      RequestInfo: {
        context: `hmsdr: ${verb} ${service}`,
        operation_level: { level: 'SERVICE', cluster_name: cluster, service_name: service },
      },
      Body: { ServiceInfo: { state: AMBARI_STATE_OF_TARGET[target] } },
    },
    description: `${verb} ${service} in Ambari cluster ${cluster}`,
  };
}

export function serviceInfoRequest(cluster: string, service: string): AmbariRequest {
  return {
    method: 'GET',
    path: `${clusterPath(cluster)}/services/${seg(service)}?fields=ServiceInfo/state,ServiceInfo/maintenance_state`,
    description: `read ${service} summary state`,
  };
}

/** Components with their category (to leave out clients) and every host component's live state. */
export function componentsRequest(cluster: string, service: string): AmbariRequest {
  return {
    method: 'GET',
    path: `${clusterPath(cluster)}/services/${seg(service)}/components?fields=ServiceComponentInfo/category,host_components/HostRoles/state,host_components/HostRoles/maintenance_state`,
    description: `read the live state of every ${service} host component`,
  };
}

export function hostsRequest(cluster: string): AmbariRequest {
  return {
    method: 'GET',
    path: `${clusterPath(cluster)}/hosts?fields=Hosts/host_state,Hosts/maintenance_state`,
    description: 'read host agent states',
  };
}

/** Live and desired state of every host component of `service` (desired: what was last asked for). */
export function hostRolesRequest(cluster: string, service: string): AmbariRequest {
  return {
    method: 'GET',
    path: `${clusterPath(cluster)}/host_components?HostRoles/service_name=${encodeURIComponent(service)}&fields=HostRoles/state,HostRoles/desired_state`,
    description: `read the desired state of ${service} host components`,
  };
}

export function requestStatusRequest(cluster: string, id: number): AmbariRequest {
  return { method: 'GET', path: `${clusterPath(cluster)}/requests/${id}?fields=Requests/*`, description: `poll request ${id}` };
}

export function tasksRequest(cluster: string, id: number): AmbariRequest {
  return {
    method: 'GET',
    path: `${clusterPath(cluster)}/requests/${id}/tasks?fields=Tasks/*`,
    description: `read the tasks of request ${id}`,
  };
}

export function toAction(baseUrl: string, request: AmbariRequest): Action {
  const action: Action = {
    kind: 'http',
    method: request.method,
    url: `${baseUrl.replace(/\/+$/, '')}${request.path}`,
    description: request.description,
  };
  return request.body === undefined ? action : { ...action, body: request.body };
}
