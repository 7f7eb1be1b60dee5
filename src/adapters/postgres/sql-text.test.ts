import { describe, expect, it } from 'vitest';
import { likePrefix, quoteIdent, quoteLiteral, regexEscape } from './sql-text.js';

describe('sql text helpers', () => {
  it('quotes identifiers, doubling embedded quotes', () => {
    expect(quoteIdent('hive')).toBe('"hive"');
    expect(quoteIdent('we"ird; drop')).toBe('"we""ird; drop"');
  });
  it('refuses empty, NUL and over-long identifiers', () => {
    expect(() => quoteIdent('')).toThrow(/invalid/);
    expect(() => quoteIdent('a\0b')).toThrow(/invalid/);
    expect(() => quoteIdent('x'.repeat(64))).toThrow(/63-byte/);
  });
  it('quotes literals and LIKE prefixes', () => {
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(likePrefix('hive_hmsdr_prev_')).toBe('hive\\_hmsdr\\_prev\\_%');
  });
  it('escapes regex metacharacters', () => {
    expect(regexEscape('hdfs://nn1.prod:8020')).toBe('hdfs://nn1\\.prod:8020');
  });
});
