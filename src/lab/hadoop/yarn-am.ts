#!/usr/bin/env node
// The process that runs one stand-in DistCp job for the stand-in's YARN (`yarn-am.js <application id>`),
// started detached by the client (distcp-submit.ts): it writes the job's output to <id>.log and its
// end to the application's record. Nothing but `yarn application -kill` (or the lab's teardown) ends it.
import { openSync, readFileSync, realpathSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JobSpec } from './distcp-submit.js';
import { runJob } from './distcp-job.js';
import { loadFilters, log, STACK } from './distcp-support.js';
import { FsError, HadoopExit } from './errors.js';
import type { Io } from './io.js';
import { resolvePath } from './resolve.js';
import { appJobFile, appLogFile, isFinal, updateApp } from './yarn.js';

/** Run application `id`'s job and record its end (unless it was killed meanwhile). */
export function runApplication(id: string): void {
  const app = updateApp(id, (a) => (a.state === 'ACCEPTED' ? { ...a, state: 'RUNNING', pid: process.pid } : undefined));
  if (app?.state !== 'RUNNING' || app.pid !== process.pid) return; // killed before it started
  const spec = JSON.parse(readFileSync(appJobFile(id), 'utf8')) as JobSpec;
  const fd = openSync(appLogFile(id), 'a');
  const io: Io = { out: (text) => void writeSync(fd, text), err: (text) => void writeSync(fd, text) };
  const before = spec.counters.BYTESCOPIED;
  let exitCode: number;
  try {
    const deleteAgainst = spec.deleteAgainst && { ...spec.deleteAgainst, filters: loadFilters(spec.options.filters) };
    exitCode = runJob(spec.options, spec.from, resolvePath(spec.target), spec.items, deleteAgainst, spec.counters, io, app.jobId);
  } catch (error) {
    if (error instanceof HadoopExit) {
      for (const line of error.stderrLines) io.err(`${line}\n`);
      exitCode = error.exitCode;
    } else if (error instanceof FsError) {
      log(io, 'ERROR', 'tools.DistCp', 'Exception encountered');
      io.err(`${error.javaClass}: ${error.message}\n${STACK}`);
      exitCode = 25;
    } else {
      io.err(`${(error as Error).stack ?? String(error)}\n`);
      exitCode = 25;
    }
  }
  // Killed meanwhile: the kill wrote the end.
  updateApp(id, (now) =>
    isFinal(now.state)
      ? undefined
      : {
          ...now,
          state: exitCode === 0 ? 'FINISHED' : 'FAILED',
          finalStatus: exitCode === 0 ? 'SUCCEEDED' : 'FAILED',
          finishTime: Date.now(),
          exitCode,
          bytesCopied: spec.counters.BYTESCOPIED - before,
          counters: spec.counters,
          diagnostics: exitCode === 0 ? '' : 'Task failed',
        },
  );
}

const isMain = process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (isMain) runApplication(process.argv[2] ?? '');
