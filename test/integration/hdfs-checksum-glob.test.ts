// `-checksum <dir>/*` through the real shim and adapter: the stand-in expands the glob as Hadoop
// does, prints each match in the form typed, and the adapter keys the rows by file; they equal the
// checksums of the files named one by one. A glob that matches nothing fails as Hadoop's does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SHAPE, type SyntheticShape } from '../../src/lab/hadoop/synthetic.js';
import { syntheticWarehouse, standin, standinEnv, standinPorts, tempRoot } from './hdfs-harness.js';

const temp = tempRoot();
const SHAPE: SyntheticShape = { ...DEFAULT_SHAPE, root: '/warehouse', databases: 1, tables: 2, partitions: 3, files: 4 };
const P1 = '/warehouse/.snapshot/s0/db_0000.db/tbl_0001/p=000001';

beforeAll(() => syntheticWarehouse(temp.root, 'prodns', SHAPE), 60_000);
afterAll(() => temp.cleanup());

describe('-checksum of a directory glob', () => {
  it('gives every file of the directory, keyed by file, equal to naming them', async () => {
    const { source } = standinPorts(temp.root);
    const globbed = await source.checksums([`${P1}/*`, '/warehouse/.snapshot/s0/db_0000.db/tbl_0000/p=000000/part-00002.parquet']);
    const files = [0, 1, 2, 3].map((f) => `${P1}/part-0000${f}.parquet`);
    const named = await source.checksums([...files, '/warehouse/.snapshot/s0/db_0000.db/tbl_0000/p=000000/part-00002.parquet']);
    expect([...globbed.keys()].sort()).toEqual([...named.keys()].sort());
    for (const [path, row] of named) expect(globbed.get(path)).toEqual(row);
    // Directories of one table as one alternation: the table is listed once.
    const table = '/warehouse/.snapshot/s0/db_0000.db/tbl_0001';
    const both = await source.checksums([`${table}/{p=000000,p=000002}/*`]);
    const each = await source.checksums([`${table}/p=000000/*`, `${table}/p=000002/*`]);
    expect(both.size).toBe(8);
    expect([...both].sort()).toEqual([...each].sort());
  }, 60_000);

  it('prints matches in the form typed; a glob without a match and a directory match fail as Hadoop does', async () => {
    const env = standinEnv(temp.root, 'hdfs://prodns');
    const printed = await standin('hdfs', ['dfs', '-checksum', `hdfs://prodns${P1}/part-0000[12].parquet`], env);
    expect(printed.exitCode).toBe(0);
    expect(
      printed.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]),
    ).toEqual([`hdfs://prodns${P1}/part-00001.parquet`, `hdfs://prodns${P1}/part-00002.parquet`]);
    const none = await standin('hdfs', ['dfs', '-checksum', `hdfs://prodns${P1}/nothing-*`], env);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain(`checksum: \`hdfs://prodns${P1}/nothing-*': No such file or directory`);
    const dirs = await standin('hdfs', ['dfs', '-checksum', 'hdfs://prodns/warehouse/.snapshot/s0/db_0000.db/*'], env);
    expect(dirs.exitCode).toBe(1);
    expect(dirs.stderr).toMatch(/Is a directory/);
  }, 60_000);
});
