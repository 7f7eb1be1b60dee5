// Shared by the hdfs-sync*.test.ts files: a config and a step context for the data steps, and one
// "round" (snapshot-source + copy-data) followed by the L5 proof.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { localExecutor } from '../../src/adapters/executor.js';
import type { HdfsPorts } from '../../src/adapters/hdfs/hdfs.js';
import { adapterDoubles } from '../harness/adapter-doubles.js';
import type { ResolvedConfig } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import type { StepContext, StepOutput } from '../../src/steps/step.js';
import { createCopyDataStep, type CopyDataOutput } from '../../src/steps/copy-data.js';
import { snapshotSource } from '../../src/steps/snapshot-source.js';
import { compareSnapshotListings } from '../../src/verify/data/equivalence.js';

const metastore = { host: 'localhost', database: 'hive', user: 'hive' };

export function makeConfig(paths: { source: string; target?: string }[], data: Record<string, unknown> = {}): ResolvedConfig {
  const parsed = configSchema.parse({
    version: 1,
    source: { name: 'prod', metastore, nameNode: 'hdfs://prodns' },
    dr: { name: 'dr', metastore, nameNode: 'hdfs://drns', stagingDir: '/tmp', serviceControl: { type: 'none' } },
    data: { paths, maps: 4, ...data },
    retention: { snapshots: 3 },
  });
  return { ...parsed, file: '/tmp/hmsdr.yaml', hash: 'test', runsDirAbs: '/tmp/runs' } as ResolvedConfig;
}

let runCounter = 0;
/** Each run's directory (the engines write copied-paths.ndjson and status.csv there), shared by its resumes; in the suite's private TMPDIR. */
const runDirs = new Map<string, string>();
const runDirOf = (id: string): string => {
  const known = runDirs.get(id);
  if (known) return known;
  const dir = mkdtempSync(join(tmpdir(), `run-${id}-`));
  runDirs.set(id, dir);
  return dir;
};

export type TestContext = StepContext & { outputs: Record<string, StepOutput | undefined> };

/** A step context for a new run id (increasing, like real run ids), or for `runId` (a resume). */
export function makeContext(config: ResolvedConfig, hdfs: HdfsPorts, options: { progress?: string[]; runId?: string } = {}): TestContext {
  runCounter++;
  const id = options.runId ?? `20260101t${String(Date.now() % 1_000_000).padStart(6, '0')}${String(runCounter).padStart(3, '0')}`;
  const noop = (): void => undefined;
  return {
    config,
    run: { id, dir: runDirOf(id), startedAt: new Date().toISOString() },
    outputs: {},
    adapters: adapterDoubles({ local: localExecutor, hdfs }),
    log: { info: noop, warn: noop, error: noop, stderr: noop },
    signal: new AbortController().signal,
    progress: (text) => void options.progress?.push(text),
    confirm: async () => true,
  };
}

export { snapshotSource };
export const copyData = createCopyDataStep();

/** L5 for every path of a copy-data output. */
export async function expectEquivalent(hdfs: HdfsPorts, output: CopyDataOutput): Promise<void> {
  for (const pair of output.paths) {
    const l5 = await compareSnapshotListings(hdfs, pair, output.snapshot, { checksums: true });
    expect(l5.mismatches).toEqual([]);
    expect(l5.ok).toBe(true);
  }
}

/** One hmsdr run of the two data steps, then the L5 proof. */
export async function round(config: ResolvedConfig, hdfs: HdfsPorts, progress: string[] = []): Promise<CopyDataOutput> {
  const ctx = makeContext(config, hdfs, { progress });
  expect((await snapshotSource.probe(ctx)).status).toBe('todo');
  ctx.outputs['snapshot-source'] = await snapshotSource.run(ctx);
  expect((await snapshotSource.probe(ctx)).status).toBe('done');
  const output = (await copyData.run(ctx)) as CopyDataOutput;
  expect((await copyData.probe(ctx)).status).toBe('done');
  await expectEquivalent(hdfs, output);
  return output;
}
