// The stand-in's cost model in `account` mode, through the real shims (one process per command):
// each launch is one ledger line with the NameNode RPCs it made and the modelled milliseconds; a
// listing costs one getListing RPC per directory page. Off (no ledger) unless HMSDR_STANDIN_COST is set.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/lab/hadoop/cluster.js';
import { readLedger } from '../../src/lab/hadoop/cost.js';
import { DEFAULT_SHAPE, setLiveGeneration, writeSyntheticNamespace, type SyntheticShape } from '../../src/lab/hadoop/synthetic.js';
import { ensureStandinBuilt, standin, standinEnv, tempRoot } from './hdfs-harness.js';

const temp = tempRoot();
const ledger = join(temp.root, 'ledger.jsonl');
const SHAPE: SyntheticShape = {
  ...DEFAULT_SHAPE,
  root: '/warehouse',
  databases: 2,
  tables: 3,
  partitions: 1200,
  files: 2,
  changedPercent: 5,
};
const costEnv = (root: string) => ({
  ...standinEnv(root, 'hdfs://prodns'),
  HMSDR_STANDIN_COST: 'account',
  HMSDR_STANDIN_COST_LEDGER: ledger,
});

beforeAll(async () => {
  await ensureStandinBuilt();
  for (const authority of ['prodns', 'drns']) {
    const cluster = new Cluster(temp.root, authority);
    writeSyntheticNamespace(cluster, SHAPE);
    cluster.allowSnapshot('/warehouse', '/warehouse');
    cluster.createSnapshot('/warehouse', 's0');
  }
  mkdirSync(join(temp.root, 'prodns', 'real'), { recursive: true });
  writeFileSync(join(temp.root, 'prodns', 'real', 'a'), 'a\n');
}, 240_000);
afterAll(() => temp.cleanup());

describe('stand-in cost model, account mode', () => {
  it('one launch per process, RPCs per directory page, modelled time = start + RPCs', async () => {
    const env = costEnv(temp.root);
    const before = existsSync(ledger) ? readLedger(ledger).entries.length : 0;
    const ls = await standin('hdfs', ['dfs', '-ls', '-R', 'hdfs://prodns/warehouse'], env);
    expect(ls.exitCode).toBe(0);
    expect(ls.stdout.split('\n').filter((l) => l.endsWith('.parquet'))).toHaveLength(2 * 3 * 1200 * 2);
    expect((await standin('hdfs', ['dfs', '-test', '-d', 'hdfs://prodns/warehouse/db_0001.db'], env)).exitCode).toBe(0);
    expect(
      (await standin('hdfs', ['dfs', '-count', 'hdfs://prodns/real', 'hdfs://prodns/warehouse/db_0000.db/tbl_0000'], env)).exitCode,
    ).toBe(0);
    const entries = readLedger(ledger).entries.slice(before);
    // getFileInfo + root + 2 dbs + 6 tables of 1,200 partitions (2 pages each) + 7,200 partitions.
    const lsRpcs = 1 + 1 + 2 + 6 * 2 + 7200;
    // Two getContentSummary calls; the table's subtree (1 + 1,200 dirs + 2,400 files) walks 3 pages.
    const countRpcs = 2 + 3;
    expect(entries.map((e) => [e.command, e.launches, e.rpcs])).toEqual([
      ['hdfs dfs -ls', 1, lsRpcs],
      ['hdfs dfs -test', 1, 1],
      ['hdfs dfs -count', 1, countRpcs],
    ]);
    expect(entries[0]!.modelledMs).toBeCloseTo(1200 + lsRpcs * 0.3, 3);
  }, 120_000);

  it('distcp -diff of a synthetic namespace: submission + bytes at the copy throughput, target now at the source snapshot', async () => {
    const env = costEnv(temp.root);
    setLiveGeneration(new Cluster(temp.root, 'prodns'), 1);
    expect((await standin('hdfs', ['dfs', '-createSnapshot', 'hdfs://prodns/warehouse', 's1'], env)).exitCode).toBe(0);
    const before = readLedger(ledger).entries.length;
    const copy = await standin(
      'hadoop',
      ['distcp', '-update', '-diff', 's0', 's1', '-pb', 'hdfs://prodns/warehouse', 'hdfs://drns/warehouse'],
      env,
    );
    expect(copy.exitCode).toBe(0);
    const bytes = Number(/Bytes Copied=(\d+)/.exec(copy.stderr)?.[1]);
    expect(bytes).toBeGreaterThan(0);
    const [entry] = readLedger(ledger).entries.slice(before);
    expect(entry).toMatchObject({ command: 'hadoop distcp', launches: 1, bytes });
    expect(entry!.modelledMs).toBeGreaterThanOrEqual(1200 + 15_000 + bytes / 1e6);
    expect((await standin('hdfs', ['dfs', '-createSnapshot', 'hdfs://drns/warehouse', 's1'], env)).exitCode).toBe(0);
    const listing = async (authority: string) =>
      (await standin('hdfs', ['dfs', '-ls', '-R', `hdfs://${authority}/warehouse/.snapshot/s1`], env)).stdout.replaceAll(
        `hdfs://${authority}/`,
        '',
      );
    expect(await listing('drns')).toBe(await listing('prodns'));
  }, 120_000);

  it('is off without HMSDR_STANDIN_COST: no ledger line', async () => {
    const before = readLedger(ledger).entries.length;
    const env = { ...standinEnv(temp.root, 'hdfs://prodns'), HMSDR_STANDIN_COST_LEDGER: ledger };
    expect((await standin('hdfs', ['dfs', '-test', '-d', 'hdfs://prodns/warehouse'], env)).exitCode).toBe(0);
    expect(readLedger(ledger).entries.length).toBe(before);
  }, 60_000);
});
