// init --reverse: sites swapped, rules inverted, data paths reversed, what the operator must decide named.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { reverseConfigText } from './reverse.js';

const NORMAL = `
version: 1
runsDir: /var/lib/hmsdr/runs
source:
  name: prod
  nameNode: hdfs://prodns
  metastore: { host: pg.prod, port: 5432, database: hive, user: hmsdr_reader, passwordFile: /etc/hmsdr/prod.pw }
dr:
  name: dr
  nameNode: hdfs://drns
  stagingDir: /var/tmp/hmsdr
  metastore: { host: pg.dr, port: 5432, database: hive, user: hmsdr_admin, passwordFile: /etc/hmsdr/dr.pw }
  serviceControl: { type: ambari, url: https://ambari.dr:8443, cluster: dr, user: admin, passwordFile: /etc/hmsdr/ambari.pw }
rewrite:
  rules:
    - { from: hdfs://prodns, to: hdfs://drns }
    - { from: s3a://prod-bucket, to: s3a://dr-bucket, matchDefaultPort: false }
data:
  paths:
    - { source: /warehouse }
    - { source: /user/hive, target: /dr/user/hive }
`;

describe('reverseConfigText', () => {
  const reversed = reverseConfigText(NORMAL, { stagingDir: '/var/tmp/failback' });
  const c = parse(reversed.text) as {
    runsDir: string;
    source: unknown;
    dr: { name: string; nameNode: string; metastore: { host: string }; stagingDir: string; serviceControl: unknown };
    rewrite: { rules: { from: string; to: string }[] };
    data: { paths: unknown[] };
  };

  it('swaps the sites: DR becomes the source, production the target with a staging dir and service control none', () => {
    expect(c.source).toEqual({
      name: 'dr',
      nameNode: 'hdfs://drns',
      metastore: { host: 'pg.dr', port: 5432, database: 'hive', user: 'hmsdr_admin', passwordFile: '/etc/hmsdr/dr.pw' },
    });
    expect(c.dr.name).toBe('prod');
    expect(c.dr.nameNode).toBe('hdfs://prodns');
    expect(c.dr.metastore.host).toBe('pg.prod');
    expect(c.dr.stagingDir).toBe('/var/tmp/failback');
    expect(c.dr.serviceControl).toEqual({ type: 'none' });
    expect(c.runsDir).toBe('/var/lib/hmsdr/runs-failback');
  });

  it('inverts every rewrite rule and reverses the data paths', () => {
    expect(c.rewrite.rules.map((r) => [r.from, r.to])).toEqual([
      ['hdfs://drns', 'hdfs://prodns'],
      ['s3a://dr-bucket', 's3a://prod-bucket'],
    ]);
    expect(c.data.paths).toEqual([
      { source: '/warehouse', target: '/warehouse' },
      { source: '/dr/user/hive', target: '/user/hive' },
    ]);
  });

  it('names the decisions in the header: the metastore role, the service control, the staging dir when not given', () => {
    expect(reversed.text).toMatch(/^# hmsdr failback configuration/);
    expect(reversed.decisions.join('\n')).toContain('create, rename and drop databases');
    expect(reversed.decisions.join('\n')).toContain('dr.serviceControl');
    expect(reverseConfigText(NORMAL).decisions.join('\n')).toContain('dr.stagingDir');
  });

  it('refuses a file without source and dr', () => {
    expect(() => reverseConfigText('version: 1\n')).toThrow(/no source and dr sections/);
  });
});
