// The same scenarios against both data-copy engines, through the snapshot-source and copy-data
// steps: DistCp over the Hadoop stand-in, and Cloudera Manager replication through the CM emulator
// (whose replication jobs copy the same stand-in trees). Bootstrap, incremental, plan's estimate,
// a failed file, a failed run (then a resume), each followed by L5 where the run succeeded.
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HdfsPorts } from '../../src/adapters/hdfs/hdfs.js';
import type { ResolvedConfig } from '../../src/config/load.js';
import { copyEngineFor } from '../../src/copy/index.js';
import { startCmEmulator, type CmEmulator } from '../../src/lab/cm-emulator.js';
import type { CopyDataOutput } from '../../src/steps/copy-data.js';
import { makeTempDir, removeTempDir } from '../harness/temp.js';
import { ensureStandinBuilt, standinPorts, tempRoot } from './hdfs-harness.js';
import { copyData, expectEquivalent, makeConfig, makeContext, snapshotSource, type TestContext } from './hdfs-steps-harness.js';

const PASSWORD_ENV = 'HMSDR_TEST_CONTRACT_CM_PASSWORD';

interface EngineUnderTest {
  readonly id: 'distcp' | 'cloudera-manager';
  setUp(root: string): Promise<ResolvedConfig>;
  /** The next run fails for one file (named in the error). */
  failFile(root: string, file: string): void;
  /** The next run fails as a whole. */
  failRun(root: string): void;
  clearFaults(root: string): void;
  tearDown(): Promise<void>;
}

const writeFaults = (root: string, faults: unknown): void => {
  mkdirSync(join(root, '.standin'), { recursive: true });
  writeFileSync(join(root, '.standin/faults.json'), JSON.stringify(faults));
};

const distcp: EngineUnderTest = {
  id: 'distcp',
  setUp: async () => makeConfig([{ source: '/warehouse' }]),
  failFile: (root, file) => writeFaults(root, { permissionDenied: { pathPrefix: `/warehouse/${file}`, times: 20 } }),
  failRun: (root) => writeFaults(root, { distcpFailAfterFiles: { after: 0, times: 20 } }),
  clearFaults: (root) => rmSync(join(root, '.standin/faults.json'), { force: true }),
  tearDown: async () => undefined,
};

function clouderaManager(): EngineUnderTest {
  let cm: CmEmulator | undefined;
  return {
    id: 'cloudera-manager',
    async setUp(root) {
      process.env[PASSWORD_ENV] = 'contract-secret';
      cm = await startCmEmulator({
        cluster: 'dr',
        password: 'contract-secret',
        timing: { pendingMs: 30, inProgressMs: 150 },
        replication: {
          sites: { root, sourceAuthority: 'prodns', drAuthority: 'drns' },
          peers: [{ name: 'prod', url: 'https://cm.prod:7183' }],
        },
      });
      return makeConfig([{ source: '/warehouse' }], {
        engine: 'cloudera-manager',
        cm: {
          url: cm.url,
          cluster: 'dr',
          user: 'admin',
          passwordEnv: PASSWORD_ENV,
          peer: { name: 'prod' },
          sourceCluster: 'prod',
          pollIntervalMs: 20,
        },
      });
    },
    failFile: (_root, file) => cm?.replicationFault({ kind: 'failed-file', file }),
    failRun: () => cm?.replicationFault({ kind: 'setup-error' }),
    clearFaults: () => {
      if (cm?.replication) cm.replication.faults = [];
    },
    async tearDown() {
      await cm?.close();
    },
  };
}

/** snapshot-source then copy-data in a fresh run dir; the context for probes. */
async function runSteps(
  config: ResolvedConfig,
  hdfs: HdfsPorts,
  runDir: string,
  runId?: string,
): Promise<{ ctx: TestContext; output?: CopyDataOutput; error?: Error }> {
  const base = makeContext(config, hdfs, runId ? { runId } : {});
  const ctx: TestContext = { ...base, run: { ...base.run, dir: runDir } };
  const probe = await snapshotSource.probe(ctx);
  ctx.outputs['snapshot-source'] = probe.status === 'done' ? probe.output : await snapshotSource.run(ctx);
  try {
    return { ctx, output: (await copyData.run(ctx)) as CopyDataOutput };
  } catch (error) {
    return { ctx, error: error as Error };
  }
}

describe.each([distcp, clouderaManager()])('copy engine contract: $id', (engine) => {
  const temp = tempRoot(`hmsdr-contract-${engine.id}-`);
  const runs = makeTempDir(`contract-runs-${engine.id}`);
  const hdfs = standinPorts(temp.root);
  const src = join(temp.root, 'prodns/warehouse');
  let config: ResolvedConfig;

  beforeAll(async () => {
    await ensureStandinBuilt();
    config = await engine.setUp(temp.root);
    mkdirSync(join(src, 'db1.db/t1'), { recursive: true });
    mkdirSync(join(src, 'db1.db/t2/p=1'), { recursive: true });
    writeFileSync(join(src, 'db1.db/t1/part-0'), 'a'.repeat(1000));
    writeFileSync(join(src, 'db1.db/t1/part-1'), 'b'.repeat(700));
    writeFileSync(join(src, 'db1.db/t2/p=1/part-0'), 'c'.repeat(300));
  }, 120_000);
  afterAll(async () => {
    await engine.tearDown();
    temp.cleanup();
    removeTempDir(runs);
  });

  it('bootstrap: every file copied, the target snapshotted at T1, L5 passes', async () => {
    const { ctx, output, error } = await runSteps(config, hdfs, join(runs, 'bootstrap'));
    expect(error).toBeUndefined();
    expect(output?.engine).toBe(engine.id);
    expect(output?.paths[0]).toMatchObject({ mode: 'bootstrap', filesCopied: 3, bytesCopied: 2000, filesFailed: 0 });
    expect((await copyData.probe(ctx)).status).toBe('done');
    await expectEquivalent(hdfs, output!);
  });

  it("plan's estimate: the files and bytes an incremental run would copy", async () => {
    mkdirSync(join(src, 'db1.db/t2/p=2'));
    writeFileSync(join(src, 'db1.db/t2/p=2/part-0'), 'd'.repeat(50));
    appendFileSync(join(src, 'db1.db/t1/part-1'), 'B'.repeat(100));
    const [estimate] = await copyEngineFor(config).estimate({ config, hdfs, runId: 'plan' });
    expect(estimate).toMatchObject({ mode: 'incremental', files: 2, bytes: 850 });
  });

  it('incremental: only what changed is copied, L5 passes', async () => {
    const { output, error } = await runSteps(config, hdfs, join(runs, 'incremental'));
    expect(error).toBeUndefined();
    expect(output?.paths[0]).toMatchObject({ mode: 'incremental', filesCopied: 2, bytesCopied: 850, filesFailed: 0 });
    await expectEquivalent(hdfs, output!);
  });

  it('a failed file: the run fails naming the file, no T1 snapshot on the target', async () => {
    writeFileSync(join(src, 'db1.db/t1/part-9'), 'x'.repeat(64));
    engine.failFile(temp.root, 'db1.db/t1/part-9');
    const runDir = join(runs, 'failed-file');
    const { ctx, error } = await runSteps(config, hdfs, runDir);
    engine.clearFaults(temp.root);
    expect(error).toBeDefined();
    expect(`${error?.message} ${JSON.stringify(error)}`).toContain('part-9');
    expect((await copyData.probe(ctx)).status).toBe('todo');
    if (engine.id === 'cloudera-manager') {
      const bundle = /diagnostic bundle: (\S+\.zip)/.exec(error?.message ?? '')?.[1];
      expect(bundle?.startsWith(join(runDir, 'cm-diagnostics'))).toBe(true);
      expect(readFileSync(bundle!).subarray(0, 4).toString('hex')).toBe('504b0304'); // a zip
    }
    // Resume the same run: the file is copied and L5 passes.
    const again = await runSteps(config, hdfs, runDir, ctx.run.id);
    expect(again.error).toBeUndefined();
    await expectEquivalent(hdfs, again.output!);
  });

  it('a failed run: copy-data fails, the target has no T1 snapshot; the resume completes', async () => {
    writeFileSync(join(src, 'db1.db/t2/p=1/part-1'), 'y'.repeat(32));
    engine.failRun(temp.root);
    const runDir = join(runs, 'failed-run');
    const { ctx, error } = await runSteps(config, hdfs, runDir);
    engine.clearFaults(temp.root);
    expect(error).toBeDefined();
    expect((await copyData.probe(ctx)).status).toBe('todo');
    if (engine.id === 'cloudera-manager') {
      expect(error?.message).toMatch(/Cloudera Manager replication command \d+ .*failed.*setup error/);
      expect(existsSync(join(runDir, 'cm-diagnostics'))).toBe(true);
    }
    const again = await runSteps(config, hdfs, runDir, ctx.run.id);
    expect(again.error).toBeUndefined();
    await expectEquivalent(hdfs, again.output!);
  });
});
