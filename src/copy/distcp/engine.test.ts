import { describe, expect, it } from 'vitest';
import type { DistcpSpec, HdfsSiteSpec } from '../../adapters/hdfs/commands.js';
import type { DistcpOutcome, HdfsPort, HdfsPorts } from '../../adapters/hdfs/hdfs.js';
import type { DistcpCounters } from '../../adapters/hdfs/parse.js';
import type { Adapters } from '../../adapters/index.js';
import type { ResolvedConfig } from '../../config/load.js';
import { configSchema } from '../../config/schema.js';
import type { StepContext } from '../engine.js';
import { createCopyDataStep } from '../../steps/copy-data.js';
import type { SnapshotSourceOutput } from '../../steps/snapshot-source.js';
import { copyEngineFor } from '../index.js';

const metastore = { host: 'db', database: 'hive', user: 'hive' };
const config = {
  ...configSchema.parse({
    version: 1,
    source: { name: 'prod', metastore, nameNode: 'hdfs://prodns' },
    dr: {
      name: 'dr',
      metastore: { ...metastore, host: 'drdb' },
      nameNode: 'hdfs://drns',
      stagingDir: '/s',
      serviceControl: { type: 'none' },
    },
    data: { paths: [{ source: '/w', target: '/dr/w' }], maps: 4 },
  }),
  file: '/c.yaml',
  hash: 'h',
  runsDirAbs: '/runs',
} as ResolvedConfig;
const run = { id: '20260101t000000', dir: '/runs/x', startedAt: '' };
const T1 = `hmsdr-${run.id}`;

const counters = (over: Partial<DistcpCounters> = {}): DistcpCounters => ({
  filesCopied: 0,
  bytesCopied: 0,
  bytesExpected: 0,
  bytesSkipped: 0,
  filesSkipped: 0,
  filesFailed: 0,
  bytesFailed: 0,
  dirsCopied: 0,
  raw: {},
  ...over,
});

/** An in-memory HDFS side: directories with snapshots; DistCp answers from a script. */
function fakeSide(
  label: string,
  nameNode: string,
  snapshots: Record<string, string[]>,
  distcp: DistcpOutcome[] = [],
  specs: DistcpSpec[] = [],
): HdfsPort {
  const site: HdfsSiteSpec = { label, nameNode, hdfsBin: 'hdfs', hadoopBin: 'hadoop', env: {} };
  const dirs = new Map(Object.entries(snapshots).map(([d, names]) => [d, [...names]]));
  const unused = (): never => {
    throw new Error('not used by this test');
  };
  return {
    site,
    where: 'local',
    snapshottableDirs: async () =>
      [...dirs.keys()].map((path) => ({
        path,
        snapshotCount: 0,
        snapshotQuota: 65536,
        owner: 'hdfs',
        group: 'hdfs',
        permission: 'drwxr-xr-x',
      })) as never,
    exists: async (path) => dirs.has(path.replace(/\/\.snapshot$/, '')),
    summary: async (path) => (dirs.has(path) ? { path, dirs: 1, files: 0, bytes: 0 } : undefined),
    listSnapshots: async (dir) => (dirs.get(dir) ?? []).map((name, i) => ({ name, createdMs: i })),
    allowSnapshot: async (dir) => void (dirs.has(dir) || dirs.set(dir, [])),
    createSnapshot: async (dir, name) => void dirs.get(dir)!.push(name),
    deleteSnapshot: async (dir, name) =>
      void dirs.set(
        dir,
        dirs.get(dir)!.filter((n) => n !== name),
      ),
    mkdirs: async (dir) => void (dirs.has(dir) || dirs.set(dir, [])),
    snapshotDiff: unused,
    countMany: unused,
    checksums: unused,
    listRecursive: unused,
    putText: unused,
    ticketSecondsLeft: async () => undefined,
    distcp: async (spec) => {
      specs.push(spec);
      const next = distcp.shift();
      if (!next) throw new Error('unexpected DistCp pass');
      return next;
    },
  };
}

function context(hdfs: HdfsPorts, planned: SnapshotSourceOutput['paths']): StepContext {
  const noop = (): void => undefined;
  return {
    config,
    run,
    adapters: { hdfs } as unknown as Adapters,
    outputs: { 'snapshot-source': { snapshot: T1, paths: planned } },
    log: { info: noop, warn: noop, error: noop, stderr: noop },
    signal: new AbortController().signal,
    progress: noop,
    confirm: async () => true,
  };
}

describe('the DistCp engine behind DataCopyEngine', () => {
  it('is what data.engine names, and the copy-data step plans with its builders', () => {
    const engine = copyEngineFor(config);
    expect(config.data.engine).toBe('distcp');
    expect(engine.id).toBe('distcp');
    const step = createCopyDataStep(config);
    expect(step.plan(config, run)).toEqual(engine.plan(config, run));
    expect(createCopyDataStep().plan(config, run)).toEqual(engine.plan(config, run));
    expect(step.title).toBe(engine.title);
    expect(step.recovery).toBe(engine.recovery);
  });

  it('bootstrap: one full pass, the typed result sums its counters, the target gets T1', async () => {
    const specs: DistcpSpec[] = [];
    const outcome: DistcpOutcome = {
      exitCode: 0,
      durationMs: 5,
      stderrTail: '',
      counters: counters({ filesCopied: 3, bytesCopied: 2000, bytesExpected: 2010, filesSkipped: 1, bytesSkipped: 10 }),
    };
    const hdfs = { source: fakeSide('source', 'hdfs://prodns', { '/w': [T1] }), dr: fakeSide('dr', 'hdfs://drns', {}, [outcome], specs) };
    const ctx = context(hdfs, [{ source: '/w', target: '/dr/w', snapshot: T1, mode: 'bootstrap', previous: null, takenAt: null }]);
    const engine = copyEngineFor(config);
    expect((await engine.probe(ctx)).status).toBe('todo');
    const result = await engine.run(ctx);
    expect(result).toMatchObject({ engine: 'distcp', snapshot: T1 });
    expect(result.paths).toEqual([
      expect.objectContaining({
        source: '/w',
        target: '/dr/w',
        mode: 'bootstrap',
        snapshot: T1,
        previous: null,
        filesExpected: 4,
        bytesExpected: 2010,
        filesCopied: 3,
        bytesCopied: 2000,
        filesSkipped: 1,
        bytesSkipped: 10,
        filesFailed: 0,
        filesDeleted: null,
        safetySnapshot: null,
        passes: [{ kind: 'full', exitCode: 0, durationMs: 5, filesCopied: 3, bytesCopied: 2000, bytesSkipped: 10 }],
      }),
    ]);
    expect(specs.map((s) => [s.mode, s.source, s.target])).toEqual([['full', `hdfs://prodns/w/.snapshot/${T1}`, 'hdfs://drns/dr/w']]);
    expect(await hdfs.dr.listSnapshots('/dr/w')).toEqual([{ name: T1, createdMs: 0 }]);
    expect(await engine.probe(ctx)).toMatchObject({ status: 'done', output: { engine: 'distcp', snapshot: T1, paths: [] } });
  });

  it('already-done: a target that holds T1 is not copied again (no pass, nothing expected)', async () => {
    const hdfs = {
      source: fakeSide('source', 'hdfs://prodns', { '/w': ['hmsdr-a', T1] }),
      dr: fakeSide('dr', 'hdfs://drns', { '/dr/w': ['hmsdr-a', T1] }),
    };
    const ctx = context(hdfs, [{ source: '/w', target: '/dr/w', snapshot: T1, mode: 'incremental', previous: 'hmsdr-a', takenAt: null }]);
    const [path] = (await copyEngineFor(config).run(ctx)).paths;
    expect(path).toMatchObject({
      mode: 'already-done',
      previous: 'hmsdr-a',
      passes: [],
      filesExpected: null,
      bytesExpected: null,
      filesCopied: 0,
    });
  });

  it('incremental: one -diff pass from the previous snapshot', async () => {
    const specs: DistcpSpec[] = [];
    const outcome: DistcpOutcome = {
      exitCode: 0,
      durationMs: 2,
      stderrTail: '',
      counters: counters({ filesCopied: 2, bytesCopied: 850, bytesExpected: 850 }),
    };
    const hdfs = {
      source: fakeSide('source', 'hdfs://prodns', { '/w': ['hmsdr-a', T1] }),
      dr: fakeSide('dr', 'hdfs://drns', { '/dr/w': ['hmsdr-a'] }, [outcome], specs),
    };
    const ctx = context(hdfs, [{ source: '/w', target: '/dr/w', snapshot: T1, mode: 'incremental', previous: 'hmsdr-a', takenAt: null }]);
    const [path] = (await copyEngineFor(config).run(ctx)).paths;
    expect(path).toMatchObject({
      mode: 'incremental',
      previous: 'hmsdr-a',
      filesExpected: 2,
      filesCopied: 2,
      bytesCopied: 850,
      passes: [expect.objectContaining({ kind: 'diff' })],
    });
    expect(specs.map((s) => [s.mode, s.from, s.to])).toEqual([['diff', 'hmsdr-a', T1]]);
  });

  it('run refuses a path whose source snapshot T1 is missing', async () => {
    const hdfs = { source: fakeSide('source', 'hdfs://prodns', { '/w': [] }), dr: fakeSide('dr', 'hdfs://drns', {}) };
    const ctx = context(hdfs, [{ source: '/w', target: '/dr/w', snapshot: T1, mode: 'bootstrap', previous: null, takenAt: null }]);
    await expect(copyEngineFor(config).run(ctx)).rejects.toThrow(`source snapshot ${T1} of /w is missing`);
  });
});
