// The stand-in's YARN ResourceManager. On a real cluster a DistCp job, once submitted, belongs to
// YARN: killing the `hadoop distcp` client leaves the MapReduce job copying (DistCp's shutdown hook
// returns early once the job is submitted), and only `yarn application -kill` ends it. So each
// stand-in DistCp job is an application recorded in <root>/.standin/yarn/<id>.json, run by a
// detached process (yarn-am.ts) that no signal to the client reaches, and `yarn application
// -kill / -status / -list` act on those records with ApplicationCLI's output and exit codes.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Counters } from './distcp-job.js';
import { logLine, type Io } from './io.js';
import { standinRoot } from './resolve.js';

export type AppState = 'ACCEPTED' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface AppRecord {
  id: string;
  jobId: string;
  name: string;
  user: string;
  state: AppState;
  finalStatus: 'UNDEFINED' | 'SUCCEEDED' | 'FAILED' | 'KILLED';
  /** The process running the job (yarn-am.ts), once it started. */
  pid?: number;
  startTime: number;
  finishTime: number;
  /** The DistCp client's exit code for this job's end (0, or 25 for a failed or killed job). */
  exitCode?: number;
  /** Bytes the job copied: the client charges them to its cost meter. */
  bytesCopied?: number;
  /** The DistCp counters at the job's end (the client carries them into its next job). */
  counters?: Counters;
  diagnostics: string;
}

const FINAL: readonly AppState[] = ['FINISHED', 'FAILED', 'KILLED'];
export const isFinal = (state: AppState): boolean => FINAL.includes(state);

export function yarnDir(root = standinRoot()): string {
  return join(root, '.standin', 'yarn');
}

const appFile = (id: string, root?: string): string => join(yarnDir(root), `${id}.json`);
export const appLogFile = (id: string, root?: string): string => join(yarnDir(root), `${id}.log`);
export const appJobFile = (id: string, root?: string): string => join(yarnDir(root), `${id}.job.json`);

export function readApp(id: string, root?: string): AppRecord | undefined {
  try {
    return JSON.parse(readFileSync(appFile(id, root), 'utf8')) as AppRecord;
  } catch {
    return undefined;
  }
}

/** Replace an application's record in one rename: a reader never sees half of it. */
export function writeApp(app: AppRecord, root?: string): void {
  const file = appFile(app.id, root);
  writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(app));
  renameSync(`${file}.${process.pid}.tmp`, file);
}

const alive = (pid: number | undefined): boolean => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export const AM_DIED = 'Application master process exited';

/** The record as the RM would report it: a job whose process died without a word has FAILED. */
export function currentApp(id: string, root?: string): AppRecord | undefined {
  const app = readApp(id, root);
  if (app?.state === 'RUNNING' && !alive(app.pid))
    return { ...app, state: 'FAILED', finalStatus: 'FAILED', exitCode: 25, diagnostics: AM_DIED };
  return app;
}

/**
 * A new application: `application_<cluster timestamp>_<sequence>` and its job `job_<same>`. The id is
 * taken by creating its record exclusively, so concurrent submissions never share one.
 */
export function submitApplication(name: string, root = standinRoot()): AppRecord {
  const dir = yarnDir(root);
  mkdirSync(dir, { recursive: true });
  const stampFile = join(dir, 'cluster-timestamp');
  try {
    writeFileSync(stampFile, String(Date.now()), { flag: 'wx' });
  } catch {
    /* the RM started earlier: keep its timestamp */
  }
  const stamp = readFileSync(stampFile, 'utf8').trim();
  for (let seq = readdirSync(dir).filter((f) => /^application_\d+_\d+\.json$/.test(f)).length + 1; ; seq++) {
    const suffix = `${stamp}_${String(seq).padStart(4, '0')}`;
    const app: AppRecord = {
      id: `application_${suffix}`,
      jobId: `job_${suffix}`,
      name,
      user: process.env.HADOOP_USER_NAME ?? 'hdfs',
      state: 'ACCEPTED',
      finalStatus: 'UNDEFINED',
      startTime: Date.now(),
      finishTime: 0,
      diagnostics: '',
    };
    try {
      writeFileSync(appFile(app.id, root), JSON.stringify(app), { flag: 'wx' });
      return app;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/**
 * Change an application's record under its lock (`<id>.lock`, created exclusively): the job's
 * process and a kill never overwrite each other's transition. `change` returns the new record, or
 * undefined to leave it; the result is what the record holds afterwards.
 */
export function updateApp(id: string, change: (app: AppRecord) => AppRecord | undefined, root?: string): AppRecord | undefined {
  const lock = join(yarnDir(root), `${id}.lock`);
  for (const start = Date.now(); ; ) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A holder killed while it held the lock (SIGKILL of the job's process): taken over after 5 s.
      if (Date.now() - start > 5_000) break;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
  try {
    const app = readApp(id, root);
    const next = app && change(app);
    if (next) writeApp(next, root);
    return next ?? app;
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Kill an application: its record says KILLED (a job not started yet then never starts), then its process is ended. */
export function killApplication(id: string, root?: string): void {
  const app = updateApp(
    id,
    (a) =>
      isFinal(a.state)
        ? undefined
        : {
            ...a,
            state: 'KILLED',
            finalStatus: 'KILLED',
            finishTime: Date.now(),
            exitCode: 25,
            diagnostics: 'Application killed by user.',
          },
    root,
  );
  if (app?.state === 'KILLED' && app.pid !== undefined && alive(app.pid)) process.kill(app.pid, 'SIGKILL');
}

/** Every running application under a stand-in root (lab teardown ends them). */
export function runningApplications(root: string): AppRecord[] {
  const dir = yarnDir(root);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^application_\d+_\d+\.json$/.test(f))
    .map((f) => currentApp(f.slice(0, -5), root))
    .filter((a): a is AppRecord => a !== undefined && !isFinal(a.state));
}

const APP_ID = /^application_\d+_\d+$/;

/** ApplicationCLI's usage: printed for anything it does not take (exit 255, as `return -1`). */
const USAGE = `usage: application
 -kill <Application ID>          Kills the application. Set of
                                 applications can be provided separated
                                 with space
 -list                           List applications. Supports optional use
                                 of -appTypes to filter applications based
                                 on application type, -appStates to filter
                                 applications based on application state
 -status <Application Name or ID>   Prints the status of the application.
`;

/** `yarn application -kill <id>… | -status <id> | -list`, `yarn version` → exit code. */
export function yarn(argv: readonly string[], io: Io): number {
  const [sub, flag, ...ids] = argv;
  if (sub === 'version') {
    io.out('Hadoop 3.3.6 (hmsdr stand-in)\n');
    return 0;
  }
  if (sub !== 'application' && sub !== 'app') {
    io.err(`Error: Could not find or load main class ${sub ?? ''}\n`);
    return 1;
  }
  if (flag === '-kill' && ids.length > 0) return kill(ids, io);
  if (flag === '-status' && ids.length === 1 && APP_ID.test(ids[0]!)) return status(ids[0]!, io);
  if (flag === '-list' && ids.length === 0) return list(io);
  io.out(USAGE);
  return 255;
}

function kill(ids: readonly string[], io: Io): number {
  let code = 255; // ApplicationCLI: -1 unless one of them was found
  for (const id of ids) {
    if (!APP_ID.test(id)) {
      io.err(`Exception in thread "main" java.lang.IllegalArgumentException: Invalid ApplicationId: ${id}\n`);
      return 1;
    }
    const app = currentApp(id);
    if (!app) {
      io.out(`Application with id '${id}' doesn't exist in RM.\n`);
      continue;
    }
    code = 0;
    if (isFinal(app.state)) {
      io.out(`Application ${id} has already finished \n`);
      continue;
    }
    io.out(`Killing application ${id}\n`);
    killApplication(id);
    io.err(logLine('INFO', 'impl.YarnClientImpl', `Killed application ${id}`));
  }
  return code;
}

const finalStatus = (app: AppRecord): string => app.finalStatus;

function status(id: string, io: Io): number {
  const app = currentApp(id);
  if (!app) {
    io.out(`Application with id '${id}' doesn't exist in RM or Timeline Server.\n`);
    return 255;
  }
  io.out(
    `Application Report : \n\tApplication-Id : ${app.id}\n\tApplication-Name : ${app.name}\n\tApplication-Type : MAPREDUCE\n\tUser : ${app.user}\n\tQueue : default\n\tApplication Priority : 0\n\tStart-Time : ${app.startTime}\n\tFinish-Time : ${app.finishTime}\n\tProgress : ${isFinal(app.state) ? '100%' : '50%'}\n\tState : ${app.state}\n\tFinal-State : ${finalStatus(app)}\n\tTracking-URL : N/A\n\tRPC Port : -1\n\tAM Host : N/A\n\tAggregate Resource Allocation : N/A\n\tAggregate Resource Preempted : N/A\n\tLog Aggregation Status : N/A\n\tDiagnostics : ${app.diagnostics}\n\tUnmanaged Application : false\n\tApplication Node Label Expression : <Not set>\n\tAM container Node Label Expression : <DEFAULT_PARTITION>\n\n`,
  );
  return 0;
}

function list(io: Io): number {
  const apps = runningApplications(standinRoot());
  // APPLICATIONS_PATTERN: %30s\t%20s\t%20s\t%10s\t%10s\t%18s\t%18s\t%15s\t%35s
  const widths = [30, 20, 20, 10, 10, 18, 18, 15, 35];
  const row = (cells: string[]): string => `${cells.map((c, i) => c.padStart(widths[i]!)).join('\t')}\n`;
  io.out(`Total number of applications (application-types: [], states: [SUBMITTED, ACCEPTED, RUNNING] and tags: []):${apps.length}\n`);
  io.out(
    row(['Application-Id', 'Application-Name', 'Application-Type', 'User', 'Queue', 'State', 'Final-State', 'Progress', 'Tracking-URL']),
  );
  for (const app of apps) io.out(row([app.id, app.name, 'MAPREDUCE', app.user, 'default', app.state, app.finalStatus, '50%', 'N/A']));
  return 0;
}
