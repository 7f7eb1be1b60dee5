// Types the Cloudera Manager emulator's parts share (the emulator re-exports them).
export type RoleState = 'HISTORY_NOT_AVAILABLE' | 'UNKNOWN' | 'STARTING' | 'STARTED' | 'BUSY' | 'STOPPING' | 'STOPPED' | 'NA';

export interface CmServiceSpec {
  readonly name: string;
  readonly type: string;
  readonly roles: readonly { readonly type: string; readonly host: string }[];
}

export interface CmRoleFault {
  readonly service: string;
  readonly roleType: string;
  readonly host: string;
  readonly command?: 'Stop' | 'Start';
  readonly message?: string;
}
