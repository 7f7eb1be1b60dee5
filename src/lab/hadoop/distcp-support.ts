// Shared by the stand-in's distcp phases: the copy list, log lines, Java-style failures and write checks.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster } from './cluster.js';
import { FsError, HadoopExit } from './errors.js';
import { takeFault } from './faults.js';
import { logLine, type Io } from './io.js';
import { standinRoot } from './resolve.js';

export interface CopyItem {
  rel: string;
  isDir: boolean;
  /** A directory the diff created that exists only in a synthetic namespace: copy its whole subtree. */
  expand?: boolean;
}

export const log = (io: Io, level: 'INFO' | 'WARN' | 'ERROR', logger: string, message: string): void =>
  io.err(logLine(level, logger, message));

export const STACK =
  '\tat org.apache.hadoop.tools.DistCp.run(DistCp.java:143)\n\tat org.apache.hadoop.util.ToolRunner.run(ToolRunner.java:81)\n\tat org.apache.hadoop.tools.DistCp.main(DistCp.java:441)\n';

export function fail(io: Io, code: number, lines: string): never {
  io.err(lines);
  throw new HadoopExit(code);
}

export function loadFilters(file: string | undefined): RegExp[] {
  if (!file) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => new RegExp(`^(?:${l})$`));
}

/** DistCpSync's test: `/` + the path relative to the snapshot root. */
export const excluded = (filters: RegExp[], rel: string): boolean => filters.some((f) => f.test(`/${rel}`));

/** The copy listing's (and -delete's) test: the full qualified path (RegexCopyFilter.shouldCopy(path)). */
export const excludedPath = (filters: RegExp[], qualified: string): boolean => filters.some((f) => f.test(qualified));

/**
 * Every file and directory under `local` (relative paths); the root itself only when `withRoot`.
 * Like SimpleCopyListing, each path is tested on its own against its full qualified path
 * (`qualifiedRoot` + `/` + relative path): an excluded directory is still traversed.
 */
export function listTree(local: string, rel: string, filters: RegExp[], skipRoot: boolean, qualifiedRoot: string): CopyItem[] {
  const items: CopyItem[] = [];
  const root = qualifiedRoot.replace(/\/+$/, '');
  const visit = (path: string, r: string): void => {
    const isDir = lstatSync(path).isDirectory();
    const out = r !== '' && excludedPath(filters, `${root}/${r}`);
    if (!(r === '' && skipRoot) && !out) items.push({ rel: r, isDir });
    if (isDir) for (const name of readdirSync(path).sort()) visit(join(path, name), r === '' ? name : `${r}/${name}`);
  };
  visit(local, rel);
  return items;
}

export function checkedWrite(cluster: Cluster, path: string): string {
  const local = cluster.writable(path);
  const fault = takeFault(standinRoot(), 'permissionDenied', (f) => path === f.pathPrefix || path.startsWith(f.pathPrefix + '/'));
  if (fault)
    throw new FsError(
      `Permission denied: user=${process.env.HADOOP_USER_NAME ?? 'hdfs'}, access=WRITE, inode="${path}":hdfs:supergroup:drwxr-xr-x`,
      'org.apache.hadoop.security.AccessControlException',
    );
  return local;
}
