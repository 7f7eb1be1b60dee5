import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ChecksumGroups, checksumArguments, type ChecksumEntry } from './checksum-groups.js';
import { PathSpool } from './checksum-plan.js';

type Seen = ['candidate' | 'other', string];

function grouped(records: Seen[], maxHeld?: number): ChecksumEntry[] {
  const out: ChecksumEntry[] = [];
  const groups = new ChecksumGroups((e) => out.push(e), maxHeld);
  for (const [kind, rel] of records) groups[kind](rel);
  groups.end();
  return out;
}

describe('ChecksumGroups', () => {
  it('a directory whose every entry is a candidate goes as one <dir>/*; its files are not named', () => {
    expect(
      grouped([
        ['other', 'db'],
        ['other', 'db/t'],
        ['other', 'db/t/p=1'],
        ['candidate', 'db/t/p=1/a'],
        ['candidate', 'db/t/p=1/b'],
        ['other', 'db/t/p=2'],
        ['candidate', 'db/t/p=2/a'],
        ['other', 'db/t/p=2/b'],
        ['candidate', 'db/t/p=2/c'],
      ]),
    ).toEqual([{ dir: 'db/t/p=1', names: ['db/t/p=1/a', 'db/t/p=1/b'] }, 'db/t/p=2/a', 'db/t/p=2/c']);
  });

  it('a subdirectory, a difference or a hidden or glob-like name keeps the files named', () => {
    expect(
      grouped([
        ['candidate', 'p/a'],
        ['other', 'p/sub'],
        ['candidate', 'p/sub-x'],
        ['candidate', 'p/sub/y'],
        ['candidate', 'p/sub/z'],
        ['candidate', 'p/z'],
        ['candidate', 'q/.hidden'],
        ['candidate', 'q/b'],
        ['candidate', 'r[1]/a'],
        ['candidate', 'r[1]/b'],
      ]),
    ).toEqual(['p/a', 'p/sub-x', { dir: 'p/sub', names: ['p/sub/y', 'p/sub/z'] }, 'p/z', 'q/.hidden', 'q/b', 'r[1]/a', 'r[1]/b']);
  });

  it('one file is named, the root is `*`, and a directory past maxHeld is named file by file', () => {
    expect(grouped([['candidate', 'only/a']])).toEqual(['only/a']);
    expect(
      grouped([
        ['candidate', 'a'],
        ['candidate', 'b'],
      ]),
    ).toEqual([{ dir: '', names: ['a', 'b'] }]);
    expect(checksumArguments('/w/.snapshot/s', [{ dir: '', names: ['a', 'b'] }])).toEqual(['/w/.snapshot/s/*']);
    expect(checksumArguments('/w/.snapshot/s', [{ dir: 'd', names: ['d/a', 'd/b'] }])).toEqual(['/w/.snapshot/s/d/*']);
    expect(
      grouped(
        [
          ['candidate', 'big/1'],
          ['candidate', 'big/2'],
          ['candidate', 'big/3'],
          ['candidate', 'big/4'],
        ],
        2,
      ),
    ).toEqual(['big/1', 'big/2', 'big/3', 'big/4']);
  });

  it('directories of one parent share one argument, as a {…} alternation', () => {
    const dir = (d: string): ChecksumEntry => ({ dir: d, names: [`${d}/f0`, `${d}/f1`] });
    expect(
      checksumArguments('/r', [dir('db/t/p=1'), dir('db/t/p=7'), 'db/t/p=8/f0', dir('db/u/p=1'), dir('db/t/a,b'), dir('db/t/p=9')]),
    ).toEqual(['/r/db/t/p=8/f0', '/r/db/t/{p=1,p=7}/*', '/r/db/t/a,b/*', '/r/db/u/p=1/*', '/r/db/t/p=9/*']);
  });
});

describe('PathSpool batches', () => {
  it('cut at the entry count, and before an entry that would pass 20,000 files', async () => {
    const spool = new PathSpool(tmpdir());
    const dir = (i: number, n: number): ChecksumEntry => ({ dir: `d${i}`, names: Array.from({ length: n }, (_, f) => `d${i}/f${f}`) });
    try {
      for (let i = 0; i < 6; i++) await spool.add(dir(i, 5_000));
      await spool.add('x');
      await spool.add('y');
      const sizes: number[][] = [];
      for await (const batch of spool.batches(3)) sizes.push(batch.map((e) => (typeof e === 'string' ? 1 : e.names.length)));
      expect(sizes).toEqual([
        [5_000, 5_000, 5_000],
        [5_000, 5_000, 5_000],
        [1, 1],
      ]);
      const capped: number[] = [];
      for await (const batch of spool.batches(100)) capped.push(batch.length);
      // Four directories make 20,000 files: the fifth starts the next batch.
      expect(capped).toEqual([4, 4]);
    } finally {
      spool.remove();
    }
  });
});
