// Public value types of the Ambari emulator (re-exported by ../ambari-emulator.ts).

export type HostComponentState =
  | 'INIT'
  | 'INSTALLING'
  | 'INSTALL_FAILED'
  | 'INSTALLED'
  | 'STARTING'
  | 'STARTED'
  | 'STOPPING'
  | 'UNINSTALLING'
  | 'UNINSTALLED'
  | 'WIPING_OUT'
  | 'UPGRADING'
  | 'DISABLED'
  | 'UNKNOWN';
export type Category = 'MASTER' | 'SLAVE' | 'CLIENT';

export interface ComponentSpec {
  readonly name: string;
  readonly category: Category;
  readonly hosts: readonly string[];
}

export type TaskStatus = 'PENDING' | 'QUEUED' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'TIMEDOUT' | 'ABORTED';

export interface TaskFault {
  readonly component: string;
  readonly host: string;
  /** Which command refuses (default STOP). */
  readonly command?: 'STOP' | 'START';
  readonly status?: 'FAILED' | 'TIMEDOUT';
  readonly stderr?: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  readonly status: number;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly style: 'jackson' | 'gson' = 'jackson',
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
