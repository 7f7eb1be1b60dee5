import { describe, expect, it } from 'vitest';
import type { HdfsPorts } from '../../adapters/hdfs/hdfs.js';
import type { LsEntry } from '../../adapters/hdfs/parse.js';
import { changedArguments, desiredSchedule, pathId } from './schedule.js';
import { checkAgainstT1, t1Violations } from './t1-check.js';
import { cmEngineSchema } from '../../config/schema-cm-engine.js';

const file = (path: string, length: number): LsEntry => ({
  type: 'file',
  permission: '-rw-r--r--',
  owner: 'hive',
  group: 'hive',
  length,
  modified: '2026-12-02 00:00',
  path,
});
const dir = (path: string): LsEntry => ({ ...file(path, 0), type: 'dir' });

/** Listings by directory, as `hdfs dfs -ls -R` prints them (qualified paths). */
function ports(listings: { source: Record<string, LsEntry[]>; dr: Record<string, LsEntry[]> }): HdfsPorts {
  const port = (nameNode: string, side: Record<string, LsEntry[]>) => ({
    site: { nameNode },
    listRecursive: async (d: string) => side[d] ?? [],
  });
  return { source: port('hdfs://prod', listings.source), dr: port('hdfs://dr', listings.dr) } as unknown as HdfsPorts;
}

describe('checkAgainstT1', () => {
  const t1 = [
    dir('hdfs://prod/w/.snapshot/hmsdr-1/t'),
    file('hdfs://prod/w/.snapshot/hmsdr-1/t/a', 10),
    file('hdfs://prod/w/.snapshot/hmsdr-1/t/b', 20),
  ];

  it('every T1 file on DR with its length; a file added after T1 (on the source now) is "newer than T1"', async () => {
    const hdfs = ports({
      source: {
        '/w/.snapshot/hmsdr-1': t1,
        '/w': [file('hdfs://prod/w/t/a', 10), file('hdfs://prod/w/t/b', 20), file('hdfs://prod/w/t/c', 5)],
      },
      dr: {
        '/w': [
          dir('hdfs://dr/w/t'),
          file('hdfs://dr/w/t/a', 10),
          file('hdfs://dr/w/t/b', 20),
          file('hdfs://dr/w/t/c', 5),
          file('hdfs://dr/w/t/old', 1),
        ],
      },
    });
    const check = await checkAgainstT1(hdfs, { source: '/w', target: '/w' }, 'hmsdr-1');
    expect(check).toEqual({ missing: [], wrongLength: [], newerThanT1: ['t/c'], stale: ['t/old'], files: 2 });
    expect(t1Violations(check)).toBe(0);
  });

  it('a T1 file missing on DR or with another length is a violation', async () => {
    const hdfs = ports({ source: { '/w/.snapshot/hmsdr-1': t1, '/w': [] }, dr: { '/w': [file('hdfs://dr/w/t/b', 25)] } });
    const check = await checkAgainstT1(hdfs, { source: '/w', target: '/w' }, 'hmsdr-1');
    expect(check.missing).toEqual(['t/a']);
    expect(check.wrongLength).toEqual([{ path: 't/b', t1: 20, dr: 25 }]);
    expect(t1Violations(check)).toBe(2);
  });
});

describe('schedule builders', () => {
  const cm = cmEngineSchema.parse({ peer: { name: 'prod' }, sourceCluster: 'c1' });

  it('path ids keep /a-b and /a/b apart', () => {
    expect(pathId('/a/b')).toMatch(/^a-b-[0-9a-f]{6}$/);
    expect(pathId('/a-b')).toMatch(/^a-b-[0-9a-f]{6}$/);
    expect(pathId('/a/b')).not.toBe(pathId('/a-b'));
  });

  it('changedArguments: none for the same schedule (empty lists equal absent), the keys that differ otherwise', () => {
    const wanted = desiredSchedule(cm, { source: '/w', target: '/w' });
    const { exclusionFilters: _e, ...withoutFilters } = wanted.hdfsArguments!;
    expect(changedArguments({ ...wanted, hdfsArguments: withoutFilters as never }, wanted)).toEqual([]);
    expect(
      changedArguments({ ...wanted, paused: false, hdfsArguments: { ...wanted.hdfsArguments!, removeMissingFiles: false } }, wanted),
    ).toEqual(['removeMissingFiles', 'paused']);
  });
});
