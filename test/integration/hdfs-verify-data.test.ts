// `hmsdr verify data` (yargs module, in-process) against the stand-in: exit 0 on equal snapshots,
// ExitStatus 5 with the differing paths listed, L4 from a locations file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yargs from 'yargs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExitStatus } from '../../src/errors/errors.js';
import { verifyDataCommand } from '../../src/cli/commands/verify-data.js';
import type { Adapters } from '../../src/adapters/index.js';
import { loadConfig } from '../../src/config/load.js';
import type { CopyDataOutput } from '../../src/steps/copy-data.js';
import { dataRungs } from '../../src/steps/verify-staging.js';
import type { RungResult } from '../../src/verify/ladder.js';
import { ensureStandinBuilt, HADOOP_BIN, HDFS_BIN, standinPorts, tempRoot } from './hdfs-harness.js';
import { makeConfig, round } from './hdfs-steps-harness.js';

const temp = tempRoot('hmsdr-verify-data-');
const hdfs = standinPorts(temp.root);
const configFile = join(temp.root, 'hmsdr.yaml');
let copied: CopyDataOutput;

async function cli(...args: string[]): Promise<{ stdout: string; error: unknown }> {
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  try {
    await yargs(['data', '--config', configFile, ...args])
      .command(verifyDataCommand)
      .fail((msg, err) => {
        throw err ?? new Error(msg);
      })
      .parseAsync();
    return { stdout, error: undefined };
  } catch (error) {
    return { stdout, error };
  } finally {
    spy.mockRestore();
  }
}

beforeAll(async () => {
  await ensureStandinBuilt();
  const site = (name: string, nameNode: string) =>
    `  name: ${name}\n  metastore: { host: ${name}-db, database: hive, user: hive }\n  nameNode: ${nameNode}\n  hdfs: { hdfsBin: ${HDFS_BIN}, hadoopBin: ${HADOOP_BIN}, env: { HMSDR_HADOOP_STANDIN_ROOT: ${temp.root} } }\n`;
  writeFileSync(
    configFile,
    `version: 1\nsource:\n${site('prod', 'hdfs://prodns')}dr:\n${site('dr', 'hdfs://drns')}  stagingDir: /tmp\n  serviceControl: { type: none }\ndata:\n  paths: [ { source: /w } ]\n`,
  );
  mkdirSync(join(temp.root, 'prodns/w/t/p=1'), { recursive: true });
  writeFileSync(join(temp.root, 'prodns/w/t/p=1/f'), 'data');
  copied = await round(makeConfig([{ source: '/w' }]), hdfs);
}, 120_000);
afterAll(() => temp.cleanup());

describe('hmsdr verify data', () => {
  it('passes (exit 0) when the newest common snapshots are equivalent, with checksums', async () => {
    const { stdout, error } = await cli('--checksums');
    expect(error).toBeUndefined();
    expect(stdout).toMatch(/^OK {3}\/w → \/w at hmsdr-\S+: files 1\/1, bytes 4\/4, 1 checksums compared$/m);
    expect(stdout).toContain('data verification passed');
  });

  it('fails with exit code 5 and lists the differing path', async () => {
    writeFileSync(join(temp.root, 'drns/w/t/p=1/f'), 'DATA');
    await hdfs.source.createSnapshot('/w', 'check');
    await hdfs.dr.createSnapshot('/w', 'check');
    const { stdout, error } = await cli('--snapshot', 'check', '--checksums', '--json');
    expect(error).toBeInstanceOf(ExitStatus);
    expect((error as ExitStatus).exitCode).toBe(5);
    const result = JSON.parse(stdout) as { ok: boolean; equivalence: { mismatches: { path: string; kind: string }[] }[] };
    expect(result.ok).toBe(false);
    expect(result.equivalence[0]!.mismatches).toEqual([expect.objectContaining({ path: 't/p=1/f', kind: 'checksum' })]);
  });

  it('L4: a location missing on DR fails the check', async () => {
    const file = join(temp.root, 'locations.txt');
    writeFileSync(file, 'hdfs://drns/w/t/p=1\nhdfs://drns/w/t/p=2\n');
    const { stdout, error } = await cli('--locations', file);
    expect((error as ExitStatus).exitCode).toBe(5);
    expect(stdout).toMatch(/FAIL L4: 2 locations, 1 missing on DR/);
    expect(stdout).toMatch(/missing +hdfs:\/\/drns\/w\/t\/p=2 {2}\(checked \/w\/\.snapshot\/hmsdr-\S+\/t\/p=2\)/);
  });

  it("one implementation: the verify steps' L4/L5 rungs equal the command's for the same snapshot and locations", async () => {
    const locations = ['hdfs://drns/w/t/p=1', 'hdfs://drns/w/t/p=2'];
    const file = join(temp.root, 'locations-both.txt');
    writeFileSync(file, locations.join('\n'));
    const { stdout } = await cli('--snapshot', copied.snapshot, '--locations', file, '--json');
    const fromCli = (JSON.parse(stdout) as { rungs: RungResult[] }).rungs;
    // The step lists the locations from the DR database: a client that answers listLocations.
    const client = {
      query: async (sql: string) => ({ rows: sql.includes('EXISTS') ? [{ t: false }] : locations.map((l) => ({ l })) }),
      end: async () => undefined,
    };
    const noop = (): void => undefined;
    const ctx = {
      config: loadConfig(configFile),
      run: { id: 'r', dir: temp.root, startedAt: '' },
      outputs: {},
      adapters: { hdfs, dr: { connect: async () => client } } as unknown as Adapters,
      log: { info: noop, warn: noop, error: noop, stderr: noop },
      signal: new AbortController().signal,
      progress: noop,
      confirm: async () => true,
    };
    const fromStep = await dataRungs(ctx, 'verify-live', 'hive', copied, true);
    expect(fromStep.map((r) => [r.rung, r.ok])).toEqual([
      ['L4', false],
      ['L5', true],
    ]);
    expect(fromStep.map((r) => ({ ...r, by: 'x' }))).toEqual(fromCli.map((r) => ({ ...r, by: 'x' })));
  });
});
