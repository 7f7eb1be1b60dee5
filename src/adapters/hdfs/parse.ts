// Parsers of Hadoop CLI output, exactly as Hadoop prints it (docs/hdfs.md).
// They read stdout (and DistCp's counter block); success or failure is decided by exit codes.
// Listings are parsed strictly: a line that does not parse is an error, never a skipped entry,
// since a listing read as empty would let a comparison pass.
import { AdapterError } from '../../errors/errors.js';

/** A non-blank line of `command`'s output that its parser does not understand. */
function unparsable(command: string, line: string): AdapterError {
  return new AdapterError('E_HDFS_OUTPUT', `cannot parse a line of ${command} output: ${JSON.stringify(line.slice(0, 300))}`, {
    hint: 'the Hadoop client prints a format hmsdr does not know (another version, a wrapper script writing to stdout?): run the command by hand and report the line',
  });
}

export interface SnapshottableDir {
  path: string;
  snapshotCount: number;
  snapshotQuota: number;
  /** `yyyy-MM-dd HH:mm` as printed (local time of the NameNode client). */
  modified: string;
}

/**
 * `hdfs lsSnapshottableDir` (an empty line when there are none). Owner and group are padded
 * columns that may contain spaces (`domain users` on AD-joined clusters): the line is anchored on
 * the fields that cannot (permission, replication, length, date, counts) and the path is the rest.
 */
export function parseSnapshottableDirs(stdout: string): SnapshottableDir[] {
  const rows: SnapshottableDir[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^d\S{9}[+ ]?\s+\d+\s+\S.*?\s+\d+\s+(\d{4}-\d\d-\d\d \d\d:\d\d)\s+(\d+)\s+(\d+)\s(.+)$/.exec(line);
    if (!m) throw unparsable('hdfs lsSnapshottableDir', line);
    rows.push({ modified: m[1]!, snapshotCount: Number(m[2]), snapshotQuota: Number(m[3]), path: m[4]!.replace(/^\s+/, '') });
  }
  return rows;
}

export type DiffLabel = '+' | 'M' | '-' | 'R';

export interface SnapshotDiffEntry {
  label: DiffLabel;
  /** Relative to the snapshot root, without `./`; the root itself is ''. */
  path: string;
  /** Rename target (relative). */
  target?: string;
}

export interface SnapshotDiffReport {
  /** Snapshot name or '' for the current state. */
  from: string;
  to: string;
  root: string;
  entries: SnapshotDiffEntry[];
}

const relative = (p: string): string => (p === '.' ? '' : p.replace(/^\.\//, ''));

const DIFF_HEADER = /^Difference between (snapshot (.+)|current directory) and (snapshot (.+)|current directory) under directory (.+):$/;

/** `hdfs snapshotDiff` stdout fed line by line as it prints (the header first). Entry order is not relied upon by callers. */
export class SnapshotDiffParser {
  private header: Omit<SnapshotDiffReport, 'entries'> | undefined;
  private readonly entries: SnapshotDiffEntry[] = [];

  line(line: string): void {
    if (!this.header) {
      const h = DIFF_HEADER.exec(line);
      if (!h) throw new Error(`unexpected snapshotDiff output: ${JSON.stringify(line.slice(0, 200))}`);
      this.header = { from: h[2] ?? '', to: h[4] ?? '', root: h[5]! };
      return;
    }
    const m = /^([+M\-R])\t(.*)$/.exec(line);
    if (!m) return;
    const label = m[1] as DiffLabel;
    if (label === 'R') {
      const at = m[2]!.indexOf(' -> ');
      this.entries.push({ label, path: relative(m[2]!.slice(0, at)), target: relative(m[2]!.slice(at + 4)) });
    } else this.entries.push({ label, path: relative(m[2]!) });
  }

  report(): SnapshotDiffReport {
    if (!this.header) throw new Error('unexpected snapshotDiff output: ""');
    return { ...this.header, entries: this.entries };
  }
}

/** `hdfs snapshotDiff` stdout. */
export function parseSnapshotDiff(stdout: string): SnapshotDiffReport {
  const parser = new SnapshotDiffParser();
  for (const line of stdout.split('\n')) parser.line(line);
  return parser.report();
}

export interface CountRow {
  dirs: number;
  files: number;
  bytes: number;
  /** As typed on the command line. */
  path: string;
}

/** `hdfs dfs -count [-x] paths...` (without -q/-h/-v). */
export function parseCount(stdout: string): CountRow[] {
  const rows: CountRow[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s(.+)$/.exec(line);
    if (m) rows.push({ dirs: Number(m[1]), files: Number(m[2]), bytes: Number(m[3]), path: m[4]! });
  }
  return rows;
}

export interface ChecksumRow {
  path: string;
  algorithm: string;
  /** Empty for `NONE`. */
  hex: string;
}

/** `hdfs dfs -checksum paths...`: `<path>\t<algorithm>\t<hex>[\tBlockSize=n]`. */
export function parseChecksums(stdout: string): ChecksumRow[] {
  return parseEachLine(stdout, parseChecksumLine);
}

/** What `parse` makes of each line of `stdout`, lines it returns undefined for left out. */
function parseEachLine<T>(stdout: string, parse: (line: string) => T | undefined): T[] {
  const out: T[] = [];
  for (const line of stdout.split('\n')) {
    const item = parse(line);
    if (item !== undefined) out.push(item);
  }
  return out;
}

/** One line of `hdfs dfs -checksum` (`path<TAB>algorithm<TAB>hex`); undefined for any other line. */
export function parseChecksumLine(line: string): ChecksumRow | undefined {
  if (!line.includes('\t')) return undefined;
  const [path = '', algorithm = '', hex = ''] = line.split('\t');
  return { path, algorithm, hex };
}

export interface LsEntry {
  type: 'file' | 'dir';
  permission: string;
  owner: string;
  group: string;
  length: number;
  modified: string;
  path: string;
}

/**
 * `hdfs dfs -ls [-R]` (the `Found N items` lines are skipped). Columns are padded and owner/group
 * may contain spaces (`domain users`): the line is anchored on permission, replication, length,
 * date and time, which cannot; the owner is the first word of what lies between, the group the
 * rest, and the path everything after the time (spaces and non-ASCII included).
 */
export function parseLs(stdout: string): LsEntry[] {
  return parseEachLine(stdout, parseLsLine);
}

/** One line of `hdfs dfs -ls [-R]`: an entry, undefined for a blank or `Found N items` line; throws on anything else. */
export function parseLsLine(line: string): LsEntry | undefined {
  if (line.trim() === '' || /^Found \d+ items$/.test(line)) return undefined;
  const m = /^([d-])(\S{9})[+ ]?\s+(-|\d+)\s+(\S+)\s+(.*?)\s+(\d+)\s+(\d{4}-\d\d-\d\d \d\d:\d\d)\s(.+)$/.exec(line);
  if (!m) throw unparsable('hdfs dfs -ls', line);
  return {
    type: m[1] === 'd' ? 'dir' : 'file',
    permission: m[2]!,
    owner: m[4]!,
    group: m[5]!,
    length: Number(m[6]),
    modified: m[7]!,
    path: m[8]!,
  };
}

/** `-stat '%Y\t%n'` lines → [{ms, name}]. */
export function parseStatTimes(stdout: string): { modifiedMs: number; name: string }[] {
  return stdout
    .split('\n')
    .map((l) => /^(\d+)\t(.+)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ modifiedMs: Number(m[1]), name: m[2]! }));
}

export interface DistcpCounters {
  filesCopied: number;
  bytesCopied: number;
  bytesExpected: number;
  bytesSkipped: number;
  filesSkipped: number;
  filesFailed: number;
  bytesFailed: number;
  dirsCopied: number;
  /** Every counter of the last `Counters:` block by display name. */
  raw: Record<string, number>;
}

/**
 * The last `Counters: N` block of DistCp's stderr. Counters appear only when incremented, so a
 * missing one is 0 (an empty copy list has no `DistCp Counters` group at all).
 */
export function parseDistcpCounters(stderr: string): DistcpCounters {
  const at = stderr.lastIndexOf('Counters: ');
  const raw: Record<string, number> = {};
  if (at >= 0) {
    for (const line of stderr.slice(at).split('\n').slice(1)) {
      const m = /^\t\t(.+?)=(-?\d+)$/.exec(line);
      if (m) raw[m[1]!] = Number(m[2]);
      else if (!line.startsWith('\t')) break;
    }
  }
  const get = (...names: string[]): number => names.reduce((v, n) => v + (raw[n] ?? 0), 0);
  return {
    filesCopied: get('Files Copied'),
    bytesCopied: get('Bytes Copied'),
    bytesExpected: get('Bytes Expected'),
    bytesSkipped: get('Bytes Skipped'),
    filesSkipped: get('Files Skipped'),
    filesFailed: get('Files Failed'),
    bytesFailed: get('Bytes Failed'),
    dirsCopied: get('DIR_COPY'),
    raw,
  };
}

/** `INFO mapreduce.Job:  map 50% reduce 0%` → 50. */
export function parseMapProgress(line: string): number | undefined {
  const m = /\bmap (\d+)% reduce \d+%/.exec(line);
  return m ? Number(m[1]) : undefined;
}

/**
 * The YARN application a DistCp client submitted, from a line of its log: YarnClientImpl's
 * `Submitted application application_<ts>_<n>`, or DistCp's `DistCp job-id: job_<ts>_<n>` (a job
 * and its application share the cluster timestamp and sequence number).
 */
export function parseSubmittedApplication(line: string): string | undefined {
  const submitted = /\bSubmitted application (application_\d+_\d+)/.exec(line);
  if (submitted) return submitted[1];
  const job = /\bDistCp job-id: job_(\d+_\d+)/.exec(line);
  return job ? `application_${job[1]}` : undefined;
}

/** What `yarn application -kill` did (ApplicationCLI.killApplication's stdout). */
export type YarnKillOutcome = 'killed' | 'already-finished' | 'unknown';

/** ApplicationCLI: `Killing application X`, `Application X has already finished `, `Application with id 'X' doesn't exist in RM.` */
export function parseYarnKill(stdout: string, applicationId: string): YarnKillOutcome | undefined {
  if (stdout.includes(`Killing application ${applicationId}`)) return 'killed';
  if (stdout.includes(`Application ${applicationId} has already finished`)) return 'already-finished';
  if (stdout.includes(`Application with id '${applicationId}' doesn't exist in RM`)) return 'unknown';
  return undefined;
}

/** MIT `klist` run with TZ=UTC (see `hdfsCommands.klist`): the expiry of the krbtgt ticket (`MM/DD/YY[YY] HH:MM:SS` columns, UTC), undefined if not found. */
export function parseKlistExpiry(stdout: string): Date | undefined {
  for (const line of stdout.split('\n')) {
    const m = /^(\d\d)\/(\d\d)\/(\d\d(?:\d\d)?)\s+(\d\d:\d\d:\d\d)\s+(\d\d)\/(\d\d)\/(\d\d(?:\d\d)?)\s+(\d\d:\d\d:\d\d)\s+krbtgt\//.exec(
      line,
    );
    if (!m) continue;
    const year = m[7]!.length === 2 ? `20${m[7]}` : m[7]!;
    const date = new Date(`${year}-${m[5]}-${m[6]}T${m[8]}Z`);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return undefined;
}

/** `hadoop version` → `3.3.6` (first line `Hadoop 3.3.6`); undefined when the output says otherwise. */
export function parseHadoopVersion(stdout: string): string | undefined {
  return /^Hadoop (\d+\.\d+(?:\.\d+)?\S*)/m.exec(stdout)?.[1];
}

/**
 * Hadoop 2.7.x (HDP 2.6): DistCp `-diff` against a target modified since the snapshot silently
 * falls back to a plain `-update` (no deletes, no renames) and exits 0.
 */
export const isHadoop27 = (version: string | undefined): boolean => version !== undefined && /^2\.7(\.|$)/.test(version);
