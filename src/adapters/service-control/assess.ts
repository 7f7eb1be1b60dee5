// Decides from a ControllerState whether Hive is provably in the target state, still to do, or
// blocked by something a stop/start request would silently skip (maintenance mode, lost agents).
import type { ComponentStatus, ControllerState, Target } from './controller.js';

export type Assessment =
  | { readonly status: 'done'; readonly reason: string }
  | { readonly status: 'todo'; readonly reason: string; readonly pending: readonly ComponentStatus[] }
  | { readonly status: 'blocked'; readonly reason: string; readonly hint: string; readonly offenders: readonly ComponentStatus[] };

const PHASE_OF_TARGET = { stopped: 'stopped', started: 'started' } as const;

/** "HIVE_METASTORE on m1.example (STARTED)" */
export function describeComponent(c: ComponentStatus): string {
  const name = c.instance ? `${c.component} ${c.instance}` : c.component;
  const mm = c.maintenance !== 'OFF' ? `, maintenance ${c.maintenance}` : '';
  const agent = c.agent === 'lost' ? ', agent heartbeat lost' : '';
  return `${c.service}/${name} on ${c.host} (${c.state}${mm}${agent})`;
}

/**
 * Stop is proven only when every non-client component on every host is in the target phase with a
 * live agent; the service summary state is never used (it can say INSTALLED while a master runs).
 */
export function assessState(state: ControllerState, target: Target): Assessment {
  if (!state.observable) return { status: 'todo', reason: 'the state cannot be read; the operator will be asked', pending: [] };
  const all = state.services.flatMap((s) => s.components);
  const lost = all.filter((c) => c.agent === 'lost' || c.phase === 'unknown');
  if (lost.length > 0) {
    const hosts = [...new Set(lost.map((c) => c.host))].join(', ');
    return {
      status: 'blocked',
      reason: `cannot prove Hive is ${target}: the state of ${lost.map(describeComponent).join('; ')} is not live (agent heartbeat lost or state UNKNOWN); the controller silently skips such components`,
      hint: `restart the agent on ${hosts} (e.g. \`ambari-agent restart\` or \`systemctl restart cloudera-scm-agent\`), wait until the host reports a live state, then resume`,
      offenders: lost,
    };
  }
  const wanted = PHASE_OF_TARGET[target];
  const pending = all.filter((c) => c.phase !== wanted);
  const skipped = pending.filter((c) => c.skippedByMaintenance);
  if (skipped.length > 0) {
    return {
      status: 'blocked',
      reason: `${skipped.map(describeComponent).join('; ')} ${skipped.length === 1 ? 'is' : 'are'} in maintenance mode and would be skipped by the ${target === 'stopped' ? 'stop' : 'start'} request, so Hive could not be proven ${target}`,
      hint: 'turn maintenance mode off for those hosts/components (Ambari: Hosts > host > Host Actions > Turn Off Maintenance Mode), or stop/start the component by hand, then resume',
      offenders: skipped,
    };
  }
  if (pending.length === 0) {
    return { status: 'done', reason: `all ${all.length} non-client component(s) are ${target}` };
  }
  return { status: 'todo', reason: `${pending.length} component(s) not ${target}: ${pending.map(describeComponent).join('; ')}`, pending };
}
