import { describe, expect, it } from 'vitest';
import { compileExclusions, exclusionProblem, filtersFileLines, quoteRegex } from './exclusions.js';

describe('exclusions', () => {
  it('match the whole relative path, one path at a time (a directory does not exclude its children)', () => {
    const ex = compileExclusions(['tmp', '.*\\.log', 'staging(/.*)?']);
    expect(ex.excluded('tmp')).toBe(true);
    expect(ex.excluded('tmp/a')).toBe(false);
    expect(ex.excluded('a/tmp')).toBe(false);
    expect(ex.excluded('x/y.log')).toBe(true);
    expect(ex.excluded('x/y.log.1')).toBe(false);
    expect(ex.excluded('staging')).toBe(true);
    expect(ex.excluded('staging/p=1/f')).toBe(true);
    expect(ex.excluded('/staging/f')).toBe(true);
    expect(ex.excluded('')).toBe(false);
  });

  it('fingerprint: order and duplicates do not matter; none without patterns', () => {
    expect(compileExclusions([]).fingerprint).toBe('none');
    expect(compileExclusions(['a', 'b']).fingerprint).toBe(compileExclusions(['b', 'a', 'a']).fingerprint);
    expect(compileExclusions(['a']).fingerprint).not.toBe(compileExclusions(['b']).fingerprint);
  });

  it('accepts the common syntax, refuses constructs Java and JavaScript read differently', () => {
    for (const ok of ['a.*', '[^/]+\\.tmp', '(?:a|b)/c', 'x(?=y)', '\\d{4}-\\d\\d', 'a\\.b', '\\u00e9', '[a-z_]+/\\x41']) {
      expect(exclusionProblem(ok), ok).toBeUndefined();
    }
    const refused: Record<string, string> = {
      '(?<=a)b': 'lookbehind',
      '(?<n>a)': 'named groups',
      '(?i)a': 'inline flags',
      '(?>a)': 'atomic',
      'a*+': 'possessive',
      '[a[b]]': 'nests [',
      '[a&&b]': 'intersection',
      '\\p{Alpha}': '\\p',
      '\\Qa\\E': '\\Q',
      '\\z': '\\z',
      '(a)\\1': 'backreference',
      '[]a]': 'starts a [...] class with ]',
      '': 'empty',
      '(': 'not a valid regular expression',
    };
    for (const [pattern, why] of Object.entries(refused)) expect(exclusionProblem(pattern), pattern).toContain(why);
    expect(() => compileExclusions(['(?<=a)b'])).toThrow('lookbehind');
  });

  it('the -filters lines match the relative form (-diff) and the full form (listing) under the roots only', () => {
    const [line] = filtersFileLines(['/data/src', '/dr/src'], ['tmp(/.*)?']);
    const java = new RegExp(`^(?:${line})$`); // RegexCopyFilter: matcher(path).matches()
    expect(java.test('/tmp')).toBe(true);
    expect(java.test('/tmp/x')).toBe(true);
    expect(java.test('hdfs://prodns/data/src/tmp/x')).toBe(true);
    expect(java.test('hdfs://nn1:8020/data/src/.snapshot/hmsdr-1/tmp')).toBe(true);
    expect(java.test('hdfs://drns/dr/src/tmp/x')).toBe(true);
    expect(java.test('/a/tmp')).toBe(false);
    expect(java.test('hdfs://prodns/data/src/a/tmp')).toBe(false);
    expect(java.test('hdfs://prodns/other/tmp')).toBe(false);
    expect(java.test('hdfs://prodns/data/srcx/tmp')).toBe(false);
    expect(quoteRegex('/a.b+c')).toBe('/a\\.b\\+c');
  });
});
