// `hadoop distcp` of the stand-in: option validation, the snapshot-diff sync (-diff / -rdiff) with
// DistCpSync's pre-checks, a copy "job" with -update rules, map progress lines and counters, all
// logged to stderr with the exit codes of §4 of the reference.
import { existsSync } from 'node:fs';
import type { SnapshotMeta } from './cluster.js';
import { takeGenericOptions } from './dfs.js';
import type { Counters } from './distcp-job.js';
import { submitJob } from './distcp-submit.js';
import { describeOptions, InvalidArguments, parseDistcpArgs, USAGE, type DistcpOptions } from './distcp-options.js';
import { fail, listTree, loadFilters, log, STACK, type CopyItem } from './distcp-support.js';
import { syncWithDiff } from './distcp-sync.js';
import { FsError, HadoopExit } from './errors.js';
import { meter } from './cost.js';
import { logLine, type Io } from './io.js';
import { resolvePath, type ResolvedPath } from './resolve.js';
import { syntheticJob } from './synthetic-distcp.js';

export { formatCounters } from './distcp-job.js';
export { parseDistcpArgs, type DistcpOptions } from './distcp-options.js';

/** `hadoop distcp <args>` → exit code (a promise of it once a job runs). */
export function distcp(argv: string[], io: Io): number | Promise<number> {
  const { rest } = takeGenericOptions(argv);
  if (rest.length === 0) {
    io.out(USAGE);
    return 255;
  }
  let o: DistcpOptions;
  try {
    o = parseDistcpArgs(rest);
  } catch (error) {
    if (!(error instanceof InvalidArguments)) throw error;
    log(io, 'ERROR', 'tools.DistCp', 'Invalid arguments: ');
    io.err(
      `java.lang.IllegalArgumentException: ${error.message}\n\tat org.apache.hadoop.tools.OptionsParser.parse(OptionsParser.java:186)\n${STACK}`,
    );
    io.err(`Invalid arguments: ${error.message}\n`);
    io.out(USAGE);
    return 255;
  }
  const failed = (error: unknown): number => {
    if (error instanceof HadoopExit) return error.exitCode;
    if (error instanceof FsError) {
      log(io, 'ERROR', 'tools.DistCp', 'Exception encountered');
      io.err(`${error.javaClass}: ${error.message}\n${STACK}`);
      return 25;
    }
    throw error;
  };
  try {
    const code = run(o, io);
    return typeof code === 'number' ? code : code.catch(failed);
  } catch (error) {
    return failed(error);
  }
}

function run(o: DistcpOptions, io: Io): number | Promise<number> {
  log(io, 'INFO', 'tools.DistCp', `Input Options: ${describeOptions(o, o.sources)}`);
  meter.distcpSubmit();
  const target = resolvePath(o.target);
  const filters = loadFilters(o.filters);
  const counters: Counters = {
    COPY: 0,
    BYTESCOPIED: 0,
    BYTESEXPECTED: 0,
    BYTESFAILED: 0,
    BYTESSKIPPED: 0,
    FAIL: 0,
    SKIP: 0,
    DIR_COPY: 0,
  };
  if (o.diff || o.rdiff) {
    if (o.sources.length !== 1)
      fail(
        io,
        25,
        `${logLine('ERROR', 'tools.DistCp', 'Exception encountered')}java.lang.IllegalArgumentException: ${o.sources.length} source paths are provided\n${STACK}`,
      );
    const source = resolvePath(o.sources[0]!);
    const { snapshotSource, snapshotRoot, items } = syncWithDiff(o, source, target, filters, io);
    log(io, 'INFO', 'tools.DistCp', `Number of paths in the copy list: ${items.length}`);
    const synthetic = syntheticJob(o, snapshotRoot, snapshotSource.local, target, items, counters, io);
    if (synthetic !== undefined) return synthetic;
    const from = { local: snapshotSource.local, qualified: `${source.qualified}/.snapshot/${o.diff?.[1] ?? o.rdiff?.[1]}` };
    return submitJob({ options: o, from, target, items, counters }, io);
  }
  const plans = o.sources.map((typed) => {
    const source = resolvePath(typed);
    const located = source.cluster.locate(source.path, typed);
    const local = located.kind === 'snapshotDir' ? undefined : located.local;
    if (!local || !existsSync(local)) {
      fail(
        io,
        255,
        `${logLine('ERROR', 'tools.DistCp', 'Invalid input:')}org.apache.hadoop.tools.CopyListing$InvalidInputException: ${source.qualified} doesn't exist\n${STACK}`,
      );
    }
    const intoChild = !(o.update || o.overwrite) && (existsSync(target.cluster.livePath(target.path)) || o.sources.length > 1);
    const name = source.path.split('/').pop()!;
    const dest = intoChild ? { ...target, path: `${target.path}/${name}`, typed: `${target.typed}/${name}` } : target;
    return { local, dest, qualified: source.qualified, items: listTree(local, '', filters, !intoChild, source.qualified) };
  });
  log(io, 'INFO', 'tools.DistCp', `Number of paths in the copy list: ${plans.reduce((n, p) => n + p.items.length, 0)}`);
  return copyPlans(o, plans, counters, io);
}

async function copyPlans(
  o: DistcpOptions,
  plans: { local: string; dest: ResolvedPath; qualified: string; items: CopyItem[] }[],
  counters: Counters,
  io: Io,
): Promise<number> {
  let code = 0;
  for (const [i, plan] of plans.entries()) {
    const synthetic = syntheticJob(o, resolvePath(o.sources[i]!), plan.local, plan.dest, undefined, counters, io);
    if (synthetic !== undefined) {
      code = synthetic;
      continue;
    }
    const from = { local: plan.local, qualified: plan.qualified };
    const deleteAgainst = o.deleteMissing ? from : undefined;
    code = await submitJob(
      { options: o, from, target: plan.dest, items: plan.items, ...(deleteAgainst ? { deleteAgainst } : {}), counters },
      io,
    );
  }
  return code;
}

export type { SnapshotMeta };
