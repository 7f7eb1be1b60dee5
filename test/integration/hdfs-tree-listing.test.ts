// A tree listed as concurrent subtrees (forEachInTree, what L4 reads) through the real shims and
// the stand-in's cost model: every entry of the single `-ls -R` is seen, with a handful of
// processes, and the ledger shows the listings overlapping, so their modelled time is not summed.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachInTree } from '../../src/adapters/hdfs/tree-listing.js';
import { readLedger } from '../../src/lab/hadoop/cost.js';
import { DEFAULT_SHAPE, type SyntheticShape } from '../../src/lab/hadoop/synthetic.js';
import { checkLocations } from '../../src/verify/data/presence.js';
import { syntheticWarehouse, standinPorts, tempRoot } from './hdfs-harness.js';

const temp = tempRoot();
const ledger = join(temp.root, 'ledger.jsonl');
// 3 databases × 4 tables × 50 partitions × 2 files.
const SHAPE: SyntheticShape = { ...DEFAULT_SHAPE, root: '/warehouse', databases: 3, tables: 4, partitions: 50, files: 2 };
const ROOT = '/warehouse/.snapshot/s0';

const costedDr = () => standinPorts(temp.root, undefined, { HMSDR_STANDIN_COST: 'account', HMSDR_STANDIN_COST_LEDGER: ledger }).dr;

beforeAll(() => syntheticWarehouse(temp.root, 'drns', SHAPE), 60_000);
afterAll(() => temp.cleanup());

/** Subtree listings hmsdr had open at once, at most (in its own process: no timing of the stand-in's). */
let mostAtOnce = 0;

async function entriesOf(fanOut: number): Promise<string[]> {
  const seen = new Set<string>();
  const dr = costedDr();
  const listMany = dr.listManyStream!.bind(dr);
  let open = 0;
  mostAtOnce = 0;
  dr.listManyStream = (dirs, options) => ({
    async *[Symbol.asyncIterator]() {
      mostAtOnce = Math.max(mostAtOnce, ++open);
      try {
        yield* listMany(dirs, options);
      } finally {
        open--;
      }
    },
  });
  await forEachInTree(dr, ROOT, { fanOut }, (entry) => void seen.add(entry.path));
  return [...seen].sort();
}

describe('forEachInTree', () => {
  it('sees every entry of the single -ls -R, from a few overlapping processes', async () => {
    const single = await entriesOf(1);
    expect(single).toHaveLength(3 + 3 * 4 + 3 * 4 * 50 + 3 * 4 * 50 * 2);
    const before = readLedger(ledger).entries.length;
    expect(await entriesOf(4)).toEqual(single);
    const listings = readLedger(ledger).entries.slice(before);
    // Three levels read breadth first (the root, its 3 databases, their 12 tables: 600 partitions), then 4 groups of 150 partitions.
    expect(listings.map((e) => e.command)).toEqual(Array(7).fill('hdfs dfs -ls'));
    const subtrees = listings.slice(3);
    expect(subtrees.reduce((n, e) => n + e.rpcs, 0)).toBeGreaterThanOrEqual(3 * 4 * 50);
    // The four subtree listings ran at once (modelledElapsedMs, unit-tested in cost.test.ts, then
    // counts them once; the stand-in's own start times are too load-dependent to assert here).
    expect(mostAtOnce).toBe(4);
  }, 120_000);

  it('stops every listing once the visitor has had enough', async () => {
    let seen = 0;
    await forEachInTree(costedDr(), ROOT, { fanOut: 4 }, () => ++seen >= 100);
    expect(seen).toBe(100);
  }, 60_000);

  it('L4 through it: every location found; a location absent at the snapshot is missing', async () => {
    const dr = costedDr();
    const locations = [
      'hdfs://drns/warehouse/db_0001.db/tbl_0002/p=000007',
      'hdfs://drns/warehouse/db_0002.db/tbl_0003',
      'hdfs://drns/warehouse/db_0000.db/tbl_0000/p=099999',
    ];
    const report = await checkLocations(dr, locations, { roots: ['/warehouse'], snapshot: 's0', listingFanOut: 4 });
    expect(report.checked).toBe(3);
    expect(report.missing).toEqual([{ location: locations[2], checkedPath: '/warehouse/.snapshot/s0/db_0000.db/tbl_0000/p=099999' }]);
  }, 60_000);
});
