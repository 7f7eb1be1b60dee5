import { describe, expect, it } from 'vitest';
import { formatDuration } from './format.js';

describe('formatDuration: rounded first, then split into units', () => {
  it.each([
    [0, '0 ms'],
    [999, '999 ms'],
    [999.4, '999 ms'],
    [999.6, '1.0 s'],
    [1_000, '1.0 s'],
    [59_949, '59.9 s'],
    [59_950, '1 min 0 s'],
    [59_960, '1 min 0 s'],
    [60_000, '1 min 0 s'],
    [61_499, '1 min 1 s'],
    [119_499, '1 min 59 s'],
    [119_600, '2 min 0 s'],
    [297_500, '4 min 58 s'],
    [3_599_499, '59 min 59 s'],
    [3_599_999, '1 h 0 min'],
    [3_600_000, '1 h 0 min'],
    [7_170_000, '2 h 0 min'],
    [5 * 3_600_000 + 29 * 60_000 + 31_000, '5 h 30 min'],
    [47 * 3_600_000 + 59 * 60_000 + 40_000, '2 d 0 h'],
    [50 * 3_600_000 + 10 * 60_000, '2 d 2 h'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('says — for an unknown duration and clamps a negative one to 0', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
    expect(formatDuration(-5)).toBe('0 ms');
  });

  it('never shows 60 of a unit', () => {
    for (let ms = 0; ms < 3 * 3_600_000; ms += 997) {
      const text = formatDuration(ms);
      expect(text, `${ms} ms`).not.toMatch(/(^|\D)60(\.0)? (s|min)/);
    }
  });
});
