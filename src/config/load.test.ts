import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { EXAMPLE_CONFIG } from './example.js';
import { parseConfigText } from './load.js';

const parse = (text: string, env: NodeJS.ProcessEnv = {}) => parseConfigText(text, '/etc/hmsdr/hmsdr.yaml', env);
const issuesOf = (text: string, env: NodeJS.ProcessEnv = {}) => {
  try {
    parse(text, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

const VALID = `version: 1
source:
  name: prod
  nameNode: hdfs://nn1.prod:8020
  metastore: { host: db.prod, database: hive, user: hive, passwordEnv: SRC_PW }
dr:
  name: dr
  nameNode: hdfs://drns
  stagingDir: /var/lib/hmsdr
  metastore: { host: db.dr, database: hive, user: hive }
  serviceControl: { type: none }
`;

describe('config loading', () => {
  it('parses a valid file, fills defaults and derives the default rewrite rule', () => {
    const config = parse(VALID, { SRC_PW: 'pw-value' });
    expect(config.source.metastore.port).toBe(5432);
    expect(config.rewrite.rules).toEqual([{ from: 'hdfs://nn1.prod:8020', to: 'hdfs://drns', matchDefaultPort: false }]);
    expect(config.runsDirAbs).toBe('/etc/hmsdr/runs');
    expect(Object.isFrozen(config.dr.metastore)).toBe(true);
    expect(config.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(config)).not.toContain('pw-value');
  });

  it('digests the normalised config (made when first read, the same on every read and load)', () => {
    const config = parse(VALID, { SRC_PW: 'pw-value' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.keys(config)).toContain('hash'); // spreads and JSON carry it like any other key
    const { file, hash, runsDirAbs, ...normalised } = config;
    expect(hash).toBe(createHash('sha256').update(JSON.stringify(normalised)).digest('hex'));
    expect(config.hash).toBe(hash);
    expect(parse(VALID, { SRC_PW: 'pw-value' }).hash).toBe(hash);
    expect(parse(VALID.replace('database: hive, user: hive }', 'database: hive2, user: hive }'), { SRC_PW: 'pw-value' }).hash).not.toBe(
      hash,
    );
    expect({ ...config }.hash).toBe(hash);
  });

  it('reports all five problems at once, each with its dotted path and line', () => {
    const text = `version: 1
source:
  name: prod
  nameNode: hdfs://nn1.prod:8020
  metastore:
    host: db.prod
    port: 99999
    database: hive
    user: hive
dr:
  name: DR site
  nameNode: hdfs://drns
  stagingDir: /var/lib/hmsdr
  metastore: { host: db.dr, database: hive, user: hive, passwordEnv: MISSING_PW }
  serviceControl: { type: ambari, url: not-a-url, cluster: c, user: admin }
data:
  maps: 0
`;
    const issues = issuesOf(text);
    expect(issues.map((i) => `${i.line}:${i.path}`)).toEqual([
      '7:source.metastore.port',
      '11:dr.name',
      '14:dr.metastore.passwordEnv',
      '15:dr.serviceControl.url',
      '17:data.maps',
    ]);
  });

  it('refuses inline secrets with a message that says where secrets go, and never repeats the value', () => {
    const text = VALID.replace('user: hive, passwordEnv: SRC_PW }', 'user: hive, password: hunter2-secret }');
    const issues = issuesOf(text);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'source.metastore.password', line: 5 });
    expect(issues[0]?.message).toContain('passwordEnv');
    expect(JSON.stringify(issues)).not.toContain('hunter2-secret');
  });

  it('names unknown keys and YAML syntax errors with their lines', () => {
    expect(issuesOf(VALID + 'retentoin: { dumps: 3 }\n', { SRC_PW: 'x' })).toEqual([
      { path: 'retentoin', message: 'unknown key', line: 12 },
    ]);
    expect(issuesOf('version: 1\nsource: [unclosed\n')[0]?.path).toBe('(yaml)');
  });

  it('cross-field rules: via ssh without an ssh host, same database on both sides', () => {
    const text = VALID.replace('user: hive, passwordEnv: SRC_PW }', 'user: hive, via: ssh }').replace('host: db.dr', 'host: db.prod');
    const paths = issuesOf(text).map((i) => i.path);
    expect(paths).toEqual(['source.metastore.via', 'dr.metastore.database']);
  });

  it('durations: milliseconds or 30s / 15m / 2h; anything else names the key, its line and the forms', () => {
    const withTimeouts = (connect: string, ready: string) =>
      VALID.replace('database: hive, user: hive, passwordEnv', `database: hive, user: hive, connectTimeoutMs: ${connect}, passwordEnv`) +
      `  ssh: { host: edge.dr, user: hmsdr, readyTimeoutMs: ${ready} }\n`;
    const config = parse(withTimeouts('30s', '1m30s'), { SRC_PW: 'x' });
    expect(config.source.metastore.connectTimeoutMs).toBe(30_000);
    expect(config.dr.ssh?.readyTimeoutMs).toBe(90_000);
    expect(parse(withTimeouts('2500', '20000'), { SRC_PW: 'x' }).source.metastore.connectTimeoutMs).toBe(2500);
    expect(parse(VALID, { SRC_PW: 'x' }).source.metastore.connectTimeoutMs).toBe(10_000);
    const issues = issuesOf(withTimeouts('ten seconds', '0.5s'), { SRC_PW: 'x' });
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'source.metastore.connectTimeoutMs',
        line: 5,
        message: expect.stringMatching(/duration such as `500ms`, `30s`.*"ten seconds"/),
      }),
      expect.objectContaining({ path: 'dr.ssh.readyTimeoutMs', message: expect.stringMatching(/at least 1000 ms/) }),
    ]);
  });

  it('the example written by `hmsdr init` is valid', () => {
    const config = parseConfigText(
      EXAMPLE_CONFIG.replace('passwordFile: /etc/hmsdr/dr-db.password', 'passwordEnv: DR_PW').replace(/^ *keyFile: .*\n/gm, ''),
      '/tmp/hmsdr.yaml',
      {
        HMSDR_SOURCE_DB_PASSWORD: 'a',
        DR_PW: 'b',
        HMSDR_AMBARI_PASSWORD: 'c',
      },
    );
    expect(config.dr.serviceControl.type).toBe('ambari');
    expect(config.rewrite.rules).toHaveLength(2);
  });
});
