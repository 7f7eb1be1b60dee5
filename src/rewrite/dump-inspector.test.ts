import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { archiveFormat, createDumpInspector, judgeInput, type DumpInspection } from './dump-inspector.js';

const CLOSING = '\n--\n-- PostgreSQL database dump complete\n--\n\n';

async function inspect(
  input: Buffer,
  rules = [{ from: 'hdfs://nn1.prod', to: 'hdfs://drns' }],
  chunkSize = input.length || 1,
): Promise<{ inspection: DumpInspection; out: Buffer }> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < input.length; i += chunkSize) chunks.push(input.subarray(i, i + chunkSize));
  const inspector = createDumpInspector(rules);
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), inspector, new Writable({ write: (c: Buffer, _e, cb) => (out.push(c), cb()) }));
  return { inspection: inspector.inspection(), out: Buffer.concat(out) };
}

describe('dump inspector', () => {
  it('names the archive formats by their magic bytes', () => {
    expect(archiveFormat(Buffer.from('PGDMP\x01\x0f\x00'))).toMatch(/custom-format archive \(pg_dump -Fc\)/);
    const tar = Buffer.alloc(512);
    tar.write('ustar', 257, 'latin1');
    expect(archiveFormat(tar)).toMatch(/tar archive/);
    expect(archiveFormat(Buffer.from([0x1f, 0x8b, 8, 0]))).toMatch(/gzip/);
    expect(archiveFormat(Buffer.from('--\n-- PostgreSQL database dump\n'))).toBeUndefined();
  });

  it('refuses a custom-format archive before passing any byte on', async () => {
    const archive = Buffer.concat([Buffer.from('PGDMP'), Buffer.alloc(4096, 1)]);
    await expect(inspect(archive, undefined, 100)).rejects.toThrow(/pg_dump custom-format archive/);
  });

  it('passes every byte through unchanged, at every chunk size', async () => {
    const input = Buffer.from(`-- dump\nCOPY x FROM stdin;\nhdfs://nn1.prod/a\n\\.\n${CLOSING}`);
    for (const size of [1, 2, 7, 64, input.length]) {
      const { out, inspection } = await inspect(input, undefined, size);
      expect(out.equals(input)).toBe(true);
      expect(inspection).toMatchObject({ bytes: input.length, complete: true });
    }
  });

  it('counts matches and near misses exactly wherever the chunks split', async () => {
    const body = [
      'hdfs://nn1.prod/a', // matches the port-less rule
      'hdfs://nn1.prod:8020/b', // near miss
      'hdfs://nn1.prod:8020/c', // near miss
      'hdfs://nn1.prod:9000', // near miss, end of value
      'hdfs://nn1.production:8020/d', // another host
      'hdfs://nn10.prod/e', // no: needle is nn1.prod, next byte '0' ... (nn10.prod does not contain nn1.prod)
      'xhdfs://nn1.prod.example/f', // another host
    ].join('\t');
    const input = Buffer.from(`${body}\n${CLOSING}`);
    for (let size = 1; size <= input.length; size += 3) {
      const { inspection } = await inspect(input, undefined, size);
      expect(inspection.rules[0]).toEqual({
        rule: 'hdfs://nn1.prod=hdfs://drns',
        matched: 1,
        nearMisses: 3,
        nearMissSamples: { 'hdfs://nn1.prod:8020': 2, 'hdfs://nn1.prod:9000': 1 },
      });
    }
  });

  it('counts every rule exactly past the first 512 bytes, at every chunk size (carry between chunks)', async () => {
    const rules = [
      { from: 'hdfs://nn1.prod:8020', to: 'hdfs://drns' },
      { from: 's3a://bucket', to: 's3a://dr-bucket' },
    ];
    const row = 'hdfs://nn1.prod:8020/a\ts3a://bucket/k\thdfs://nn1.prod:9000/b\ts3a://bucket:99/x\thdfs://nn1.prod/c\ts3a://bucketeer/y\n';
    const input = Buffer.from(`${'-'.repeat(600)}\n${row.repeat(7)}${CLOSING}`);
    const whole = (await inspect(input, rules)).inspection.rules;
    expect(whole).toEqual([
      {
        rule: 'hdfs://nn1.prod:8020=hdfs://drns',
        matched: 7,
        nearMisses: 14,
        nearMissSamples: { 'hdfs://nn1.prod:9000': 7, 'hdfs://nn1.prod': 7 },
      },
      { rule: 's3a://bucket=s3a://dr-bucket', matched: 7, nearMisses: 7, nearMissSamples: { 's3a://bucket:99': 7 } },
    ]);
    for (let size = 1; size <= 700; size += size < 40 ? 1 : 13) {
      expect((await inspect(input, rules, size)).inspection.rules).toEqual(whole);
    }
  });

  it('a rule without port and --match-default-port counts :8020 as a match', async () => {
    const { inspection } = await inspect(Buffer.from(`hdfs://nn1.prod:8020/a hdfs://nn1.prod/b${CLOSING}`), [
      { from: 'hdfs://nn1.prod', to: 'hdfs://drns', matchDefaultPort: true } as never,
    ]);
    expect(inspection.rules[0]).toMatchObject({ matched: 2, nearMisses: 0 });
  });

  it('judges empty, truncated and near-miss inputs', () => {
    const rule = { rule: 'hdfs://nn1=hdfs://drns', matched: 0, nearMisses: 4, nearMissSamples: { 'hdfs://nn1:8020': 4 } };
    expect(judgeInput({ bytes: 0, complete: false, rules: [] }, { strict: false }).error).toMatchObject({
      exitCode: 4,
      message: expect.stringMatching(/empty/),
    });
    expect(judgeInput({ bytes: 10, complete: false, rules: [] }, { strict: false }).error).toMatchObject({
      exitCode: 5,
      message: expect.stringMatching(/truncated/),
    });
    const lenient = judgeInput({ bytes: 10, complete: true, rules: [rule] }, { strict: false });
    expect(lenient.error).toBeUndefined();
    expect(lenient.warnings.join('\n')).toMatch(
      /matched 0 value\(s\), but the same host occurs 4 time\(s\) with another port: hdfs:\/\/nn1:8020 ×4[\s\S]*--match-default-port/,
    );
    expect(judgeInput({ bytes: 10, complete: true, rules: [rule] }, { strict: true }).error).toMatchObject({ exitCode: 5 });
    expect(judgeInput({ bytes: 10, complete: true, rules: [{ ...rule, matched: 1 }] }, { strict: true }).error).toBeUndefined();
  });
});
