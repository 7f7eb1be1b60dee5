import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { parseConfigText } from './load.js';
import { copyOptionsFor } from './schema-copy.js';

const BASE = `version: 1
source:
  name: prod
  nameNode: hdfs://prodns
  metastore: { host: db.prod, database: hive, user: hive }
dr:
  name: dr
  nameNode: hdfs://drns
  stagingDir: /var/lib/hmsdr
  metastore: { host: db.dr, database: hive, user: hive }
  serviceControl: { type: none }
`;
const parse = (data: string) => parseConfigText(`${BASE}data:\n${data}`, '/etc/hmsdr/hmsdr.yaml', {}, { checkSecrets: false });
function issues(data: string): { path: string; message: string }[] {
  try {
    parse(data);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => ({ path: i.path, message: i.message }));
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('data-copy options', () => {
  it('defaults, global keys, per-path overrides (properties merged, exclusions added)', () => {
    const config = parse(`  maps: 5
  queue: dr
  properties: { a: "1" }
  exclude: ["tmp(/.*)?"]
  paths:
    - { source: /w }
    - { source: /x, maps: 2, deletePolicy: keep, preserve: [blockSize, user], properties: { b: "2" }, exclude: [".*\\\\.log"], abortOnError: false }
`);
    expect(copyOptionsFor(config.data, '/w')).toEqual({
      deletePolicy: 'delete',
      preserve: ['blockSize'],
      skipChecksum: false,
      strategy: undefined,
      maps: 5,
      bandwidthMB: undefined,
      queue: 'dr',
      properties: { a: '1' },
      abortOnError: true,
      exclude: ['tmp(/.*)?'],
    });
    expect(copyOptionsFor(config.data, '/x')).toMatchObject({
      deletePolicy: 'keep',
      preserve: ['blockSize', 'user'],
      maps: 2,
      properties: { a: '1', b: '2' },
      exclude: ['tmp(/.*)?', '.*\\.log'],
      abortOnError: false,
    });
  });

  it('deletePolicy trash is refused with the reason', () => {
    expect(issues('  deletePolicy: trash\n')).toEqual([
      {
        path: 'data.deletePolicy',
        message: expect.stringContaining('trash is not possible with DistCp: no release has an option to delete through the HDFS trash'),
      },
    ]);
    expect(issues('  paths: [{ source: /w, deletePolicy: trash }]\n').map((i) => i.path)).toEqual(['data.paths.0.deletePolicy']);
  });

  it('preserve without blockSize needs COMPOSITE_CRC or skipChecksum', () => {
    expect(issues('  preserve: [user]\n')[0]).toMatchObject({
      path: 'data.preserve',
      message: expect.stringContaining('must keep blockSize'),
    });
    expect(() => parse('  preserve: [user]\n  properties: { dfs.checksum.combine.mode: COMPOSITE_CRC }\n')).not.toThrow();
    expect(() => parse('  preserve: []\n  skipChecksum: true\n')).not.toThrow();
    expect(issues('  preserve: -pb\n')[0]!.path).toBe('data.preserve');
    expect(issues('  preserve: [blocksize]\n')[0]!.path).toBe('data.preserve.0');
  });

  it('properties that look like secrets, or bad names, are refused', () => {
    expect(issues('  properties: { fs.s3a.secret.key: x }\n')).toEqual([
      { path: 'data.properties.fs.s3a.secret.key', message: expect.stringContaining('looks like a secret') },
    ]);
    expect(issues('  properties: { "a b": x }\n')[0]!.path).toMatch(/^data\.properties/);
  });

  it('strategy, maps, bandwidth are validated', () => {
    expect(issues('  strategy: static\n')[0]!.path).toBe('data.strategy');
    expect(issues('  maps: 0\n')[0]!.path).toBe('data.maps');
    expect(issues('  bandwidthMB: -1\n')[0]!.path).toBe('data.bandwidthMB');
    expect(parse('  bandwidthMB: 0.5\n').data.bandwidthMB).toBe(0.5);
  });

  it('exclusions: JavaScript/Java differences are refused at load with the reason; exclude with filtersFile is refused', () => {
    expect(issues('  exclude: ["(?<=a)b"]\n')[0]).toMatchObject({ path: 'data.exclude.0', message: expect.stringContaining('lookbehind') });
    expect(issues('  exclude: ["a++"]\n')[0]!.message).toContain('possessive');
    expect(issues('  exclude: ["[a&&b]"]\n')[0]!.message).toContain('intersection');
    expect(issues('  exclude: ["\\\\Qa.b\\\\E"]\n')[0]!.message).toContain('\\Q');
    expect(issues('  exclude: ["(a"]\n')[0]!.message).toContain('not a valid regular expression');
    expect(issues('  filtersFile: /etc/f\n  exclude: [tmp]\n  paths: [{ source: /w }]\n')).toEqual([
      { path: 'data.paths.0.exclude', message: expect.stringContaining('exclude and data.filtersFile cannot both apply') },
    ]);
  });
});
