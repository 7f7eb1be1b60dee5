import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compareKeys, externalSort, type SortStats } from './external-sort.js';

const parents: string[] = [];
afterEach(() => {
  for (const p of parents.splice(0)) rmSync(p, { recursive: true, force: true });
});
const parent = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'hmsdr-sort-test-'));
  parents.push(dir);
  return dir;
};

/** A depth-first listing like `-ls -R` prints it (children per directory, name order): not sorted by path string. */
async function* depthFirst(dirs: number, filesPerDir: number): AsyncGenerator<string> {
  for (let d = 0; d < dirs; d++) {
    yield `w/t/p=${d}`;
    for (let f = 0; f < filesPerDir; f++) yield `w/t/p=${d}/part-${String(f).padStart(5, '0')}`;
  }
}

const codec = { key: (s: string) => s, encode: (s: string) => s, decode: (s: string) => s };

describe('externalSort', () => {
  it('sorts 2,000,000 records with at most 20,000 in memory, spilling to disk and removing its files', async () => {
    const tmp = parent();
    const stats: SortStats = { records: 0, spilledRuns: 0, maxBuffered: 0 };
    let previous: string | undefined;
    let count = 0;
    let outOfOrder = 0;
    for await (const key of externalSort(depthFirst(100_000, 19), { ...codec, maxInMemory: 20_000, fanIn: 16, tmpDir: tmp, stats })) {
      if (previous !== undefined && compareKeys(previous, key) >= 0) outOfOrder++;
      previous = key;
      count++;
    }
    expect(count).toBe(2_000_000);
    expect(outOfOrder).toBe(0);
    expect(stats.records).toBe(2_000_000);
    expect(stats.maxBuffered).toBeLessThanOrEqual(20_000);
    // 100 first-pass runs, merged 16 at a time into 7, then the final merge.
    expect(stats.spilledRuns).toBe(107);
    expect(readdirSync(tmp)).toEqual([]);
  }, 120_000);

  it('the input order is not the path order: p=10 sorts before p=2 and `a-b` before `a/`', async () => {
    async function* input(): AsyncGenerator<string> {
      yield* ['a', 'a/x', 'a-b', 'p=2', 'p=10', 'é', 'z'];
    }
    const out: string[] = [];
    for await (const k of externalSort(input(), { ...codec, maxInMemory: 2, tmpDir: parent() })) out.push(k);
    expect(out).toEqual(['a', 'a-b', 'a/x', 'p=10', 'p=2', 'z', 'é']);
  });

  it('keeps small inputs in memory (no file) and removes its directory when the consumer stops early', async () => {
    const tmp = parent();
    const stats: SortStats = { records: 0, spilledRuns: 0, maxBuffered: 0 };
    const small: string[] = [];
    for await (const k of externalSort(depthFirst(2, 2), { ...codec, tmpDir: tmp, stats })) small.push(k);
    expect(small).toHaveLength(6);
    expect(stats.spilledRuns).toBe(0);
    for await (const _ of externalSort(depthFirst(50, 10), { ...codec, maxInMemory: 100, tmpDir: tmp })) {
      expect(readdirSync(tmp)).toHaveLength(1);
      break;
    }
    expect(readdirSync(tmp)).toEqual([]);
    expect(existsSync(tmp)).toBe(true);
  });

  it('reads back spilled records longer than its read buffer, with multi-byte characters cut across reads, and empty ones', async () => {
    // Each record spans several 16 KiB reads; the odd prefix lengths put 'é' (2 bytes) and '𝄞'
    // (4 bytes) astride read boundaries.
    const records = ['', ...Array.from({ length: 9 }, (_, i) => `${'x'.repeat(i * 997)}${'é𝄞'.repeat(6000 + i)}${i}`), 'a'];
    async function* input(): AsyncGenerator<string> {
      yield* [...records].reverse();
    }
    const stats: SortStats = { records: 0, spilledRuns: 0, maxBuffered: 0 };
    const out: string[] = [];
    for await (const k of externalSort(input(), { ...codec, maxInMemory: 2, fanIn: 3, tmpDir: parent(), stats })) out.push(k);
    expect(stats.spilledRuns).toBeGreaterThan(3);
    expect(out).toEqual([...records].sort(compareKeys));
  });

  it('an input that fails fails the output and leaves no file behind', async () => {
    const tmp = parent();
    async function* failing(): AsyncGenerator<string> {
      yield* ['b', 'a', 'c'];
      throw new Error('listing cut off');
    }
    const consume = async (): Promise<void> => {
      for await (const _ of externalSort(failing(), { ...codec, maxInMemory: 1, tmpDir: tmp }));
    };
    await expect(consume()).rejects.toThrow('listing cut off');
    expect(readdirSync(tmp)).toEqual([]);
  });
});
