// The lab's HDFS stand-in trees (layout of src/lab/hadoop/cluster.ts: the live namespace of a
// cluster is `<root>/<authority>/`, its metadata `<root>/.standin/<authority>/`). Files are written
// directly, which is what makes thousands of partitions take well under a second; snapshottable
// directories go through the stand-in's own Cluster, exactly as `hdfs dfsadmin -allowSnapshot`.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cluster, normalisePath } from './hadoop/cluster.js';

export const DATA_FILE = '000000_0';

/** `hdfs://nn1.prod:8020` → `nn1.prod:8020`. */
export function authorityOf(nameNode: string): string {
  const match = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/]+)/.exec(nameNode);
  if (!match) throw new Error(`not a scheme://authority: ${nameNode}`);
  return match[1]!;
}

/** The local directory of an `hdfs://authority/path` URI under the stand-in root, or undefined for another authority. */
export function localPathOf(root: string, nameNode: string, uri: string): string | undefined {
  const prefix = nameNode.replace(/\/$/, '');
  if (uri !== prefix && !uri.startsWith(prefix + '/')) return undefined;
  return join(root, authorityOf(nameNode), normalisePath(uri.slice(prefix.length) || '/'));
}

/** A small deterministic data file (size 512..2559 bytes, derived from the URI and `generation`). */
export function dataFileContent(uri: string, generation = 0): Buffer {
  const digest = createHash('sha256').update(`${uri}#${generation}`).digest();
  const size = 512 + (digest.readUInt16BE(0) % 2048);
  const line = Buffer.from(`hmsdr lab data ${uri} generation ${generation} ${digest.toString('hex')}\n`);
  const out = Buffer.alloc(size);
  for (let at = 0; at < size; at += line.length) line.copy(out, at, 0, Math.min(line.length, size - at));
  return out;
}

export interface PopulateResult {
  directories: number;
  files: number;
  bytes: number;
}

/**
 * Create a directory for every location of `nameNode` and a data file in every leaf location
 * (one that holds no other location: partitions, unpartitioned tables, skewed value dirs), plus
 * every extra file URI (function resources).
 */
export function populateTree(
  root: string,
  nameNode: string,
  locations: readonly string[],
  extraFiles: readonly string[] = [],
): PopulateResult {
  const mine = [...new Set(locations.map((l) => l.replace(/\/+$/, '')))].filter((l) => localPathOf(root, nameNode, l) !== undefined).sort();
  let files = 0;
  let bytes = 0;
  for (let i = 0; i < mine.length; i++) {
    const uri = mine[i]!;
    const local = localPathOf(root, nameNode, uri)!;
    mkdirSync(local, { recursive: true });
    // Sorted: a location that holds another one is immediately followed by a child.
    const next = mine[i + 1];
    const isLeaf = next === undefined || !next.startsWith(uri + '/');
    if (isLeaf) {
      const content = dataFileContent(`${uri}/${DATA_FILE}`);
      writeFileSync(join(local, DATA_FILE), content);
      files++;
      bytes += content.length;
    }
  }
  for (const uri of new Set(extraFiles)) {
    const local = localPathOf(root, nameNode, uri);
    if (!local) continue;
    mkdirSync(join(local, '..'), { recursive: true });
    const content = dataFileContent(uri);
    writeFileSync(local, content);
    files++;
    bytes += content.length;
  }
  return { directories: mine.length, files, bytes };
}

/** `hdfs dfs -mkdir -p` + `hdfs dfsadmin -allowSnapshot` on each path, through the stand-in's Cluster. */
export function prepareDataPaths(root: string, nameNode: string, paths: readonly string[], options: { allowSnapshot: boolean }): void {
  const cluster = new Cluster(root, authorityOf(nameNode));
  for (const path of paths) {
    const normalised = normalisePath(path);
    mkdirSync(cluster.livePath(normalised), { recursive: true });
    if (options.allowSnapshot && !cluster.isSnapshottable(normalised)) cluster.allowSnapshot(normalised, normalised);
  }
}

/** Environment for the stand-in shims of one site (both sites share the root: DistCp sees both clusters). */
export function standinEnv(root: string, nameNode: string): Record<string, string> {
  return { HMSDR_HADOOP_STANDIN_ROOT: root, HMSDR_HADOOP_DEFAULT_FS: nameNode, HADOOP_USER_NAME: 'hdfs' };
}
