// DistCp of a synthetic namespace: nothing is copied byte by byte. The job counts what it would copy
// (the synthetic files of the copy list, whole subtrees for created directories), copies the real
// overlay files, prints the job's log lines and counters as runJob does, charges the cost model,
// and records that the target's synthetic tree now equals the source at the copied snapshot.
import { copyFileSync, existsSync, lstatSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { meter } from './cost.js';
import { formatCounters, type Counters } from './distcp-job.js';
import type { DistcpOptions } from './distcp-options.js';
import { checkedWrite, fail, log, STACK, type CopyItem } from './distcp-support.js';
import { logLine, type Io } from './io.js';
import type { ResolvedPath } from './resolve.js';
import { setLiveGeneration, syntheticAt, syntheticOf } from './synthetic.js';

/**
 * When `sourceRoot` (a `.snapshot/<name>` path of a synthetic root) is synthetic: run the modelled
 * job and return its exit code. `items` undefined = a full copy of the snapshot. Undefined otherwise.
 */
export function syntheticJob(
  o: DistcpOptions,
  sourceRoot: ResolvedPath,
  sourceLocal: string,
  target: ResolvedPath,
  items: readonly CopyItem[] | undefined,
  counters: Counters,
  io: Io,
): number | undefined {
  const source = syntheticAt(sourceRoot.cluster, sourceRoot.path);
  if (source?.ix.length !== 0) return undefined;
  if (syntheticOf(target.cluster)?.shape.root !== target.path)
    fail(
      io,
      25,
      `${logLine('ERROR', 'tools.DistCp', 'Exception encountered')}java.io.IOException: the stand-in copies a synthetic namespace only onto the root of another synthetic namespace (${target.qualified} is not one)\n${STACK}`,
    );
  const started = Date.now();
  const jobId = `job_${started}_${String(Math.floor(Math.random() * 9000) + 1000)}`;
  const add = (files: number, dirs: number, bytes: number): void => {
    counters.COPY += files;
    counters.DIR_COPY += dirs;
    counters.BYTESCOPIED += bytes;
    counters.BYTESEXPECTED += bytes;
  };
  const real = (rel: string): string | undefined => {
    const local = join(sourceLocal, rel);
    return existsSync(local) && lstatSync(local).isFile() ? local : undefined;
  };
  if (items === undefined) {
    const { dirs, files, bytes } = source.tree.summary([], source.generation);
    add(files, dirs, bytes);
  } else {
    for (const item of items) {
      const local = real(item.rel);
      if (local) {
        const dst = checkedWrite(target.cluster, `${target.path}/${item.rel}`);
        mkdirSync(dirname(dst), { recursive: true });
        copyFileSync(local, dst);
        add(1, 0, lstatSync(local).size);
        continue;
      }
      const at = syntheticAt(sourceRoot.cluster, `${sourceRoot.path}/${item.rel}`);
      if (!at) continue;
      if (at.ix.length === 4) add(1, 0, at.tree.info(at.ix, at.generation).size);
      else if (item.expand) {
        const { dirs, files, bytes } = at.tree.summary(at.ix, at.generation);
        add(files, dirs, bytes);
      } else add(0, 1, 0);
    }
  }
  const copied = counters.COPY + counters.DIR_COPY;
  const maps = copied === 0 ? 0 : Math.max(1, Math.min(o.maps, copied));
  log(io, 'INFO', 'mapreduce.JobSubmitter', `number of splits:${maps}`);
  log(io, 'INFO', 'tools.DistCp', `DistCp job-id: ${jobId}`);
  log(io, 'INFO', 'mapreduce.Job', `Running job: ${jobId}`);
  log(io, 'INFO', 'mapreduce.Job', ' map 0% reduce 0%');
  // The copy: create + complete on the target NameNode per file, and the bytes at the job's throughput.
  meter.rpc(2 * counters.COPY + counters.DIR_COPY);
  meter.copied(counters.BYTESCOPIED);
  if (maps > 0) log(io, 'INFO', 'mapreduce.Job', ' map 100% reduce 0%');
  setLiveGeneration(target.cluster, source.generation);
  log(io, 'INFO', 'mapreduce.Job', `Job ${jobId} completed successfully`);
  io.err(logLine('INFO', 'mapreduce.Job', formatCounters(counters, Math.max(1, Date.now() - started), maps).replace(/\n$/, '')));
  return 0;
}
