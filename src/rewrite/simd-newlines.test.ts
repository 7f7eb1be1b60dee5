import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countNewlines } from './copy-bytes.js';
import { simdBuffer, simdNewlines } from './simd-newlines.js';

const naive = (buf: Buffer, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) if (buf[i] === 10) n++;
  return n;
};

describe('newlines counted 16 bytes at a time', () => {
  it('equal a byte-by-byte count at any offset and length in the SIMD buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 3000 }), fc.nat(3000), fc.nat(3000), (bytes, a, b) => {
        const buf = simdBuffer(bytes.length);
        buf.set(bytes.map((x) => (x % 3 === 0 ? 10 : x)));
        const from = Math.min(a, buf.length);
        const to = Math.max(from, Math.min(b, buf.length));
        expect(simdNewlines(buf, from, to)).toBe(naive(buf, from, to));
        expect(countNewlines(buf, from, to)).toBe(naive(buf, from, to));
      }),
      { numRuns: 300 },
    );
  });

  it('a grown buffer keeps the bytes asked for and counts in its new memory; other buffers are not its business', () => {
    const small = simdBuffer(1000);
    small.fill(10, 0, 1000);
    const grown = simdBuffer(8 << 20, small, 1000);
    expect(grown.length).toBe(8 << 20);
    expect(naive(grown, 0, 1000)).toBe(1000);
    grown.fill(0x41, 1000);
    grown[(8 << 20) - 1] = 10;
    expect(countNewlines(grown, 0, grown.length)).toBe(1001);
    expect(simdNewlines(Buffer.from('a\nb\n'.repeat(100)), 0, 400)).toBeUndefined();
  });
});
