import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CostMeter, DEFAULT_COST, type LedgerEntry, listingRpcs, modelledElapsedMs, parseCostSpec, readLedger } from './cost.js';

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

  describe('modelled elapsed time', () => {
    const run = (command: string, startedAt: number, endedAt: number, modelledMs: number): LedgerEntry => ({
      command,
      launches: 1,
      rpcs: 0,
      bytes: 0,
      modelledMs,
      realMs: endedAt - startedAt,
      startedAt,
      endedAt,
    });

    it('adds processes that ran one after the other', () => {
      expect(modelledElapsedMs([run('a', 0, 10, 1000), run('b', 20, 30, 500)])).toBe(1500);
    });

    it('counts processes that overlapped once, at the longest', () => {
      // Two listings read at once, then a third after both.
      const entries = [run('ls1', 0, 100, 300_000), run('ls2', 5, 90, 200_000), run('test', 120, 130, 1200)];
      expect(modelledElapsedMs(entries)).toBe(301_200);
    });

    it('follows the critical path of a bounded pool', () => {
      // Two workers: a (long) alongside b; c starts after b ended but while a still runs.
      const entries = [run('a', 0, 100, 10_000), run('b', 0, 40, 3000), run('c', 50, 90, 4000)];
      expect(modelledElapsedMs(entries)).toBe(10_000);
      // Had c waited for a as well, it would count after a.
      expect(modelledElapsedMs([run('a', 0, 100, 10_000), run('b', 0, 40, 3000), run('c', 110, 120, 4000)])).toBe(14_000);
    });

    it('counts entries without real times one after the other (ledgers of older stand-ins)', () => {
      const old = { command: 'x', launches: 1, rpcs: 0, bytes: 0, modelledMs: 700, realMs: 1 };
      expect(modelledElapsedMs([old, old, run('a', 0, 10, 100)])).toBe(1500);
    });

    it('is what readLedger reports next to the serial sum', () => {
      const dir = mkdtempSync(join(tmpdir(), 'hmsdr-cost-'));
      dirs.push(dir);
      const ledger = join(dir, 'ledger.jsonl');
      const a = new CostMeter(parseCostSpec('account'));
      const b = new CostMeter(parseCostSpec('account'));
      a.finish('hdfs dfs -ls -R', ledger);
      b.finish('hdfs dfs -ls -R', ledger);
      const read = readLedger(ledger);
      expect(read.modelledMs).toBeCloseTo(2400, 6);
      expect(read.modelledElapsedMs).toBeCloseTo(1200, 6);
    });
  });
});
