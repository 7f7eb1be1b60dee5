// Pure builders of every hdfs / hadoop command hmsdr issues: `plan` prints them, the adapter runs them.
import type { Command } from '../../actions/command.js';

/** How Hadoop commands are invoked on one site (from the config's `<site>.hdfs` and `nameNode`). */
export interface HdfsSiteSpec {
  /** Site name for messages (`source`, `dr`). */
  readonly label: string;
  /** `hdfs://prodns` — every path hmsdr passes is qualified with it. */
  readonly nameNode: string;
  readonly hdfsBin: string;
  readonly hadoopBin: string;
  /** The yarn executable; by default `yarn` beside hadoopBin (both in $HADOOP_HOME/bin), else on PATH. */
  readonly yarnBin?: string | undefined;
  readonly env: Readonly<Record<string, string>>;
  /** Names in `env` whose values are secrets: printed as `NAME=***`, sent over SSH on stdin. */
  readonly secretEnv?: readonly string[] | undefined;
  readonly kerberos?: { principal: string; keytab: string; kinitBin: string; minTicketLifetimeMinutes: number } | undefined;
}

/** The site's environment for a command, its secret names marked (printed as NAME=***). */
function toolEnv(site: HdfsSiteSpec, extra: Record<string, string> = {}): Pick<Command, 'env' | 'secretEnv'> {
  const secret = (site.secretEnv ?? []).filter((name) => !(name in extra));
  return { env: { ...site.env, ...extra }, ...(secret.length > 0 ? { secretEnv: secret } : {}) };
}

/** `hdfs://prodns` + `/data/src` → `hdfs://prodns/data/src` (already qualified paths pass through). */
export function qualify(site: HdfsSiteSpec, path: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(path)) return path;
  return `${site.nameNode.replace(/\/$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

/** Characters Hadoop reads as a glob in a path argument (GlobPattern): paths with them are never generated into one. */
export const HADOOP_GLOB_CHARS = /[*?[\]{}\\]/;

/** `<dir>/.snapshot/<name>`. */
export function snapshotPath(dir: string, name: string): string {
  return `${dir.replace(/\/$/, '')}/.snapshot/${name}`;
}

/** JVM flags that make a Hadoop client read and print paths as UTF-8 whatever the locale. */
export const UTF8_JVM_FLAGS = '-Dfile.encoding=UTF-8 -Dsun.jnu.encoding=UTF-8';

/**
 * What every Hadoop client process gets on top of the site's env: a UTF-8 locale (cron and
 * `env -i` give none, and the JVM then turns non-ASCII path names into `?`) unless the site sets
 * its own, and the JVM's encodings appended to the site's HADOOP_CLIENT_OPTS.
 */
export function utf8Env(site: HdfsSiteSpec): Record<string, string> {
  const opts = site.env.HADOOP_CLIENT_OPTS ?? '';
  return {
    ...(site.env.LC_ALL ? {} : { LC_ALL: 'C.UTF-8' }),
    HADOOP_CLIENT_OPTS: opts.includes('-Dfile.encoding=') ? opts : `${opts} ${UTF8_JVM_FLAGS}`.trim(),
  };
}

/** The whole environment of a Hadoop client process (the site's, then utf8Env). */
export const hadoopEnv = (site: HdfsSiteSpec): Record<string, string> => ({ ...site.env, ...utf8Env(site) });

function hdfs(site: HdfsSiteSpec, args: string[]): Command {
  return { file: site.hdfsBin, args, ...toolEnv(site, utf8Env(site)) };
}

/** Generic option that points commands without a path argument at the site's file system. */
const defaultFs = (site: HdfsSiteSpec): string[] => ['-D', `fs.defaultFS=${site.nameNode}`];

export const hdfsCommands = {
  allowSnapshot: (site: HdfsSiteSpec, dir: string): Command =>
    hdfs(site, ['dfsadmin', ...defaultFs(site), '-allowSnapshot', qualify(site, dir)]),
  createSnapshot: (site: HdfsSiteSpec, dir: string, name: string): Command =>
    hdfs(site, ['dfs', '-createSnapshot', qualify(site, dir), name]),
  deleteSnapshot: (site: HdfsSiteSpec, dir: string, name: string): Command =>
    hdfs(site, ['dfs', '-deleteSnapshot', qualify(site, dir), name]),
  /** `hdfs dfs -renameSnapshot <dir> <old> <new>`: keeps a snapshot's content under another name. */
  renameSnapshot: (site: HdfsSiteSpec, dir: string, from: string, to: string): Command =>
    hdfs(site, ['dfs', '-renameSnapshot', qualify(site, dir), from, to]),
  lsSnapshottableDir: (site: HdfsSiteSpec): Command => hdfs(site, ['lsSnapshottableDir', ...defaultFs(site)]),
  /** `to`/`from` = snapshot name or `.` for the current state. */
  snapshotDiff: (site: HdfsSiteSpec, dir: string, from: string, to: string): Command =>
    hdfs(site, ['snapshotDiff', ...defaultFs(site), qualify(site, dir), from, to]),
  listDir: (site: HdfsSiteSpec, dir: string): Command => hdfs(site, ['dfs', '-ls', qualify(site, dir)]),
  cat: (site: HdfsSiteSpec, path: string): Command => hdfs(site, ['dfs', '-cat', qualify(site, path)]),
  listRecursive: (site: HdfsSiteSpec, dir: string): Command => hdfs(site, ['dfs', '-ls', '-R', qualify(site, dir)]),
  /** `-ls [-R] <dir>…`: several directories (or subtrees) in one process, printed one after the other. */
  listMany: (site: HdfsSiteSpec, dirs: readonly string[], recursive: boolean): Command =>
    hdfs(site, ['dfs', '-ls', ...(recursive ? ['-R'] : []), ...dirs.map((d) => qualify(site, d))]),
  /** Modification time in ms and name of each path (`%Y\t%n`). */
  statTimes: (site: HdfsSiteSpec, paths: readonly string[]): Command =>
    hdfs(site, ['dfs', '-stat', '%Y\t%n', ...paths.map((p) => qualify(site, p))]),
  test: (site: HdfsSiteSpec, flag: '-e' | '-d' | '-f', path: string): Command => hdfs(site, ['dfs', '-test', flag, qualify(site, path)]),
  mkdirs: (site: HdfsSiteSpec, dir: string): Command => hdfs(site, ['dfs', '-mkdir', '-p', qualify(site, dir)]),
  /** `-put -f - <path>`: the file's content comes on stdin (one process, no temp file on the edge node). */
  putStdin: (site: HdfsSiteSpec, path: string): Command => hdfs(site, ['dfs', '-put', '-f', '-', qualify(site, path)]),
  /** `-count [-x] p1 p2 ...`: one process for many paths (L4 batches). */
  count: (site: HdfsSiteSpec, paths: readonly string[], excludeSnapshots = true): Command =>
    hdfs(site, ['dfs', '-count', ...(excludeSnapshots ? ['-x'] : []), ...paths.map((p) => qualify(site, p))]),
  checksum: (site: HdfsSiteSpec, paths: readonly string[], composite: boolean): Command =>
    hdfs(site, [
      'dfs',
      ...(composite ? ['-D', 'dfs.checksum.combine.mode=COMPOSITE_CRC'] : []),
      '-checksum',
      ...paths.map((p) => qualify(site, p)),
    ]),
  /** `hadoop version`: the first line is `Hadoop <x.y.z>` (preflight records it; 2.7 changes what DistCp -diff does). */
  hadoopVersion: (site: HdfsSiteSpec): Command => ({ file: site.hadoopBin, args: ['version'], ...toolEnv(site, utf8Env(site)) }),
  kinit: (site: HdfsSiteSpec): Command | undefined =>
    site.kerberos && { file: site.kerberos.kinitBin, args: ['-kt', site.kerberos.keytab, site.kerberos.principal], ...toolEnv(site) },
  /** In UTC and the C locale, whatever the host's zone and language: `parseKlistExpiry` reads UTC `MM/DD/YY HH:MM:SS`. */
  klist: (site: HdfsSiteSpec): Command => ({ file: 'klist', args: [], ...toolEnv(site, { TZ: 'UTC', LC_ALL: 'C' }) }),
};

export type DistcpMode = 'full' | 'diff' | 'rdiff';

/** One DistCp invocation, as the driver decides it. */
export interface DistcpSpec {
  mode: DistcpMode;
  /** -diff <from> <to> / -rdiff <from> <to>. */
  from?: string;
  to?: string;
  /** Qualified source (a snapshot path for full copies) and target. */
  source: string;
  target: string;
  /** Hadoop generic options `-D<key>=<value>`, in this order, before every DistCp option. */
  properties?: ReadonlyArray<readonly [string, string]>;
  /** `-pb` etc.; empty: no -p. */
  preserve: string;
  maps: number;
  bandwidthMBPerMap?: number | undefined;
  strategy?: 'uniformsize' | 'dynamic' | undefined;
  /** -skipcrccheck. */
  skipCrc?: boolean;
  /** -i: go on past failed files (counted and logged as FAIL lines in the -log directory). */
  ignoreFailures?: boolean;
  /** -log <dir>: the job's log (map output) directory on the target file system. */
  logDir?: string | undefined;
  filtersFile?: string | undefined;
  /** Full copies only: -delete, so a re-run converges on the source snapshot. */
  deleteMissing?: boolean;
  extraArgs: readonly string[];
}

/** The arguments of `hadoop distcp` for a spec: generic -D options first, then DistCp's own, then the paths. */
export function distcpArgs(spec: DistcpSpec): string[] {
  const args = ['distcp', ...(spec.properties ?? []).map(([key, value]) => `-D${key}=${value}`), '-update'];
  if (spec.mode === 'full' && spec.deleteMissing) args.push('-delete');
  if (spec.mode !== 'full') args.push(spec.mode === 'diff' ? '-diff' : '-rdiff', spec.from ?? '', spec.to ?? '');
  if (spec.preserve !== '') args.push(spec.preserve);
  args.push('-m', String(spec.maps));
  if (spec.bandwidthMBPerMap !== undefined) args.push('-bandwidth', String(spec.bandwidthMBPerMap));
  if (spec.strategy !== undefined) args.push('-strategy', spec.strategy);
  if (spec.skipCrc) args.push('-skipcrccheck');
  if (spec.ignoreFailures) args.push('-i');
  if (spec.logDir !== undefined) args.push('-log', spec.logDir);
  if (spec.filtersFile !== undefined) args.push('-filters', spec.filtersFile);
  args.push(...spec.extraArgs, spec.source, spec.target);
  return args;
}

/** `hadoop distcp -update ...` for a spec (run on the site that runs the MR job, normally DR). */
export function distcpCommand(site: HdfsSiteSpec, spec: DistcpSpec): Command {
  return { file: site.hadoopBin, args: distcpArgs(spec), ...toolEnv(site, utf8Env(site)) };
}

/** The site's yarn executable: yarnBin, else `yarn` in hadoopBin's directory, else `yarn` on PATH. */
export function yarnBin(site: HdfsSiteSpec): string {
  if (site.yarnBin !== undefined) return site.yarnBin;
  const slash = site.hadoopBin.lastIndexOf('/');
  return slash < 0 ? 'yarn' : `${site.hadoopBin.slice(0, slash)}/yarn`;
}

/**
 * `yarn application -kill <id>`: ends a DistCp job still running on YARN. Killing the `hadoop
 * distcp` client does not: once the job is submitted, DistCp's shutdown hook leaves it running.
 */
export function yarnKillCommand(site: HdfsSiteSpec, applicationId: string): Command {
  return { file: yarnBin(site), args: ['application', '-kill', applicationId], ...toolEnv(site, utf8Env(site)) };
}

/** Write `text` (on stdin) to a local file of the host the site's commands run on (DistCp reads -filters locally). */
export function writeLocalFileCommand(site: HdfsSiteSpec, path: string): Command {
  return { file: 'sh', args: ['-c', 'umask 022 && mkdir -p -- "$(dirname -- "$1")" && cat > "$1"', 'sh', path], ...toolEnv(site) };
}
