// The stand-in prints a big `-ls -R` at the reader's pace, through the real shim (one process): a
// slow reader gets every line and exit 0, and the stand-in never holds the listing in memory (it
// used to queue all of it for the pipe; at 10M files the one huge write failed with ENOBUFS and
// the reader got ~400 lines). A reader that stops early ends it with SIGTERM: exit 143, and the
// ledger still has its launch.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLedger } from '../../src/lab/hadoop/cost.js';
import { DEFAULT_SHAPE, type SyntheticShape } from '../../src/lab/hadoop/synthetic.js';
import { syntheticWarehouse, HDFS_BIN, standinEnv, tempRoot } from './hdfs-harness.js';

const temp = tempRoot();
const ledger = join(temp.root, 'ledger.jsonl');
// 2 × 10 × 500 partitions × 60 files: 600,000 files, ~90 MB of listing.
const SHAPE: SyntheticShape = { ...DEFAULT_SHAPE, root: '/warehouse', databases: 2, tables: 10, partitions: 500, files: 60 };
const LINES = 2 + 2 * 10 + 2 * 10 * 500 + 2 * 10 * 500 * 60;
const env = () => ({
  ...process.env,
  ...standinEnv(temp.root, 'hdfs://prodns'),
  HMSDR_STANDIN_COST: 'account',
  HMSDR_STANDIN_COST_LEDGER: ledger,
});

beforeAll(() => syntheticWarehouse(temp.root, 'prodns', SHAPE), 60_000);
afterAll(() => temp.cleanup());

/** Peak RSS (VmHWM) of a live process in MB; 0 once it is gone. */
function peakRssMB(pid: number | undefined): number {
  try {
    return Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

describe('stand-in -ls -R of a big listing', () => {
  it('a slow reader gets every line, exit 0; the stand-in stays small', async () => {
    const child = spawn(HDFS_BIN, ['dfs', '-ls', '-R', 'hdfs://prodns/warehouse/.snapshot/s0'], {
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => void (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let lines = 0;
    let files = 0;
    let peak = 0;
    for await (const line of createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY })) {
      lines++;
      if (line.endsWith('.parquet')) files++;
      // Slow: a pause every 20,000 lines (the stand-in is far ahead unless it waits for the pipe).
      if (lines % 20_000 === 0) {
        peak = Math.max(peak, peakRssMB(child.pid));
        await delay(50);
      }
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    expect(lines).toBe(LINES);
    expect(files).toBe(2 * 10 * 500 * 60);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(150);
  }, 180_000);

  it('a reader that stops early: SIGTERM ends the stand-in with 143 and its ledger line', async () => {
    const before = readLedger(ledger).entries.length;
    const child = spawn(HDFS_BIN, ['dfs', '-ls', '-R', 'hdfs://prodns/warehouse'], { env: env(), stdio: ['ignore', 'pipe', 'ignore'] });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let lines = 0;
    for await (const _line of createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY })) {
      if (++lines === 1000) break;
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    const entries = readLedger(ledger).entries.slice(before);
    expect(entries.map((e) => [e.command, e.launches])).toEqual([['hdfs dfs -ls', 1]]);
    expect(entries[0]!.rpcs).toBeGreaterThan(0);
  }, 60_000);
});
