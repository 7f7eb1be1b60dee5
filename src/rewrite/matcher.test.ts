import { describe, expect, it } from 'vitest';
import { rewriteValue, rewriteValueDetailed, unescapedCharLength } from './matcher.js';
import { parseMapArgument } from './rules.js';
import type { RewriteRule } from './rules.js';

const nnPort: RewriteRule[] = [{ from: 'hdfs://nn1:8020', to: 'hdfs://dr1:8020' }];
const nnNoPort: RewriteRule[] = [{ from: 'hdfs://nn1', to: 'hdfs://drns' }];
const nnDefault: RewriteRule[] = [{ from: 'hdfs://nn1', to: 'hdfs://drns', matchDefaultPort: true }];

describe('rewriteValue boundaries', () => {
  it.each([
    ['hdfs://nn1:8020/warehouse/t', 'hdfs://dr1:8020/warehouse/t'],
    ['hdfs://nn1:8020', 'hdfs://dr1:8020'],
    ['HDFS://NN1:8020/Upper/Path', 'hdfs://dr1:8020/Upper/Path'],
    ['hdfs://nn1:80200/x', 'hdfs://nn1:80200/x'],
    ['hdfs://nn10:8020/x', 'hdfs://nn10:8020/x'],
    ['hdfs://nn1.example.com:8020/x', 'hdfs://nn1.example.com:8020/x'],
    ['hdfs://nn1:9000/x', 'hdfs://nn1:9000/x'],
    ['webhdfs://nn1:8020/x', 'webhdfs://nn1:8020/x'],
    ['s3a://nn1:8020/x', 's3a://nn1:8020/x'],
    ["path 'hdfs://nn1:8020/a','hdfs://nn1:8020/b'", "path 'hdfs://dr1:8020/a','hdfs://dr1:8020/b'"],
    ['{"location":"hdfs://nn1:8020/x"}', '{"location":"hdfs://dr1:8020/x"}'],
    ['hdfs:///x', 'hdfs:///x'],
    ['s3a://bucket/hdfs://nn1:8020/x', 's3a://bucket/hdfs://nn1:8020/x'],
  ])('%s → %s', (input, expected) => {
    expect(rewriteValue(input, nnPort)).toBe(expected);
  });

  it('a rule without port leaves ported URIs alone unless matchDefaultPort', () => {
    expect(rewriteValue('hdfs://nn1/x', nnNoPort)).toBe('hdfs://drns/x');
    expect(rewriteValue('hdfs://nn1:8020/x', nnNoPort)).toBe('hdfs://nn1:8020/x');
    expect(rewriteValue('hdfs://nn1:8020/x', nnDefault)).toBe('hdfs://drns/x');
    expect(rewriteValue('hdfs://nn1/x', nnDefault)).toBe('hdfs://drns/x');
    expect(rewriteValue('hdfs://nn1:9000/x', nnDefault)).toBe('hdfs://nn1:9000/x');
  });

  it('HA nameservice and scheme change', () => {
    expect(rewriteValue('hdfs://prodns/apps/hive', [{ from: 'hdfs://prodns', to: 'hdfs://drns' }])).toBe('hdfs://drns/apps/hive');
    expect(rewriteValue('hdfs://x/a/b', [{ from: 'hdfs://x', to: 's3a://bucket/root' }])).toBe('s3a://bucket/root/a/b');
  });

  it('the most specific rule wins, path prefixes end at a segment boundary', () => {
    const rules: RewriteRule[] = [
      { from: 'hdfs://nn1:8020', to: 'hdfs://dr1:8020' },
      { from: 'hdfs://nn1:8020/warehouse/external', to: 's3a://ext' },
    ];
    expect(rewriteValue('hdfs://nn1:8020/warehouse/external/t', rules)).toBe('s3a://ext/t');
    expect(rewriteValue('hdfs://nn1:8020/warehouse/external', rules)).toBe('s3a://ext');
    expect(rewriteValue('hdfs://nn1:8020/warehouse/externals/t', rules)).toBe('hdfs://dr1:8020/warehouse/externals/t');
    expect(rewriteValue('hdfs://nn1:8020/warehouse/t', rules)).toBe('hdfs://dr1:8020/warehouse/t');
  });

  it('counts every occurrence and keeps everything else', () => {
    expect(rewriteValueDetailed('a hdfs://nn1:8020/x b hdfs://nn1:8020 c', nnPort)).toEqual({
      value: 'a hdfs://dr1:8020/x b hdfs://dr1:8020 c',
      matches: 2,
    });
    expect(rewriteValueDetailed('héllo ☃ hdfs://nn10', nnPort)).toEqual({ value: 'héllo ☃ hdfs://nn10', matches: 0 });
  });
});

describe('parseMapArgument', () => {
  it('splits at the first = and validates both sides', () => {
    expect(parseMapArgument('hdfs://a:8020=hdfs://b')).toEqual({ from: 'hdfs://a:8020', to: 'hdfs://b', matchDefaultPort: false });
    expect(() => parseMapArgument('hdfs://a')).toThrow(/OLD=NEW/);
    expect(() => parseMapArgument('nn1=nn2')).toThrow(/scheme:\/\/host/);
    expect(() => parseMapArgument('hdfs://a=')).toThrow(/OLD=NEW/);
  });
});

describe('unescapedCharLength', () => {
  it('counts characters after COPY unescaping and UTF-8 decoding', () => {
    expect(unescapedCharLength(Buffer.from('abc'))).toBe(3);
    expect(unescapedCharLength(Buffer.from('a\\tb\\\\c'))).toBe(5);
    expect(unescapedCharLength(Buffer.from('é☃'))).toBe(2);
    expect(unescapedCharLength(Buffer.from('\\011x\\x41'))).toBe(3);
  });
});
