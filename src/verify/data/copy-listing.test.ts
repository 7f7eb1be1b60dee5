// listing.csv and status.csv, written from the same streamed pass as L5: what an incremental copy
// sent, deleted and renamed, what a bootstrap and a full -update pass sent, what data.exclude
// skipped, and the ERROR rows of a copy that went on past files.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HdfsPorts } from '../../adapters/hdfs/hdfs.js';
import type { SnapshotDiffEntry } from '../../adapters/hdfs/parse.js';
import { fakePort, type Tree } from '../../../test/harness/fake-hdfs-tree.js';
import { csvField, LISTING_CSV, openCopyListing, STATUS_CSV, writeFailedFiles } from './copy-listing.js';
import { verifyData, type CopiedPath } from './run.js';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

const file = (length: number) => ({ dir: false, length });
const dir = { dir: true, length: 0 };
const T1: Tree = new Map([
  ['a', dir],
  ['a/x', file(10)],
  ['keep', file(20)],
  ['new', dir],
  ['new/f1', file(30)],
  ['new/f,2', file(40)],
  ['renamed', file(50)],
  ['skip.tmp', file(60)],
]);
const DIFF: SnapshotDiffEntry[] = [
  { label: 'M', path: '' },
  { label: 'M', path: 'a/x' },
  { label: '+', path: 'new' },
  { label: '-', path: 'gone' },
  { label: 'R', path: 'old', target: 'renamed' },
];

async function listed(copied: CopiedPath): Promise<{ listing: string[]; status: string[]; calls: string[] }> {
  const runDir = mkdtempSync(join(tmpdir(), 'hmsdr-listing-'));
  temps.push(runDir);
  const calls: string[] = [];
  const target = new Map([...T1].filter(([rel]) => rel !== 'skip.tmp'));
  const hdfs: HdfsPorts = {
    source: fakePort('source', 'hdfs://prodns', { '/w/.snapshot/s1': T1 }, calls, DIFF),
    dr: fakePort('dr', 'hdfs://drns', { '/w/.snapshot/s1': target }, calls),
  };
  const sink = openCopyListing(runDir);
  const result = await verifyData(hdfs, [{ source: '/w', target: '/w' }], {
    snapshot: 's1',
    copied: [copied],
    listing: sink,
    exclude: (rel) => rel.endsWith('.tmp'),
  });
  const files = sink.close();
  expect(result.ok).toBe(true);
  expect(files.listing).toBe(join(runDir, LISTING_CSV));
  expect(statSync(files.status).mode & 0o777).toBe(0o600);
  const lines = (name: string) => readFileSync(join(runDir, name), 'utf8').trimEnd().split('\n');
  return { listing: lines(LISTING_CSV), status: lines(STATUS_CSV), calls };
}

describe('listing.csv and status.csv', () => {
  it('incremental: the diff deletions and renames, then the files the diff created or modified, with their size at T1', async () => {
    const { listing, status, calls } = await listed({ source: '/w', previous: 's0', snapshot: 's1', mode: 'incremental' });
    expect(listing).toEqual([
      'action,source,target,size,detail',
      'deleted,/w/gone,/w/gone,,',
      'renamed,/w/renamed,/w/renamed,,from old',
      'copied,/w/a/x,/w/a/x,10,',
      'copied,"/w/new/f,2","/w/new/f,2",40,',
      'copied,/w/new/f1,/w/new/f1,30,',
    ]);
    expect(status).toEqual([
      'status,source,target,size,detail',
      'DELETED,/w/gone,/w/gone,,not in s1',
      'SKIPPED,/w/skip.tmp,/w/skip.tmp,60,data.exclude',
    ]);
    expect(calls).toContain('source snapshotDiff /w s0 s1');
  });

  it('bootstrap: every file of T1 was sent; a full -update pass lists every file as checked', async () => {
    const bootstrap = await listed({ source: '/w', previous: null, snapshot: 's1', mode: 'bootstrap' });
    expect(bootstrap.listing.slice(1).map((l) => l.split(',')[0])).toEqual(['copied', 'copied', 'copied', 'copied', 'copied']);
    expect(bootstrap.calls.filter((c) => c.includes('snapshotDiff'))).toEqual([]);
    const full = await listed({ source: '/w', previous: 's0', snapshot: 's1', mode: 'full-copy' });
    expect(full.listing.slice(1).every((l) => l.startsWith('checked,') && l.endsWith(',copied unless already equal'))).toBe(true);
    expect(full.listing).toHaveLength(6);
  });

  it('a copy that went on past files: one ERROR row per file; fields quoted as RFC 4180 says', () => {
    const runDir = mkdtempSync(join(tmpdir(), 'hmsdr-listing-'));
    temps.push(runDir);
    const warnings: string[] = [];
    const warn = (event: string) => void warnings.push(event);
    writeFailedFiles(runDir, [{ target: '/w', files: ['hdfs://prodns/w/.snapshot/s1/a/x'], detail: 'DistCp -i went on past it' }], warn);
    expect(readFileSync(join(runDir, STATUS_CSV), 'utf8')).toBe(
      'status,source,target,size,detail\nERROR,hdfs://prodns/w/.snapshot/s1/a/x,/w,,DistCp -i went on past it\n',
    );
    // A run directory that cannot take the file: a warning, not a second failure.
    writeFailedFiles(join(runDir, 'missing'), [{ target: '/w', files: ['x'], detail: '' }], warn);
    expect(warnings).toEqual(['status-csv-not-written']);
    expect(csvField('a "b"')).toBe('"a ""b"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('=cmd()')).toBe('"=cmd()"');
    expect(csvField('plain/path=1')).toBe('plain/path=1');
  });
});
