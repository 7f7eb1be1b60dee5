import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runStandin } from './cli.js';
import { Cluster } from './cluster.js';
import { CostMeter, parseCostSpec, useMeter } from './cost.js';
import type { Io } from './io.js';
import {
  DEFAULT_SHAPE,
  dbName,
  fileName,
  partitionName,
  setLiveGeneration,
  SyntheticTree,
  tableName,
  writeSyntheticNamespace,
  type SyntheticShape,
} from './synthetic.js';

const SHAPE: SyntheticShape = {
  ...DEFAULT_SHAPE,
  root: '/warehouse',
  seed: 7,
  databases: 2,
  tables: 3,
  partitions: 4,
  files: 2,
  minSize: 0,
  maxSize: 3000,
  changedPercent: 25,
};

function capture(): Io & { text: () => string } {
  let out = '';
  return { out: (t) => void (out += t), err: (t) => void (out += t), text: () => out };
}

function run(...argv: string[]): string {
  const io = capture();
  runStandin(argv, io);
  return io.text();
}

describe('synthetic namespace of the stand-in', () => {
  let root: string;
  const saved = { ...process.env };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'hmsdr-synthetic-'));
    process.env.HMSDR_HADOOP_STANDIN_ROOT = root;
    process.env.HADOOP_USER_NAME = 'hdfs';
  });
  afterEach(() => {
    useMeter(new CostMeter(undefined));
    process.env = { ...saved };
    rmSync(root, { recursive: true, force: true });
  });

  it('is deterministic from seed and shape; another seed is another tree', () => {
    const a = new SyntheticTree(SHAPE);
    const b = new SyntheticTree({ ...SHAPE });
    const sizes = (t: SyntheticTree, g: number) => t.children([1, 2, 3], g).map((c) => c.info.size);
    expect(sizes(a, 0)).toEqual(sizes(b, 0));
    expect(a.checksum([1, 2, 3, 1], 2, true)).toEqual(b.checksum([1, 2, 3, 1], 2, true));
    expect(a.summary([], 3)).toEqual(b.summary([], 3));
    expect(sizes(new SyntheticTree({ ...SHAPE, seed: 8 }), 0)).not.toEqual(sizes(a, 0));
    expect(a.parse(['db_0001.db', 'tbl_0002', 'p=000003', 'part-00001.parquet'])).toEqual([1, 2, 3, 1]);
    expect(a.parse(['db_0002.db'])).toBeUndefined();
    expect(a.parse(['db_1.db'])).toBeUndefined();
  });

  it('changes about changedPercent % of the partitions per generation, and only those', () => {
    const tree = new SyntheticTree({ ...SHAPE, databases: 1, tables: 1, partitions: 100_000, changedPercent: 1 });
    let changed = 0;
    let unchangedButMoved = 0;
    for (let p = 0; p < 100_000; p++) {
      if (tree.version(p, 1) === 1) changed++;
      else if (tree.fileInfo(p, 0, tree.version(p, 1)).size !== tree.fileInfo(p, 0, 0).size) unchangedButMoved++;
    }
    expect(unchangedButMoved).toBe(0);
    expect(changed).toBeGreaterThan(800);
    expect(changed).toBeLessThan(1200);
  });

  it('prints -ls -R and -count byte-identical to a real tree of the same names, sizes, times and modes', () => {
    const tree = new SyntheticTree(SHAPE);
    writeSyntheticNamespace(new Cluster(root, 'synns'), SHAPE);
    // The same tree, as real files, on another cluster.
    const real = join(root, 'realns', 'warehouse');
    const stamp = (path: string, ms: number): void => utimesSync(path, ms / 1000, ms / 1000);
    const dirs: string[] = [real];
    for (let d = 0; d < SHAPE.databases; d++)
      for (let t = 0; t < SHAPE.tables; t++)
        for (let p = 0; p < SHAPE.partitions; p++) {
          const dir = join(real, dbName(d), tableName(t), partitionName(p));
          mkdirSync(dir, { recursive: true });
          dirs.push(join(real, dbName(d)), join(real, dbName(d), tableName(t)), dir);
          for (let f = 0; f < SHAPE.files; f++) {
            const info = tree.info([d, t, p, f], 0);
            const file = join(dir, fileName(f));
            writeFileSync(file, Buffer.alloc(info.size, 1));
            chmodSync(file, 0o644);
            stamp(file, info.mtimeMs);
          }
        }
    for (const dir of dirs) {
      chmodSync(dir, 0o755);
      stamp(dir, SHAPE.baseMs);
    }
    const strip = (text: string, authority: string) => text.replaceAll(`hdfs://${authority}/`, 'hdfs://X/');
    const synthetic = strip(run('hdfs', 'dfs', '-ls', '-R', 'hdfs://synns/warehouse'), 'synns');
    expect(synthetic.split('\n')).toHaveLength(1 + 2 + 6 + 24 + 48);
    expect(synthetic).toBe(strip(run('hdfs', 'dfs', '-ls', '-R', 'hdfs://realns/warehouse'), 'realns'));
    const ls = (authority: string, path: string) => strip(run('hdfs', 'dfs', '-ls', `hdfs://${authority}/warehouse${path}`), authority);
    expect(ls('synns', '/db_0001.db/tbl_0002')).toBe(ls('realns', '/db_0001.db/tbl_0002'));
    expect(ls('synns', '/db_0001.db/tbl_0002/p=000003/part-00001.parquet')).toBe(
      ls('realns', '/db_0001.db/tbl_0002/p=000003/part-00001.parquet'),
    );
    const count = (authority: string) =>
      strip(run('hdfs', 'dfs', '-count', '-v', `hdfs://${authority}/warehouse`, `hdfs://${authority}/warehouse/db_0001.db`), authority);
    expect(count('synns')).toBe(count('realns'));
    expect(run('hdfs', 'dfs', '-test', '-d', 'hdfs://synns/warehouse/db_0001.db/tbl_0002')).toBe('');
    expect(runStandin(['hdfs', 'dfs', '-test', '-d', 'hdfs://synns/warehouse/db_0001.db/tbl_0003'], capture())).toBe(1);
    expect(run('hdfs', 'dfs', '-ls', 'hdfs://synns/warehouse/db_0009.db')).toBe(
      "ls: `hdfs://synns/warehouse/db_0009.db': No such file or directory\n",
    );
    expect(run('hdfs', 'dfs', '-checksum', 'hdfs://synns/warehouse/db_0000.db/tbl_0000/p=000000/part-00000.parquet')).toMatch(
      /^hdfs:\/\/synns\/warehouse\/db_0000\.db\/tbl_0000\/p=000000\/part-00000\.parquet\tMD5-of-0MD5-of-512CRC32C\t00000200[0-9a-f]{48}\n$/,
    );
  });

  it('serves snapshots at the generation they saw, diffs generations, and copies with distcp -diff', () => {
    for (const authority of ['prodns', 'drns']) {
      const cluster = new Cluster(root, authority);
      writeSyntheticNamespace(cluster, SHAPE);
      cluster.allowSnapshot('/warehouse', '/warehouse');
      cluster.createSnapshot('/warehouse', 's0');
    }
    // A real file planted in the synthetic tree (overlay).
    const planted = join(root, 'prodns', 'warehouse', 'db_0000.db', 'tbl_0000', 'p=000000', 'zz-planted');
    mkdirSync(join(planted, '..'), { recursive: true });
    writeFileSync(planted, 'planted\n');
    setLiveGeneration(new Cluster(root, 'prodns'), 1);
    run('hdfs', 'dfs', '-createSnapshot', 'hdfs://prodns/warehouse', 's1');
    const tree = new SyntheticTree(SHAPE);
    const changed = Array.from({ length: 24 }, (_, pi) => pi).filter((pi) => tree.changedIn(pi, 1));
    expect(changed.length).toBeGreaterThan(0);
    const diff = run('hdfs', 'snapshotDiff', 'hdfs://prodns/warehouse', 's0', 's1');
    expect(diff).toContain('Difference between snapshot s0 and snapshot s1 under directory /warehouse:\n');
    expect(diff).toContain('+\t./db_0000.db/tbl_0000/p=000000/zz-planted\n');
    expect(diff.split('\n').filter((l) => l.startsWith('M\t./') && l.endsWith('.parquet'))).toHaveLength(changed.length * SHAPE.files);
    // The old snapshot still reads generation 0.
    const size = (path: string) => Number(run('hdfs', 'dfs', '-stat', '%b', path).trim());
    const pi = changed[0]!;
    const file = `${dbName(Math.floor(pi / 12))}/${tableName(Math.floor(pi / 4) % 3)}/${partitionName(pi % 4)}/${fileName(0)}`;
    expect(size(`hdfs://prodns/warehouse/.snapshot/s0/${file}`)).toBe(tree.fileInfo(pi, 0, 0).size);
    expect(size(`hdfs://prodns/warehouse/.snapshot/s1/${file}`)).toBe(tree.fileInfo(pi, 0, 1).size);
    const io = capture();
    expect(
      runStandin(['hadoop', 'distcp', '-update', '-diff', 's0', 's1', '-pb', 'hdfs://prodns/warehouse', 'hdfs://drns/warehouse'], io),
    ).toBe(0);
    expect(io.text()).toContain(`Files Copied=${changed.length * SHAPE.files + 1}\n`);
    run('hdfs', 'dfs', '-createSnapshot', 'hdfs://drns/warehouse', 's1');
    const listing = (authority: string) =>
      run('hdfs', 'dfs', '-ls', '-R', `hdfs://${authority}/warehouse/.snapshot/s1`).replaceAll(`hdfs://${authority}/`, '');
    const [src, dst] = [listing('prodns'), listing('drns')];
    expect(src).toContain('zz-planted');
    expect(src.replace(/ \d{4}-\d\d-\d\d \d\d:\d\d (.*zz-planted)/, ' $1')).toBe(
      dst.replace(/ \d{4}-\d\d-\d\d \d\d:\d\d (.*zz-planted)/, ' $1'),
    );
    // The target must be unchanged since s0 for the next -diff: it is (generation and overlay as at s1).
    setLiveGeneration(new Cluster(root, 'prodns'), 2);
    run('hdfs', 'dfs', '-createSnapshot', 'hdfs://prodns/warehouse', 's2');
    expect(
      runStandin(
        ['hadoop', 'distcp', '-update', '-diff', 's1', 's2', '-pb', 'hdfs://prodns/warehouse', 'hdfs://drns/warehouse'],
        capture(),
      ),
    ).toBe(0);
  });

  it('counts one getListing RPC per 1,000 entries of each directory an -ls -R reads', () => {
    writeSyntheticNamespace(new Cluster(root, 'synns'), { ...SHAPE, databases: 2, tables: 1, partitions: 1001, files: 1 });
    const meter = new CostMeter(parseCostSpec('account'));
    useMeter(meter);
    run('hdfs', 'dfs', '-ls', '-R', 'hdfs://synns/warehouse');
    // getFileInfo of the argument + root (1 page) + 2 dbs (1 each) + 2 tables (1,001 entries: 2 pages) + 2,002 partitions (1).
    expect(meter.rpcs).toBe(1 + 1 + 2 + 2 * 2 + 2002);
  });
});
