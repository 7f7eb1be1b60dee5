// Ambari's request lifecycle: one request runs at a time, its stages go PENDING → QUEUED →
// IN_PROGRESS → COMPLETED on timers, injected faults fail a task and abort the rest.
import { allowedByMaintenance, type ClusterState, type HostComponent } from './cluster-state.js';
import { HttpError, type HostComponentState, type TaskFault, type TaskStatus } from './types.js';

export interface Task {
  readonly id: number;
  readonly stageId: number;
  readonly hc: HostComponent;
  readonly command: 'STOP' | 'START';
  status: TaskStatus;
  stderr: string;
  stdout: string;
  exitCode: number;
  startTime: number;
  endTime: number;
  /** State the host component returns to if the task fails. */
  readonly before: HostComponentState;
}

export interface EmulatedRequest {
  readonly id: number;
  readonly context: string;
  readonly operationLevel: Record<string, string> | null;
  readonly createTime: number;
  startTime: number;
  endTime: number;
  readonly stages: Task[][];
  readonly target: 'INSTALLED' | 'STARTED';
}

export interface PhaseTiming {
  readonly pendingMs: number;
  readonly queuedMs: number;
  readonly inProgressMs: number;
}

export const TERMINAL = new Set<TaskStatus>(['COMPLETED', 'FAILED', 'TIMEDOUT', 'ABORTED']);
/** Live states a START may come from (State.isValidStateTransition). */
const START_FROM = new Set<HostComponentState>(['INSTALLED', 'STARTING', 'STARTED']);
/** Start stages inside HIVE (role_command_order): MySQL, then the servers, then WebHCat. */
const START_STAGE: Record<string, number> = { MYSQL_SERVER: 0, WEBHCAT_SERVER: 2 };

/** CalculatedStatus: per stage, then over the stage statuses. */
function calculate(statuses: readonly string[]): string {
  if (statuses.length === 0) return 'COMPLETED';
  if (statuses.every((s) => s === 'PENDING')) return 'PENDING';
  if (statuses.includes('FAILED')) return 'FAILED';
  if (statuses.includes('TIMEDOUT')) return 'TIMEDOUT';
  if (statuses.includes('ABORTED') && !statuses.some((s) => s === 'PENDING' || s === 'QUEUED' || s === 'IN_PROGRESS')) return 'ABORTED';
  if (statuses.every((s) => s === 'COMPLETED')) return 'COMPLETED';
  return 'IN_PROGRESS';
}

export const requestStatus = (r: EmulatedRequest): string => calculate(r.stages.map((stage) => calculate(stage.map((t) => t.status))));
export const allTasks = (r: EmulatedRequest): Task[] => r.stages.flat();

export function progressPercent(r: EmulatedRequest): number {
  const tasks = allTasks(r);
  if (tasks.length === 0) return 100;
  const count = (s: TaskStatus): number => tasks.filter((t) => t.status === s).length;
  return (100 * (0.09 * count('QUEUED') + 0.35 * count('IN_PROGRESS') + count('COMPLETED'))) / tasks.length;
}

export class RequestQueue {
  readonly requests = new Map<number, EmulatedRequest>();
  faults: TaskFault[] = [];
  /** New requests stay PENDING for ever (hosts busy with another operation). */
  stuckPending = false;
  private readonly waiting: EmulatedRequest[] = [];
  private running: EmulatedRequest | undefined;
  private nextRequestId: number;
  private nextTaskId = 1;

  constructor(
    private readonly state: ClusterState,
    private readonly timing: PhaseTiming,
    private readonly later: (ms: number, fn: () => void) => void,
    firstRequestId: number,
  ) {
    this.nextRequestId = firstRequestId;
  }

  /** A STOP (target INSTALLED) or START (target STARTED) of a service's components; undefined when nothing is to do. */
  create(
    service: string,
    target: 'INSTALLED' | 'STARTED',
    level: string,
    context: string,
    operationLevel: Record<string, string> | null,
  ): EmulatedRequest | undefined {
    const { state } = this;
    if (level === 'CLUSTER' && state.serviceMaintenance.get(service) === 'ON') return undefined;
    const affected = state.hostComponents.filter(
      (hc) =>
        hc.service === service &&
        hc.category !== 'CLIENT' &&
        hc.state !== target &&
        hc.state !== 'UNKNOWN' &&
        hc.state !== 'DISABLED' &&
        allowedByMaintenance(state, hc, level),
    );
    let candidates = affected;
    if (target === 'STARTED') {
      const invalidMaster = affected.find((hc) => hc.category === 'MASTER' && !START_FROM.has(hc.state));
      if (invalidMaster) {
        throw new HttpError(
          400,
          `Invalid transition for servicecomponenthost, clusterName=${state.cluster}, clusterId=2, serviceName=${service}, componentName=${invalidMaster.component}, hostname=${invalidMaster.host}, currentState=${invalidMaster.state}, newDesiredState=STARTED`,
        );
      }
      candidates = affected.filter((hc) => START_FROM.has(hc.state)); // slaves in a bad state are skipped
    }
    for (const hc of state.hostComponents) if (hc.service === service && hc.category !== 'CLIENT') hc.desiredState = target;
    if (candidates.length === 0) return undefined;
    const r: EmulatedRequest = {
      id: this.nextRequestId++,
      context,
      operationLevel,
      createTime: Date.now(),
      startTime: -1,
      endTime: -1,
      stages: this.stagesFor(candidates, target),
      target,
    };
    this.requests.set(r.id, r);
    if (this.running) this.waiting.push(r);
    else this.begin(r);
    return r;
  }

  /** PUT request_status=ABORTED: tasks not yet finished end ABORTED, components go back. */
  abort(r: EmulatedRequest): void {
    for (const t of allTasks(r)) {
      if (TERMINAL.has(t.status)) continue;
      t.status = 'ABORTED';
      if (t.hc.state === 'STOPPING' || t.hc.state === 'STARTING') t.hc.state = t.before;
    }
    if (this.running === r) this.finish(r);
    else this.waiting.splice(this.waiting.indexOf(r), 1);
  }

  private stagesFor(candidates: readonly HostComponent[], target: 'INSTALLED' | 'STARTED'): Task[][] {
    const command = target === 'INSTALLED' ? 'STOP' : 'START';
    const stageOf = (hc: HostComponent): number => (command === 'STOP' ? 0 : (START_STAGE[hc.component] ?? 1));
    const stageNumbers = [...new Set(candidates.map(stageOf))].sort();
    return stageNumbers.map((n, stageId) =>
      candidates
        .filter((hc) => stageOf(hc) === n)
        .map(
          (hc): Task => ({
            id: this.nextTaskId++,
            stageId,
            hc,
            command,
            status: 'PENDING',
            stderr: '',
            stdout: '',
            exitCode: 999,
            startTime: -1,
            endTime: -1,
            before: hc.state,
          }),
        ),
    );
  }

  private finish(r: EmulatedRequest): void {
    r.endTime = Date.now();
    this.running = undefined;
    const next = this.waiting.shift();
    if (next) this.begin(next);
  }

  private begin(r: EmulatedRequest): void {
    this.running = r;
    if (this.stuckPending) return; // tasks stay PENDING; nothing is scheduled
    this.later(this.timing.pendingMs, () => this.runStage(r, 0));
  }

  private runStage(r: EmulatedRequest, index: number): void {
    const stage = r.stages[index];
    if (!stage) {
      this.finish(r);
      return;
    }
    for (const t of stage) if (t.status === 'PENDING') t.status = 'QUEUED';
    this.later(this.timing.queuedMs, () => {
      const now = Date.now();
      if (r.startTime === -1) r.startTime = now;
      for (const t of stage) {
        if (t.status !== 'QUEUED') continue;
        t.status = 'IN_PROGRESS';
        t.startTime = now;
        t.hc.state = t.command === 'STOP' ? 'STOPPING' : 'STARTING';
      }
      this.later(this.timing.inProgressMs, () => this.completeStage(r, index));
    });
  }

  private completeStage(r: EmulatedRequest, index: number): void {
    const stage = r.stages[index] ?? [];
    const now = Date.now();
    let failed = false;
    for (const t of stage) {
      if (t.status !== 'IN_PROGRESS') continue;
      t.endTime = now;
      if (this.completeTask(t)) failed = true;
    }
    if (failed) {
      // The server aborts every task not yet run once one failed.
      for (const t of allTasks(r)) if (!TERMINAL.has(t.status)) t.status = 'ABORTED';
      this.finish(r);
      return;
    }
    this.runStage(r, index + 1);
  }

  /** Ends one task as its fault says (then returns true) or COMPLETED. */
  private completeTask(t: Task): boolean {
    const fault = this.faults.find((f) => f.component === t.hc.component && f.host === t.hc.host && (f.command ?? 'STOP') === t.command);
    if (fault) {
      this.faults = this.faults.filter((f) => f !== fault);
      t.status = fault.status ?? 'FAILED';
      t.exitCode = fault.status === 'TIMEDOUT' ? 999 : 1;
      t.stderr =
        fault.stderr ??
        `Traceback (most recent call last):\nresource_management.core.exceptions.Fail: ${t.hc.component} ${t.command} failed on ${t.hc.host}`;
      t.hc.state = t.before;
      return true;
    }
    t.status = 'COMPLETED';
    t.exitCode = 0;
    t.stdout = `${t.hc.component} ${t.command} completed`;
    t.hc.state = t.command === 'STOP' ? 'INSTALLED' : 'STARTED';
    return false;
  }
}
