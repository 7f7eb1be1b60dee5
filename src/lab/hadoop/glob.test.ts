import { describe, expect, it } from 'vitest';
import { globRegex } from './glob.js';

const matches = (glob: string, name: string): boolean => globRegex(glob)!.test(name);

describe("the stand-in's glob patterns (Hadoop's GlobPattern)", () => {
  it('has no wildcard without * ? [ {', () => {
    for (const literal of ['p=1', 'part-0.parquet', 'a,b', 'x}', 'a\\*b', 'a.b$c(d)|e+f^g']) expect(globRegex(literal)).toBeUndefined();
  });

  it('* and ? match any characters, dots and dot files included; regex characters stay literal', () => {
    expect(matches('*', 'part-00000.parquet')).toBe(true);
    expect(matches('*', '.hidden')).toBe(true);
    expect(matches('part-?.c000', 'part-1.c000')).toBe(true);
    expect(matches('part-?.c000', 'part-1xc000')).toBe(false);
    expect(matches('a+b*', 'a+bcd')).toBe(true);
    expect(matches('a+b*', 'aabcd')).toBe(false);
  });

  it('[...] and [!...] classes, {a,b} groups, \\ escapes', () => {
    expect(matches('p=[0-3]', 'p=2')).toBe(true);
    expect(matches('p=[!0-3]', 'p=2')).toBe(false);
    expect(matches('p=[!0-3]', 'p=7')).toBe(true);
    expect(matches('{a,b}.txt', 'b.txt')).toBe(true);
    expect(matches('{a,b}.txt', 'c.txt')).toBe(false);
    expect(matches('\\{x*', '{xyz')).toBe(true);
    expect(matches('\\*x*', 'ax')).toBe(false);
  });

  it('refuses a trailing backslash and an unclosed group, as Hadoop does', () => {
    expect(() => globRegex('a*\\')).toThrow(/Missing escaped character/);
    expect(() => globRegex('{a,b')).toThrow(/Unclosed group/);
  });
});
