// Shared by the hdfs-*.test.ts files: the built Hadoop stand-in (rebuilt when its sources are
// newer), a fresh stand-in root per test, and the HDFS ports of a source + DR pair over it.
import { execa } from 'execa';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeTempDir, removeTempDir } from '../harness/temp.js';
import { localExecutor } from '../../src/adapters/executor.js';
import { createHdfsPorts, type HdfsPorts } from '../../src/adapters/hdfs/hdfs.js';
import { Cluster } from '../../src/lab/hadoop/cluster.js';
import { writeSyntheticNamespace, type SyntheticShape } from '../../src/lab/hadoop/synthetic.js';

export const REPO = resolve(import.meta.dirname, '../..');
export const HDFS_BIN = join(REPO, 'fixtures/bin/hdfs');
export const HADOOP_BIN = join(REPO, 'fixtures/bin/hadoop');
const BUILT_CLI = join(REPO, 'dist/src/lab/hadoop/cli.js');

/** Build dist/ when the stand-in's compiled entry is missing or older than its sources. */
export async function ensureStandinBuilt(): Promise<void> {
  const sourceDir = join(REPO, 'src/lab/hadoop');
  const newest = Math.max(...readdirSync(sourceDir).map((f) => statSync(join(sourceDir, f)).mtimeMs));
  let built = 0;
  try {
    built = statSync(BUILT_CLI).mtimeMs;
  } catch {
    built = 0;
  }
  if (built < newest) await execa('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO, reject: false });
}

export function tempRoot(prefix = 'hmsdr-hdfs-'): { root: string; cleanup: () => void } {
  const root = makeTempDir(prefix.replace(/^hmsdr-/, '').replace(/-$/, ''));
  return { root, cleanup: () => removeTempDir(root) };
}

export function standinEnv(root: string, defaultFs = 'hdfs://nn:8020'): Record<string, string> {
  return { HMSDR_HADOOP_STANDIN_ROOT: root, HMSDR_HADOOP_DEFAULT_FS: defaultFs, TZ: 'UTC' };
}

/** Run `hdfs ...` / `hadoop ...` through the shims; never rejects. */
export async function standin(
  program: 'hdfs' | 'hadoop',
  args: string[],
  env: Record<string, string>,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const result = await execa(program === 'hdfs' ? HDFS_BIN : HADOOP_BIN, args, { env, reject: false, stripFinalNewline: false });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

export interface SitePair {
  sourceNameNode: string;
  drNameNode: string;
}

/** HDFS ports of a source + DR pair of stand-in clusters under `root` (`env`: more for the stand-in, e.g. its cost model). */
export function standinPorts(
  root: string,
  sites: SitePair = { sourceNameNode: 'hdfs://prodns', drNameNode: 'hdfs://drns' },
  env: Record<string, string> = {},
): HdfsPorts {
  const site = (nameNode: string) => ({
    nameNode,
    hdfs: { hdfsBin: HDFS_BIN, hadoopBin: HADOOP_BIN, env: { ...standinEnv(root, nameNode), ...env } },
  });
  return createHdfsPorts({ source: site(sites.sourceNameNode), dr: site(sites.drNameNode) }, { source: localExecutor, dr: localExecutor });
}

/** Strip the log4j timestamp: `2024-05-01 10:10:00,123 WARN x: y` → `WARN x: y`. */
export const withoutTimestamp = (line: string): string => line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /, '');

/** A stand-in cluster `authority` under `root` serving `shape`'s synthetic warehouse, with `<shape.root>` snapshot `s0`. */
export async function syntheticWarehouse(root: string, authority: string, shape: SyntheticShape): Promise<void> {
  await ensureStandinBuilt();
  const cluster = new Cluster(root, authority);
  writeSyntheticNamespace(cluster, shape);
  cluster.allowSnapshot(shape.root, shape.root);
  cluster.createSnapshot(shape.root, 's0');
}
