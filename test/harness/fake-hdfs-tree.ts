// A fake HDFS port over in-memory trees (relative path → dir or file with length and checksum):
// `-ls -R` streamed depth-first as the real shell prints it, `-checksum`, `-test -d`, and a
// snapshot diff when one is given. For the L5/L4 unit tests.
import type { HdfsPort } from '../../src/adapters/hdfs/hdfs.js';
import type { LsEntry, SnapshotDiffEntry } from '../../src/adapters/hdfs/parse.js';
import { HADOOP_GLOB_CHARS } from '../../src/adapters/hdfs/commands.js';
import { globRegex } from '../../src/lab/hadoop/glob.js';

export type Tree = Map<string, { dir: boolean; length: number; crc?: string }>;

/** A depth-first listing of `tree` under `root`, as `-ls -R` prints it (children in name order). */
function* depthFirst(tree: Tree, root: string, qualified: string): Generator<LsEntry> {
  const children = new Map<string, string[]>();
  for (const rel of tree.keys()) {
    const parent = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    children.set(parent, [...(children.get(parent) ?? []), rel]);
  }
  function* walk(dir: string): Generator<LsEntry> {
    for (const rel of (children.get(dir) ?? []).sort()) {
      const e = tree.get(rel)!;
      yield {
        type: e.dir ? 'dir' : 'file',
        permission: 'rwxr-xr-x',
        owner: 'hdfs',
        group: 'domain users',
        length: e.length,
        modified: '',
        path: `${qualified}${root}/${rel}`,
      };
      if (e.dir) yield* walk(rel);
    }
  }
  yield* walk('');
}

export function fakePort(
  label: string,
  nameNode: string,
  trees: Record<string, Tree>,
  calls: string[],
  diff: SnapshotDiffEntry[] = [],
): HdfsPort {
  const unused = (): never => {
    throw new Error('not used');
  };
  return {
    site: { label, nameNode, hdfsBin: 'hdfs', hadoopBin: 'hadoop', env: {} },
    where: 'local',
    listRecursive: unused,
    async *listRecursiveStream(dir: string) {
      calls.push(`${label} ls -R ${dir}`);
      const tree = trees[dir];
      if (!tree) throw new Error(`ls: ${dir}: No such file or directory`);
      yield* depthFirst(tree, dir, nameNode);
    },
    isDirectory: async (path) => {
      calls.push(`${label} test -d ${path}`);
      return path in trees;
    },
    checksums: async (paths, options) => {
      calls.push(`${label} checksum ${paths.length} (batch ${options?.batchSize})`);
      const out = new Map();
      for (const p of paths) {
        const root = Object.keys(trees).find((r) => p === `${r}/*` || p.startsWith(`${r}/`))!;
        const tree = trees[root]!;
        const rel = p.slice(root.length + 1);
        // A glob (`<dir>/*`, `<t>/{p=1,p=2}/*`): every path it matches, as the real adapter returns them.
        const rels = HADOOP_GLOB_CHARS.test(rel) ? [...tree.keys()].filter((k) => matchesGlob(rel, k)) : [rel];
        for (const r of rels) {
          const e = tree.get(r)!;
          if (!e.dir) out.set(`${root}/${r}`, { path: `${root}/${r}`, algorithm: 'COMPOSITE-CRC32C', hex: e.crc ?? `crc-${e.length}` });
        }
      }
      return out;
    },
    countMany: async (paths) => ({ found: new Map(), missing: [...paths] }),
    snapshotDiff: async (dir, from, to) => {
      calls.push(`${label} snapshotDiff ${dir} ${from} ${to}`);
      return { from, to, entries: diff } as never;
    },
  } as Partial<HdfsPort> as HdfsPort;
}

/** `rel` matches `pattern` component by component, as Hadoop's GlobPattern reads it. */
function matchesGlob(pattern: string, rel: string): boolean {
  const want = pattern.split('/');
  const have = rel.split('/');
  return want.length === have.length && want.every((w, i) => globRegex(w)?.test(have[i]!) ?? w.replace(/\\(.)/g, '$1') === have[i]);
}
