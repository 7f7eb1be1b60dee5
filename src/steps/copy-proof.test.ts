// Hadoop 2.7: copy-data proves target T1 equals source T1 (L5 by length) before the copy counts as
// done; on other versions nothing is listed.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { HdfsPort, HdfsPorts } from '../adapters/hdfs/hdfs.js';
import type { LsEntry } from '../adapters/hdfs/parse.js';
import { assertCopyOn27, proveCopyOn27 } from './copy-proof.js';
import type { StepContext } from './step.js';

function port(label: string, nameNode: string, files: Record<string, number>, calls: string[]): HdfsPort {
  return {
    site: { label, nameNode, hdfsBin: 'hdfs', hadoopBin: 'hadoop', env: {} },
    where: 'local',
    async *listRecursiveStream(dir: string): AsyncGenerator<LsEntry> {
      calls.push(`${label} ls -R ${dir}`);
      for (const [rel, length] of Object.entries(files))
        yield {
          type: 'file',
          permission: 'rw-r--r--',
          owner: 'hdfs',
          group: 'hdfs',
          length,
          modified: '',
          path: `${nameNode}${dir}/${rel}`,
        };
    },
  } as Partial<HdfsPort> as HdfsPort;
}

function ctx(version: string, target: Record<string, number>, calls: string[]): StepContext {
  const hdfs: HdfsPorts = {
    source: port('source', 'hdfs://prodns', { a: 1, b: 2 }, calls),
    dr: port('dr', 'hdfs://drns', target, calls),
  };
  const noop = (): void => undefined;
  return {
    config: { source: { nameNode: 'hdfs://prodns' }, dr: { nameNode: 'hdfs://drns' } },
    run: { id: 'r1', dir: tmpdir(), startedAt: '' },
    outputs: { preflight: { checks: [], hadoop: { source: version, dr: version } } },
    adapters: { hdfs },
    log: { info: noop, warn: noop, error: noop, stderr: noop },
    progress: noop,
    signal: new AbortController().signal,
  } as unknown as StepContext;
}

const copied = { paths: [{ source: '/w', target: '/w', snapshot: 'hmsdr-r1' }] } as never;

describe('copy-data on Hadoop 2.7', () => {
  it('a target that kept a file deleted on the source (-diff fell back to -update) fails with the fix', async () => {
    const calls: string[] = [];
    const c = ctx('2.7.3.2.6.5.0-292', { a: 1, b: 2, stale: 9 }, calls);
    expect((await proveCopyOn27(c, copied)).differences).toEqual(['/w/stale: extra-on-target']);
    await expect(assertCopyOn27(c, copied)).rejects.toThrow(
      /Hadoop 2\.7\.3.*hadoop distcp -update -delete hdfs:\/\/prodns\/w\/\.snapshot\/hmsdr-r1 hdfs:\/\/drns\/w/,
    );
    expect(calls).toContain('dr ls -R /w/.snapshot/hmsdr-r1');
  });

  it('an equal target passes; on 3.x nothing is listed', async () => {
    const calls: string[] = [];
    await assertCopyOn27(ctx('2.7.3', { a: 1, b: 2 }, calls), copied);
    expect(calls).toHaveLength(2);
    const later: string[] = [];
    await assertCopyOn27(ctx('3.3.6', { a: 1, b: 2, stale: 9 }, later), copied);
    expect(later).toEqual([]);
  });
});
