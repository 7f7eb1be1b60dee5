// The snapshot-diff driver against the Hadoop stand-in, through the whole state machine: bootstrap,
// incremental rounds (creates, modifies, renames of files and directories, deletes), a target
// modified behind our back (-rdiff), a DistCp failure mid-copy, retention — with L5 after every round.
import { appendFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localExecutor } from '../../src/adapters/executor.js';
import { HdfsCli } from '../../src/adapters/hdfs/hdfs.js';
import { copyEngineFor } from '../../src/copy/index.js';
import { isSafetySnapshot, isSyncSnapshot } from '../../src/copy/distcp/sync-state.js';
import { compareSnapshotListings } from '../../src/verify/data/equivalence.js';
import { checkLocations } from '../../src/verify/data/presence.js';
import { ensureStandinBuilt, standinPorts, tempRoot } from './hdfs-harness.js';
import { makeConfig, round } from './hdfs-steps-harness.js';

describe('snapshot-diff sync through the state machine', () => {
  const temp = tempRoot('hmsdr-sync-');
  const hdfs = standinPorts(temp.root);
  const config = makeConfig([{ source: '/warehouse' }]);
  const src = join(temp.root, 'prodns/warehouse');
  const dst = join(temp.root, 'drns/warehouse');

  beforeAll(async () => {
    await ensureStandinBuilt();
    mkdirSync(join(src, 'db1.db/t1'), { recursive: true });
    mkdirSync(join(src, 'db1.db/t2/p=1'), { recursive: true });
    writeFileSync(join(src, 'db1.db/t1/part-0'), 'a'.repeat(1000));
    writeFileSync(join(src, 'db1.db/t1/part-1'), 'b'.repeat(700));
    writeFileSync(join(src, 'db1.db/t2/p=1/part-0'), 'c'.repeat(300));
  }, 120_000);
  afterAll(() => temp.cleanup());

  it('bootstrap: allowSnapshot, full copy from .snapshot/<T1>, target snapshot T1', async () => {
    const progress: string[] = [];
    const out = await round(config, hdfs, progress);
    expect(out.engine).toBe('distcp');
    expect(out.paths[0]).toMatchObject({
      mode: 'bootstrap',
      previous: null,
      filesExpected: 3,
      bytesExpected: 2000,
      filesCopied: 3,
      bytesCopied: 2000,
      filesFailed: 0,
      filesDeleted: null,
    });
    expect(out.paths[0]!.passes.map((p) => p.kind)).toEqual(['full']);
    expect(progress.some((p) => /map 100%/.test(p))).toBe(true);
    expect((await hdfs.dr.listSnapshots('/warehouse')).map((s) => s.name)).toEqual([out.snapshot]);
  });

  it('incremental 1: creates and modifies copy only what changed', async () => {
    mkdirSync(join(src, 'db1.db/t2/p=2'));
    writeFileSync(join(src, 'db1.db/t2/p=2/part-0'), 'd'.repeat(50));
    appendFileSync(join(src, 'db1.db/t1/part-1'), 'B'.repeat(100));
    // hmsdr plan's estimate, from the snapshot diff since the previous snapshot.
    const [estimate] = await copyEngineFor(config).estimate({ config, hdfs, runId: 'plan' });
    expect(estimate).toMatchObject({ mode: 'incremental', files: 2, bytes: 850, changes: { created: 1, modified: 2 } });
    const out = await round(config, hdfs);
    expect(out.paths[0]).toMatchObject({ mode: 'incremental', filesCopied: 2, bytesCopied: 850 });
  });

  it('incremental 2: renames of a file and a directory are applied, not copied', async () => {
    renameSync(join(src, 'db1.db/t1/part-0'), join(src, 'db1.db/t1/part-0-renamed'));
    renameSync(join(src, 'db1.db/t2'), join(src, 'db1.db/t2_moved'));
    writeFileSync(join(src, 'db1.db/t2_moved/p=1/part-new'), 'e'.repeat(10));
    const out = await round(config, hdfs);
    expect(out.paths[0]).toMatchObject({ mode: 'incremental', filesCopied: 1, bytesCopied: 10 });
  });

  it('incremental 3: deletes of a file and a directory', async () => {
    rmSync(join(src, 'db1.db/t1/part-1'));
    rmSync(join(src, 'db1.db/t2_moved/p=2'), { recursive: true });
    const out = await round(config, hdfs);
    expect(out.paths[0]).toMatchObject({ mode: 'incremental', filesCopied: 0 });
    const count = await hdfs.dr.summary('/warehouse');
    expect(count).toMatchObject({ files: 3 });
  });

  it('target modified behind our back: safety snapshot, -rdiff rewind, retry', async () => {
    writeFileSync(join(dst, 'db1.db/stray.txt'), 'written on DR');
    appendFileSync(join(dst, 'db1.db/t1/part-0-renamed'), 'tampered');
    writeFileSync(join(src, 'db1.db/t1/part-2'), 'f'.repeat(20));
    const out = await round(config, hdfs);
    const path = out.paths[0]!;
    expect(path.mode).toBe('rdiff-recovered');
    expect(path.safetySnapshot).toMatch(/^hmsdr-safety-/);
    expect(path.passes.map((r) => [r.kind, r.exitCode])).toEqual([
      ['diff', 25],
      ['rdiff', 0],
      ['diff', 0],
    ]);
    // The safety snapshot keeps what was found on the target.
    expect(await hdfs.dr.exists(`/warehouse/.snapshot/${path.safetySnapshot}/db1.db/stray.txt`)).toBe(true);
  });

  it('DistCp fails mid-copy: the half-applied target is rewound and the copy completes', async () => {
    mkdirSync(join(temp.root, '.standin'), { recursive: true });
    writeFileSync(join(temp.root, '.standin/faults.json'), JSON.stringify({ distcpFailAfterFiles: { after: 1, times: 1 } }));
    renameSync(join(src, 'db1.db/t1/part-2'), join(src, 'db1.db/t1/part-2b'));
    for (const n of [1, 2, 3]) writeFileSync(join(src, `db1.db/t1/new-${n}`), String(n).repeat(100 * n));
    const out = await round(config, hdfs);
    const path = out.paths[0]!;
    expect(path.passes.map((r) => [r.kind, r.exitCode])).toEqual([
      ['diff', 25],
      ['rdiff', 0],
      ['diff', 0],
    ]);
    expect(path.mode).toBe('rdiff-recovered');
  });

  it('retention keeps the newest 3 hmsdr snapshots on both sides', async () => {
    const sourceSnaps = (await hdfs.source.listSnapshots('/warehouse')).map((s) => s.name);
    const targetSnaps = (await hdfs.dr.listSnapshots('/warehouse')).map((s) => s.name);
    expect(sourceSnaps.filter(isSyncSnapshot)).toHaveLength(3);
    expect(targetSnaps.filter(isSyncSnapshot)).toHaveLength(3);
    expect(targetSnaps.filter(isSafetySnapshot)).toHaveLength(2);
    expect(targetSnaps.filter(isSyncSnapshot)).toEqual(sourceSnaps.filter(isSyncSnapshot));
  });

  it('L5 lists mismatches by path when the target snapshot differs', async () => {
    const last = (await hdfs.dr.listSnapshots('/warehouse')).filter((s) => isSyncSnapshot(s.name)).pop()!.name;
    // A DR-side snapshot that does not match the source's: copy the newest state, then break it.
    writeFileSync(join(dst, 'db1.db/t1/new-1'), 'X'.repeat(100));
    rmSync(join(dst, 'db1.db/t1/new-2'));
    await hdfs.dr.createSnapshot('/warehouse', 'broken');
    await hdfs.source.createSnapshot('/warehouse', 'broken');
    const l5 = await compareSnapshotListings(hdfs, { source: '/warehouse', target: '/warehouse' }, 'broken', { checksums: true });
    expect(l5.ok).toBe(false);
    expect(l5.mismatches.map((m) => [m.kind, m.path])).toEqual([
      ['checksum', 'db1.db/t1/new-1'],
      ['missing-on-target', 'db1.db/t1/new-2'],
    ]);
    expect(last).toMatch(/^hmsdr-/);
  });

  it('L4: locations checked at the snapshot with one listing of the root (plus -test -d of its snapshot), results as before', async () => {
    const last = (await hdfs.dr.listSnapshots('/warehouse')).filter((s) => isSyncSnapshot(s.name)).pop()!.name;
    let processes = 0;
    const counting = {
      ...localExecutor,
      runAnyExit: (...args: Parameters<typeof localExecutor.runAnyExit>) => (processes++, localExecutor.runAnyExit(...args)),
      stream: (...args: Parameters<typeof localExecutor.stream>) => (processes++, localExecutor.stream(...args)),
    };
    const dr = new HdfsCli(hdfs.dr.site, counting);
    const progress: string[] = [];
    const report = await checkLocations(
      dr,
      [
        'hdfs://drns/warehouse/db1.db/t1',
        'hdfs://drns/warehouse/db1.db/t2_moved/p=1',
        'hdfs://drns/warehouse/db1.db/gone',
        's3a://bucket/external',
      ],
      { roots: ['/warehouse'], snapshot: last, onProgress: (text) => progress.push(text) },
    );
    // `-test -d <root>/.snapshot/<T1>` and one streamed `-ls -R` of it, whatever the number of locations.
    expect(processes).toBe(2);
    expect(progress).toEqual(['L4: 3 of 3 locations checked on DR']);
    expect(report.missing).toEqual([
      { location: 'hdfs://drns/warehouse/db1.db/gone', checkedPath: `/warehouse/.snapshot/${last}/db1.db/gone` },
    ]);
    expect(report.foreign).toEqual(['s3a://bucket/external']);
    expect(report.ok).toBe(false);
  });
});

describe('an unreachable file system', () => {
  it('is an HDFS error, not "every location missing"', async () => {
    const offline = {
      ...localExecutor,
      runAnyExit: async () => ({
        exitCode: 1,
        stdout: '',
        stderr: 'count: Call From edge to nn:8020 failed on connection exception: java.net.ConnectException: Connection refused\n',
      }),
    };
    const dr = new HdfsCli({ label: 'dr', nameNode: 'hdfs://drns', hdfsBin: 'hdfs', hadoopBin: 'hadoop', env: {} }, offline);
    await expect(checkLocations(dr, ['hdfs://drns/warehouse/a'], { roots: ['/warehouse'] })).rejects.toMatchObject({
      code: 'E_HDFS_UNREACHABLE',
    });
  });
});
