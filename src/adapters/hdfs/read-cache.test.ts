import { describe, expect, it } from 'vitest';
import type { HdfsPort } from './port.js';
import { withReadCache } from './read-cache.js';

/** A port whose every call is counted; `snapshots` is what listSnapshots answers now. */
function countingPort() {
  const calls: string[] = [];
  const state = { snapshots: ['s1'], failNext: false };
  const port = {
    site: { label: 'dr', nameNode: 'hdfs://drns', hdfsBin: 'hdfs', hadoopBin: 'hadoop', env: {} },
    where: 'local',
    snapshottableDirs: async () => (calls.push('lsSnapshottableDir'), []),
    exists: async (path: string) => (calls.push(`exists ${path}`), true),
    listSnapshots: async (dir: string) => {
      calls.push(`ls ${dir}`);
      if (state.failNext) {
        state.failNext = false;
        throw new Error('NameNode hiccup');
      }
      return state.snapshots.map((name, i) => ({ name, createdMs: i }));
    },
    countMany: async (paths: readonly string[]) => (calls.push(`count ${paths.length}`), { found: new Map(), missing: [...paths] }),
    createSnapshot: async (_dir: string, name: string) => {
      calls.push(`create ${name}`);
      state.snapshots.push(name);
    },
  } as unknown as HdfsPort;
  return { port, calls, state };
}

describe('HDFS read cache', () => {
  it('answers a repeated read once, and reads again after a write through the port or forget()', async () => {
    const { port, calls } = countingPort();
    const cached = withReadCache(port);
    expect((await cached.listSnapshots('/a')).map((s) => s.name)).toEqual(['s1']);
    expect((await cached.listSnapshots('/a')).map((s) => s.name)).toEqual(['s1']);
    await cached.snapshottableDirs();
    await cached.snapshottableDirs();
    expect(calls).toEqual(['ls /a', 'lsSnapshottableDir']);
    await cached.createSnapshot('/a', 's2');
    expect((await cached.listSnapshots('/a')).map((s) => s.name)).toEqual(['s1', 's2']);
    cached.forget();
    await cached.snapshottableDirs();
    expect(calls).toEqual(['ls /a', 'lsSnapshottableDir', 'create s2', 'ls /a', 'lsSnapshottableDir']);
  });

  it('does not keep a failed read, nor a large batch of counts (L4 at a million partitions)', async () => {
    const { port, calls, state } = countingPort();
    const cached = withReadCache(port);
    state.failNext = true;
    await expect(cached.listSnapshots('/a')).rejects.toThrow('hiccup');
    expect((await cached.listSnapshots('/a')).map((s) => s.name)).toEqual(['s1']);
    const many = Array.from({ length: 101 }, (_, i) => `/p${i}`);
    await cached.countMany(many);
    await cached.countMany(many);
    await cached.countMany(['/a', '/b']);
    await cached.countMany(['/a', '/b']);
    expect(calls).toEqual(['ls /a', 'ls /a', 'count 101', 'count 101', 'count 2']);
  });

  it('keeps optional capabilities optional', () => {
    const cached = withReadCache(countingPort().port);
    expect(cached.listRecursiveStream).toBeUndefined();
    expect(cached.hadoopVersion).toBeUndefined();
    expect(cached.isDirectory).toBeUndefined();
  });
});
