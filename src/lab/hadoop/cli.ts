#!/usr/bin/env node
// Entry of the Hadoop CLI stand-in: `cli.js hdfs <dfs|dfsadmin|lsSnapshottableDir|snapshotDiff> ...`,
// `cli.js hadoop <distcp|fs> ...` and `cli.js yarn application ...`. Exits with Hadoop's exit codes
// (it is a fake Hadoop program).
import { once } from 'node:events';
import { realpathSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { costModelFrom, CostMeter, useMeter } from './cost.js';
import { dfs } from './dfs.js';
import { distcp } from './distcp.js';
import { FsError, HadoopExit } from './errors.js';
import { processIo, type Io } from './io.js';
import { dfsadmin, lsSnapshottableDir, snapshotDiff } from './snapshot-tools.js';
import { yarn } from './yarn.js';

/** Run one stand-in invocation; returns the exit code (a promise of it when the output is paced). */
export function runStandin(argv: readonly string[], io: Io = processIo): number | Promise<number> {
  const [program, sub] = argv;
  const failed = (error: unknown): number => {
    if (error instanceof HadoopExit) {
      for (const line of error.stderrLines) io.err(line + '\n');
      return error.exitCode;
    }
    if (error instanceof FsError) {
      io.err(`${sub ?? program}: ${error.message}\n`);
      return 1;
    }
    throw error;
  };
  try {
    const code = dispatch(argv, io);
    return typeof code === 'number' ? code : code.catch(failed);
  } catch (error) {
    return failed(error);
  }
}

function dispatch(argv: readonly string[], io: Io): number | Promise<number> {
  const [program, sub, ...args] = argv;
  if (program === 'hdfs') {
    switch (sub) {
      case 'dfs':
        return dfs(args, io);
      case 'dfsadmin':
        return dfsadmin(args, io);
      case 'lsSnapshottableDir':
        return lsSnapshottableDir(args, io);
      case 'snapshotDiff':
        return snapshotDiff(args, io);
      case 'version':
        io.out('Hadoop 3.3.6 (hmsdr stand-in)\n');
        return 0;
    }
  } else if (program === 'hadoop') {
    switch (sub) {
      case 'distcp':
        return distcp(args, io);
      case 'fs':
        return dfs(args, io);
      case 'version':
        io.out('Hadoop 3.3.6 (hmsdr stand-in)\n');
        return 0;
    }
  } else if (program === 'yarn') {
    return yarn(sub === undefined ? [] : [sub, ...args], io);
  }
  io.err(`Error: Could not find or load main class ${sub ?? ''}\n`);
  return 1;
}

/**
 * Whether this JVM would read arguments and print path names as UTF-8: `-Dfile.encoding=` in
 * HADOOP_CLIENT_OPTS decides, else the locale (LC_ALL, then LC_CTYPE, then LANG). Under cron's empty
 * environment a real client runs in the POSIX locale and turns every non-ASCII character into `?`.
 */
export function jvmSpeaksUtf8(env: NodeJS.ProcessEnv): boolean {
  const flag = /-Dfile\.encoding=(\S+)/.exec(env.HADOOP_CLIENT_OPTS ?? '');
  if (flag) return /^utf-?8$/i.test(flag[1]!);
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(locale);
}

const asAscii = (text: string): string => text.replace(/[^\x00-\x7f]/gu, '?');

/** The process's Io, degraded to ASCII as a JVM in a non-UTF-8 locale prints. */
export function jvmIo(env: NodeJS.ProcessEnv): { io: Io; arg: (a: string) => string } {
  if (jvmSpeaksUtf8(env)) return { io: processIo, arg: (a) => a };
  return { io: { out: (t) => processIo.out(asAscii(t)), err: (t) => processIo.err(asAscii(t)) }, arg: asAscii };
}

/** `hdfs dfs -ls`, `hadoop distcp`: the command a ledger line names. */
export function commandLabel(argv: readonly string[]): string {
  const [program, sub, ...args] = argv;
  let flag: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-D' || args[i] === '-fs') i++;
    else if (args[i]!.startsWith('-D')) continue;
    else {
      if (args[i]!.startsWith('-')) flag = args[i];
      break;
    }
  }
  return [program, sub, ...(sub === 'dfs' || sub === 'fs' || sub === 'dfsadmin' ? [flag ?? ''] : [])].join(' ').trim();
}

/**
 * Stdout in 64 KiB writes (a listing of millions of lines is otherwise a write per line). A paced
 * output waits for 'drain' whenever the pipe is full, so it is never held in memory and never
 * handed to the pipe in one huge write (which failed with ENOBUFS at 10M lines). SIGTERM while it
 * waits (the reader had enough) calls `terminated`, then exits 143 as a JVM does.
 */
export function bufferedOut(io: Io, stream: Writable = process.stdout, terminated = (): void => undefined): Io & { flush(): void } {
  let chunks: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (chunks.length > 0) io.out(chunks.join(''));
    chunks = [];
    size = 0;
  };
  const out = (text: string): void => {
    chunks.push(text);
    size += text.length;
    if (size >= 65_536) flush();
  };
  return {
    out,
    err: (text) => {
      flush();
      io.err(text);
    },
    paced: async (lines) => {
      // Only while paced: elsewhere SIGTERM keeps its default (an immediate end, even mid-computation).
      const stop = (): void => {
        terminated();
        process.exit(143);
      };
      // The reader gone (EPIPE): the listing fails here, not as an uncaught error mid-line (the ledger still gets its line).
      let broken: Error | undefined;
      const failed = (error: Error): void => void (broken ??= error);
      process.once('SIGTERM', stop);
      stream.on('error', failed);
      try {
        for (;;) {
          if (broken) throw broken;
          const next = lines.next();
          if (next.done) return next.value;
          out(next.value);
          if (stream.writableNeedDrain) await once(stream, 'drain');
        }
      } finally {
        process.removeListener('SIGTERM', stop);
        stream.removeListener('error', failed);
      }
    },
    flush,
  };
}

const isMain = process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (isMain) {
  const costMeter = new CostMeter(costModelFrom(process.env));
  useMeter(costMeter);
  costMeter.start();
  const { io, arg } = jvmIo(process.env);
  const argv = process.argv.slice(2).map(arg);
  let finished = false;
  const finish = (): void => {
    if (!finished) costMeter.finish(commandLabel(argv), process.env.HMSDR_STANDIN_COST_LEDGER);
    finished = true;
  };
  const out = bufferedOut(io, process.stdout, finish);
  try {
    // Everything is written before node exits: it waits for the pipe to take the last chunk (no process.exit).
    process.exitCode = await runStandin(argv, out);
  } finally {
    if (!process.stdout.destroyed) out.flush();
    finish();
  }
}
