// Bytes of pg_dump's COPY text format the rewriter looks for, and the newline count of whole rows.
import { simdNewlines } from './simd-scan.js';

export const NL = 10;
export const TAB = 9;
export const CR = 13;
export const BACKSLASH = 0x5c;
/** Newline + `\.`: the end-of-data line of a COPY block (a data row never starts with `\.`). */
export const TERMINATOR = Buffer.from('\n\\.');

/**
 * Newlines in `buf[from, to)`. Hot: sixteen bytes at a time in a SIMD arena's buffer
 * (simd-scan.ts); elsewhere four bytes at a time (SWAR zero-byte test on aligned 32-bit
 * words), which beats both a byte loop and indexOf calls on short rows.
 */
export function countNewlines(buf: Buffer, from: number, to: number): number {
  if (to - from >= 256) {
    const simd = simdNewlines(buf, from, to);
    if (simd !== undefined) return simd;
  }
  let n = 0;
  let i = from;
  const base = buf.byteOffset;
  while (i < to && ((base + i) & 3) !== 0) {
    if (buf[i] === NL) n++;
    i++;
  }
  const words = (to - i) >> 2;
  if (words > 16) {
    const u32 = new Uint32Array(buf.buffer, base + i, words);
    for (let w = 0; w < words; w++) {
      const x = (u32[w] as number) ^ 0x0a0a0a0a;
      const zero = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f);
      n += Math.imul(zero >>> 7, 0x01010101) >>> 24;
    }
    i += words << 2;
  }
  for (; i < to; i++) if (buf[i] === NL) n++;
  return n;
}
