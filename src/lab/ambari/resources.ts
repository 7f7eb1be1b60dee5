// Ambari's JSON resources as the emulator serves them: host roles, tasks, requests, components, hosts.
import { effectiveMaintenance, type ClusterState, type HostComponent } from './cluster-state.js';
import { allTasks, progressPercent, requestStatus, TERMINAL, type EmulatedRequest, type Task } from './requests.js';
import type { TaskStatus } from './types.js';

export function hostRolesJson(state: ClusterState, hc: HostComponent, base: string): Record<string, unknown> {
  const { cluster } = state;
  return {
    href: `${base}/api/v1/clusters/${cluster}/hosts/${hc.host}/host_components/${hc.component}`,
    HostRoles: {
      cluster_name: cluster,
      component_name: hc.component,
      desired_state: hc.desiredState,
      host_name: hc.host,
      maintenance_state: effectiveMaintenance(state, hc),
      service_name: hc.service,
      state: hc.state,
    },
  };
}

export function taskJson(cluster: string, r: EmulatedRequest, t: Task, base: string): Record<string, unknown> {
  return {
    href: `${base}/api/v1/clusters/${cluster}/requests/${r.id}/tasks/${t.id}`,
    Tasks: {
      attempt_cnt: t.status === 'PENDING' ? 0 : 1,
      cluster_name: cluster,
      command: t.command,
      command_detail: `${t.hc.component} ${t.command}`,
      custom_command_name: null,
      end_time: t.endTime,
      error_log: `/var/lib/ambari-agent/data/errors-${t.id}.txt`,
      exit_code: t.exitCode,
      host_name: t.hc.host,
      id: t.id,
      ops_display_name: null,
      output_log: `/var/lib/ambari-agent/data/output-${t.id}.txt`,
      request_id: r.id,
      role: t.hc.component,
      stage_id: t.stageId,
      start_time: t.startTime,
      status: t.status,
      stderr: t.stderr,
      stdout: t.stdout,
      structured_out: {},
    },
  };
}

export function requestJson(cluster: string, r: EmulatedRequest, base: string, withTasks: boolean): Record<string, unknown> {
  const tasks = allTasks(r);
  const count = (s: TaskStatus): number => tasks.filter((t) => t.status === s).length;
  return {
    href: `${base}/api/v1/clusters/${cluster}/requests/${r.id}`,
    Requests: {
      aborted_task_count: count('ABORTED'),
      cluster_name: cluster,
      completed_task_count: tasks.filter((t) => TERMINAL.has(t.status)).length,
      create_time: r.createTime,
      end_time: r.endTime,
      exclusive: false,
      failed_task_count: count('FAILED'),
      id: r.id,
      inputs: null,
      operation_level: r.operationLevel,
      progress_percent: progressPercent(r),
      queued_task_count: count('QUEUED'),
      request_context: r.context,
      request_schedule: null,
      request_status: requestStatus(r),
      resource_filters: [],
      start_time: r.startTime,
      task_count: tasks.length,
      timed_out_task_count: count('TIMEDOUT'),
      type: 'INTERNAL_REQUEST',
    },
    ...(withTasks ? { tasks: tasks.map((t) => taskJson(cluster, r, t, base)) } : {}),
  };
}

export function componentsJson(state: ClusterState, service: string, self: string, base: string): Record<string, unknown> {
  const { cluster } = state;
  const specs = state.services[service] ?? [];
  return {
    href: self,
    items: specs.map((spec) => {
      const hcs = state.hostComponents.filter((h) => h.service === service && h.component === spec.name);
      const count = (pred: (h: HostComponent) => boolean): number => hcs.filter(pred).length;
      return {
        href: `${base}/api/v1/clusters/${cluster}/services/${service}/components/${spec.name}`,
        ServiceComponentInfo: {
          category: spec.category,
          cluster_name: cluster,
          component_name: spec.name,
          service_name: service,
          state: hcs[0]?.desiredState ?? 'INSTALLED',
          init_count: count((h) => h.state === 'INIT'),
          install_failed_count: count((h) => h.state === 'INSTALL_FAILED'),
          installed_and_maintenance_off_count: count((h) => h.state === 'INSTALLED' && effectiveMaintenance(state, h) === 'OFF'),
          installed_count: count((h) => h.state === 'INSTALLED'),
          started_count: count((h) => h.state === 'STARTED'),
          total_count: hcs.length,
          unknown_count: count((h) => h.state === 'UNKNOWN'),
        },
        host_components: hcs.map((hc) => hostRolesJson(state, hc, base)),
      };
    }),
  };
}

export function hostsJson(state: ClusterState, self: string, base: string): Record<string, unknown> {
  return {
    href: self,
    items: [...state.hosts].map(([name, h]) => ({
      href: `${base}/api/v1/clusters/${state.cluster}/hosts/${name}`,
      Hosts: {
        cluster_name: state.cluster,
        host_name: name,
        host_state: h.state,
        host_status: h.state === 'HEALTHY' ? 'HEALTHY' : 'UNKNOWN',
        maintenance_state: h.maintenance,
      },
    })),
  };
}
