// The local processes of a run: each one hmsdr starts is recorded in <run-dir>/children.json from
// its start until its exit, so that a resume after hmsdr itself was killed (SIGKILL: no chance to
// clean up) ends what the killed attempt left running — a pg_dump still reading, a psql still
// restoring into the database the resume is about to drop, a DistCp still copying. A process is
// only ended when it is the one recorded: same pid and same start time (/proc/<pid>/stat), never a
// later process that reuses the pid. Commands run over SSH are recorded by their job tag (the
// HMSDR_JOB_ID in their environment, see ssh/remote-line.ts) and host: sshd does not end a
// command that does not read its closed stdin (a DistCp, a psql waiting on a lock), so the resume
// kills what carries the tag on that host. A DistCp job on YARN outlives its client: it is recorded
// by its application id and site, and the resume kills it with `yarn application -kill`.
// Process-wide state: one hmsdr process runs one run.
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

/** A command started over SSH: its processes carry HMSDR_JOB_ID=<jobId> on `host`. */
export interface RemoteJobRecord {
  host: string;
  jobId: string;
  program: string;
  startedAt: string;
}

/** A job submitted to YARN by a client this run started (a DistCp): it outlives its client. */
export interface YarnAppRecord {
  /** The site whose Hadoop client submitted it (`source`, `dr`): the resume kills it through that site. */
  site: string;
  applicationId: string;
  program: string;
  startedAt: string;
}

type Recorded = ChildRecord | RemoteJobRecord | YarnAppRecord;
const isRemote = (r: Recorded): r is RemoteJobRecord => 'jobId' in r;
const isYarnApp = (r: Recorded): r is YarnAppRecord => 'applicationId' in r;
const isLocal = (r: Recorded): r is ChildRecord => 'pid' in r;

let registry:
  | { file: string; children: Map<number, ChildRecord>; remote: Map<string, RemoteJobRecord>; yarn: Map<string, YarnAppRecord> }
  | undefined;

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
  if (registry)
    writeFileSync(
      registry.file,
      `${JSON.stringify([...registry.children.values(), ...registry.remote.values(), ...registry.yarn.values()], null, 2)}\n`,
      {
        mode: 0o600,
      },
    );
};

/** Record this run's children in `file` from now on (undefined: stop recording). */
export function recordChildrenIn(file: string | undefined): void {
  registry = file === undefined ? undefined : { file, children: new Map(), remote: new Map(), yarn: new Map() };
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

/** Called once a remote command's channel is open (its processes carry the tag from then on). */
export function remoteJobStarted(host: string, jobId: string, program: string): void {
  if (!registry) return;
  registry.remote.set(jobId, { host, jobId, program, startedAt: new Date().toISOString() });
  save();
}

export function remoteJobEnded(jobId: string): void {
  if (!registry?.remote.delete(jobId)) return;
  save();
}

/** Called as soon as a client's log names the application it submitted. */
export function yarnAppSubmitted(site: string, applicationId: string, program: string): void {
  if (!registry) return;
  registry.yarn.set(applicationId, { site, applicationId, program, startedAt: new Date().toISOString() });
  save();
}

/** The application ended (its client saw it end, or it was killed). */
export function yarnAppEnded(applicationId: string): void {
  if (!registry?.yarn.delete(applicationId)) return;
  save();
}

const alive = (record: ChildRecord): boolean => record.startTicks !== null && startTicks(record.pid) === record.startTicks;

/** Ends a remote job on its host; resolves to the pids it ended there (none: already gone). */
export type EndRemoteJob = (record: RemoteJobRecord) => Promise<number[]>;

/** Kills a recorded YARN application; resolves to whether it was still running. */
export type EndYarnApp = (record: YarnAppRecord) => Promise<boolean>;

/** What a resume found left running by an earlier attempt and ended. */
export type EndedChild = ChildRecord | (RemoteJobRecord & { pids: number[] }) | YarnAppRecord;

/** `pg_dump (pid 12)`, `hadoop on edge1 (job abc…)`, `YARN application application_1_0001 (distcp, dr site)`. */
export function describeLeftover(r: Recorded | EndedChild): string {
  if (isYarnApp(r)) return `YARN application ${r.applicationId} (${r.program}, ${r.site} site)`;
  if (isRemote(r)) return `${r.program} on ${r.host} (job ${r.jobId}${'pids' in r ? `, pids ${r.pids.join(' ')}` : ''})`;
  return `${r.program} (pid ${r.pid})`;
}

/**
 * End the processes an earlier attempt recorded in `file` and left running: local ones SIGTERM,
 * then SIGKILL after `graceMs`; remote ones through `remote.end`; YARN applications through
 * `remote.endYarn`, after their clients (a job or host that cannot be reached is reported by
 * `remote.onError` and left). Returns the ones ended. Records that match nothing living are dropped.
 */
export async function endLeftoverChildren(
  file: string,
  graceMs = 5_000,
  remote: { end?: EndRemoteJob; endYarn?: EndYarnApp; onError?: (record: RemoteJobRecord | YarnAppRecord, error: unknown) => void } = {},
): Promise<EndedChild[]> {
  if (!existsSync(file)) return [];
  let records: Recorded[];
  try {
    records = JSON.parse(readFileSync(file, 'utf8')) as Recorded[];
  } catch {
    return []; // cut off by the kill: nothing trustworthy to act on
  }
  const left = records.filter(isLocal).filter(alive);
  for (const r of left) process.kill(r.pid, 'SIGTERM');
  const endedRemote: EndedChild[] = [];
  for (const r of records.filter(isRemote)) {
    if (!remote.end) continue;
    try {
      const pids = await remote.end(r);
      if (pids.length > 0) endedRemote.push({ ...r, pids });
    } catch (error) {
      remote.onError?.(r, error);
    }
  }
  for (let waited = 0; waited < graceMs && left.some(alive); waited += 100) await sleep(100);
  for (const r of left.filter(alive)) process.kill(r.pid, 'SIGKILL');
  const endedYarn: YarnAppRecord[] = [];
  for (const r of records.filter(isYarnApp)) {
    if (!remote.endYarn) continue;
    try {
      if (await remote.endYarn(r)) endedYarn.push(r);
    } catch (error) {
      remote.onError?.(r, error);
    }
  }
  writeFileSync(file, '[]\n', { mode: 0o600 });
  return [...left, ...endedRemote, ...endedYarn];
}
