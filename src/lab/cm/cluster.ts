// The emulated Cloudera Manager cluster: roles and their states, and the ApiCommand lifecycle of a
// service Stop/Start (parent command, one child per role, timed, with injectable role faults).
import type { CmRoleFault, CmServiceSpec, RoleState } from './types.js';

export interface Role {
  readonly name: string;
  readonly type: string;
  readonly service: string;
  readonly host: string;
  readonly hostId: string;
  state: RoleState;
  maintenance: boolean;
}

export interface Command {
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

export interface CommandTiming {
  readonly pendingMs: number;
  readonly inProgressMs: number;
}

/** A command CM will not run: answered with HTTP 400 `{ "message": ... }`, and no command is created. */
export interface Refusal {
  readonly refused: string;
}

/** CM's 400 text for a command that does not apply now (issue #17's field report for Start of a started service). */
export const notAvailable = (name: 'Stop' | 'Start'): string => `Command ${name} is not currently available for execution.`;

const iso = (): string => new Date().toISOString();

export class CmCluster {
  readonly roles: Role[] = [];
  readonly commands = new Map<number, Command>();
  faults: CmRoleFault[] = [];
  /** Commands stay active for ever. */
  stuck = false;
  /** The next this-many service commands are refused with the 400 "not currently available" answer. */
  refusals = 0;
  private nextId: number;

  constructor(
    readonly name: string,
    readonly specs: readonly CmServiceSpec[],
    initialState: 'STARTED' | 'STOPPED',
    private readonly timing: CommandTiming,
    private readonly later: (ms: number, fn: () => void) => void,
    firstCommandId: number,
  ) {
    this.nextId = firstCommandId;
    specs.forEach((spec, si) => {
      spec.roles.forEach((r, ri) => {
        const state: RoleState = r.type === 'GATEWAY' ? 'NA' : initialState;
        const hash = `${(si * 97 + ri * 31 + 0x5eed).toString(16)}a1b2c3d4e5f6`;
        this.roles.push({
          name: `${spec.name}-${r.type}-${hash}`,
          type: r.type,
          service: spec.name,
          host: r.host,
          hostId: `host-id-${r.host}`,
          state,
          maintenance: false,
        });
      });
    });
  }

  /** The next command id (replication and diagnostic commands share the sequence). */
  allocateId(): number {
    return this.nextId++;
  }

  rolesOf(service: string): Role[] {
    return this.roles.filter((r) => r.service === service);
  }

  findRole(service: string, type: string, host: string): Role {
    const role = this.roles.find((r) => r.service === service && r.type === type && r.host === host);
    if (!role) throw new Error(`emulator: no ${type} of ${service} on ${host}`);
    return role;
  }

  serviceState(service: string): string {
    const states = this.operable(service).map((r) => r.state);
    if (states.length === 0) return 'NA';
    if (states.includes('STOPPING')) return 'STOPPING';
    if (states.includes('STARTING')) return 'STARTING';
    if (states.every((s) => s === 'STOPPED')) return 'STOPPED';
    if (states.some((s) => s === 'STARTED' || s === 'BUSY')) return 'STARTED';
    return 'UNKNOWN';
  }

  serviceType(service: string): string {
    return this.specs.find((s) => s.name === service)?.type ?? '?';
  }

  /** POST services/<name>/commands/stop|start: a refusal (400), a finished failed command, or an active parent that runs on timers. */
  runServiceCommand(service: string, name: 'Stop' | 'Start'): Command | Refusal {
    if (this.refusals > 0) {
      this.refusals--;
      return { refused: notAvailable(name) };
    }
    if ([...this.commands.values()].some((c) => c.active && c.service === service)) {
      return this.finishedCommand(name, service, `There is already a pending command on this entity: ${service}.`);
    }
    const from: RoleState = name === 'Stop' ? 'STARTED' : 'STOPPED';
    const targets = this.operable(service).filter((r) => r.state === from);
    if (targets.length === 0) {
      // Start with no stopped role: a 400 and no command (field report, issue #17). Stop with no
      // started role: a finished failed command, as in two real captures (reference §2.2).
      return name === 'Start' ? { refused: notAvailable(name) } : this.finishedCommand(name, service, 'At least one role must be started.');
    }
    const parent: Command = { id: this.nextId++, name, startTime: iso(), active: true, service, children: [] };
    this.commands.set(parent.id, parent);
    if (this.stuck) return parent;
    this.later(this.timing.pendingMs, () => {
      for (const role of targets) {
        role.state = name === 'Stop' ? 'STOPPING' : 'STARTING';
        const child: Command = { id: this.nextId++, name, startTime: iso(), active: true, service, role, children: [] };
        this.commands.set(child.id, child);
        parent.children.push(child);
      }
      this.later(this.timing.inProgressMs, () => this.finishCommand(parent, service, name, from));
    });
    return parent;
  }

  private operable(service: string): Role[] {
    return this.rolesOf(service).filter((r) => r.type !== 'GATEWAY');
  }

  private finishedCommand(name: 'Stop' | 'Start', service: string, message: string): Command {
    const now = iso();
    const c: Command = {
      id: this.nextId++,
      name,
      startTime: now,
      endTime: now,
      active: false,
      success: false,
      resultMessage: message,
      service,
      children: [],
    };
    this.commands.set(c.id, c);
    return c;
  }

  /** Ends every role child (failed when a fault names its role; the role keeps `from`), then the parent. */
  private finishCommand(parent: Command, service: string, name: 'Stop' | 'Start', from: RoleState): void {
    let failures = 0;
    for (const child of parent.children) {
      const role = child.role as Role;
      const fault = this.faults.find(
        (f) => f.service === service && f.roleType === role.type && f.host === role.host && (f.command ?? 'Stop') === name,
      );
      child.active = false;
      child.endTime = iso();
      if (fault) {
        this.faults = this.faults.filter((f) => f !== fault);
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
    parent.resultMessage =
      failures === 0
        ? name === 'Stop'
          ? 'Successfully stopped service.'
          : 'Successfully started service.'
        : `Failed to ${name.toLowerCase()} service.`;
  }
}
