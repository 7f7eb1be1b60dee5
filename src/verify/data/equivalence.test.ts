// L5 and L4 against fake HDFS ports: the streamed, sorted merge finds every kind of difference in
// bounded memory; checksum modes pick the files they say; excluded paths are counted, not compared.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HdfsPorts } from '../../adapters/hdfs/hdfs.js';
import { fakePort, type Tree } from '../../../test/harness/fake-hdfs-tree.js';
import type { SortStats } from '../../util/external-sort.js';
import { changedMatcher } from './checksum-plan.js';
import { compareSnapshotListings, coverageText } from './equivalence.js';
import { checkLocations } from './presence.js';
import { verifyData } from './run.js';
import { exclusionPredicate } from '../../config/schema-copy.js';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

const file = (length: number, crc?: string) => ({ dir: false, length, ...(crc ? { crc } : {}) });
const dir = { dir: true, length: 0 };

describe('L5 streamed', () => {
  it('finds missing, extra, type and length differences although the listing order is not the path order', async () => {
    const src: Tree = new Map([
      ['a', dir],
      ['a/x', file(1)],
      ['a-b', file(2)],
      ['p=2', file(3)],
      ['p=10', file(4)],
      ['région=Île de France', dir],
      ['région=Île de France/part 0', file(5)],
      ['gone', file(6)],
      ['t', dir],
    ]);
    const dst: Tree = new Map([...src].filter(([k]) => k !== 'gone'));
    dst.set('extra', file(7));
    dst.set('p=10', file(40));
    dst.set('t', file(0));
    const calls: string[] = [];
    const hdfs: HdfsPorts = {
      source: fakePort('source', 'hdfs://prodns', { '/w/.snapshot/s1': src }, calls),
      dr: fakePort('dr', 'hdfs://drns', { '/w/.snapshot/s1': dst }, calls),
    };
    const r = await compareSnapshotListings(hdfs, { source: '/w', target: '/w' }, 's1', { checksums: 'none' });
    expect(r.mismatches).toEqual([
      { path: 'extra', kind: 'extra-on-target', target: 'file 7' },
      { path: 'gone', kind: 'missing-on-target', source: 'file 6' },
      { path: 'p=10', kind: 'length', source: '4', target: '40' },
      { path: 't', kind: 'type', source: 'dir', target: 'file' },
    ]);
    expect(r.files).toEqual({ source: 6, target: 7 });
    expect(r.lengthCompared).toBe(4);
    expect(r.ok).toBe(false);
  });

  it('50,000 files compared with at most 2,000 entries per side in memory, temp files removed', async () => {
    const tree: Tree = new Map();
    for (let d = 0; d < 500; d++) {
      tree.set(`t/p=${d}`, dir);
      for (let f = 0; f < 100; f++) tree.set(`t/p=${d}/part-${f}`, file(f));
    }
    tree.set('t', dir);
    const dst: Tree = new Map(tree);
    dst.set('t/p=499/part-7', file(8));
    const calls: string[] = [];
    const hdfs: HdfsPorts = {
      source: fakePort('source', 'hdfs://prodns', { '/w/.snapshot/s1': tree }, calls),
      dr: fakePort('dr', 'hdfs://drns', { '/w/.snapshot/s1': dst }, calls),
    };
    const tmp = mkdtempSync(join(tmpdir(), 'hmsdr-l5-test-'));
    temps.push(tmp);
    const sortStats = {
      source: { records: 0, spilledRuns: 0, maxBuffered: 0 },
      target: { records: 0, spilledRuns: 0, maxBuffered: 0 },
    } satisfies Record<string, SortStats>;
    const r = await compareSnapshotListings(hdfs, { source: '/w', target: '/w' }, 's1', {
      checksums: 'none',
      maxInMemory: 2000,
      tmpDir: tmp,
      sortStats,
    });
    expect(r.files).toEqual({ source: 50_000, target: 50_000 });
    expect(r.mismatches).toEqual([{ path: 't/p=499/part-7', kind: 'length', source: '7', target: '8' }]);
    expect(sortStats.source.records).toBe(50_501);
    expect(sortStats.source.maxBuffered).toBeLessThanOrEqual(2000);
    expect(sortStats.target.maxBuffered).toBeLessThanOrEqual(2000);
    expect(sortStats.source.spilledRuns).toBeGreaterThanOrEqual(25);
    expect(readdirSync(tmp)).toEqual([]);
  }, 120_000);

  it('checksums: changed = the diff created/modified files plus a sample; all = every equal-length file; in large batches', async () => {
    const tree: Tree = new Map([['new', dir]]);
    for (let i = 0; i < 50; i++) tree.set(`old/f${i}`, file(i));
    tree.set('old', dir);
    tree.set('new/a', file(1));
    tree.set('new/b', file(2));
    tree.set('mod', file(3));
    const dst: Tree = new Map(tree);
    dst.set('mod', file(3, 'other'));
    const calls: string[] = [];
    const hdfs: HdfsPorts = {
      source: fakePort('source', 'hdfs://prodns', { '/w/.snapshot/s2': tree }, calls),
      dr: fakePort('dr', 'hdfs://drns', { '/w/.snapshot/s2': dst }, calls),
    };
    const changed = changedMatcher([
      { label: '+', path: 'new' },
      { label: 'M', path: 'mod' },
      { label: 'M', path: 'old' },
    ]);
    const r = await compareSnapshotListings(hdfs, { source: '/w', target: '/w' }, 's2', {
      checksums: 'changed',
      changed,
      sample: 5,
      rotation: 'run-1',
    });
    expect(r.checksums).toEqual({ mode: 'changed', changed: 3, sample: 5, other: 0 });
    expect(r.checksumsCompared).toBe(8);
    expect(r.mismatches).toEqual([{ path: 'mod', kind: 'checksum', source: 'COMPOSITE-CRC32C:crc-3', target: 'COMPOSITE-CRC32C:other' }]);
    expect(coverageText(r)).toBe('compared by length: 53 files; by checksum: 8 (changed 3 + sample 5)');
    // `new/a` and `new/b` are all of `new`: one `new/*` argument; the 5 sampled and `mod` one each.
    expect(calls.filter((c) => c.includes('checksum'))).toEqual(['source checksum 7 (batch 2000)', 'dr checksum 7 (batch 2000)']);
    // Another run samples other files.
    const samples = async (rotation: string): Promise<string[]> => {
      const seen: string[] = [];
      const spy: HdfsPorts = {
        source: { ...hdfs.source, checksums: async (paths, o) => (seen.push(...paths), hdfs.source.checksums(paths, o)) },
        dr: hdfs.dr,
      };
      await compareSnapshotListings(spy, { source: '/w', target: '/w' }, 's2', { checksums: 'changed', changed, sample: 5, rotation });
      return seen.filter((p) => p.includes('/old/'));
    };
    expect(await samples('run-1')).toHaveLength(5);
    expect(await samples('run-2')).not.toEqual(await samples('run-1'));
    calls.length = 0;
    const all = await compareSnapshotListings(hdfs, { source: '/w', target: '/w' }, 's2', { checksums: 'all' });
    expect(all.checksumsCompared).toBe(53);
    // `mod` and `{new,old}/*`: two arguments for 53 files.
    expect(calls.filter((c) => c.includes('checksum'))).toEqual(['source checksum 2 (batch 2000)', 'dr checksum 2 (batch 2000)']);
    expect(all.mismatches).toEqual(r.mismatches);
    expect(coverageText(all)).toBe('compared by length: 53 files; by checksum: 53 (all files of equal length)');
  });

  it('excluded paths are skipped on both sides and counted', async () => {
    const src: Tree = new Map([
      ['keep', file(1)],
      ['tmp', dir],
      ['tmp/a', file(10)],
    ]);
    const dst: Tree = new Map([
      ['keep', file(1)],
      ['tmp', dir],
      ['tmp/b', file(20)],
      ['tmp/c', file(30)],
    ]);
    const calls: string[] = [];
    const hdfs: HdfsPorts = {
      source: fakePort('source', 'hdfs://prodns', { '/w/.snapshot/s1': src }, calls),
      dr: fakePort('dr', 'hdfs://drns', { '/w/.snapshot/s1': dst }, calls),
    };
    const exclude = (rel: string): boolean => rel === 'tmp' || rel.startsWith('tmp/');
    const r = await compareSnapshotListings(hdfs, { source: '/w', target: '/w' }, 's1', { checksums: 'none', exclude });
    expect(r.ok).toBe(true);
    expect(r.excluded).toEqual({ source: { files: 1, bytes: 10 }, target: { files: 2, bytes: 50 } });
  });
});

describe('L4 by listing', () => {
  it('one listing per root joined with the locations; excluded and outside locations apart; a missing root makes its locations missing', async () => {
    const tree: Tree = new Map([
      ['db.db', dir],
      ['db.db/t', dir],
      ['db.db/t/p=1', dir],
      ['db.db/t/p=é x', dir],
      ['db.db/f', file(1)],
    ]);
    const calls: string[] = [];
    const dr = fakePort('dr', 'hdfs://drns', { '/w/.snapshot/s1': tree }, calls);
    const report = await checkLocations(
      dr,
      [
        'hdfs://drns/w',
        'hdfs://drns/w/db.db/t',
        'hdfs://drns/w/db.db/t/p=1',
        'hdfs://drns/w/db.db/t/p=é x/',
        'hdfs://drns/w/db.db/f',
        'hdfs://drns/w/db.db/t/p=2',
        'hdfs://drns/w/tmp/x',
        'hdfs://drns/other/t',
        'hdfs://elsewhere/w/t',
        'hdfs://drns/v/t',
      ],
      { roots: ['/w', '/v'], snapshot: 's1', exclude: (rel) => rel.startsWith('tmp/') },
    );
    expect(report.missing).toEqual([
      { location: 'hdfs://drns/w/db.db/t/p=2', checkedPath: '/w/.snapshot/s1/db.db/t/p=2' },
      { location: 'hdfs://drns/other/t', checkedPath: '/other/t' },
      { location: 'hdfs://drns/v/t', checkedPath: '/v/.snapshot/s1/t' },
    ]);
    expect(report.excluded).toEqual(['hdfs://drns/w/tmp/x']);
    expect(report.foreign).toEqual(['hdfs://elsewhere/w/t']);
    expect(report.outsideSnapshotRoots).toEqual(['hdfs://drns/other/t']);
    expect(report.checked).toBe(9);
    expect(calls.filter((c) => c.includes('ls -R'))).toEqual(['dr ls -R /w/.snapshot/s1']);
  });

  it('a location given twice, or spelled two ways, is checked once and reported with its last spelling, in first-seen order', async () => {
    const tree: Tree = new Map([['db.db', dir]]);
    const dr = fakePort('dr', 'hdfs://drns', { '/w/.snapshot/s1': tree }, []);
    dr.countMany = async (paths) => ({ found: new Map(), missing: paths.filter((p) => p !== '/other/there') });
    const report = await checkLocations(
      dr,
      [
        'hdfs://drns/w/db.db/t2',
        'hdfs://drns/w/db.db/t1',
        'hdfs://drns/other/x',
        'hdfs://drns//w/db.db/t2/',
        'hdfs://drns/w/db.db',
        'hdfs://drns/w/db.db/t1',
        'hdfs://drns/other//x/',
        'hdfs://drns/other/there',
        'hdfs://drns/w/db.db/t2',
      ],
      { roots: ['/w'], snapshot: 's1' },
    );
    expect(report.missing).toEqual([
      { location: 'hdfs://drns//w/db.db/t2/', checkedPath: '/w/.snapshot/s1/db.db/t2' },
      { location: 'hdfs://drns/w/db.db/t1', checkedPath: '/w/.snapshot/s1/db.db/t1' },
      { location: 'hdfs://drns/other//x/', checkedPath: '/other/x' },
    ]);
    expect(report.outsideSnapshotRoots).toEqual(['hdfs://drns/other/x', 'hdfs://drns/other//x/', 'hdfs://drns/other/there']);
    expect(report.checked).toBe(5);
  });
});

describe('data.exclude through verifyData', () => {
  it("each path's own exclusions: excluded under /w (counted, L4 excluded), compared under /v (a difference)", async () => {
    const tree = (extra: string): Tree =>
      new Map([
        ['keep', file(1)],
        ['tmp', dir],
        [`tmp/${extra}`, file(10)],
      ]);
    const calls: string[] = [];
    const hdfs: HdfsPorts = {
      source: fakePort('source', 'hdfs://prodns', { '/w/.snapshot/s1': tree('a'), '/v/.snapshot/s1': tree('a') }, calls),
      dr: fakePort('dr', 'hdfs://drns', { '/w/.snapshot/s1': tree('b'), '/v/.snapshot/s1': tree('b') }, calls),
    };
    const data = { exclude: [], paths: [{ source: '/w', exclude: ['tmp(/.*)?'] }, { source: '/v' }] };
    const result = await verifyData(
      hdfs,
      [
        { source: '/w', target: '/w' },
        { source: '/v', target: '/v' },
      ],
      { snapshot: 's1', exclude: exclusionPredicate(data), locations: ['hdfs://drns/w/tmp/x', 'hdfs://drns/v/tmp/x'] },
    );
    const [w, v] = result.equivalence;
    expect(w).toMatchObject({ ok: true, excluded: { source: { files: 1, bytes: 10 }, target: { files: 1, bytes: 10 } } });
    expect(v!.ok).toBe(false);
    expect(result.presence!.excluded).toEqual(['hdfs://drns/w/tmp/x']);
    expect(result.presence!.missing.map((m) => m.location)).toEqual(['hdfs://drns/v/tmp/x']);
    expect(exclusionPredicate({ paths: [{ source: '/w' }] })).toBeUndefined();
  });
});

describe('files an engine copied after T1', () => {
  it('are expected extras on the target, counted with their directories; any other extra is still a mismatch', async () => {
    const src: Tree = new Map([
      ['t', dir],
      ['t/a', file(1)],
    ]);
    const dst: Tree = new Map([
      ['t', dir],
      ['t/a', file(1)],
      ['t/p=new', dir],
      ['t/p=new/f', file(7)],
      ['t/stray', file(2)],
    ]);
    const calls: string[] = [];
    const hdfs: HdfsPorts = {
      source: fakePort('source', 'hdfs://prodns', { '/w/.snapshot/s1': src }, calls),
      dr: fakePort('dr', 'hdfs://drns', { '/w/.snapshot/s1': dst }, calls),
    };
    const pair = { source: '/w', target: '/w' };
    const r = await compareSnapshotListings(hdfs, pair, 's1', { checksums: 'none', newerThanT1: ['t/p=new/f'] });
    expect(r.newerOnTarget).toEqual({ files: 1, dirs: 1, bytes: 7 });
    expect(r.mismatches.map((m) => `${m.kind} ${m.path}`)).toEqual(['extra-on-target t/stray']);
    expect(r.ok).toBe(false);
    const clean = await compareSnapshotListings(
      { ...hdfs, dr: fakePort('dr', 'hdfs://drns', { '/w/.snapshot/s1': new Map([...dst].filter(([k]) => k !== 't/stray')) }, calls) },
      pair,
      's1',
      { checksums: 'none', newerThanT1: ['t/p=new/f'] },
    );
    expect(clean.ok).toBe(true);
  });
});
