// DistCpSync of the stand-in (-diff / -rdiff): its pre-checks, the renames and deletes it applies
// to the target, and the copy list it derives from the snapshot diff.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Cluster } from './cluster.js';
import { describeOptions, type DistcpOptions } from './distcp-options.js';
import { checkedWrite, excluded, fail, listTree, log, STACK, type CopyItem } from './distcp-support.js';
import { FsError } from './errors.js';
import { logLine, type Io } from './io.js';
import { resolvePath, type ResolvedPath } from './resolve.js';
import { meter } from './cost.js';
import type { DiffEntry } from './snapshot-diff.js';
import { diffStates } from './synthetic-diff.js';

/** DistCpSync: pre-checks, renames/deletes on the target, then the copy list from the diff. */
export function syncWithDiff(
  o: DistcpOptions,
  source: ResolvedPath,
  target: ResolvedPath,
  filters: RegExp[],
  io: Io,
): { snapshotSource: { local: string }; snapshotRoot: ResolvedPath; items: CopyItem[] } {
  const [from, to] = (o.diff ?? o.rdiff)!;
  const snapshotSourcePath = `${source.typed.replace(/\/$/, '')}/.snapshot/${to}`;
  const syncFailed = (): never =>
    fail(
      io,
      25,
      `${logLine('ERROR', 'tools.DistCp', 'Exception encountered')}java.lang.Exception: DistCp sync failed, input options: ${describeOptions(o, [resolvePath(snapshotSourcePath).qualified])}\n\tat org.apache.hadoop.tools.DistCp.prepareFileListing(DistCp.java:93)\n\tat org.apache.hadoop.tools.DistCp.createAndSubmitJob(DistCp.java:211)\n${STACK}`,
    );

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
  const targetChanges = diffStates(t, target.path, targetFrom, undefined);
  meter.listing(targetChanges.length);
  if (targetChanges.length > 0) {
    log(io, 'WARN', 'tools.DistCp', `The target has been modified since snapshot ${from}`);
    syncFailed();
  }
  // 4. Both snapshots must exist on the diffed directory (source for -diff, target for -rdiff).
  const diffed = o.diff ? source : target;
  const snapFrom = diffed.cluster.snapshot(diffed.path, from);
  const snapTo = diffed.cluster.snapshot(diffed.path, to);
  const copyFrom = source.cluster.snapshot(source.path, to);
  if (!snapFrom || !snapTo || !copyFrom) {
    fail(
      io,
      255,
      `${logLine('ERROR', 'tools.DistCp', 'Invalid input:')}org.apache.hadoop.tools.CopyListing$InvalidInputException: Input snapshot is not found\n\tat org.apache.hadoop.tools.DistCpSync.preSyncCheck(DistCpSync.java:122)\n${STACK}`,
    );
  }
  // 5. Order by snapshot creation time.
  if (o.diff && snapFrom!.createdMs > snapTo!.createdMs) {
    fail(
      io,
      25,
      `${logLine('ERROR', 'tools.DistCp', 'Exception encountered')}org.apache.hadoop.HadoopIllegalArgumentException: Snapshot ${to} should be newer than ${from}\n\tat org.apache.hadoop.tools.DistCpSync.preSyncCheck(DistCpSync.java:137)\n${STACK}`,
    );
  }
  if (o.rdiff && snapFrom!.createdMs < snapTo!.createdMs) {
    fail(
      io,
      25,
      `${logLine('ERROR', 'tools.DistCp', 'Exception encountered')}org.apache.hadoop.HadoopIllegalArgumentException: Snapshot ${from} should be newer than ${to}\n\tat org.apache.hadoop.tools.DistCpSync.preSyncCheck(DistCpSync.java:137)\n${STACK}`,
    );
  }
  const diff = diffStates(diffed.cluster, diffed.path, snapFrom, snapTo);
  meter.listing(diff.length);
  const entries = applyFilters(diff, filters);
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
    if (e.type === 'CREATE' && e.isDir && existsSync(join(local, e.laterPath)))
      for (const item of listTree(join(local, e.laterPath), e.laterPath, filters, false, `${source.qualified}/.snapshot/${to}`))
        items.set(item.rel, item);
    else items.set(e.laterPath, { rel: e.laterPath, isDir: e.isDir, ...(e.type === 'CREATE' && e.isDir ? { expand: true } : {}) });
  }
  return {
    snapshotSource: { local },
    snapshotRoot: resolvePath(snapshotSourcePath),
    items: [...items.values()].sort((a, b) => (a.rel < b.rel ? -1 : 1)),
  };
}

/** -filters on diff entries (HDFS-14869 / HADOOP-18096 semantics for renames). */
export function applyFilters(entries: DiffEntry[], filters: RegExp[]): DiffEntry[] {
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
export function applyRenamesAndDeletes(cluster: Cluster, root: string, entries: DiffEntry[]): void {
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
