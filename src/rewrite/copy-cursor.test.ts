import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextInList } from './copy-cursor.js';

describe('nextInList: the next mark at or after a position, from the previous answer', () => {
  it('equals a search from the list start for any sequence of questions, forwards and backwards', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(5000), { maxLength: 300 }), fc.array(fc.nat(5100), { maxLength: 50 }), (values, questions) => {
        const list = Int32Array.from(values.sort((a, b) => a - b));
        let hint = 0;
        for (const from of questions) {
          hint = nextInList(list, list.length, hint, from);
          const want = list.findIndex((v) => v >= from);
          expect(hint).toBe(want === -1 ? list.length : want);
        }
      }),
      { numRuns: 500 },
    );
  });
});
