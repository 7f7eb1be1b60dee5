import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countNewlines } from './copy-bytes.js';
import { BufferMarks, type RowLocation, simdBuffer, simdNewlines } from './simd-scan.js';

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

  it('count every byte of a run of newlines, whole and from odd offsets', () => {
    const length = (1 << 20) + 48;
    const buf = simdBuffer(length);
    buf.fill(10, 0, length);
    expect(simdNewlines(buf, 0, length)).toBe(length);
    expect(simdNewlines(buf, 5, length - 7)).toBe(length - 12);
    buf[4096 * 3 + 17] = 0x41;
    expect(countNewlines(buf, 0, length)).toBe(length - 1);
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

const alphabet = [0x3a, 0x2f, 0x2f, 10, 10, 9, 9, 0x5c, 0x2e, 0x61];
const biased = fc
  .array(fc.nat(alphabet.length - 1), { minLength: 0, maxLength: 2000 })
  .map((xs) => Buffer.from(xs.map((i) => alphabet[i] as number)));

const naiveMarks = (buf: Buffer, end: number): { triggers: number[]; terminators: number[] } => {
  const triggers: number[] = [];
  const terminators: number[] = [];
  for (let i = 0; i + 3 <= end; i++) {
    if (buf[i] === 0x3a && buf[i + 1] === 0x2f && buf[i + 2] === 0x2f) triggers.push(i);
    if (buf[i] === 10 && buf[i + 1] === 0x5c && buf[i + 2] === 0x2e) terminators.push(i);
  }
  return { triggers, terminators };
};

const naiveLocate = (buf: Buffer, t: number, lo: number, hi: number): RowLocation => {
  let rowStart = lo;
  for (let i = t - 1; i >= lo; i--)
    if (buf[i] === 10) {
      rowStart = i + 1;
      break;
    }
  let fieldStart = lo;
  for (let i = t - 1; i >= lo; i--)
    if (buf[i] === 10 || buf[i] === 9) {
      fieldStart = i + 1;
      break;
    }
  let fieldIndex = 0;
  for (let i = rowStart; i < t; i++) if (buf[i] === 9) fieldIndex++;
  let fieldEnd = -1;
  for (let i = t; i < hi; i++)
    if (buf[i] === 10 || buf[i] === 9) {
      fieldEnd = i;
      break;
    }
  let rowEnd = -1;
  for (let i = t; i < hi; i++)
    if (buf[i] === 10) {
      rowEnd = i;
      break;
    }
  return { rowStart, fieldIndex, fieldStart, fieldEnd, rowEnd };
};

/**
 * The bytes in the SIMD buffer, followed by marks (and bytes that would complete one just past
 * `length`) for 48 bytes: the kernel looks at 32 bytes a turn, and nothing past `length` may count.
 */
const inArena = (bytes: Buffer): Buffer => {
  const buf = simdBuffer(bytes.length + 48);
  buf.set(bytes);
  const marksAfter = Buffer.from('://\n\\.', 'latin1');
  for (let i = bytes.length; i < buf.length; i++) buf[i] = marksAfter[(i - bytes.length) % marksAfter.length] as number;
  return buf;
};

describe('marks: every :// and COPY terminator in one pass', () => {
  it('equal a byte-by-byte search, for marks wholly inside the length given', () => {
    fc.assert(
      fc.property(biased, (bytes) => {
        const buf = inArena(bytes);
        const marks = new BufferMarks();
        expect(marks.scan(buf, bytes.length)).toBe(true);
        const want = naiveMarks(buf, bytes.length);
        expect(Array.from(marks.triggers.subarray(0, marks.triggerCount))).toEqual(want.triggers);
        expect(Array.from(marks.terminators.subarray(0, marks.terminatorCount))).toEqual(want.terminators);
      }),
      { numRuns: 300 },
    );
  });

  it('find a million marks across several calls of the kernel, and nothing in a plain buffer', () => {
    const buf = simdBuffer(3_000_000);
    buf.fill(0x61);
    for (let i = 0; i + 6 <= buf.length; i += 6) buf.write(i % 12 === 0 ? '://' : '\n\\.', i + 1, 'latin1');
    const marks = new BufferMarks();
    marks.scan(buf, buf.length);
    expect(marks.triggerCount + marks.terminatorCount).toBe(500_000);
    expect(marks.triggers[marks.triggerCount - 1]).toBe(2_999_989);
    expect(new BufferMarks().scan(Buffer.from('a://b'), 5)).toBe(false);
  });
});

describe('locate: the row and field around a trigger', () => {
  it('equals walking the bytes, at every bound', () => {
    fc.assert(
      fc.property(biased, fc.nat(), fc.nat(), fc.nat(), (bytes, a, b, c) => {
        fc.pre(bytes.length > 0);
        const buf = inArena(bytes);
        const t = a % bytes.length;
        const lo = b % (t + 1);
        const hi = t + (c % (bytes.length - t + 1));
        const got: RowLocation = { rowStart: 0, fieldIndex: 0, fieldStart: 0, fieldEnd: 0, rowEnd: 0 };
        const marks = new BufferMarks();
        expect(marks.scan(buf, bytes.length)).toBe(true);
        marks.locate(t, lo, hi, got);
        expect(got).toEqual(naiveLocate(buf, t, lo, hi));
      }),
      { numRuns: 1000 },
    );
  });
});
