import { describe, expect, it } from 'vitest';
import type { Manifest, ManifestEntry } from './cluster.js';
import { comparePaths, diffManifests, formatDiffEntry } from './snapshot-diff.js';

type Spec = Record<string, [id: string, kind: 'd' | 'f', size?: number, mtime?: number]>;
const manifest = (spec: Spec): Manifest =>
  new Map(
    Object.entries(spec).map(([path, [id, kind, size = 0, mtime = 1]]): [string, ManifestEntry] => [
      path,
      { id, type: kind === 'd' ? 'dir' : 'file', size, mtimeMs: mtime, mode: 0o644 },
    ]),
  );
const report = (a: Spec, b: Spec): string[] => diffManifests(manifest(a), manifest(b)).map(formatDiffEntry);

const base: Spec = { '': ['r', 'd'], 'a.txt': ['1', 'f', 5], dir: ['2', 'd'], 'dir/x': ['3', 'f', 1], old: ['4', 'f', 1] };

describe('snapshot diff semantics (reference §3.4)', () => {
  it('rename, create, delete are listed under the parent M entry: creates first, then deletes/renames by name', () => {
    expect(report(base, { '': ['r', 'd'], 'b.txt': ['1', 'f', 5], new: ['9', 'f'], dir: ['2', 'd'], 'dir/x': ['3', 'f', 1] })).toEqual([
      'M\t.',
      '+\t./new',
      'R\t./a.txt -> ./b.txt',
      '-\t./old',
    ]);
  });

  it('renamed then modified: R plus M under the pre-rename path', () => {
    const later: Spec = { ...base, 'z.txt': ['1', 'f', 9, 2] };
    delete later['a.txt'];
    expect(report(base, later)).toEqual(['M\t.', 'R\t./a.txt -> ./z.txt', 'M\t./a.txt']);
  });

  it('created after the earlier state and renamed: only + with the final name; deleted and re-created: + and -', () => {
    const later: Spec = { ...base, fresh: ['7', 'f'], old: ['8', 'f', 1] };
    expect(report(base, later)).toEqual(['M\t.', '+\t./fresh', '+\t./old', '-\t./old']);
  });

  it('a file created inside a renamed directory is reported under the old directory path', () => {
    const later: Spec = {
      '': ['r', 'd'],
      'a.txt': ['1', 'f', 5],
      dirY: ['2', 'd'],
      'dirY/x': ['3', 'f', 1],
      'dirY/fileX': ['6', 'f'],
      old: ['4', 'f', 1],
    };
    expect(report(base, later)).toEqual(['M\t.', 'R\t./dir -> ./dirY', 'M\t./dir', '+\t./dir/fileX']);
  });

  it('children of a created or deleted directory are not listed; equal states give no entries', () => {
    expect(report(base, { ...base, nd: ['5', 'd'], 'nd/f': ['6', 'f'] })).toEqual(['M\t.', '+\t./nd']);
    const noDir = { ...base };
    delete noDir.dir;
    delete noDir['dir/x'];
    expect(report(base, noDir)).toEqual(['M\t.', '-\t./dir']);
    expect(report(base, base)).toEqual([]);
  });

  it('component-wise byte order: root, dir, dir/sub, zdir; uppercase before lowercase', () => {
    const paths = ['zdir', 'dir/sub', '', 'dir', 'Dir', 'dir-x'];
    expect([...paths].sort(comparePaths)).toEqual(['', 'Dir', 'dir', 'dir/sub', 'dir-x', 'zdir']);
  });
});
