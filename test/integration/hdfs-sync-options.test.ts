// DistCp options as configuration keys against the Hadoop stand-in: exclusions through the generated
// -filters file (bootstrap, incremental, a changed exclusion forcing a full copy), -D generic options
// first, and abortOnError: false (-i -log) with a file DistCp cannot read: named, exit 5, resumable.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/config/load.js';
import { copyEngineFor } from '../../src/copy/index.js';
import { VerifyError } from '../../src/errors/errors.js';
import { ensureStandinBuilt, standin, standinEnv, standinPorts, tempRoot, withoutTimestamp } from './hdfs-harness.js';
import type { CopyDataOutput } from '../../src/steps/copy-data.js';
import { copyData, makeConfig, makeContext, snapshotSource } from './hdfs-steps-harness.js';

const temp = tempRoot('hmsdr-sync-options-');
const hdfs = standinPorts(temp.root);
const src = join(temp.root, 'prodns/warehouse');
const dst = join(temp.root, 'drns/dr/warehouse');

function configWith(data: Record<string, unknown>): ResolvedConfig {
  const config = makeConfig([{ source: '/warehouse', target: '/dr/warehouse' }], data);
  return { ...config, dr: { ...config.dr, stagingDir: join(temp.root, 'staging') } } as ResolvedConfig;
}

beforeAll(async () => {
  await ensureStandinBuilt();
  mkdirSync(join(src, 'db.db/t/p=1'), { recursive: true });
  mkdirSync(join(src, 'tmp/x'), { recursive: true });
  writeFileSync(join(src, 'db.db/t/p=1/part-0'), 'a'.repeat(100));
  writeFileSync(join(src, 'db.db/t/p=1/part-0.tmp'), 'b'.repeat(30));
  writeFileSync(join(src, 'tmp/x/scratch'), 'c'.repeat(70));
  mkdirSync(join(temp.root, 'drns/dr'), { recursive: true });
}, 600_000);
afterAll(() => temp.cleanup());

describe('exclusions and copy policies through the stand-in', () => {
  const excluding = configWith({ exclude: ['tmp(/.*)?', '.*\\.tmp'], queue: 'dr', properties: { 'mapreduce.map.memory.mb': '2048' } });

  it('plan counts what is excluded; the bootstrap leaves it out (filters file written, -D first)', async () => {
    const [estimate] = await copyEngineFor(excluding).estimate({ config: excluding, hdfs, runId: 'plan' });
    expect(estimate).toMatchObject({ mode: 'bootstrap', files: 1, bytes: 100, excluded: { files: 2, bytes: 100 } });
    const out = await copyRound(excluding);
    expect(out.paths[0]).toMatchObject({ mode: 'bootstrap', filesCopied: 1, bytesCopied: 100 });
    expect(existsSync(join(dst, 'db.db/t/p=1/part-0'))).toBe(true);
    expect(existsSync(join(dst, 'db.db/t/p=1/part-0.tmp'))).toBe(false);
    expect(existsSync(join(dst, 'tmp'))).toBe(false);
    const record = JSON.parse(readFileSync(join(temp.root, 'drns/dr/_HMSDR_SYNC.warehouse'), 'utf8'));
    expect(record).toMatchObject({
      version: 1,
      target: '/dr/warehouse',
      policy: { deletePolicy: 'delete', preserve: '-pb' },
      failedFiles: [],
    });
  });

  it('incremental: a new excluded file is not copied (DistCpSync tests /relative paths)', async () => {
    writeFileSync(join(src, 'db.db/t/p=1/part-1'), 'd'.repeat(10));
    writeFileSync(join(src, 'db.db/t/p=1/part-1.tmp'), 'e'.repeat(10));
    const out = await copyRound(excluding);
    expect(out.paths[0]).toMatchObject({ mode: 'incremental', filesCopied: 1, bytesCopied: 10 });
    expect(existsSync(join(dst, 'db.db/t/p=1/part-1.tmp'))).toBe(false);
  });

  it('changing the exclusions forces a full copy, announced in plan and in the result', async () => {
    const narrower = configWith({ exclude: ['tmp(/.*)?'] });
    const [estimate] = await copyEngineFor(narrower).estimate({ config: narrower, hdfs, runId: 'plan' });
    expect(estimate!.fullCopyReason).toMatch(/^copy policy changed since hmsdr-\S+ \(exclusions [0-9a-f]{16} → [0-9a-f]{16}\): full copy$/);
    const progress: string[] = [];
    const out = await copyRound(narrower, progress);
    expect(out.paths[0]).toMatchObject({ mode: 'full-copy', fullCopyReason: estimate!.fullCopyReason });
    expect(out.paths[0]!.passes.map((p) => p.kind)).toEqual(['full']);
    expect(progress).toContain(`/dr/warehouse: ${estimate!.fullCopyReason}`);
    // The .tmp files are no longer excluded: the full copy brought them; tmp/ stays out.
    expect(readFileSync(join(dst, 'db.db/t/p=1/part-0.tmp'), 'utf8')).toBe('b'.repeat(30));
    expect(existsSync(join(dst, 'tmp'))).toBe(false);
    const [again] = await copyEngineFor(narrower).estimate({ config: narrower, hdfs, runId: 'plan' });
    expect(again!.fullCopyReason).toBeUndefined();
  });

  it('abortOnError: false: a file DistCp cannot read is named, the run stops with exit 5, and a resume copies it in full', async () => {
    const ignoring = configWith({ exclude: ['tmp(/.*)?'], abortOnError: false });
    writeFileSync(join(src, 'db.db/t/p=1/part-2'), 'f'.repeat(20));
    writeFileSync(join(src, 'db.db/t/p=1/part-3'), 'g'.repeat(20));
    mkdirSync(join(temp.root, '.standin'), { recursive: true });
    writeFileSync(join(temp.root, '.standin/faults.json'), JSON.stringify({ distcpReadFailure: { path: 'db.db/t/p=1/part-2', times: 1 } }));
    const ctx = makeContext(ignoring, hdfs);
    ctx.outputs['snapshot-source'] = await snapshotSource.run(ctx);
    const error = await copyData.run(ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VerifyError);
    expect((error as VerifyError).exitCode).toBe(5);
    const failed = `hdfs://prodns/warehouse/.snapshot/${ctx.outputs['snapshot-source']!.snapshot}/db.db/t/p=1/part-2`;
    expect((error as VerifyError).message).toBe(`copied with failures: 1 file(s) could not be copied: /dr/warehouse: ${failed}`);
    expect(existsSync(join(dst, 'db.db/t/p=1/part-3'))).toBe(true);
    expect(existsSync(join(dst, 'db.db/t/p=1/part-2'))).toBe(false);
    expect((await copyData.probe(ctx)).status).toBe('todo');
    // The resume (same run): the record names the file, so the path is copied in full; the fault is spent.
    const out = (await copyData.run(ctx)) as CopyDataOutput;
    expect(out.paths[0]).toMatchObject({ mode: 'full-copy', fullCopyReason: expect.stringContaining('1 file(s) failed to copy') });
    expect(readFileSync(join(dst, 'db.db/t/p=1/part-2'), 'utf8')).toBe('f'.repeat(20));
    expect((await copyData.probe(ctx)).status).toBe('done');
  });
});

describe('the stand-in parses the options as DistCp does', () => {
  const env = standinEnv(temp.root, 'hdfs://prodns');
  const invalid = async (...args: string[]): Promise<string> => {
    const r = await standin('hadoop', ['distcp', ...args], env);
    expect(r.exitCode).toBe(255);
    return r.stderr.split('\n').find((l) => l.startsWith('Invalid arguments: ')) ?? '';
  };

  it('rejects what OptionsParser and DistCpOptions reject, with their messages', async () => {
    expect(await invalid('-skipcrccheck', '/a', '/b')).toBe('Invalid arguments: Skip CRC is valid only with update options');
    expect(await invalid('-update', '-v', '/a', '/b')).toBe('Invalid arguments: -v is valid only with -log option');
    expect(await invalid('-update', '-bandwidth', '0', '/a', '/b')).toBe('Invalid arguments: Bandwidth specified is not positive: 0.0');
    expect(await invalid('-update', '-bandwidth', 'x', '/a', '/b')).toBe('Invalid arguments: Bandwidth specified is invalid: x');
    expect(await invalid('-update', '-m', 'many', '/a', '/b')).toBe('Invalid arguments: Number of maps is invalid: many');
  });

  it('-i with an unreadable file: exit 0, Files Failed in the counters, the FAIL line in the -log part file', async () => {
    mkdirSync(join(temp.root, 'prodns/plain'), { recursive: true });
    writeFileSync(join(temp.root, 'prodns/plain/ok'), 'ok');
    writeFileSync(join(temp.root, 'prodns/plain/bad'), 'bad!');
    writeFileSync(join(temp.root, '.standin/faults.json'), JSON.stringify({ distcpReadFailure: { path: 'bad', times: 2 } }));
    const withoutI = await standin('hadoop', ['distcp', '-update', '/plain', '/plain-copy'], env);
    expect(withoutI.exitCode).toBe(25);
    const r = await standin(
      'hadoop',
      ['distcp', '-Dmapreduce.job.queuename=q', '-update', '-strategy', 'dynamic', '-i', '-log', '/logs/run1', '/plain', '/plain-copy'],
      env,
    );
    expect(r.exitCode).toBe(0);
    const lines = r.stderr.split('\n').map(withoutTimestamp);
    expect(
      lines.some((l) => l.includes("copyStrategy='dynamic'") && l.includes('ignoreFailures=true') && l.includes('logPath=/logs/run1')),
    ).toBe(true);
    expect(lines).toContain('\t\tFiles Failed=1');
    expect(lines).toContain('\t\tBytes Failed=4');
    const part = readFileSync(join(temp.root, 'prodns/logs/run1/part-m-00000'), 'utf8');
    expect(part.split('\n')[0]).toMatch(/^FAIL: hdfs:\/\/prodns\/plain\/bad - java\.io\.IOException: File copy failed: /);
    expect(existsSync(join(temp.root, 'prodns/plain-copy/ok'))).toBe(true);
    expect(existsSync(join(temp.root, 'prodns/plain-copy/bad'))).toBe(false);
  });
});

/** snapshot-source + copy-data (the round of the harness without its L5 proof, which exclusions would fail). */
async function copyRound(config: ResolvedConfig, progress: string[] = []) {
  const ctx = makeContext(config, hdfs, { progress });
  ctx.outputs['snapshot-source'] = await snapshotSource.run(ctx);
  const out = (await copyData.run(ctx)) as CopyDataOutput;
  expect((await copyData.probe(ctx)).status).toBe('done');
  return out;
}
