import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DistcpSpec, HdfsSiteSpec } from '../../adapters/hdfs/commands.js';
import type { DistcpOutcome, HdfsPort, HdfsPorts } from '../../adapters/hdfs/hdfs.js';
import type { DistcpCounters } from '../../adapters/hdfs/parse.js';
import type { Adapters } from '../../adapters/index.js';
import type { ResolvedConfig } from '../../config/load.js';
import { configSchema } from '../../config/schema.js';
import type { StepContext } from '../engine.js';
import { createCopyDataStep } from '../../steps/copy-data.js';
import type { SnapshotSourceOutput } from '../../steps/snapshot-source.js';
import { VerifyError } from '../../errors/errors.js';
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

/** Files of the fake sides (HDFS paths; `local:<path>` for files written on the DR host's disk). */
const fakeFiles = new Map<string, string>();

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
  const files = fakeFiles;
  const unused = (): never => {
    throw new Error('not used by this test');
  };
  const summary = async (path: string) => {
    if (!dirs.has(path)) return undefined;
    const under = [...files.entries()].filter(([f]) => f.startsWith(`${path}/`));
    return { path, dirs: 1, files: under.length, bytes: under.reduce((n, [, text]) => n + text.length, 0) };
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
    summary,
    listSnapshots: async (dir) => (dirs.get(dir) ?? []).map((name, i) => ({ name, createdMs: i })),
    allowSnapshot: async (dir) => void (dirs.has(dir) || dirs.set(dir, [])),
    createSnapshot: async (dir, name) => void dirs.get(dir)!.push(name),
    deleteSnapshot: async (dir, name) =>
      void dirs.set(
        dir,
        dirs.get(dir)!.filter((n) => n !== name),
      ),
    renameSnapshot: async (dir, from, to) =>
      void dirs.set(
        dir,
        dirs.get(dir)!.map((n) => (n === from ? to : n)),
      ),
    mkdirs: async (dir) => void (dirs.has(dir) || dirs.set(dir, [])),
    snapshotDiff: unused,
    countMany: async (paths) => {
      const found = new Map();
      for (const path of paths) {
        const row = await summary(path);
        if (row) found.set(path, row);
      }
      return { found, missing: paths.filter((p) => !found.has(p)) };
    },
    checksums: unused,
    listRecursive: async (dir) =>
      [...files.keys()]
        .filter((f) => f.startsWith(`${dir.replace(/^[a-z]+:\/\/[^/]*/, '')}/`))
        .map((path) => ({
          type: 'file' as const,
          permission: '-rw-r--r--',
          owner: 'hdfs',
          group: 'hdfs',
          length: files.get(path)!.length,
          modified: '',
          path: `${nameNode}${path}`,
        })),
    putText: async (path, text) => void files.set(path, text),
    readText: async (path) => files.get(path.replace(/^[a-z]+:\/\/[^/]*/, '')),
    writeLocalFile: async (path, text) => void files.set(`local:${path}`, text),
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

/** A DistCp job that copied 2 files (850 bytes) and exited 0. */
const twoFilesCopied = (): DistcpOutcome => ({
  exitCode: 0,
  durationMs: 2,
  stderrTail: '',
  counters: counters({ filesCopied: 2, bytesCopied: 850, bytesExpected: 850 }),
});

describe('the DistCp engine behind DataCopyEngine', () => {
  beforeEach(() => fakeFiles.clear());

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

  it('a path an earlier attempt of the run copied keeps that attempt\'s figures on resume (not "already-done, 0 files")', async () => {
    const outcome = twoFilesCopied();
    const hdfs = {
      source: fakeSide('source', 'hdfs://prodns', { '/w': ['hmsdr-a', T1] }),
      dr: fakeSide('dr', 'hdfs://drns', { '/dr/w': ['hmsdr-a'] }, [outcome]),
    };
    const runDir = mkdtempSync(join(tmpdir(), 'hmsdr-engine-'));
    const plan = [{ source: '/w', target: '/dr/w', snapshot: T1, mode: 'incremental' as const, previous: 'hmsdr-a', takenAt: null }];
    const first = (await copyEngineFor(config).run({ ...context(hdfs, plan), run: { ...run, dir: runDir } })).paths[0];
    expect(first).toMatchObject({ mode: 'incremental', filesCopied: 2, bytesCopied: 850 });
    // The resumed attempt finds T1 on the target: the figures are the first attempt's.
    const again = (await copyEngineFor(config).run({ ...context(hdfs, plan), run: { ...run, dir: runDir } })).paths[0];
    expect(again).toMatchObject({ mode: 'incremental', filesCopied: 2, bytesCopied: 850, earlierAttempt: true });
    expect(again?.passes).toEqual(first?.passes);
    rmSync(runDir, { recursive: true, force: true });
  });

  it('incremental: one -diff pass from the previous snapshot', async () => {
    const specs: DistcpSpec[] = [];
    const outcome = twoFilesCopied();
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

describe('copy policies and ignored failures through the engine', () => {
  beforeEach(() => fakeFiles.clear());
  const incremental = [{ source: '/w', target: '/dr/w', snapshot: T1, mode: 'incremental' as const, previous: 'hmsdr-a', takenAt: null }];
  const ok: DistcpOutcome = { exitCode: 0, durationMs: 1, stderrTail: '', counters: counters({ filesCopied: 1, bytesCopied: 5 }) };

  it('a recorded policy that differs forces a full -update -delete copy, announced, and the new policy is recorded', async () => {
    fakeFiles.set(
      '/dr/_HMSDR_SYNC.w',
      JSON.stringify({
        version: 1,
        source: '/w',
        target: '/dr/w',
        snapshot: 'hmsdr-a',
        policy: { target: '/dr/w', deletePolicy: 'keep', preserve: '-pb', exclude: 'none' },
        fingerprint: 'other',
        failedFiles: [],
      }),
    );
    const specs: DistcpSpec[] = [];
    const hdfs = {
      source: fakeSide('source', 'hdfs://prodns', { '/w': ['hmsdr-a', T1] }),
      dr: fakeSide('dr', 'hdfs://drns', { '/dr/w': ['hmsdr-a'] }, [ok], specs),
    };
    const [path] = (await copyEngineFor(config).run(context(hdfs, incremental))).paths;
    expect(path).toMatchObject({ mode: 'full-copy', fullCopyReason: expect.stringContaining('deletePolicy keep → delete') });
    expect(specs.map((s) => [s.mode, s.deleteMissing])).toEqual([['full', true]]);
    const record = JSON.parse(fakeFiles.get('/dr/_HMSDR_SYNC.w')!);
    expect(record).toMatchObject({ snapshot: T1, policy: { deletePolicy: 'delete' }, failedFiles: [] });
    expect(await hdfs.dr.listSnapshots('/dr/w')).toEqual([
      expect.objectContaining({ name: 'hmsdr-a' }),
      expect.objectContaining({ name: T1 }),
    ]);
  });

  it('abortOnError: false: -i and -log; the FAIL lines of the job log name the files; no T1 on the target; exit 5', async () => {
    const ignoring = { ...config, data: { ...config.data, abortOnError: false } } as ResolvedConfig;
    const logDir = `/tmp/hmsdr-distcp-logs/${run.id}/dr_w-1`;
    fakeFiles.set(
      `${logDir}/part-m-00000`,
      `SKIP: hdfs://prodns/w/.snapshot/${T1}/a\nFAIL: hdfs://prodns/w/.snapshot/${T1}/b - java.io.IOException: File copy failed\n\tat org.apache.hadoop.tools.mapred.CopyMapper.map(CopyMapper.java:262)\n`,
    );
    const failedOutcome: DistcpOutcome = { ...ok, counters: counters({ filesCopied: 1, filesFailed: 1 }) };
    const specs: DistcpSpec[] = [];
    const hdfs = {
      source: fakeSide('source', 'hdfs://prodns', { '/w': ['hmsdr-a', T1] }),
      dr: fakeSide('dr', 'hdfs://drns', { '/dr/w': ['hmsdr-a'] }, [failedOutcome], specs),
    };
    const runDir = mkdtempSync(join(tmpdir(), 'hmsdr-engine-'));
    const ctx = { ...context(hdfs, incremental), config: ignoring, run: { ...run, dir: runDir } };
    const error = await copyEngineFor(ignoring)
      .run(ctx)
      .catch((e: unknown) => e);
    // status.csv names the file DistCp went on past.
    expect(readFileSync(join(runDir, 'status.csv'), 'utf8').split('\n')[1]).toBe(
      `ERROR,hdfs://prodns/w/.snapshot/${T1}/b,/dr/w,,DistCp -i went on past it (a FAIL line of the job log)`,
    );
    rmSync(runDir, { recursive: true, force: true });
    expect(error).toBeInstanceOf(VerifyError);
    expect((error as VerifyError).exitCode).toBe(5);
    expect((error as VerifyError).message).toBe(
      `copied with failures: 1 file(s) could not be copied: /dr/w: hdfs://prodns/w/.snapshot/${T1}/b`,
    );
    expect(specs[0]).toMatchObject({ ignoreFailures: true, logDir: `hdfs://drns${logDir}` });
    expect((await hdfs.dr.listSnapshots('/dr/w')).map((s) => s.name)).toEqual(['hmsdr-a']);
    expect(JSON.parse(fakeFiles.get('/dr/_HMSDR_SYNC.w')!).failedFiles).toEqual([`hdfs://prodns/w/.snapshot/${T1}/b`]);
    // The resume copies the path in full (the record names the failed file), and then it succeeds.
    const retry: DistcpSpec[] = [];
    const hdfs2 = { source: hdfs.source, dr: fakeSide('dr', 'hdfs://drns', { '/dr/w': ['hmsdr-a'] }, [ok], retry) };
    const [path] = (await copyEngineFor(ignoring).run({ ...context(hdfs2, incremental), config: ignoring })).paths;
    expect(path).toMatchObject({ mode: 'full-copy', fullCopyReason: expect.stringContaining('1 file(s) failed to copy') });
    expect(retry.map((s) => s.mode)).toEqual(['full']);
  });
});

describe('plan estimate with copy options', () => {
  beforeEach(() => fakeFiles.clear());
  it('counts the files and bytes excluded, leaves them out of the copy, and warns about skipChecksum', async () => {
    fakeFiles.set('/w/keep.orc', '12345');
    fakeFiles.set('/w/tmp/x', '123');
    fakeFiles.set('/w/a/b.tmp', '1234567');
    const withOptions = {
      ...config,
      data: { ...config.data, exclude: ['tmp(/.*)?', '.*\\.tmp'], skipChecksum: true },
    } as ResolvedConfig;
    const hdfs = { source: fakeSide('source', 'hdfs://prodns', { '/w': [] }), dr: fakeSide('dr', 'hdfs://drns', {}) };
    const [estimate] = await copyEngineFor(withOptions).estimate({ config: withOptions, hdfs, runId: 'plan' });
    expect(estimate).toMatchObject({ mode: 'bootstrap', files: 1, bytes: 5, excluded: { files: 2, bytes: 10 } });
    expect(estimate!.notes).toEqual([expect.stringContaining('WARNING skipChecksum')]);
    expect(estimate!.fullCopyReason).toBeUndefined();
  });
});
