// The emulated cluster's live state: hosts, host components, maintenance flags, and the service
// state Ambari calculates from them (reference/ambari-and-cm-api.md §1.8).
import type { Category, ComponentSpec, HostComponentState } from './types.js';

export interface HostComponent {
  readonly service: string;
  readonly component: string;
  readonly category: Category;
  readonly host: string;
  state: HostComponentState;
  desiredState: HostComponentState;
  maintenance: 'ON' | 'OFF';
}

export interface EmulatedHost {
  state: 'HEALTHY' | 'HEARTBEAT_LOST';
  maintenance: 'ON' | 'OFF';
}

export interface ClusterState {
  readonly cluster: string;
  readonly services: Readonly<Record<string, readonly ComponentSpec[]>>;
  readonly serviceMaintenance: Map<string, 'ON' | 'OFF'>;
  readonly hosts: Map<string, EmulatedHost>;
  readonly hostComponents: HostComponent[];
}

/** Every host of every component HEALTHY, maintenance OFF; clients INSTALLED, the rest `initialState`. */
export function buildClusterState(
  cluster: string,
  services: Readonly<Record<string, readonly ComponentSpec[]>>,
  initialState: 'STARTED' | 'INSTALLED',
): ClusterState {
  const serviceMaintenance = new Map<string, 'ON' | 'OFF'>(Object.keys(services).map((s) => [s, 'OFF']));
  const hosts = new Map<string, EmulatedHost>();
  const hostComponents: HostComponent[] = [];
  for (const [service, components] of Object.entries(services)) {
    for (const spec of components) {
      for (const host of spec.hosts) {
        hosts.set(host, { state: 'HEALTHY', maintenance: 'OFF' });
        const state: HostComponentState = spec.category === 'CLIENT' ? 'INSTALLED' : initialState;
        hostComponents.push({
          service,
          component: spec.name,
          category: spec.category,
          host,
          state,
          desiredState: state,
          maintenance: 'OFF',
        });
      }
    }
  }
  return { cluster, services, serviceMaintenance, hosts, hostComponents };
}

export function findHostComponent(state: ClusterState, component: string, host: string): HostComponent {
  const hc = state.hostComponents.find((h) => h.component === component && h.host === host);
  if (!hc) throw new Error(`emulator: no ${component} on ${host}`);
  return hc;
}

export function findHost(state: ClusterState, host: string): EmulatedHost {
  const h = state.hosts.get(host);
  if (!h) throw new Error(`emulator: no host ${host}`);
  return h;
}

export function effectiveMaintenance(state: ClusterState, hc: HostComponent): string {
  if (hc.maintenance === 'ON') return 'ON';
  const hostOn = state.hosts.get(hc.host)?.maintenance === 'ON';
  const serviceOn = state.serviceMaintenance.get(hc.service) === 'ON';
  if (hostOn && serviceOn) return 'IMPLIED_FROM_SERVICE_AND_HOST';
  if (hostOn) return 'IMPLIED_FROM_HOST';
  if (serviceOn) return 'IMPLIED_FROM_SERVICE';
  return 'OFF';
}

/** MaintenanceStateHelper.isOperationAllowed */
export function allowedByMaintenance(state: ClusterState, hc: HostComponent, level: string): boolean {
  const mm = effectiveMaintenance(state, hc);
  if (level === 'HOST_COMPONENT') return true;
  if (level === 'SERVICE') return mm === 'OFF' || mm === 'IMPLIED_FROM_SERVICE';
  if (level === 'HOST') return mm === 'OFF' || mm === 'IMPLIED_FROM_HOST';
  return mm === 'OFF';
}

/** HiveServiceCalculatedState: masters only; shortcut when HS2, WebHCat, one HMS (and MySQL) run. */
export function calculateServiceState(state: ClusterState, service: string): HostComponentState {
  const masters = state.hostComponents.filter((h) => h.service === service && h.category === 'MASTER');
  if (masters.length === 0) return 'UNKNOWN';
  if (masters.every((m) => m.state === 'STARTED' || m.state === 'DISABLED')) return 'STARTED';
  const started = (name: string): boolean => masters.some((m) => m.component === name && m.state === 'STARTED');
  const has = (name: string): boolean => masters.some((m) => m.component === name);
  if (
    has('WEBHCAT_SERVER') &&
    started('WEBHCAT_SERVER') &&
    started('HIVE_SERVER') &&
    started('HIVE_METASTORE') &&
    (!has('MYSQL_SERVER') || started('MYSQL_SERVER'))
  )
    return 'STARTED';
  let last: HostComponentState = 'STARTED';
  for (const m of masters) if (m.state !== 'STARTED' && m.state !== 'DISABLED') last = m.state;
  return last;
}
