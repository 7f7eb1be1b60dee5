import { describe, expect, it } from 'vitest';
import { diffConfig, isSafeToChange } from './changes.js';

describe('config changes on resume', () => {
  it('connection details, secret sources and timeouts are safe; databases, paths and rules are not', () => {
    for (const key of [
      'dr.metastore.host',
      'source.metastore.port',
      'dr.metastore.passwordFile',
      'source.ssh.readyTimeoutMs',
      'dr.serviceControl.url',
      'dr.ssh.jump.user',
      'dr.serviceControl.requestTimeoutMs',
    ]) {
      expect(isSafeToChange(key), key).toBe(true);
    }
    for (const key of [
      'dr.metastore.database',
      'data.paths.0.source',
      'rewrite.rules.0.from',
      'source.nameNode',
      'restore.strategy',
      'runsDir',
    ]) {
      expect(isSafeToChange(key), key).toBe(false);
    }
  });

  it('names each changed leaf, added and removed keys and array elements included', () => {
    const before = { dr: { metastore: { port: 5432, database: 'hive' } }, data: { paths: ['/a', '/b'] } };
    const after = { dr: { metastore: { port: 5433, database: 'hive', passwordEnv: 'PW' } }, data: { paths: ['/a'] } };
    expect(diffConfig(before, after)).toEqual([
      { key: 'data.paths.1', safe: false },
      { key: 'dr.metastore.passwordEnv', safe: true },
      { key: 'dr.metastore.port', safe: true },
    ]);
    expect(diffConfig(before, before)).toEqual([]);
  });
});
