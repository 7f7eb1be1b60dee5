// The DistCp client's side of a job: submit it to the stand-in's YARN (yarn.ts), start the detached
// process that runs it (yarn-am.ts), then follow it as Job.monitorAndPrintJob does: its progress
// lines relayed to stderr, the client's exit code from the job's end. Killing this client leaves
// the job running, as on a real cluster; `yarn application -kill` ends it.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { meter } from './cost.js';
import { mapCount, printSubmission, type Counters } from './distcp-job.js';
import type { DistcpOptions } from './distcp-options.js';
import { log, STACK, type CopyItem } from './distcp-support.js';
import { logLine, type Io } from './io.js';
import type { ResolvedPath } from './resolve.js';
import { AM_DIED, appJobFile, appLogFile, currentApp, isFinal, submitApplication, type AppRecord } from './yarn.js';

/** What the application's process needs to run the job (written to <id>.job.json). */
export interface JobSpec {
  options: DistcpOptions;
  from: { local: string; qualified: string };
  /** The target as typed (the process resolves it again). */
  target: string;
  items: CopyItem[];
  /** -delete: the source tree the target is compared with (the filters come from options.filters). */
  deleteAgainst?: { local: string; qualified: string };
  counters: Counters;
}

/** The compiled yarn-am.js beside this module (from the sources under test: the build's copy). */
const AM_SCRIPT = ((here: string): string =>
  here.endsWith('.js') ? join(dirname(here), 'yarn-am.js') : join(dirname(here), '../../../dist/src/lab/hadoop/yarn-am.js'))(
  fileURLToPath(import.meta.url),
);

/** The job's environment: the client's, without what ties a process to the client (the SSH job tag, the cost ledger). */
function amEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.HMSDR_JOB_ID;
  delete env.HMSDR_STANDIN_COST_LEDGER;
  return env;
}

/** Submit the job, run it detached and follow it to its end; resolves to the client's exit code. */
export async function submitJob(spec: Omit<JobSpec, 'target'> & { target: ResolvedPath }, io: Io): Promise<number> {
  const app = submitApplication('distcp');
  const job: JobSpec = { ...spec, target: spec.target.typed };
  writeFileSync(appJobFile(app.id), JSON.stringify(job));
  writeFileSync(appLogFile(app.id), '');
  // The job's process starts before the client says "Submitted application": from that line on the
  // job is the RM's, and a client killed right after it (as hmsdr may be) must not leave it ACCEPTED
  // for ever with nothing to run it.
  const child = spawn(process.execPath, [AM_SCRIPT, app.id], { detached: true, stdio: 'ignore', env: amEnv() });
  let childGone = false;
  child.on('exit', () => void (childGone = true));
  child.on('error', () => void (childGone = true));
  child.unref();
  printSubmission(io, mapCount(spec.options, spec.items), app.id, app.jobId);
  outliveReader();
  const end = await follow(app, io, () => childGone);
  Object.assign(spec.counters, end.counters ?? {});
  meter.copied(end.bytesCopied ?? 0);
  return end.exitCode ?? 25;
}

let readerMayGo = false;

/**
 * A JVM's System.err swallows a closed pipe (PrintStream.checkError): the client follows its job
 * even after whoever read its output (hmsdr, killed) is gone, as a real client does.
 */
function outliveReader(): void {
  if (readerMayGo) return;
  readerMayGo = true;
  const ignore = (): void => undefined;
  process.stdout.on('error', ignore);
  process.stderr.on('error', ignore);
}

/** Relay the job's output until it ends (or its process is gone without a word: FAILED). */
async function follow(app: AppRecord, io: Io, processGone: () => boolean): Promise<AppRecord & { counters?: Counters }> {
  const fd = openSync(appLogFile(app.id), 'r');
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.alloc(65_536);
  let offset = 0;
  const relay = (): void => {
    for (let n = readSync(fd, buffer, 0, buffer.length, offset); n > 0; n = readSync(fd, buffer, 0, buffer.length, offset)) {
      offset += n;
      io.err(decoder.write(buffer.subarray(0, n)));
    }
  };
  try {
    for (;;) {
      const exited = processGone();
      const now = currentApp(app.id);
      relay();
      if (now && isFinal(now.state)) {
        if (now.state === 'KILLED' || now.diagnostics === AM_DIED) ended(io, now);
        return now;
      }
      if (exited && now?.state !== 'RUNNING') {
        // Started and gone before it said anything: the RM would fail the attempt.
        const failed = {
          ...(now ?? app),
          state: 'FAILED' as const,
          exitCode: 25,
          diagnostics: 'Application master exited before it started',
        };
        ended(io, failed);
        return failed;
      }
      await sleep(50);
    }
  } finally {
    closeSync(fd);
  }
}

/** A job that ended without printing its own end (killed, or its process died): what the client says. */
function ended(io: Io, app: AppRecord): void {
  log(io, 'INFO', 'mapreduce.Job', `Job ${app.jobId} failed with state ${app.state} due to: ${app.diagnostics}`);
  io.err(
    `${logLine('ERROR', 'tools.DistCp', 'Exception encountered')}java.io.IOException: DistCp failure: Job ${app.jobId} has failed: ${app.diagnostics}\n\tat org.apache.hadoop.tools.DistCp.waitForJobCompletion(DistCp.java:230)\n${STACK}`,
  );
}
