#!/usr/bin/env node
// Entry of the Hadoop CLI stand-in: `cli.js hdfs <dfs|dfsadmin|lsSnapshottableDir|snapshotDiff> ...`
// and `cli.js hadoop <distcp|fs> ...`. Exits with Hadoop's exit codes (it is a fake Hadoop program).
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dfs } from './dfs.js';
import { distcp } from './distcp.js';
import { FsError, HadoopExit } from './errors.js';
import { processIo, type Io } from './io.js';
import { dfsadmin, lsSnapshottableDir, snapshotDiff } from './snapshot-tools.js';

/** Run one stand-in invocation; returns the exit code. */
export function runStandin(argv: readonly string[], io: Io = processIo): number {
  const [program, sub, ...args] = argv;
  try {
    if (program === 'hdfs') {
      switch (sub) {
        case 'dfs': return dfs(args, io);
        case 'dfsadmin': return dfsadmin(args, io);
        case 'lsSnapshottableDir': return lsSnapshottableDir(args, io);
        case 'snapshotDiff': return snapshotDiff(args, io);
        case 'version': io.out('Hadoop 3.3.6 (hmsdr stand-in)\n'); return 0;
      }
    } else if (program === 'hadoop') {
      switch (sub) {
        case 'distcp': return distcp(args, io);
        case 'fs': return dfs(args, io);
        case 'version': io.out('Hadoop 3.3.6 (hmsdr stand-in)\n'); return 0;
      }
    }
    io.err(`Error: Could not find or load main class ${sub ?? ''}\n`);
    return 1;
  } catch (error) {
    if (error instanceof HadoopExit) {
      for (const line of error.stderrLines) io.err(line + '\n');
      return error.exitCode;
    }
    if (error instanceof FsError) {
      io.err(`${sub ?? program}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

const isMain = process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (isMain) process.exitCode = runStandin(process.argv.slice(2));
