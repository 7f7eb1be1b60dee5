// Cron and `env -i` give a Hadoop client no locale; a real JVM then reads and prints every
// non-ASCII character of a path as `?`. The stand-in does the same, and hmsdr must not care.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureStandinBuilt, standin, standinEnv, standinPorts, tempRoot } from './hdfs-harness.js';

const LOCALE_VARS = ['LANG', 'LC_ALL', 'LC_CTYPE', 'HADOOP_CLIENT_OPTS'] as const;

describe('Hadoop commands in an empty environment (cron)', () => {
  const temp = tempRoot();
  const saved: Partial<Record<(typeof LOCALE_VARS)[number], string>> = {};
  beforeAll(async () => {
    await ensureStandinBuilt();
    for (const name of LOCALE_VARS) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
    const dir = join(temp.root, 'drns/data/warehouse/ventes/région=Île-de-France');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'part-00000 ü.parquet'), 'données');
  });
  afterAll(() => {
    for (const name of LOCALE_VARS) if (saved[name] !== undefined) process.env[name] = saved[name];
    temp.cleanup();
  });

  it('the environment is cron-like: a bare client prints non-ASCII names as ?', async () => {
    const { LANG: _lang, ...bare } = { ...standinEnv(temp.root, 'hdfs://drns'), PATH: process.env.PATH ?? '/usr/bin:/bin' } as Record<
      string,
      string
    >;
    const result = await standin('hdfs', ['dfs', '-ls', '-R', 'hdfs://drns/data/warehouse'], bare);
    expect(result.stdout).toContain('r?gion=?le-de-France');
    expect(result.stdout).not.toContain('région');
  });

  it('the adapter lists, counts and checksums non-ASCII paths exactly', async () => {
    const hdfs = standinPorts(temp.root).dr;
    const listing = await hdfs.listRecursive('/data/warehouse');
    expect(listing.map((e) => e.path)).toEqual([
      'hdfs://drns/data/warehouse/ventes',
      'hdfs://drns/data/warehouse/ventes/région=Île-de-France',
      'hdfs://drns/data/warehouse/ventes/région=Île-de-France/part-00000 ü.parquet',
    ]);
    const file = '/data/warehouse/ventes/région=Île-de-France/part-00000 ü.parquet';
    const { found, missing } = await hdfs.countMany([file]);
    expect(missing).toEqual([]);
    expect([...found.values()][0]).toMatchObject({ files: 1, bytes: Buffer.byteLength('données') });
    const sums = await hdfs.checksums([file]);
    expect(sums.size).toBe(1);
  });
});
