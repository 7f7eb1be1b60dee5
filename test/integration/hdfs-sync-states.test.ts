// Inconsistent snapshot states block before anything changes (each with its situation and fix);
// snapshot-diff failures follow data.onDiffFailure; an interrupted bootstrap completes on resume.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreconditionError, StepFailedError } from '../../src/errors/errors.js';
import { isSyncSnapshot } from '../../src/copy/distcp/sync-state.js';
import type { CopyDataOutput } from '../../src/steps/copy-data.js';
import { ensureStandinBuilt, standinPorts, tempRoot } from './hdfs-harness.js';
import { copyData, expectEquivalent, makeConfig, makeContext, round, snapshotSource } from './hdfs-steps-harness.js';

const temp = tempRoot('hmsdr-states-');
const hdfs = standinPorts(temp.root);
const writeFile = (cluster: 'prodns' | 'drns', path: string, text: string): void => {
  const local = join(temp.root, cluster, path);
  mkdirSync(join(local, '..'), { recursive: true });
  writeFileSync(local, text);
};

beforeAll(ensureStandinBuilt, 120_000);
afterAll(() => temp.cleanup());

/** Probe says blocked with `situation`, and run() refuses with exit code 4 and the same text. */
async function expectBlocked(config: ReturnType<typeof makeConfig>, situation: RegExp, fix: RegExp): Promise<void> {
  const ctx = makeContext(config, hdfs);
  const probe = await snapshotSource.probe(ctx);
  expect(probe.status).toBe('blocked');
  if (probe.status !== 'blocked') return;
  expect(probe.reason).toMatch(situation);
  expect(probe.hint).toMatch(fix);
  const error = await snapshotSource.run(ctx).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PreconditionError);
  expect((error as PreconditionError).exitCode).toBe(4);
  expect((error as PreconditionError).message).toMatch(situation);
}

describe('blocked states', () => {
  it('source directory missing', async () => {
    await expectBlocked(makeConfig([{ source: '/nope' }]), /source directory hdfs:\/\/prodns\/nope does not exist/, /correct data\.paths/);
  });

  it('source not snapshottable and allowSnapshot false', async () => {
    writeFile('prodns', 'plain/f', 'x');
    await expectBlocked(
      makeConfig([{ source: '/plain' }], { allowSnapshot: false }),
      /not snapshottable and data\.allowSnapshot is false/,
      /hdfs dfsadmin -allowSnapshot hdfs:\/\/prodns\/plain/,
    );
  });

  it('target not empty without snapshots', async () => {
    writeFile('prodns', 'a/f', 'source');
    writeFile('drns', 'a/old', "someone else's data");
    await expectBlocked(
      makeConfig([{ source: '/a' }]),
      /target hdfs:\/\/drns\/a is not empty but has no hmsdr snapshots/,
      /move it aside .*hdfs dfs -mv/,
    );
  });

  it('source has hmsdr snapshots, target has none and is not empty', async () => {
    writeFile('prodns', 'b/f', 'source');
    const config = makeConfig([{ source: '/b' }]);
    const out = await round(config, hdfs);
    await hdfs.dr.deleteSnapshot('/b', out.snapshot);
    await expectBlocked(
      config,
      /source has hmsdr snapshots \(hmsdr-.*\) but target hdfs:\/\/drns\/b has none and is not empty/,
      /empty it/,
    );
  });

  it('latest snapshots differ (target snapshot unknown to the source)', async () => {
    writeFile('prodns', 'c/f', 'source');
    const config = makeConfig([{ source: '/c' }]);
    await round(config, hdfs);
    await hdfs.dr.createSnapshot('/c', 'hmsdr-29991231t235959');
    await expectBlocked(
      config,
      /latest snapshots differ: the target's newest hmsdr snapshot hmsdr-29991231t235959 does not exist on the source/,
      /-rdiff hmsdr-29991231t235959 <common>/,
    );
  });

  it('target has hmsdr snapshots, source has none', async () => {
    writeFile('prodns', 'd/f', 'source');
    const config = makeConfig([{ source: '/d', target: '/dr/d' }]);
    const out = await round(config, hdfs);
    await hdfs.source.deleteSnapshot('/d', out.snapshot);
    await expectBlocked(
      config,
      /target hdfs:\/\/drns\/dr\/d has hmsdr snapshots \(hmsdr-.*\) but the source hdfs:\/\/prodns\/d has none/,
      /re-baseline/,
    );
  });
});

describe('snapshot-diff impossible: data.onDiffFailure', () => {
  it('stop: the previous snapshot vanished from the source → step fails with the explanation', async () => {
    writeFile('prodns', 'e/f', 'one');
    const config = makeConfig([{ source: '/e' }]);
    await round(config, hdfs);
    writeFile('prodns', 'e/g', 'two');
    const ctx = makeContext(config, hdfs);
    ctx.outputs['snapshot-source'] = await snapshotSource.run(ctx);
    const previous = (ctx.outputs['snapshot-source'] as { paths: { previous: string }[] }).paths[0]!.previous;
    await hdfs.source.deleteSnapshot('/e', previous); // e.g. an outside retention job
    const error = await copyData.run(ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailedError);
    expect((error as StepFailedError).message).toContain(`snapshot ${previous} no longer exists on the source`);
    expect((error as StepFailedError).hint).toMatch(/onDiffFailure: full-copy/);
    expect((await hdfs.dr.listSnapshots('/e')).map((s) => s.name)).toEqual([previous]); // target untouched
  });

  it('full-copy: the same situation falls back to a full -update -delete copy from T1', async () => {
    writeFile('prodns', 'f/f', 'one');
    const config = makeConfig([{ source: '/f' }], { onDiffFailure: 'full-copy' });
    await round(config, hdfs);
    writeFile('prodns', 'f/g', 'two');
    const ctx = makeContext(config, hdfs);
    ctx.outputs['snapshot-source'] = await snapshotSource.run(ctx);
    const previous = (ctx.outputs['snapshot-source'] as { paths: { previous: string }[] }).paths[0]!.previous;
    await hdfs.source.deleteSnapshot('/f', previous);
    const out = (await copyData.run(ctx)) as CopyDataOutput;
    expect(out.paths[0]).toMatchObject({ mode: 'full-copy' });
    await expectEquivalent(hdfs, out);
  });
});

describe('resume', () => {
  it('a bootstrap copy that failed mid-way completes when the run is resumed', async () => {
    for (const n of [1, 2, 3, 4]) writeFile('prodns', `g/part-${n}`, String(n).repeat(50));
    const config = makeConfig([{ source: '/g' }]);
    const ctx = makeContext(config, hdfs);
    ctx.outputs['snapshot-source'] = await snapshotSource.run(ctx);
    mkdirSync(join(temp.root, '.standin'), { recursive: true });
    writeFileSync(join(temp.root, '.standin/faults.json'), JSON.stringify({ distcpFailAfterFiles: { after: 2, times: 1 } }));
    const failed = await copyData.run(ctx).catch((e: unknown) => e);
    expect((failed as Error).message).toMatch(/bootstrap: full DistCp copy .* exited with code 25/);
    expect((await hdfs.dr.summary('/g'))?.files).toBeGreaterThan(0); // half-applied
    // Resume = same run id: snapshot-source is done, its decision (bootstrap) is rebuilt; copy-data converges.
    const resumed = makeContext(config, hdfs, { runId: ctx.run.id });
    const probe = await snapshotSource.probe(resumed);
    expect(probe.status).toBe('done');
    if (probe.status === 'done') resumed.outputs['snapshot-source'] = probe.output;
    const out = (await copyData.run(resumed)) as CopyDataOutput;
    expect(out.paths[0]).toMatchObject({ mode: 'bootstrap' });
    await expectEquivalent(hdfs, out);
    expect((await hdfs.dr.listSnapshots('/g')).map((s) => s.name).filter(isSyncSnapshot)).toEqual([ctx.run.id].map((id) => `hmsdr-${id}`));
  });
});
