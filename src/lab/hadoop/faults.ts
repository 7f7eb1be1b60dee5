// Injectable faults: `<root>/.standin/faults.json` (each fault fires `times` times, then is spent)
// or HMSDR_HADOOP_FAULTS (same JSON, never spent). Tests write them; product code never sees them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Faults {
  /** DistCp copies this many files, then its MR job fails, leaving a half-applied target. */
  distcpFailAfterFiles?: { after: number; times?: number };
  /**
   * DistCp cannot read this source file (relative to the copied root, e.g. `p=1/f.orc`): a
   * CopyReadException (BlockMissingException). Without -i the task fails and the job exits 25; with
   * -i the job goes on, counts it (Files Failed / Bytes Failed) and logs `FAIL: <path> - <trace>`.
   */
  distcpReadFailure?: { path: string; times?: number };
  /** Every write under this path fails with AccessControlException. */
  permissionDenied?: { pathPrefix: string; times?: number };
}

export type FaultName = keyof Faults;

/** Fault file location for a stand-in root. */
export function faultsFile(root: string): string {
  return join(root, '.standin', 'faults.json');
}

/** The active fault of that name, consuming one use of a counted fault. */
export function takeFault<K extends FaultName>(
  root: string,
  name: K,
  matches: (fault: NonNullable<Faults[K]>) => boolean = () => true,
): NonNullable<Faults[K]> | undefined {
  const fromEnv = process.env.HMSDR_HADOOP_FAULTS ? (JSON.parse(process.env.HMSDR_HADOOP_FAULTS) as Faults)[name] : undefined;
  if (fromEnv && matches(fromEnv)) return fromEnv;
  const file = faultsFile(root);
  if (!existsSync(file)) return undefined;
  const faults = JSON.parse(readFileSync(file, 'utf8')) as Faults;
  const fault = faults[name];
  if (!fault || !matches(fault)) return undefined;
  const times = fault.times ?? 1;
  if (times <= 0) return undefined;
  faults[name] = { ...fault, times: times - 1 };
  writeFileSync(file, JSON.stringify(faults));
  return fault;
}
