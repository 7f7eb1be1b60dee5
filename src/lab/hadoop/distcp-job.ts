// The stand-in's distcp "MapReduce job": copies with -update rules, map progress lines, injected
// mid-copy failure, -delete, and the counters block.
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { crc32c } from './checksum.js';
import { meter } from './cost.js';
import type { DistcpOptions } from './distcp-options.js';
import { checkedWrite, excludedPath, fail, log, STACK, type CopyItem } from './distcp-support.js';
import { FsError, HadoopExit } from './errors.js';
import { takeFault } from './faults.js';
import { logLine, type Io } from './io.js';
import { resolvePath, standinRoot, type ResolvedPath } from './resolve.js';

export interface Counters {
  COPY: number;
  BYTESCOPIED: number;
  BYTESEXPECTED: number;
  BYTESFAILED: number;
  BYTESSKIPPED: number;
  FAIL: number;
  SKIP: number;
  DIR_COPY: number;
}

/** -delete: the source tree to compare with, and the filters that keep target paths out of the comparison. */
export interface DeleteAgainst {
  local: string;
  qualified: string;
  filters: RegExp[];
}

export function sameContent(a: string, b: string): boolean {
  return crc32c(readFileSync(a)) === crc32c(readFileSync(b));
}

export function sleepMs(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export const mapCount = (o: DistcpOptions, items: readonly CopyItem[]): number =>
  items.length === 0 ? 0 : Math.max(1, Math.min(o.maps, items.length));

/** What the client prints while it submits the job to YARN (JobSubmitter, YarnClientImpl, DistCp). */
export function printSubmission(io: Io, maps: number, applicationId: string, jobId: string): void {
  log(io, 'INFO', 'mapreduce.JobSubmitter', `number of splits:${maps}`);
  log(io, 'INFO', 'mapreduce.JobSubmitter', `Submitting tokens for job: ${jobId}`);
  log(io, 'INFO', 'impl.YarnClientImpl', `Submitted application ${applicationId}`);
  log(io, 'INFO', 'mapreduce.Job', `The url to track the job: http://localhost:8088/proxy/${applicationId}/`);
  log(io, 'INFO', 'tools.DistCp', `DistCp job-id: ${jobId}`);
  log(io, 'INFO', 'mapreduce.Job', `Running job: ${jobId}`);
}

/** The MR job (run by the application's process, yarn-am.ts): copy items with -update rules, progress lines, counters; -delete afterwards. */
export function runJob(
  o: DistcpOptions,
  from: { local: string; qualified: string },
  target: ResolvedPath,
  items: CopyItem[],
  deleteAgainst: DeleteAgainst | undefined,
  counters: Counters,
  io: Io,
  jobId: string,
): number {
  const started = Date.now();
  const maps = mapCount(o, items);
  log(io, 'INFO', 'mapreduce.Job', ' map 0% reduce 0%');
  const fault = takeFault(standinRoot(), 'distcpFailAfterFiles');
  const unreadable = takeFault(standinRoot(), 'distcpReadFailure', (f) => items.some((item) => item.rel === f.path));
  /** Map output lines per map number (CopyMapper's context.write: SKIP:, FAIL:), kept in -log. */
  const mapOutput = new Map<string, string[]>();
  const emit = (mapNo: string, line: string): void => void mapOutput.set(mapNo, [...(mapOutput.get(mapNo) ?? []), line]);
  const delay = Number(process.env.HMSDR_HADOOP_STANDIN_DELAY_MS ?? 0);
  const dstRoot = target.cluster;
  let lastPct = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const dstPath = item.rel === '' ? target.path : `${target.path}/${item.rel}`;
    const src = join(from.local, item.rel);
    const mapNo = String(Math.floor((i * maps) / items.length)).padStart(6, '0');
    try {
      const dst = checkedWrite(dstRoot, dstPath);
      const srcStats = lstatSync(src);
      if (item.isDir) {
        if (existsSync(dst) && !lstatSync(dst).isDirectory()) rmSync(dst, { force: true });
        mkdirSync(dst, { recursive: true });
        counters.DIR_COPY++;
      } else {
        const exists = existsSync(dst) && lstatSync(dst).isFile();
        const canSkip = o.update && exists && lstatSync(dst).size === srcStats.size && (o.skipCrc || sameContent(src, dst));
        const srcQualified = `${from.qualified}/${item.rel}`;
        if (canSkip) {
          counters.SKIP++;
          counters.BYTESSKIPPED += srcStats.size;
          emit(mapNo, `SKIP: ${srcQualified}`);
        } else if (unreadable && unreadable.path === item.rel) {
          const trace = `java.io.IOException: File copy failed: ${srcQualified} --> ${target.qualified}/${item.rel}\n\tat org.apache.hadoop.tools.mapred.CopyMapper.copyFileWithRetry(CopyMapper.java:262)\nCaused by: java.io.IOException: Couldn't run retriable-command: Copying ${srcQualified} to ${target.qualified}/${item.rel}\nCaused by: org.apache.hadoop.tools.mapred.RetriableFileCopyCommand$CopyReadException: org.apache.hadoop.hdfs.BlockMissingException: Could not obtain block: ${srcQualified}`;
          if (!o.ignoreFailures) {
            const attempt = `attempt_${jobId.slice(4)}_m_${mapNo}_0`;
            log(io, 'INFO', 'mapreduce.Job', `Task Id : ${attempt}, Status : FAILED`);
            io.err(`Error: ${trace}\n`);
            log(io, 'INFO', 'mapreduce.Job', `Job ${jobId} failed with state FAILED due to: Task failed task_${jobId.slice(4)}_m_${mapNo}`);
            fail(
              io,
              25,
              `${logLine('ERROR', 'tools.DistCp', 'Exception encountered')}java.io.IOException: DistCp failure: Job ${jobId} has failed: Task failed task_${jobId.slice(4)}_m_${mapNo}\n\tat org.apache.hadoop.tools.DistCp.waitForJobCompletion(DistCp.java:230)\n${STACK}`,
            );
          }
          counters.FAIL++;
          counters.BYTESFAILED += srcStats.size;
          emit(mapNo, `FAIL: ${srcQualified} - ${trace}`);
          continue;
        } else {
          if (fault && counters.COPY >= fault.after) {
            const tmp = join(dirname(dst), `.distcp.tmp.attempt_${jobId.slice(4)}_m_${mapNo}_0`);
            mkdirSync(dirname(dst), { recursive: true });
            writeFileSync(tmp, readFileSync(src).subarray(0, Math.floor(srcStats.size / 2)));
            const attempt = `attempt_${jobId.slice(4)}_m_${mapNo}_0`;
            log(io, 'INFO', 'mapreduce.Job', `Task Id : ${attempt}, Status : FAILED`);
            io.err(
              `Error: java.io.IOException: File copy failed: ${src} --> ${target.qualified}/${item.rel}\n\tat org.apache.hadoop.tools.mapred.CopyMapper.map(CopyMapper.java:262)\n`,
            );
            log(io, 'INFO', 'mapreduce.Job', `Job ${jobId} failed with state FAILED due to: Task failed task_${jobId.slice(4)}_m_${mapNo}`);
            fail(
              io,
              25,
              `${logLine('ERROR', 'tools.DistCp', 'Exception encountered')}java.io.IOException: DistCp failure: Job ${jobId} has failed: Task failed task_${jobId.slice(4)}_m_${mapNo}\n\tat org.apache.hadoop.tools.DistCp.waitForJobCompletion(DistCp.java:230)\n${STACK}`,
            );
          }
          if (existsSync(dst) && lstatSync(dst).isDirectory()) rmSync(dst, { recursive: true, force: true });
          mkdirSync(dirname(dst), { recursive: true });
          const tmp = join(dirname(dst), `.distcp.tmp.attempt_${jobId.slice(4)}_m_${mapNo}_0`);
          writeFileSync(tmp, readFileSync(src));
          renameSync(tmp, dst);
          counters.COPY++;
          counters.BYTESCOPIED += srcStats.size;
          counters.BYTESEXPECTED += srcStats.size;
          meter.copied(srcStats.size);
          sleepMs(delay);
        }
      }
      if (o.preserve.includes('p')) chmodSync(dst, srcStats.mode & 0o7777);
      if (o.preserve.includes('t')) utimesSync(dst, srcStats.atime, srcStats.mtime);
    } catch (error) {
      if (error instanceof HadoopExit || !(error instanceof FsError)) throw error;
      log(io, 'INFO', 'mapreduce.Job', `Task Id : attempt_${jobId.slice(4)}_m_${mapNo}_0, Status : FAILED`);
      io.err(`Error: ${error.javaClass}: ${error.message}\n`);
      fail(
        io,
        25,
        `${logLine('ERROR', 'tools.DistCp', 'Exception encountered')}java.io.IOException: DistCp failure: Job ${jobId} has failed: Task failed task_${jobId.slice(4)}_m_${mapNo}\n${STACK}`,
      );
    }
    const pct = Math.floor((100 * Math.floor(((i + 1) * maps) / items.length)) / maps);
    if (pct > lastPct) {
      log(io, 'INFO', 'mapreduce.Job', ` map ${pct}% reduce 0%`);
      lastPct = pct;
    }
  }
  if (deleteAgainst) deleteMissing(deleteAgainst, target, io);
  if (o.log !== undefined) writeJobLog(o.log, mapOutput);
  log(io, 'INFO', 'mapreduce.Job', `Job ${jobId} completed successfully`);
  io.err(logLine('INFO', 'mapreduce.Job', formatCounters(counters, Math.max(1, Date.now() - started), maps).replace(/\n$/, '')));
  return 0;
}

/** The job's output in the -log directory: TextOutputFormat part-m-NNNNN files (a null key: the line alone) and _SUCCESS. */
function writeJobLog(logDir: string, mapOutput: Map<string, string[]>): void {
  const dir = resolvePath(logDir);
  const local = dir.cluster.writable(dir.path);
  mkdirSync(local, { recursive: true });
  for (const [mapNo, lines] of [...mapOutput.entries()].sort())
    writeFileSync(join(local, `part-m-${mapNo.slice(1)}`), `${lines.join('\n')}\n`);
  writeFileSync(join(local, '_SUCCESS'), '');
}

/**
 * CopyCommitter.deleteMissing: target paths missing from the (filtered) source listing are deleted;
 * target paths the filters exclude are not in the target listing, so they are never deleted.
 */
export function deleteMissing(against: DeleteAgainst, target: ResolvedPath, io: Io): void {
  const targetLocal = target.cluster.livePath(target.path);
  const sourceRoot = against.qualified.replace(/\/+$/, '');
  const targetRoot = target.qualified.replace(/\/+$/, '');
  let files = 0;
  let dirs = 0;
  const visit = (rel: string): void => {
    const local = join(targetLocal, rel);
    for (const name of readdirSync(local).sort()) {
      const childRel = rel === '' ? name : `${rel}/${name}`;
      const isDir = lstatSync(join(local, name)).isDirectory();
      if (excludedPath(against.filters, `${targetRoot}/${childRel}`)) {
        if (isDir) visit(childRel);
        continue;
      }
      const inSource = existsSync(join(against.local, childRel)) && !excludedPath(against.filters, `${sourceRoot}/${childRel}`);
      if (!inSource) {
        rmSync(checkedWrite(target.cluster, `${target.path}/${childRel}`), { recursive: true, force: true });
        if (isDir) dirs++;
        else files++;
      } else if (isDir) visit(childRel);
    }
  };
  if (existsSync(targetLocal)) visit('');
  log(io, 'INFO', 'mapred.CopyCommitter', `Deleted from target: files: ${files} directories: ${dirs}`);
}

/** `Counters: N` block; counters appear only when incremented, sorted by enum name per group. */
export function formatCounters(c: Counters, elapsedMs: number, maps: number): string {
  const fsCounters: [string, number][] = [
    ['HDFS: Number of bytes read', c.BYTESCOPIED],
    ['HDFS: Number of bytes written', c.BYTESCOPIED],
  ];
  const distcpCounters: [string, string, number][] = [
    ['BANDWIDTH_IN_BYTES', 'Bandwidth in Btyes', c.BYTESCOPIED > 0 && maps > 0 ? Math.floor(c.BYTESCOPIED / maps / (elapsedMs / 1000)) : 0],
    ['BYTESCOPIED', 'Bytes Copied', c.BYTESCOPIED],
    ['BYTESEXPECTED', 'Bytes Expected', c.BYTESEXPECTED],
    ['BYTESFAILED', 'Bytes Failed', c.BYTESFAILED],
    ['BYTESSKIPPED', 'Bytes Skipped', c.BYTESSKIPPED],
    ['COPY', 'Files Copied', c.COPY],
    ['DIR_COPY', 'DIR_COPY', c.DIR_COPY],
    ['FAIL', 'Files Failed', c.FAIL],
    ['SKIP', 'Files Skipped', c.SKIP],
  ];
  const shown = maps === 0 ? [] : distcpCounters.filter(([, , v]) => v > 0);
  let text = `Counters: ${fsCounters.length + shown.length}\n\tFile System Counters\n`;
  for (const [name, value] of fsCounters) text += `\t\t${name}=${value}\n`;
  if (shown.length > 0) {
    text += '\tDistCp Counters\n';
    for (const [, name, value] of shown) text += `\t\t${name}=${value}\n`;
  }
  return text;
}
