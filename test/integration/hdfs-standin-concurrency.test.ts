// The Hadoop stand-in serialises namespace changes as a NameNode does: snapshots created at the
// same moment by separate client processes are all kept (its metadata is read, changed and
// written under a lock).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureStandinBuilt, standin, standinEnv, tempRoot } from './hdfs-harness.js';

const DIRS = 8;
const temp = tempRoot();
const env = standinEnv(temp.root, 'hdfs://nn:8020');

beforeAll(async () => {
  await ensureStandinBuilt();
  for (let i = 0; i < DIRS; i++) {
    mkdirSync(join(temp.root, 'nn:8020', `d${i}`), { recursive: true });
    expect((await standin('hdfs', ['dfsadmin', '-allowSnapshot', `/d${i}`], env)).exitCode).toBe(0);
  }
});
afterAll(() => temp.cleanup());

it('eight createSnapshot processes at once: every snapshot is recorded', async () => {
  const results = await Promise.all(
    Array.from({ length: DIRS }, (_, i) => standin('hdfs', ['dfs', '-createSnapshot', `/d${i}`, 's1'], env)),
  );
  expect(results.map((r) => r.exitCode)).toEqual(Array(DIRS).fill(0));
  const listed = await standin('hdfs', ['lsSnapshottableDir'], env);
  const counts = listed.stdout
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .map((f) => `${f.at(-1)}:${f.at(-3)}`)
    .sort();
  expect(counts).toEqual(Array.from({ length: DIRS }, (_, i) => `/d${i}:1`).sort());
});
