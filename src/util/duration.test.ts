import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['15000', 15_000],
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5s', 1500],
    ['15m', 900_000],
    ['26h', 93_600_000],
    ['2d', 172_800_000],
    ['1h30m', 5_400_000],
    [' 2H ', 7_200_000],
    ['0s', 0],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it('a bare number takes the given unit', () => expect(parseDuration('90', 's')).toBe(90_000));
  it.each(['', 'abc', '10 minutes', '-5s', '5x', 's', '1h 30m'])('%j is not a duration', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );
});
