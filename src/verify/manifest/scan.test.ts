// scanTree streams a data path's listing and sorts it on disk: its counts and digests equal what
// the in-memory summary of the same entries gives (manifests written before stay comparable), the
// entries are kept only up to the limit, and checksums go by directory globs where they can.
import { describe, expect, it } from 'vitest';
import { fakePort, type Tree } from '../../../test/harness/fake-hdfs-tree.js';
import { scanTree } from './collect.js';
import { checksumDigest, summariseListing, type ManifestEntry } from './manifest.js';

const file = (length: number, crc?: string) => ({ dir: false, length, ...(crc ? { crc } : {}) });
const dir = { dir: true, length: 0 };

describe('scanTree', () => {
  const tree: Tree = new Map([
    ['a', dir],
    ['a/x', file(1)],
    ['a/y', file(2, 'yy')],
    ['a-b', file(3)],
    ['p=10', dir],
    ['p=10/part 0', file(4)],
    ['p=2', dir],
    ['p=2/sub', dir],
    ['p=2/sub/z', file(5)],
    ['é', file(6)],
  ]);
  const entries: ManifestEntry[] = [...tree].map(([rel, e]) => [rel, e.dir ? 'dir' : 'file', e.length]);

  it('gives the counts and listing digest of the in-memory summary, and the entries sorted', async () => {
    const calls: string[] = [];
    const scan = await scanTree(fakePort('dr', 'hdfs://drns', { '/w/.snapshot/s': tree }, calls), '/w/.snapshot/s', { keepEntries: 100 });
    const summary = summariseListing({ source: '/w', target: '/w' }, 's', entries, true);
    expect(scan).toEqual({
      files: summary.files,
      dirs: summary.dirs,
      bytes: summary.bytes,
      listingSha256: summary.listingSha256,
      entries: summary.entries,
    });
  });

  it('keeps no entries past the limit, and checksums equal the digest of every file, by globs where a directory allows', async () => {
    const calls: string[] = [];
    const scan = await scanTree(fakePort('dr', 'hdfs://drns', { '/w': tree }, calls), '/w', { keepEntries: 3, checksums: true });
    expect(scan.entries).toBeUndefined();
    const sums = new Map(
      entries.filter(([, t]) => t === 'file').map(([rel, , length]) => [rel, `COMPOSITE-CRC32C:${tree.get(rel)!.crc ?? `crc-${length}`}`]),
    );
    expect(scan.checksums).toEqual({ algorithm: 'COMPOSITE-CRC32C', files: 6, sha256: checksumDigest(sums) });
    // a/x and a/y go as `a/*`; the other four files by name (their directories hold other entries or one file).
    expect(calls.filter((c) => c.includes('checksum'))).toEqual(['dr checksum 5 (batch 2000)']);
  });
});
