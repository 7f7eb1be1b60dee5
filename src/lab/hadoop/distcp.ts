// `hadoop distcp` of the stand-in: option validation, the snapshot-diff sync (-diff / -rdiff) with
// DistCpSync's pre-checks, a copy "job" with -update rules, map progress lines and counters, all
// logged to stderr with the exit codes of §4 of the reference.
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Cluster, SnapshotMeta } from './cluster.js';
import { crc32c } from './checksum.js';
import { FsError, HadoopExit } from './errors.js';
import { takeFault } from './faults.js';
import { logLine, type Io } from './io.js';
import { resolvePath, standinRoot, type ResolvedPath } from './resolve.js';
import { diffManifests, type DiffEntry } from './snapshot-diff.js';
import { takeGenericOptions } from './dfs.js';

export interface DistcpOptions {
  update: boolean;
  overwrite: boolean;
  deleteMissing: boolean;
  append: boolean;
  atomic: boolean;
  skipCrc: boolean;
  ignoreFailures: boolean;
  diff?: [string, string];
  rdiff?: [string, string];
  preserve: string;
  bandwidthMB?: number;
  maps: number;
  filters?: string;
  tmp?: string;
  sources: string[];
  target: string;
}

const VALUE_OPTIONS = new Set(['-bandwidth', '-m', '-filters', '-strategy', '-numListstatusThreads', '-log', '-tmp', '-mapredSslConf', '-blocksperchunk', '-copybuffersize', '-xtrack', '-f']);
const FLAG_OPTIONS = new Set(['-update', '-overwrite', '-delete', '-i', '-skipcrccheck', '-atomic', '-append', '-v', '-async', '-direct', '-useiterator', '-updateRoot']);

class InvalidArguments extends Error {}

/** Parse and validate like OptionsParser + DistCpOptions.Builder.validate (same messages, same order). */
export function parseDistcpArgs(args: string[]): DistcpOptions {
  const o: DistcpOptions = { update: false, overwrite: false, deleteMissing: false, append: false, atomic: false, skipCrc: false, ignoreFailures: false, preserve: '', maps: 20, sources: [], target: '' };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-diff' || arg === '-rdiff') {
      const a = args[i + 1];
      const b = args[i + 2];
      if (a === undefined || b === undefined) throw new InvalidArguments('Must provide both the starting and ending snapshot names for -diff/-rdiff');
      o[arg === '-diff' ? 'diff' : 'rdiff'] = [a, b];
      i += 2;
    } else if (/^-p[a-zA-Z]*$/.test(arg)) {
      const letters = arg === '-p' ? 'rbugpct' : arg.slice(2);
      for (const c of letters) if (!'rbugpcaxte'.includes(c.toLowerCase())) throw new InvalidArguments(`No attribute for ${c}`);
      o.preserve = letters.toLowerCase();
    } else if (VALUE_OPTIONS.has(arg)) {
      const value = args[++i];
      if (value === undefined) throw new InvalidArguments(`Missing argument for option: ${arg.slice(1)}`);
      if (arg === '-m') o.maps = Number(value);
      if (arg === '-bandwidth') o.bandwidthMB = Number(value);
      if (arg === '-filters') o.filters = value;
      if (arg === '-tmp') o.tmp = value;
    } else if (FLAG_OPTIONS.has(arg)) {
      if (arg === '-update') o.update = true;
      if (arg === '-overwrite') o.overwrite = true;
      if (arg === '-delete') o.deleteMissing = true;
      if (arg === '-append') o.append = true;
      if (arg === '-atomic') o.atomic = true;
      if (arg === '-skipcrccheck') o.skipCrc = true;
      if (arg === '-i') o.ignoreFailures = true;
    } else if (arg.startsWith('-') && arg.length > 1) {
      throw new InvalidArguments(`Unrecognized option: ${arg}`);
    } else positional.push(arg);
  }
  const useDiff = o.diff !== undefined;
  const useRdiff = o.rdiff !== undefined;
  if ((useDiff || useRdiff) && o.deleteMissing) throw new InvalidArguments('-delete and -diff/-rdiff are mutually exclusive. The -delete option will be ignored.');
  if (!o.atomic && o.tmp !== undefined) throw new InvalidArguments('-tmp work-path can only be specified along with -atomic');
  if ((o.update || o.overwrite) && o.atomic) throw new InvalidArguments("Atomic commit can't be used with sync folder or overwrite options");
  if (o.deleteMissing && !(o.overwrite || o.update)) throw new InvalidArguments('Delete missing is applicable only with update or overwrite options');
  if (o.overwrite && o.update) throw new InvalidArguments('Overwrite and update options are mutually exclusive');
  if (!o.update && o.append) throw new InvalidArguments('Append is valid only with update options');
  if (o.skipCrc && o.append) throw new InvalidArguments('Append is disallowed when skipping CRC');
  if (!o.update && (useDiff || useRdiff)) throw new InvalidArguments('-diff/-rdiff is valid only with -update option');
  if (useDiff && useRdiff) throw new InvalidArguments('-diff and -rdiff are mutually exclusive');
  if (positional.length < 2) throw new InvalidArguments(positional.length === 0 ? 'Neither source file listing nor source paths present' : 'Target path not specified');
  o.target = positional.pop()!;
  o.sources = positional;
  return o;
}

const USAGE = `usage: distcp OPTIONS [source_path...] <target_path>
              OPTIONS
 -append                       Reuse existing data in target files and append new data to them if possible
 -bandwidth <arg>              Specify bandwidth per map in MB, accepts bandwidth as a fraction.
 -delete                       Delete from target, files missing in source. Delete is applicable only with update or overwrite options
 -diff <arg>                   Use snapshot diff report to identify the difference between source and target
 -filters <arg>                The path to a file containing a list of strings for paths to be excluded from the copy.
 -m <arg>                      Max number of concurrent maps to use for copy
 -overwrite                    Choose to overwrite target files unconditionally, even if they exist.
 -p <arg>                      preserve status (rbugpcaxt)(replication, block-size, user, group, permission, checksum-type, ACL, XATTR, timestamps).
 -rdiff <arg>                  Use target snapshot diff report to identify changes made on target
 -skipcrccheck                 Whether to skip CRC checks between source and target paths.
 -update                       Update target, copying only missing files or directories
`;

const ATTRIBUTES: Record<string, string> = { r: 'REPLICATION', b: 'BLOCKSIZE', u: 'USER', g: 'GROUP', p: 'PERMISSION', c: 'CHECKSUMTYPE', a: 'ACL', x: 'XATTR', t: 'TIMES', e: 'ERASURECODINGPOLICY' };

function describeOptions(o: DistcpOptions, sourcePaths: string[]): string {
  const from = o.diff?.[0] ?? o.rdiff?.[0] ?? null;
  const to = o.diff?.[1] ?? o.rdiff?.[1] ?? null;
  const preserve = [...o.preserve].map((c) => ATTRIBUTES[c]).join(', ');
  return `DistCpOptions{atomicCommit=${o.atomic}, syncFolder=${o.update}, deleteMissing=${o.deleteMissing}, ignoreFailures=${o.ignoreFailures}, overwrite=${o.overwrite}, append=${o.append}, useDiff=${o.diff !== undefined}, useRdiff=${o.rdiff !== undefined}, fromSnapshot=${from}, toSnapshot=${to}, skipCRC=${o.skipCrc}, blocking=true, numListstatusThreads=0, maxMaps=${o.maps}, mapBandwidth=${(o.bandwidthMB ?? 0).toFixed(1)}, copyStrategy='uniformsize', preserveStatus=[${preserve}], atomicWorkPath=null, logPath=null, sourceFileListing=null, sourcePaths=[${o.sources.join(', ')}], targetPath=${o.target}, filtersFile='${o.filters ?? 'null'}', blocksPerChunk=0, copyBufferSize=8192, verboseLog=false, directWrite=false}, sourcePaths=[${sourcePaths.join(', ')}], targetPathExists=true, preserveRawXattrs=false`;
}

interface CopyItem {
  rel: string;
  isDir: boolean;
}

interface Counters {
  COPY: number;
  BYTESCOPIED: number;
  BYTESEXPECTED: number;
  BYTESSKIPPED: number;
  SKIP: number;
  DIR_COPY: number;
}

const log = (io: Io, level: 'INFO' | 'WARN' | 'ERROR', logger: string, message: string): void => io.err(logLine(level, logger, message));

const STACK = '\tat org.apache.hadoop.tools.DistCp.run(DistCp.java:143)\n\tat org.apache.hadoop.util.ToolRunner.run(ToolRunner.java:81)\n\tat org.apache.hadoop.tools.DistCp.main(DistCp.java:441)\n';

function fail(io: Io, code: number, lines: string): never {
  io.err(lines);
  throw new HadoopExit(code);
}

/** `hadoop distcp <args>` → exit code. */
export function distcp(argv: string[], io: Io): number {
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
    io.err(`java.lang.IllegalArgumentException: ${error.message}\n\tat org.apache.hadoop.tools.OptionsParser.parse(OptionsParser.java:186)\n${STACK}`);
    io.err(`Invalid arguments: ${error.message}\n`);
    io.out(USAGE);
    return 255;
  }
  try {
    return run(o, io);
  } catch (error) {
    if (error instanceof HadoopExit) return error.exitCode;
    if (error instanceof FsError) {
      log(io, 'ERROR', 'tools.DistCp', 'Exception encountered');
      io.err(`${error.javaClass}: ${error.message}\n${STACK}`);
      return 25;
    }
    throw error;
  }
}

function run(o: DistcpOptions, io: Io): number {
  log(io, 'INFO', 'tools.DistCp', `Input Options: ${describeOptions(o, o.sources)}`);
  const target = resolvePath(o.target);
  const filters = loadFilters(o.filters);
  const counters: Counters = { COPY: 0, BYTESCOPIED: 0, BYTESEXPECTED: 0, BYTESSKIPPED: 0, SKIP: 0, DIR_COPY: 0 };
  if (o.diff || o.rdiff) {
    if (o.sources.length !== 1) fail(io, 25, `${logLine('ERROR', 'tools.DistCp', 'Exception encountered')}java.lang.IllegalArgumentException: ${o.sources.length} source paths are provided\n${STACK}`);
    const source = resolvePath(o.sources[0]!);
    const { snapshotSource, items } = syncWithDiff(o, source, target, filters, io);
    log(io, 'INFO', 'tools.DistCp', `Number of paths in the copy list: ${items.length}`);
    return runJob(o, snapshotSource, target, items, [], counters, io);
  }
  const plans = o.sources.map((typed) => {
    const source = resolvePath(typed);
    const located = source.cluster.locate(source.path, typed);
    const local = located.kind === 'snapshotDir' ? undefined : located.local;
    if (!local || !existsSync(local)) {
      fail(io, 255, `${logLine('ERROR', 'tools.DistCp', 'Invalid input:')}org.apache.hadoop.tools.CopyListing$InvalidInputException: ${source.qualified} doesn't exist\n${STACK}`);
    }
    const intoChild = !(o.update || o.overwrite) && (existsSync(target.cluster.livePath(target.path)) || o.sources.length > 1);
    const name = source.path.split('/').pop()!;
    const dest = intoChild ? { ...target, path: `${target.path}/${name}`, typed: `${target.typed}/${name}` } : target;
    return { local, dest, items: listTree(local, '', filters, !intoChild) };
  });
  log(io, 'INFO', 'tools.DistCp', `Number of paths in the copy list: ${plans.reduce((n, p) => n + p.items.length, 0)}`);
  let code = 0;
  for (const plan of plans) {
    code = runJob(o, { local: plan.local }, plan.dest, plan.items, o.deleteMissing ? [plan.local] : [], counters, io);
  }
  return code;
}

function loadFilters(file: string | undefined): RegExp[] {
  if (!file) return [];
  return readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '').map((l) => new RegExp(`^(?:${l})$`));
}

const excluded = (filters: RegExp[], rel: string): boolean => filters.some((f) => f.test(`/${rel}`));

/** Every file and directory under `local` (relative paths); the root itself only when `withRoot`. */
function listTree(local: string, rel: string, filters: RegExp[], skipRoot: boolean): CopyItem[] {
  const items: CopyItem[] = [];
  const visit = (path: string, r: string): void => {
    if (r !== '' && excluded(filters, r)) return;
    const isDir = lstatSync(path).isDirectory();
    if (!(r === '' && skipRoot)) items.push({ rel: r, isDir });
    if (isDir) for (const name of readdirSync(path).sort()) visit(join(path, name), r === '' ? name : `${r}/${name}`);
  };
  visit(local, rel);
  return items;
}

/** DistCpSync: pre-checks, renames/deletes on the target, then the copy list from the diff. */
function syncWithDiff(o: DistcpOptions, source: ResolvedPath, target: ResolvedPath, filters: RegExp[], io: Io): { snapshotSource: { local: string }; items: CopyItem[] } {
  const [from, to] = (o.diff ?? o.rdiff)!;
  const snapshotSourcePath = `${source.typed.replace(/\/$/, '')}/.snapshot/${to}`;
  const syncFailed = (): never =>
    fail(io, 25, `${logLine('ERROR', 'tools.DistCp', 'Exception encountered')}java.lang.Exception: DistCp sync failed, input options: ${describeOptions(o, [resolvePath(snapshotSourcePath).qualified])}\n\tat org.apache.hadoop.tools.DistCp.prepareFileListing(DistCp.java:93)\n\tat org.apache.hadoop.tools.DistCp.createAndSubmitJob(DistCp.java:211)\n${STACK}`);

  // 3. The target must be unchanged since <from> (snapshot-diff terms).
  const t = target.cluster;
  const targetFrom = t.isSnapshottable(target.path) ? t.snapshot(target.path, from) : undefined;
  if (!existsSync(t.livePath(target.path)) || !t.isSnapshottable(target.path) || !targetFrom) {
    const cause = !existsSync(t.livePath(target.path))
      ? `java.io.FileNotFoundException: File does not exist: ${target.path}`
      : !t.isSnapshottable(target.path)
        ? 'org.apache.hadoop.hdfs.protocol.SnapshotException: Directory is neither snapshottable nor under a snap root!'
        : `org.apache.hadoop.hdfs.protocol.SnapshotException: Cannot find the snapshot of directory ${target.path} with name ${from}`;
    log(io, 'WARN', 'tools.DistCp', `Failed to compute snapshot diff on ${target.qualified} at snapshot ${from}`);
    io.err(`${cause}\n\tat org.apache.hadoop.hdfs.DistributedFileSystem.getSnapshotDiffReport(DistributedFileSystem.java:2330)\n`);
    syncFailed();
  }
  if (diffManifests(t.manifest(target.path, targetFrom), t.manifest(target.path, undefined)).length > 0) {
    log(io, 'WARN', 'tools.DistCp', `The target has been modified since snapshot ${from}`);
    syncFailed();
  }
  // 4. Both snapshots must exist on the diffed directory (source for -diff, target for -rdiff).
  const diffed = o.diff ? source : target;
  const snapFrom = diffed.cluster.snapshot(diffed.path, from);
  const snapTo = diffed.cluster.snapshot(diffed.path, to);
  const copyFrom = source.cluster.snapshot(source.path, to);
  if (!snapFrom || !snapTo || !copyFrom) {
    fail(io, 255, `${logLine('ERROR', 'tools.DistCp', 'Invalid input:')}org.apache.hadoop.tools.CopyListing$InvalidInputException: Input snapshot is not found\n\tat org.apache.hadoop.tools.DistCpSync.preSyncCheck(DistCpSync.java:122)\n${STACK}`);
  }
  // 5. Order by snapshot creation time.
  if (o.diff && snapFrom!.createdMs > snapTo!.createdMs) {
    fail(io, 25, `${logLine('ERROR', 'tools.DistCp', 'Exception encountered')}org.apache.hadoop.HadoopIllegalArgumentException: Snapshot ${to} should be newer than ${from}\n\tat org.apache.hadoop.tools.DistCpSync.preSyncCheck(DistCpSync.java:137)\n${STACK}`);
  }
  if (o.rdiff && snapFrom!.createdMs < snapTo!.createdMs) {
    fail(io, 25, `${logLine('ERROR', 'tools.DistCp', 'Exception encountered')}org.apache.hadoop.HadoopIllegalArgumentException: Snapshot ${from} should be newer than ${to}\n\tat org.apache.hadoop.tools.DistCpSync.preSyncCheck(DistCpSync.java:137)\n${STACK}`);
  }
  const entries = applyFilters(diffManifests(diffed.cluster.manifest(diffed.path, snapFrom), diffed.cluster.manifest(diffed.path, snapTo)), filters);
  try {
    applyRenamesAndDeletes(t, target.path, entries);
  } catch (error) {
    log(io, 'WARN', 'tools.DistCp', 'Failed to use snapshot diff for distcp');
    io.err(`${error instanceof FsError ? error.javaClass : 'java.io.IOException'}: ${(error as Error).message}\n`);
    syncFailed();
  }
  const local = source.cluster.snapshotDataDir(copyFrom!);
  const items = new Map<string, CopyItem>();
  for (const e of entries) {
    if ((e.type !== 'CREATE' && e.type !== 'MODIFY') || e.laterPath === undefined || e.laterPath === '') continue;
    if (e.type === 'CREATE' && e.isDir) for (const item of listTree(join(local, e.laterPath), e.laterPath, filters, false)) items.set(item.rel, item);
    else items.set(e.laterPath, { rel: e.laterPath, isDir: e.isDir });
  }
  return { snapshotSource: { local }, items: [...items.values()].sort((a, b) => (a.rel < b.rel ? -1 : 1)) };
}

/** -filters on diff entries (HDFS-14869 / HADOOP-18096 semantics for renames). */
function applyFilters(entries: DiffEntry[], filters: RegExp[]): DiffEntry[] {
  if (filters.length === 0) return entries;
  const out: DiffEntry[] = [];
  for (const e of entries) {
    if (e.type !== 'RENAME') {
      if (!excluded(filters, e.laterPath ?? e.path)) out.push(e);
      continue;
    }
    const srcOut = excluded(filters, e.path);
    const dstOut = excluded(filters, e.target ?? '');
    if (srcOut && dstOut) continue;
    if (dstOut) out.push({ type: 'DELETE', path: e.path, isDir: e.isDir });
    else if (srcOut) out.push({ type: 'CREATE', path: e.target ?? '', laterPath: e.laterPath, isDir: e.isDir });
    else out.push(e);
  }
  return out;
}

/** Move deletes and rename sources into `.distcp.diff.tmp<N>`, then renames to their targets. */
function applyRenamesAndDeletes(cluster: Cluster, root: string, entries: DiffEntry[]): void {
  const moving = entries.filter((e) => e.type === 'DELETE' || e.type === 'RENAME');
  if (moving.length === 0) return;
  const tmpRel = `.distcp.diff.tmp${Math.floor(Math.random() * 2 ** 31)}`;
  const tmp = checkedWrite(cluster, `${root}/${tmpRel}`);
  mkdirSync(tmp);
  const parked = new Map<DiffEntry, string>();
  const depth = (p: string): number => p.split('/').length;
  let n = 0;
  for (const e of [...moving].sort((a, b) => depth(b.path) - depth(a.path))) {
    const from = checkedWrite(cluster, `${root}/${e.path}`);
    if (!existsSync(from)) continue; // deleting what is already gone is tolerated
    const parkedAt = join(tmp, String(n++));
    renameSync(from, parkedAt);
    parked.set(e, parkedAt);
  }
  for (const e of moving.filter((m) => m.type === 'RENAME').sort((a, b) => ((a.target ?? '') < (b.target ?? '') ? -1 : 1))) {
    const at = parked.get(e);
    if (!at) continue;
    const to = checkedWrite(cluster, `${root}/${e.target}`);
    mkdirSync(dirname(to), { recursive: true });
    if (existsSync(to)) rmSync(to, { recursive: true, force: true });
    renameSync(at, to);
  }
  rmSync(tmp, { recursive: true, force: true });
}

function checkedWrite(cluster: Cluster, path: string): string {
  const local = cluster.writable(path);
  const fault = takeFault(standinRoot(), 'permissionDenied', (f) => path === f.pathPrefix || path.startsWith(f.pathPrefix + '/'));
  if (fault) throw new FsError(`Permission denied: user=${process.env.HADOOP_USER_NAME ?? 'hdfs'}, access=WRITE, inode="${path}":hdfs:supergroup:drwxr-xr-x`, 'org.apache.hadoop.security.AccessControlException');
  return local;
}

function sameContent(a: string, b: string): boolean {
  return crc32c(readFileSync(a)) === crc32c(readFileSync(b));
}

function sleepMs(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The MR job: copy items with -update rules, progress lines, counters; -delete afterwards. */
function runJob(o: DistcpOptions, from: { local: string }, target: ResolvedPath, items: CopyItem[], deleteAgainst: string[], counters: Counters, io: Io): number {
  const started = Date.now();
  const jobId = `job_${started}_${String(Math.floor(Math.random() * 9000) + 1000)}`;
  const maps = items.length === 0 ? 0 : Math.max(1, Math.min(o.maps, items.length));
  log(io, 'INFO', 'mapreduce.JobSubmitter', `number of splits:${maps}`);
  log(io, 'INFO', 'tools.DistCp', `DistCp job-id: ${jobId}`);
  log(io, 'INFO', 'mapreduce.Job', `Running job: ${jobId}`);
  log(io, 'INFO', 'mapreduce.Job', ' map 0% reduce 0%');
  const fault = takeFault(standinRoot(), 'distcpFailAfterFiles');
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
        if (canSkip) {
          counters.SKIP++;
          counters.BYTESSKIPPED += srcStats.size;
        } else {
          if (fault && counters.COPY >= fault.after) {
            const tmp = join(dirname(dst), `.distcp.tmp.attempt_${jobId.slice(4)}_m_${mapNo}_0`);
            mkdirSync(dirname(dst), { recursive: true });
            writeFileSync(tmp, readFileSync(src).subarray(0, Math.floor(srcStats.size / 2)));
            const attempt = `attempt_${jobId.slice(4)}_m_${mapNo}_0`;
            log(io, 'INFO', 'mapreduce.Job', `Task Id : ${attempt}, Status : FAILED`);
            io.err(`Error: java.io.IOException: File copy failed: ${src} --> ${target.qualified}/${item.rel}\n\tat org.apache.hadoop.tools.mapred.CopyMapper.map(CopyMapper.java:262)\n`);
            log(io, 'INFO', 'mapreduce.Job', `Job ${jobId} failed with state FAILED due to: Task failed task_${jobId.slice(4)}_m_${mapNo}`);
            fail(io, 25, `${logLine('ERROR', 'tools.DistCp', 'Exception encountered')}java.io.IOException: DistCp failure: Job ${jobId} has failed: Task failed task_${jobId.slice(4)}_m_${mapNo}\n\tat org.apache.hadoop.tools.DistCp.waitForJobCompletion(DistCp.java:230)\n${STACK}`);
          }
          if (existsSync(dst) && lstatSync(dst).isDirectory()) rmSync(dst, { recursive: true, force: true });
          mkdirSync(dirname(dst), { recursive: true });
          const tmp = join(dirname(dst), `.distcp.tmp.attempt_${jobId.slice(4)}_m_${mapNo}_0`);
          writeFileSync(tmp, readFileSync(src));
          renameSync(tmp, dst);
          counters.COPY++;
          counters.BYTESCOPIED += srcStats.size;
          counters.BYTESEXPECTED += srcStats.size;
          sleepMs(delay);
        }
      }
      if (o.preserve.includes('p')) chmodSync(dst, srcStats.mode & 0o7777);
      if (o.preserve.includes('t')) utimesSync(dst, srcStats.atime, srcStats.mtime);
    } catch (error) {
      if (error instanceof HadoopExit || !(error instanceof FsError)) throw error;
      log(io, 'INFO', 'mapreduce.Job', `Task Id : attempt_${jobId.slice(4)}_m_${mapNo}_0, Status : FAILED`);
      io.err(`Error: ${error.javaClass}: ${error.message}\n`);
      fail(io, 25, `${logLine('ERROR', 'tools.DistCp', 'Exception encountered')}java.io.IOException: DistCp failure: Job ${jobId} has failed: Task failed task_${jobId.slice(4)}_m_${mapNo}\n${STACK}`);
    }
    const pct = Math.floor((100 * Math.floor(((i + 1) * maps) / items.length)) / maps);
    if (pct > lastPct) {
      log(io, 'INFO', 'mapreduce.Job', ` map ${pct}% reduce 0%`);
      lastPct = pct;
    }
  }
  if (deleteAgainst.length > 0) deleteMissing(deleteAgainst[0]!, target, io);
  log(io, 'INFO', 'mapreduce.Job', `Job ${jobId} completed successfully`);
  io.err(logLine('INFO', 'mapreduce.Job', formatCounters(counters, Math.max(1, Date.now() - started), maps).replace(/\n$/, '')));
  return 0;
}

function deleteMissing(sourceLocal: string, target: ResolvedPath, io: Io): void {
  const targetLocal = target.cluster.livePath(target.path);
  let files = 0;
  let dirs = 0;
  const visit = (rel: string): void => {
    const local = join(targetLocal, rel);
    for (const name of readdirSync(local).sort()) {
      const childRel = rel === '' ? name : `${rel}/${name}`;
      const inSource = existsSync(join(sourceLocal, childRel));
      const isDir = lstatSync(join(local, name)).isDirectory();
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
    ['BANDWIDTH_IN_BYTES', 'Bandwidth in Btyes', c.BYTESCOPIED > 0 && maps > 0 ? Math.floor((c.BYTESCOPIED / maps) / (elapsedMs / 1000)) : 0],
    ['BYTESCOPIED', 'Bytes Copied', c.BYTESCOPIED],
    ['BYTESEXPECTED', 'Bytes Expected', c.BYTESEXPECTED],
    ['BYTESSKIPPED', 'Bytes Skipped', c.BYTESSKIPPED],
    ['COPY', 'Files Copied', c.COPY],
    ['DIR_COPY', 'DIR_COPY', c.DIR_COPY],
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

export type { SnapshotMeta };
