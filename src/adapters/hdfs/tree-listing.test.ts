import { describe, expect, it } from 'vitest';
import type { LsEntry } from './parse.js';
import type { HdfsPort } from './port.js';
import { forEachInTree } from './tree-listing.js';

/** A port over an in-memory tree (paths → children) that records the `-ls` it is asked for. */
function treePort(tree: Record<string, string[]>): { port: HdfsPort; calls: string[] } {
  const calls: string[] = [];
  const entry = (path: string): LsEntry =>
    ({ type: tree[path] ? 'dir' : 'file', path, length: 0, permission: 'rwxr-xr-x', owner: 'hive', group: 'hadoop' }) as LsEntry;
  const below = function* (dir: string): Generator<LsEntry> {
    for (const child of tree[dir] ?? []) {
      yield entry(child);
      yield* below(child);
    }
  };
  const port = {
    async *listRecursiveStream(dir: string) {
      calls.push(`-ls -R ${dir}`);
      yield* below(dir);
    },
    async *listManyStream(dirs: readonly string[], options: { recursive?: boolean } = {}) {
      calls.push(`-ls${options.recursive ? ' -R' : ''} ${dirs.join(' ')}`);
      for (const dir of dirs) {
        if (options.recursive) yield* below(dir);
        else for (const child of tree[dir] ?? []) yield entry(child);
      }
    },
  } as unknown as HdfsPort;
  return { port, calls };
}

const seen = async (port: HdfsPort, fanOut: number, maxLevels?: number): Promise<string[]> => {
  const out = new Set<string>();
  await forEachInTree(port, '/r', { fanOut, ...(maxLevels ? { maxLevels } : {}) }, (e) => void out.add(e.path));
  return [...out].sort();
};

describe('forEachInTree', () => {
  const tree = {
    '/r': ['/r/a', '/r/b', '/r/f'],
    '/r/a': ['/r/a/1', '/r/a/2'],
    '/r/b': ['/r/b/1'],
    '/r/a/1': ['/r/a/1/x'],
    '/r/a/2': [],
    '/r/b/1': ['/r/b/1/y'],
  };

  const all = ['/r/a', '/r/a/1', '/r/a/1/x', '/r/a/2', '/r/b', '/r/b/1', '/r/b/1/y', '/r/f'];

  it('reads levels breadth first, then contiguous groups of subtrees', async () => {
    const { port, calls } = treePort(tree);
    expect(await seen(port, 2, 1)).toEqual(all);
    expect(calls).toEqual(['-ls /r', '-ls -R /r/a', '-ls -R /r/b']);
  });

  it('a tree that ends within the levels read breadth first needs no -R', async () => {
    const { port, calls } = treePort(tree);
    expect(await seen(port, 2)).toEqual(all);
    expect(calls).toEqual(['-ls /r', '-ls /r/a /r/b', '-ls /r/a/1 /r/a/2 /r/b/1']);
  });

  it('with fanOut 1 or a port without listManyStream: one -ls -R of the root', async () => {
    const { port, calls } = treePort(tree);
    expect(await seen(port, 1)).toHaveLength(8);
    expect(calls).toEqual(['-ls -R /r']);
  });

  it('never names a path Hadoop would read as a glob: that level is listed as one -ls -R', async () => {
    const { port, calls } = treePort({ '/r': ['/r/a[1]', '/r/b'], '/r/a[1]': ['/r/a[1]/x'], '/r/b': [] });
    expect(await seen(port, 4)).toEqual(['/r/a[1]', '/r/a[1]/x', '/r/b']);
    expect(calls).toEqual(['-ls /r', '-ls -R /r']);
  });
});
