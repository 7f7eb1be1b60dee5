// The ServiceController port: one interface for Ambari, Cloudera Manager, a shell command and the
// manual "none" controller, so the stop-hive / start-hive steps never know which one they drive.

/** The two states hmsdr asks for. */
export type Target = 'stopped' | 'started';

/** A component's live state, normalised across controllers. */
export type Phase = 'stopped' | 'started' | 'transitioning' | 'unknown';

/** One non-client component (Ambari host component, CM role, or the status command) on one host. */
export interface ComponentStatus {
  readonly service: string;
  /** HIVE_METASTORE, HIVESERVER2, ... */
  readonly component: string;
  /** CM role name; absent for Ambari. */
  readonly instance?: string;
  readonly host: string;
  /** The controller's own word for the live state (INSTALLED, STARTED, STOPPING, UNKNOWN, ...). */
  readonly state: string;
  readonly phase: Phase;
  /** Maintenance state as reported ('OFF' when none). */
  readonly maintenance: string;
  /** True when the controller silently skips this component because of maintenance mode. */
  readonly skippedByMaintenance: boolean;
  /** 'lost' when the host agent stopped heartbeating: the state is not live. */
  readonly agent: 'ok' | 'lost';
}

export interface ServiceStatus {
  readonly name: string;
  /** The service summary state; informative only, never the proof of a stop. */
  readonly state: string;
  readonly maintenance: string;
  readonly components: readonly ComponentStatus[];
}

export interface ControllerState {
  /** False for the `none` controller: nothing can be read, the operator is asked. */
  readonly observable: boolean;
  readonly services: readonly ServiceStatus[];
}

export interface ControlOptions {
  readonly signal: AbortSignal;
  /** Overrides the configured wait for the request/command. */
  readonly timeoutMs?: number;
  /** Request progress (0-100, undefined when unknown) and one line of text. */
  readonly onProgress?: (percent: number | undefined, text: string) => void;
  /** Asks the operator; used by the `none` controller only. */
  readonly confirm?: (question: string) => Promise<boolean>;
}

/** What stop/start did, per service: the request or command it waited for, or why nothing was sent. */
export interface ControlOutcome {
  readonly target: Target;
  readonly actions: readonly ServiceActionResult[];
}

export interface ServiceActionResult {
  readonly service: string;
  /** `requested`: a request/command ran to success; `already`: nothing to do; `manual`: the operator confirmed. */
  readonly result: 'requested' | 'already' | 'manual';
  /** Ambari request id or CM command id. */
  readonly requestId?: number;
  readonly detail: string;
}

/** Stops and starts Hive on the DR cluster; reads the live state of every non-client component. */
export interface ServiceController {
  readonly kind: 'ambari' | 'cloudera-manager' | 'command' | 'none';
  /** One line for plans and prompts, e.g. "Ambari https://ambari.dr:8443 cluster dr (HIVE)". */
  describe(): string;
  /** Live state of each configured service and its non-client components. */
  getState(signal: AbortSignal): Promise<ControllerState>;
  /** Stop every configured service and wait until the request/command finished. */
  stop(options: ControlOptions): Promise<ControlOutcome>;
  /** Start every configured service (reverse order) and wait. */
  start(options: ControlOptions): Promise<ControlOutcome>;
}
