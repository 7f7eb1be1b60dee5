// The rewriter's three WebAssembly SIMD functions, 16 bytes at a time (simd-scan.ts runs them over
// the memory the rewriter's input is read or copied into; kernel-memory.ts lays it out), and the
// module with them and the per-row functions of row-kernels.ts:
// - count: newlines of a range. Rows per table are evidence, so every newline of every COPY block
//   is counted; in JavaScript (copy-bytes.ts) that was ~0.27 ns a byte, here ~0.04 ns.
// - marks: every `://` and every COPY terminator (newline + `\.`) of a buffer, in one pass per read.
//   One `Buffer.indexOf` call per hit cost ~0.1 µs of call overhead alone: with a million
//   locations, the rewriter's and the inspector's searches were a fifth of the CLI's time.
// - locate: the row, field and field bounds around a `://`, found 16 bytes at a time backwards
//   and forwards instead of walking the row's bytes in JavaScript.
import { INITIAL_PAGES, MARKS_ROOM, TERMINATOR_COUNT } from './kernel-memory.js';
import { classify, LOCATE, sweep } from './row-kernels.js';
import { I32, op, V128, type WasmFunction, wasmModule } from './wasm-asm.js';

const NL = 10;
const TAB = 9;

/** (count p end) → newlines in [p, end); end − p a multiple of 16. */
const count = (): WasmFunction => ({
  name: 'count',
  params: [I32, I32],
  results: [I32],
  locals: [I32, V128], // 2 n, 3 newline splat
  body: [
    op.const(NL),
    op.splat8,
    op.set(3),
    op.block,
    op.loop,
    [...op.get(0), ...op.get(1), ...op.geU, ...op.brIf(1)],
    [...op.get(2), ...op.get(0), ...op.load128(), ...op.get(3), ...op.eq8, ...op.bitmask8, ...op.popcnt, ...op.add, ...op.set(2)],
    [...op.get(0), ...op.const(16), ...op.add, ...op.set(0), ...op.br(0)],
    op.end,
    op.end,
    op.get(2),
  ],
});

/** `mask = mask & (mask − 1)` loop: stores `value(bit)` at `address` (of n) for each set bit of `mask`, n + 1 each. */
const storeEachBit = (mask: number, n: number, address: number[], value: (bit: number[]) => number[]): number[][] => [
  op.block,
  op.loop,
  [...op.get(mask), ...op.eqz, ...op.brIf(1)],
  address,
  value([...op.get(mask), ...op.ctz]),
  op.store(),
  [...op.get(n), ...op.const(1), ...op.add, ...op.set(n)],
  [...op.get(mask), ...op.get(mask), ...op.const(1), ...op.sub, ...op.and, ...op.set(mask)],
  op.br(0),
  op.end,
  op.end,
];

/**
 * (marks p end out base) → how many `://` start in [p, end): their addresses − base, in order, at
 * `out`; the newlines + `\.` starting there likewise, counted at TERMINATOR_COUNT and stored from
 * the end of the area (MARKS_ROOM entries) downwards, so that JavaScript copies the triggers whole.
 */
/** marks' work on the 16-byte block at local `q` (where a ':' or a newline is). */
const markBlock = (q: number): number[][] => [
  [...op.get(q), ...op.load128(0), ...op.set(7)],
  [...op.get(q), ...op.load128(1), ...op.set(8)],
  [...op.get(q), ...op.load128(2), ...op.set(9)],
  [...op.get(7), ...op.get(12), ...op.eq8, ...op.get(8), ...op.get(13), ...op.eq8, ...op.and128],
  [...op.get(9), ...op.get(13), ...op.eq8, ...op.and128, ...op.set(10)],
  [...op.get(7), ...op.get(14), ...op.eq8, ...op.get(8), ...op.get(15), ...op.eq8, ...op.and128],
  [...op.get(9), ...op.get(16), ...op.eq8, ...op.and128, ...op.set(11)],
  [...op.get(10), ...op.get(11), ...op.or128, ...op.anyTrue],
  op.if,
  [...op.get(10), ...op.bitmask8, ...op.set(5), ...op.get(11), ...op.bitmask8, ...op.set(6)],
  // A last block reaching past `end`: only the bits below it.
  [...op.get(1), ...op.get(q), ...op.sub, ...op.const(16), ...op.ltU],
  op.if,
  [...op.const(1), ...op.get(1), ...op.get(q), ...op.sub, ...op.shl, ...op.const(1), ...op.sub],
  [...op.get(5), ...op.and, ...op.set(5)],
  [...op.const(1), ...op.get(1), ...op.get(q), ...op.sub, ...op.shl, ...op.const(1), ...op.sub],
  [...op.get(6), ...op.and, ...op.set(6)],
  op.end,
  ...storeEachBit(5, 4, [...op.get(2), ...op.get(4), ...op.const(2), ...op.shl, ...op.add], (bit) => [
    ...op.get(q),
    ...bit,
    ...op.add,
    ...op.get(3),
    ...op.sub,
  ]),
  ...storeEachBit(
    6,
    17,
    [...op.get(2), ...op.const(4 * (MARKS_ROOM - 1)), ...op.add, ...op.get(17), ...op.const(2), ...op.shl, ...op.sub],
    (bit) => [...op.get(q), ...bit, ...op.add, ...op.get(3), ...op.sub],
  ),
  op.end,
];

/** `:` or newline in the 16 bytes of the v128 local `v`. */
const colonOrNewline = (v: number): number[] => [
  ...op.get(v),
  ...op.get(12),
  ...op.eq8,
  ...op.get(v),
  ...op.get(14),
  ...op.eq8,
  ...op.or128,
];

const marks = (): WasmFunction => ({
  name: 'marks',
  params: [I32, I32, I32, I32], // 0 p, 1 end, 2 out, 3 base
  // 4 triggers, 5 trigger bits, 6 terminator bits, 7-9 bytes at q, q+1, q+2, 10-11 trigger/terminator lanes,
  // 12-16 splats of ':', '/', '\n', '\\', '.', 17 terminators, 18 q (a block's address), 19 bytes at p + 16
  locals: [I32, I32, I32, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, I32, I32, V128],
  results: [I32],
  body: [
    ...[0x3a, 0x2f, NL, 0x5c, 0x2e].map((byte, i) => [...op.const(byte), ...op.splat8, ...op.set(12 + i)]),
    op.block,
    op.loop,
    [...op.get(0), ...op.get(1), ...op.geU, ...op.brIf(1)],
    // 32 bytes a turn. Most hold neither ':' nor a newline: two loads and four compares pass them
    // (the second block may lie past `end`, in the slack: then it is not looked at).
    [...op.get(0), ...op.load128(0), ...op.set(7), ...op.get(0), ...op.load128(16), ...op.set(19)],
    [...colonOrNewline(7), ...colonOrNewline(19), ...op.or128, ...op.anyTrue],
    op.if,
    [...op.get(0), ...op.set(18)],
    ...markBlock(18),
    [...op.get(0), ...op.const(16), ...op.add, ...op.set(18), ...op.get(18), ...op.get(1), ...op.ltU],
    op.if,
    ...markBlock(18),
    op.end,
    op.end,
    [...op.get(0), ...op.const(32), ...op.add, ...op.set(0), ...op.br(0)],
    op.end,
    op.end,
    [...op.const(0), ...op.get(17), ...op.store(TERMINATOR_COUNT)],
    op.get(4),
  ],
});

/** `target = base + 31 − clz(bits) + 1`: the address after the highest set bit. */
const afterHighest = (base: number, bits: number, target: number): number[] => [
  ...op.get(base),
  ...op.const(32),
  ...op.get(bits),
  ...op.clz,
  ...op.sub,
  ...op.add,
  ...op.set(target),
];

/**
 * (locate t lo hi) → the row's start: after the last newline in [lo, t), else lo. Stores at 0:
 * the field's index (tabs between the row's start and t), at 4 its start (after the last tab or
 * newline in [lo, t), else lo), at 8 its end (the first tab or newline in [t, hi), else −1), at
 * 12 the row's end (the first newline in [t, hi), else −1).
 */
const locate = (): WasmFunction => ({
  name: 'locate',
  params: [I32, I32, I32], // 0 t, 1 lo, 2 hi
  // 3 q, 4 block start, 5 newline bits, 6 tab bits, 7 valid bits, 8 tabs, 9 field start, 10 row
  // start, 11 highest newline bit, 12 tab bits above it, 13 bytes, 14-15 splats, 16 field end, 17 row end
  locals: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, V128, V128, V128, I32, I32],
  results: [I32],
  body: [
    [...op.const(NL), ...op.splat8, ...op.set(14), ...op.const(TAB), ...op.splat8, ...op.set(15)],
    [...op.get(0), ...op.set(3), ...op.const(-1), ...op.set(9), ...op.get(1), ...op.set(10)],
    [...op.const(-1), ...op.set(16), ...op.const(-1), ...op.set(17)],
    // Backwards from t, 16 bytes at a time, to the row's start.
    op.block,
    op.loop,
    [...op.get(3), ...op.get(1), ...op.leU, ...op.brIf(1)],
    [...op.get(3), ...op.const(16), ...op.sub, ...op.set(4)],
    [...op.get(4), ...op.load128(), ...op.set(13)],
    [...op.get(13), ...op.get(14), ...op.eq8, ...op.bitmask8, ...op.set(5)],
    [...op.get(13), ...op.get(15), ...op.eq8, ...op.bitmask8, ...op.set(6)],
    [...op.const(0xffff), ...op.set(7)],
    [...op.get(4), ...op.get(1), ...op.ltU],
    op.if, // the block starts before lo: only the bits from lo on
    [...op.const(0xffff), ...op.get(1), ...op.get(4), ...op.sub, ...op.shl, ...op.const(0xffff), ...op.and, ...op.set(7)],
    op.end,
    [...op.get(5), ...op.get(7), ...op.and, ...op.set(5), ...op.get(6), ...op.get(7), ...op.and, ...op.set(6)],
    op.get(5),
    op.if, // the row starts in this block
    [...op.const(31), ...op.get(5), ...op.clz, ...op.sub, ...op.set(11)],
    [...op.get(6), ...op.const(-2), ...op.get(11), ...op.shl, ...op.and, ...op.set(12)],
    [...op.get(8), ...op.get(12), ...op.popcnt, ...op.add, ...op.set(8)],
    [...op.get(9), ...op.const(-1), ...op.eq],
    op.if,
    op.get(12),
    op.if,
    afterHighest(4, 12, 9),
    op.else,
    [...op.get(4), ...op.get(11), ...op.add, ...op.const(1), ...op.add, ...op.set(9)],
    op.end,
    op.end,
    [...op.get(4), ...op.get(11), ...op.add, ...op.const(1), ...op.add, ...op.set(10)],
    op.br(2),
    op.end,
    [...op.get(9), ...op.const(-1), ...op.eq],
    op.if,
    op.get(6),
    op.if,
    afterHighest(4, 6, 9),
    op.end,
    op.end,
    [...op.get(8), ...op.get(6), ...op.popcnt, ...op.add, ...op.set(8)],
    [...op.get(4), ...op.set(3), ...op.br(0)],
    op.end,
    op.end,
    [...op.get(9), ...op.const(-1), ...op.eq],
    op.if,
    [...op.get(10), ...op.set(9)],
    op.end,
    // Forwards from t to the field's end and the row's end.
    op.get(0),
    op.set(3),
    op.block,
    op.loop,
    [...op.get(3), ...op.get(2), ...op.geU, ...op.brIf(1)],
    [...op.get(3), ...op.load128(), ...op.set(13)],
    [...op.get(13), ...op.get(14), ...op.eq8, ...op.bitmask8, ...op.set(5)],
    [...op.get(13), ...op.get(15), ...op.eq8, ...op.bitmask8, ...op.set(6)],
    [...op.get(2), ...op.get(3), ...op.sub, ...op.const(16), ...op.ltU],
    op.if, // past hi: only the bits below it
    [...op.const(1), ...op.get(2), ...op.get(3), ...op.sub, ...op.shl, ...op.const(1), ...op.sub, ...op.set(7)],
    [...op.get(5), ...op.get(7), ...op.and, ...op.set(5), ...op.get(6), ...op.get(7), ...op.and, ...op.set(6)],
    op.end,
    [...op.get(16), ...op.const(-1), ...op.eq, ...op.get(5), ...op.get(6), ...op.or, ...op.const(0), ...op.ne, ...op.and],
    op.if,
    [...op.get(3), ...op.get(5), ...op.get(6), ...op.or, ...op.ctz, ...op.add, ...op.set(16)],
    op.end,
    op.get(5),
    op.if,
    [...op.get(3), ...op.get(5), ...op.ctz, ...op.add, ...op.set(17), ...op.br(2)],
    op.end,
    [...op.get(3), ...op.const(16), ...op.add, ...op.set(3), ...op.br(0)],
    op.end,
    op.end,
    [...op.const(0), ...op.get(8), ...op.store(0), ...op.const(0), ...op.get(9), ...op.store(4)],
    [...op.const(0), ...op.get(16), ...op.store(8), ...op.const(0), ...op.get(17), ...op.store(12)],
    op.get(10),
  ],
});

/** The module: count, marks, locate, sweep, classify and a memory of `pages` 64 KiB pages. */
export const simdModuleBytes = (pages: number): Uint8Array => {
  const functions = [count(), marks(), locate(), sweep(), classify()];
  if (functions[LOCATE]?.name !== 'locate') throw new Error('sweep calls locate by its index');
  return wasmModule(functions, pages);
};

/** The module the rewriter instantiates (simd-scan.ts), with its memory's initial size. */
export const assembledModule = (): Uint8Array => simdModuleBytes(INITIAL_PAGES);
