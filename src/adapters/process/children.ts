// The local processes of a run: each one hmsdr starts is recorded in <run-dir>/children.json from
// its start until its exit, so that a resume after hmsdr itself was killed (SIGKILL: no chance to
// clean up) ends what the killed attempt left running — a pg_dump still reading, a psql still
// restoring into the database the resume is about to drop, a DistCp still copying. A process is
// only ended when it is the one recorded: same pid and same start time (/proc/<pid>/stat), never a
// later process that reuses the pid. Process-wide state: one hmsdr process runs one run.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export const CHILDREN_FILE = 'children.json';

export interface ChildRecord {
  pid: number;
  program: string;
  /** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat); null where there is no /proc. */
  startTicks: string | null;
  startedAt: string;
}

let registry: { file: string; children: Map<number, ChildRecord> } | undefined;

/** Start time of `pid` as the kernel records it, or null (gone, or no /proc). */
export function startTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

const save = (): void => {
  if (registry) writeFileSync(registry.file, `${JSON.stringify([...registry.children.values()], null, 2)}\n`, { mode: 0o600 });
};

/** Record this run's children in `file` from now on (undefined: stop recording). */
export function recordChildrenIn(file: string | undefined): void {
  registry = file === undefined ? undefined : { file, children: new Map() };
  save();
}

/** Called right after a child started (its pid known), before anything is awaited. */
export function childStarted(pid: number | undefined, program: string): void {
  if (!registry || pid === undefined) return;
  registry.children.set(pid, { pid, program, startTicks: startTicks(pid), startedAt: new Date().toISOString() });
  save();
}

export function childExited(pid: number | undefined): void {
  if (!registry || pid === undefined || !registry.children.delete(pid)) return;
  save();
}

const alive = (record: ChildRecord): boolean => record.startTicks !== null && startTicks(record.pid) === record.startTicks;

/**
 * End the processes an earlier attempt recorded in `file` and left running: SIGTERM, then SIGKILL
 * after `graceMs`. Returns the ones ended. Records that match no living process are dropped.
 */
export async function endLeftoverChildren(file: string, graceMs = 5_000): Promise<ChildRecord[]> {
  if (!existsSync(file)) return [];
  let records: ChildRecord[];
  try {
    records = JSON.parse(readFileSync(file, 'utf8')) as ChildRecord[];
  } catch {
    return []; // cut off by the kill: nothing trustworthy to act on
  }
  const left = records.filter(alive);
  for (const r of left) process.kill(r.pid, 'SIGTERM');
  for (let waited = 0; waited < graceMs && left.some(alive); waited += 100) await sleep(100);
  for (const r of left.filter(alive)) process.kill(r.pid, 'SIGKILL');
  writeFileSync(file, '[]\n', { mode: 0o600 });
  return left;
}
