// The HDFS port: snapshot bookkeeping, listings, counts, checksums and DistCp through an Executor
// (local or an edge node over SSH). Decides on exit codes only; parses stdout as documented.
import { AdapterError } from '../../errors/errors.js';
import { secretEnvNames } from '../../util/secrets.js';
import type { Executor } from '../executor.js';
import type { Command } from '../../actions/command.js';
import { CommandFailedError, tail, type CommandResult } from '../process/run-command.js';
import {
  HADOOP_GLOB_CHARS,
  hdfsCommands,
  qualify,
  snapshotPath,
  writeLocalFileCommand,
  type DistcpSpec,
  type HdfsSiteSpec,
} from './commands.js';
import { killApplication, runDistcp } from './distcp-job.js';
import { forEachLine, readListing } from './listing-stream.js';
import {
  parseChecksumLine,
  parseCount,
  parseHadoopVersion,
  parseKlistExpiry,
  parseLs,
  SnapshotDiffParser,
  parseSnapshottableDirs,
  parseStatTimes,
  type ChecksumRow,
  type CountRow,
  type LsEntry,
  type SnapshotDiffReport,
  type SnapshottableDir,
  type YarnKillOutcome,
} from './parse.js';

export type { CallOptions, DistcpOutcome, HdfsPort, SnapshotInfo } from './port.js';
import type { CallOptions, DistcpOutcome, HdfsPort, SnapshotInfo } from './port.js';

const DEFAULT_BATCH = 200;
/** `-checksum` batches: thousands of paths per JVM, bounded by the bytes of the command line. */
export const CHECKSUM_BATCH = 2000;
/**
 * Argument text on one command line at most. Over SSH the whole command is one argument of the
 * remote `$SHELL -c`, and Linux refuses a single argument over 128 KiB (E2BIG, "Argument list too
 * long"); what is left is room for the environment exports and the quoting.
 */
export const MAX_ARGV_BYTES = 96 * 1024;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Batches of at most `size` paths and MAX_ARGV_BYTES of argument text (a command line has a limit). */
export function argvChunks(paths: readonly string[], size: number, bytesOf: (p: string) => number): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const p of paths) {
    const b = bytesOf(p) + 1;
    if (current.length > 0 && (current.length >= size || bytes + b > MAX_ARGV_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(p);
    bytes += b;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** A port's `-ls -R` as a stream (the whole listing at once from ports without one, e.g. test fakes). */
export async function* streamListing(port: HdfsPort, dir: string, options: CallOptions = {}): AsyncGenerator<LsEntry> {
  if (port.listRecursiveStream) yield* port.listRecursiveStream(dir, options);
  else yield* await port.listRecursive(dir, options);
}

/** `-test -d` through the port (`exists` for ports without it). */
export function isDirectory(port: HdfsPort, path: string, options: CallOptions = {}): Promise<boolean> {
  return port.isDirectory ? port.isDirectory(path, options) : port.exists(path, options);
}

/** An Executor, or a way to open one on first use (an SSH connection). */
export type ExecutorSource = Executor | { readonly where: Executor['where']; open: () => Promise<Executor> };

export class HdfsCli implements HdfsPort {
  private ticket: Promise<void> | undefined;
  private opened: Promise<Executor> | undefined;

  constructor(
    readonly site: HdfsSiteSpec,
    private readonly source: ExecutorSource,
    /** The local clock, ms since the epoch (tests pin it to read a ticket's lifetime exactly). */
    private readonly now: () => number = Date.now,
  ) {}

  get where(): Executor['where'] {
    return this.source.where;
  }

  private executor(): Promise<Executor> {
    if ('run' in this.source) return Promise.resolve(this.source);
    this.opened ??= this.source.open();
    this.opened.catch(() => {
      this.opened = undefined;
    });
    return this.opened;
  }

  /** kinit once per adapter when Kerberos is configured. */
  private ensureTicket(options: CallOptions): Promise<void> {
    const kinit = hdfsCommands.kinit(this.site);
    if (!kinit) return Promise.resolve();
    this.ticket ??= this.executor()
      .then((executor) => executor.run(kinit, { signal: options.signal }))
      .then(
        () => undefined,
        (error: unknown) => {
          this.ticket = undefined;
          const { keytab, principal } = this.site.kerberos!;
          const where = this.where === 'local' ? 'this machine' : this.where.host;
          const stderr = error instanceof CommandFailedError ? tail(error.stderr, 3) : '';
          const why = stderr || (error instanceof Error ? error.message : String(error));
          throw new AdapterError(
            'E_KERBEROS',
            `kinit -kt ${keytab} ${principal} on the ${this.site.label} site (${where}) failed: ${why}`,
            {
              cause: error,
              hint: `check that the keytab ${keytab} exists on ${where}, is readable, and holds keys for ${principal} (klist -kt ${keytab})`,
            },
          );
        },
      );
    return this.ticket;
  }

  private async run(command: Command, options: CallOptions & { input?: string } = {}): Promise<CommandResult> {
    await this.ensureTicket(options);
    return (await this.executor()).run(command, {
      signal: options.signal,
      ...(options.input === undefined ? {} : { input: options.input }),
    });
  }

  /** Each line of `command`'s stdout as it prints (forEachLine in listing-stream.ts). */
  private async streamLines(command: Command, options: CallOptions, onLine: (line: string) => void): Promise<void> {
    await this.ensureTicket(options);
    await forEachLine(async (signal) => (await this.executor()).stream(command, { signal }), options.signal, onLine);
  }

  private async runAnyExit(command: Command, options: CallOptions = {}): Promise<CommandResult> {
    await this.ensureTicket(options);
    return (await this.executor()).runAnyExit(command, { signal: options.signal });
  }

  async snapshottableDirs(options: CallOptions = {}): Promise<SnapshottableDir[]> {
    return parseSnapshottableDirs((await this.run(hdfsCommands.lsSnapshottableDir(this.site), options)).stdout);
  }

  async exists(path: string, options: CallOptions = {}): Promise<boolean> {
    const result = await this.runAnyExit(hdfsCommands.test(this.site, '-e', path), options);
    if (result.exitCode === 0) return true;
    if (result.exitCode === 1) return false;
    throw new AdapterError('E_HDFS', `hdfs dfs -test -e ${qualify(this.site, path)} exited with code ${result.exitCode}`, {
      stderrTail: tail(result.stderr),
    });
  }

  async summary(path: string, options: CallOptions = {}): Promise<CountRow | undefined> {
    const { found } = await this.countMany([path], options);
    return found.get(path);
  }

  async listSnapshots(dir: string, options: CallOptions = {}): Promise<SnapshotInfo[]> {
    const listing = parseLs((await this.run(hdfsCommands.listDir(this.site, `${dir.replace(/\/$/, '')}/.snapshot`), options)).stdout);
    const names = listing.filter((e) => e.type === 'dir').map((e) => e.path.slice(e.path.lastIndexOf('/') + 1));
    if (names.length === 0) return [];
    const paths = names.map((n) => snapshotPath(dir, n));
    const times = parseStatTimes((await this.run(hdfsCommands.statTimes(this.site, paths), options)).stdout);
    const byName = new Map(times.map((t) => [t.name, t.modifiedMs]));
    return names
      .map((name) => ({ name, createdMs: byName.get(name) ?? 0 }))
      .sort((a, b) => a.createdMs - b.createdMs || (a.name < b.name ? -1 : 1));
  }

  async putText(path: string, text: string, options: CallOptions = {}): Promise<void> {
    await this.run(hdfsCommands.putStdin(this.site, path), { ...options, input: text });
  }

  async readText(path: string, options: CallOptions = {}): Promise<string | undefined> {
    if (!(await this.exists(path, options))) return undefined;
    return (await this.run(hdfsCommands.cat(this.site, path), options)).stdout;
  }

  async writeLocalFile(path: string, text: string, options: CallOptions = {}): Promise<void> {
    await (await this.executor()).run(writeLocalFileCommand(this.site, path), { signal: options.signal, input: text });
  }

  async allowSnapshot(dir: string, options: CallOptions = {}): Promise<void> {
    await this.run(hdfsCommands.allowSnapshot(this.site, dir), options);
  }

  async createSnapshot(dir: string, name: string, options: CallOptions = {}): Promise<void> {
    await this.run(hdfsCommands.createSnapshot(this.site, dir, name), options);
  }

  async deleteSnapshot(dir: string, name: string, options: CallOptions = {}): Promise<void> {
    await this.run(hdfsCommands.deleteSnapshot(this.site, dir, name), options);
  }

  async renameSnapshot(dir: string, from: string, to: string, options: CallOptions = {}): Promise<void> {
    await this.run(hdfsCommands.renameSnapshot(this.site, dir, from, to), options);
  }

  async mkdirs(dir: string, options: CallOptions = {}): Promise<void> {
    await this.run(hdfsCommands.mkdirs(this.site, dir), options);
  }

  async snapshotDiff(dir: string, from: string, to: string, options: CallOptions = {}): Promise<SnapshotDiffReport> {
    // Parsed as it prints, not buffered: a day's diff of a busy warehouse is millions of lines.
    const parser = new SnapshotDiffParser();
    await this.streamLines(hdfsCommands.snapshotDiff(this.site, dir, from, to), options, (line) => parser.line(line));
    return parser.report();
  }

  async countMany(
    paths: readonly string[],
    options: CallOptions & { batchSize?: number; onBatch?: (done: number, total: number) => void } = {},
  ): Promise<{ found: Map<string, CountRow>; missing: string[] }> {
    const found = new Map<string, CountRow>();
    let done = 0;
    for (const batch of chunks(paths, options.batchSize ?? DEFAULT_BATCH)) {
      const result = await this.runAnyExit(hdfsCommands.count(this.site, batch), options);
      // Exit 1 = some path failed (missing); the rows printed are still valid. Anything else is an error.
      if (result.exitCode !== 0 && result.exitCode !== 1) {
        throw new AdapterError('E_HDFS', `hdfs dfs -count exited with code ${result.exitCode}`, { stderrTail: tail(result.stderr) });
      }
      const byQualified = new Map(parseCount(result.stdout).map((row) => [row.path, row]));
      for (const path of batch) {
        const row = byQualified.get(qualify(this.site, path));
        if (row) found.set(path, { ...row, path });
      }
      done += batch.length;
      options.onBatch?.(done, paths.length);
    }
    const missing = paths.filter((p) => !found.has(p));
    // `-count` exits 1 both for a missing path and for an unreachable NameNode: tell them apart.
    if (missing.length > 0) await this.assertReachable(options);
    return { found, missing };
  }

  /**
   * `-test -d /` (one getFileInfo on the NameNode, where `-count /` would walk the whole file
   * system): a command that exited 1 for a missing path is told apart from an unreachable NameNode.
   */
  private async assertReachable(options: CallOptions): Promise<void> {
    const root = await this.runAnyExit(hdfsCommands.test(this.site, '-d', '/'), options);
    if (root.exitCode !== 0) {
      throw new AdapterError(
        'E_HDFS_UNREACHABLE',
        `the ${this.site.label} file system ${this.site.nameNode} does not answer (hdfs dfs -test -d / exited ${root.exitCode})`,
        {
          stderrTail: tail(root.stderr),
          hint: `check the NameNode of ${this.site.nameNode} (hdfs haadmin -getAllServiceState) and the client configuration, then resume`,
        },
      );
    }
  }

  async hadoopVersion(options: CallOptions = {}): Promise<string | undefined> {
    return parseHadoopVersion((await this.run(hdfsCommands.hadoopVersion(this.site), options)).stdout);
  }

  async isDirectory(path: string, options: CallOptions = {}): Promise<boolean> {
    const result = await this.runAnyExit(hdfsCommands.test(this.site, '-d', path), options);
    if (result.exitCode === 0) return true;
    if (result.exitCode !== 1) {
      throw new AdapterError('E_HDFS', `hdfs dfs -test -d ${qualify(this.site, path)} exited with code ${result.exitCode}`, {
        stderrTail: tail(result.stderr),
      });
    }
    await this.assertReachable(options);
    return false;
  }

  async checksums(
    paths: readonly string[],
    options: CallOptions & { composite?: boolean; batchSize?: number } = {},
  ): Promise<Map<string, ChecksumRow>> {
    const out = new Map<string, ChecksumRow>();
    const bytesOf = (p: string): number => Buffer.byteLength(qualify(this.site, p));
    for (const batch of argvChunks(paths, options.batchSize ?? CHECKSUM_BATCH, bytesOf)) {
      // Parsed as it prints: tens of thousands of rows per process, no buffered copy of the output.
      const rows: ChecksumRow[] = [];
      const command = hdfsCommands.checksum(this.site, batch, options.composite ?? true);
      await this.streamLines(command, options, (line) => {
        const row = parseChecksumLine(line);
        if (row) rows.push(row);
      });
      const byQualified = new Map(rows.map((row) => [row.path, row]));
      // The parsed rows are this call's own: keyed back in the caller's form in place, not copied
      // (tens of thousands per batch).
      const taken = new Set<ChecksumRow>();
      const globs: string[] = [];
      for (const path of batch) {
        if (HADOOP_GLOB_CHARS.test(path)) {
          globs.push(path);
          continue;
        }
        const row = byQualified.get(qualify(this.site, path));
        if (row) {
          taken.add(row);
          row.path = path;
          out.set(path, row);
        }
      }
      if (globs.length > 0) {
        // A pattern's matches: Hadoop prints each file in the form typed (qualified here), keyed
        // back in the caller's form.
        const nameNode = qualify(this.site, '/').slice(0, -1);
        const unqualified = !/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(globs[0]!);
        for (const row of rows) {
          if (taken.has(row)) continue;
          row.path = unqualified && row.path.startsWith(`${nameNode}/`) ? row.path.slice(nameNode.length) : row.path;
          out.set(row.path, row);
        }
      }
    }
    return out;
  }

  async listRecursive(dir: string, options: CallOptions = {}): Promise<LsEntry[]> {
    return parseLs((await this.run(hdfsCommands.listRecursive(this.site, dir), options)).stdout);
  }

  listRecursiveStream(dir: string, options: CallOptions = {}): AsyncIterable<LsEntry> {
    return this.streamLs(hdfsCommands.listRecursive(this.site, dir), [dir], options);
  }

  listManyStream(dirs: readonly string[], options: CallOptions & { recursive?: boolean } = {}): AsyncIterable<LsEntry> {
    const recursive = options.recursive ?? false;
    return this.streamLs(hdfsCommands.listMany(this.site, dirs, recursive), dirs, options, recursive ? undefined : 'hdfs dfs -ls');
  }

  /** An `-ls` of `dirs` read as it prints; an empty listing is checked against `-count` of them all. */
  private streamLs(command: Command, dirs: readonly string[], options: CallOptions, label?: string): AsyncIterable<LsEntry> {
    return readListing(
      {
        root: dirs.map((d) => qualify(this.site, d)).join(' '),
        ...(label ? { label } : {}),
        start: async (signal) => {
          await this.ensureTicket(options);
          return (await this.executor()).stream(command, { signal });
        },
        countRoot: async () => {
          const result = await this.runAnyExit(hdfsCommands.count(this.site, dirs, false), options);
          if (result.exitCode !== 0) return undefined;
          const rows = parseCount(result.stdout);
          // The roots themselves count as one directory, as for a single root.
          return { dirs: rows.reduce((n, r) => n + r.dirs, 0) - rows.length + 1, files: rows.reduce((n, r) => n + r.files, 0) };
        },
      },
      options.signal,
    );
  }

  async distcp(
    spec: DistcpSpec,
    options: CallOptions & { onProgress?: (percent: number, line: string) => void; onStderr?: (chunk: string) => void } = {},
  ): Promise<DistcpOutcome> {
    await this.ensureTicket(options);
    return runDistcp(await this.executor(), this.site, spec, options);
  }

  async killApplication(applicationId: string, options: CallOptions = {}): Promise<YarnKillOutcome> {
    await this.ensureTicket(options);
    return killApplication(await this.executor(), this.site, applicationId, options);
  }

  async ticketSecondsLeft(options: CallOptions = {}): Promise<number | undefined> {
    if (!this.site.kerberos) return undefined;
    await this.ensureTicket(options);
    const result = await (await this.executor()).runAnyExit(hdfsCommands.klist(this.site), { signal: options.signal });
    if (result.exitCode !== 0) return 0;
    const expiry = parseKlistExpiry(result.stdout);
    return expiry === undefined ? undefined : Math.floor((expiry.getTime() - this.now()) / 1000);
  }
}

/** Both sides' HDFS, as steps see them. */
export interface HdfsPorts {
  readonly source: HdfsPort;
  readonly dr: HdfsPort;
}

interface SiteConfig {
  nameNode: string;
  hdfs: {
    hdfsBin: string;
    hadoopBin: string;
    yarnBin?: string | undefined;
    env: Record<string, string>;
    publicEnv?: readonly string[] | undefined;
    kerberos?: HdfsSiteSpec['kerberos'];
  };
}

export function siteSpec(label: string, site: SiteConfig): HdfsSiteSpec {
  return {
    label,
    nameNode: site.nameNode,
    hdfsBin: site.hdfs.hdfsBin,
    hadoopBin: site.hdfs.hadoopBin,
    ...(site.hdfs.yarnBin !== undefined ? { yarnBin: site.hdfs.yarnBin } : {}),
    env: site.hdfs.env,
    secretEnv: secretEnvNames(site.hdfs.env, site.hdfs.publicEnv),
    kerberos: site.hdfs.kerberos,
  };
}

/** The HDFS ports of a config, given the executor of each site (local, or SSH when `hdfs.via: ssh`). */
export function createHdfsPorts(
  config: { source: SiteConfig; dr: SiteConfig },
  executors: { source: ExecutorSource; dr: ExecutorSource },
): HdfsPorts {
  return {
    source: new HdfsCli(siteSpec('source', config.source), executors.source),
    dr: new HdfsCli(siteSpec('dr', config.dr), executors.dr),
  };
}
