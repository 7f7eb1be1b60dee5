import { describe, expect, it } from 'vitest';
import { authorityRegex, containsAuthority, normaliseAuthority } from './authority.js';

describe('authority matching', () => {
  it('matches only at a boundary', () => {
    expect(containsAuthority('hdfs://nn1/warehouse', 'hdfs://nn1')).toBe(true);
    expect(containsAuthority('hdfs://nn1', 'hdfs://nn1')).toBe(true);
    expect(containsAuthority('{"location":"hdfs://nn1/x"}', 'hdfs://nn1')).toBe(true);
    expect(containsAuthority('HDFS://NN1/warehouse', 'hdfs://nn1')).toBe(true);
    expect(containsAuthority('hdfs://nn10/warehouse', 'hdfs://nn1')).toBe(false);
    expect(containsAuthority('hdfs://nn1.example.com/x', 'hdfs://nn1')).toBe(false);
    expect(containsAuthority('hdfs://nn1:8020/x', 'hdfs://nn1')).toBe(false);
    expect(containsAuthority('xhdfs://nn1/x', 'hdfs://nn1')).toBe(false);
  });
  it('builds an escaped SQL regex and normalises authorities', () => {
    expect(authorityRegex('hdfs://nn1.prod:8020')).toBe('(^|[^a-z0-9+.-])hdfs://nn1\\.prod:8020($|[^a-z0-9._:@-])');
    expect(normaliseAuthority('HDFS://NN1.Prod:8020/a/b')).toBe('hdfs://nn1.prod:8020');
    expect(normaliseAuthority('/warehouse/x')).toBeUndefined();
  });
});
