import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CostMeter, DEFAULT_COST, listingRpcs, parseCostSpec, readLedger } from './cost.js';

describe('stand-in cost model', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('is off unless named, with the documented defaults and overrides', () => {
    expect(parseCostSpec(undefined)).toBeUndefined();
    expect(parseCostSpec('off')).toBeUndefined();
    expect(parseCostSpec('account')).toEqual({
      mode: 'account',
      startMs: 1200,
      rpcMs: 0.3,
      pageSize: 1000,
      distcpSubmitMs: 15_000,
      copyMBps: 1000,
    });
    expect(parseCostSpec('sleep, start=2000, rpc=1, page=500, distcp=1000, mbps=50')).toEqual({
      mode: 'sleep',
      startMs: 2000,
      rpcMs: 1,
      pageSize: 500,
      distcpSubmitMs: 1000,
      copyMBps: 50,
    });
    expect(() => parseCostSpec('fast')).toThrow(/unknown mode "fast"/);
    expect(() => parseCostSpec('account,rpc=abc')).toThrow(/bad setting "rpc=abc"/);
    expect(() => parseCostSpec('account,page=0')).toThrow(/page must be at least 1/);
  });

  it('pages a directory listing at 1,000 entries: one getListing RPC per page, at least one', () => {
    expect([0, 1, 999, 1000, 1001, 2500, 1_000_000].map((n) => listingRpcs(n))).toEqual([1, 1, 1, 1, 2, 3, 1000]);
    expect(listingRpcs(1001, 500)).toBe(3);
    // One side of a 1M-partition tree (10 dbs × 100 tables × 1,000 partitions): every directory is read once.
    const dirsRead = 1 + 10 + 10 * 100 + 1_000_000;
    const tableDirs = 10 * 100;
    const rpcs = listingRpcs(10) + 10 * listingRpcs(100) + tableDirs * listingRpcs(1000) + 1_000_000 * listingRpcs(10);
    expect(rpcs).toBe(dirsRead);
    expect(rpcs * DEFAULT_COST.rpcMs).toBeGreaterThanOrEqual(300_000);
  });

  it('adds up start, RPCs, DistCp submission and copy time', () => {
    const meter = new CostMeter(parseCostSpec('account'));
    meter.start();
    meter.listing(2500);
    meter.rpc(2);
    meter.walk(12_345);
    expect(meter.rpcs).toBe(3 + 2 + 12);
    meter.distcpSubmit();
    meter.copied(2_000_000_000);
    expect(meter.modelledMs()).toBeCloseTo(1200 + 17 * 0.3 + 15_000 + 2000, 6);
    expect(new CostMeter(undefined).modelledMs()).toBe(0);
  });

  it('appends one line per process to the ledger and sums it from an offset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmsdr-cost-'));
    dirs.push(dir);
    const ledger = join(dir, 'ledger.jsonl');
    const first = new CostMeter(parseCostSpec('account'));
    first.listing(10);
    first.finish('hdfs dfs -ls', ledger);
    const offset = statSync(ledger).size;
    const second = new CostMeter(parseCostSpec('account,start=1000'));
    second.rpc(4);
    second.finish('hdfs dfs -count', ledger);
    new CostMeter(undefined).finish('hdfs dfs -test', ledger);
    const all = readLedger(ledger);
    expect(all.entries.map((e) => [e.command, e.launches, e.rpcs, e.modelledMs])).toEqual([
      ['hdfs dfs -ls', 1, 1, 1200.3],
      ['hdfs dfs -count', 1, 4, 1001.2],
    ]);
    expect(all.launches).toBe(2);
    expect(all.rpcs).toBe(5);
    expect(readLedger(ledger, offset).entries.map((e) => e.command)).toEqual(['hdfs dfs -count']);
    expect(readLedger(join(dir, 'none.jsonl')).launches).toBe(0);
  });
});
