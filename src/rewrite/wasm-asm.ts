// A few lines of WebAssembly assembler: enough for the rewriter's kernels (simd-kernels.ts,
// row-kernels.ts), written as instruction groups with their text-format names instead of raw
// bytes. No toolchain is needed and the module is under 3 KB.

export const I32 = 0x7f;
export const V128 = 0x7b;
const VOID = 0x40;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const simd = (code: number, ...rest: number[]): number[] => [0xfd, ...uleb(code), ...rest];

/** Instructions, by their text-format names. Locals are numbered: parameters first. */
export const op = {
  get: (i: number) => [0x20, i],
  set: (i: number) => [0x21, i],
  const: (n: number) => [0x41, ...sleb(n | 0)],
  block: [0x02, VOID],
  loop: [0x03, VOID],
  if: [0x04, VOID],
  else: [0x05],
  end: [0x0b],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  eqz: [0x45],
  eq: [0x46],
  ne: [0x47],
  ltS: [0x48],
  ltU: [0x49],
  gtS: [0x4a],
  leS: [0x4c],
  leU: [0x4d],
  geU: [0x4f],
  clz: [0x67],
  ctz: [0x68],
  popcnt: [0x69],
  add: [0x6a],
  sub: [0x6b],
  and: [0x71],
  or: [0x72],
  shl: [0x74],
  shrU: [0x76],
  /** i32.store at the address on the stack (+ offset). */
  store: (offset = 0) => [0x36, 2, ...uleb(offset)],
  /** i32.load at the address on the stack (+ offset). */
  load: (offset = 0) => [0x28, 2, ...uleb(offset)],
  /** i32.load8_u at the address on the stack (+ offset). */
  load8: (offset = 0) => [0x2d, 0, ...uleb(offset)],
  call: (index: number) => [0x10, ...uleb(index)],
  /** memory.copy: destination, source and length on the stack. */
  copy: [0xfc, ...uleb(10), 0, 0],
  /** v128.load of 16 bytes at any alignment, at the address on the stack + offset. */
  load128: (offset = 0) => simd(0x00, 0, ...uleb(offset)),
  splat8: simd(0x0f),
  eq8: simd(0x23),
  and128: simd(0x4e),
  or128: simd(0x50),
  anyTrue: simd(0x53),
  bitmask8: simd(0x64),
};

export interface WasmFunction {
  name: string;
  params: number[];
  results: number[];
  locals: number[];
  body: (number[] | number)[];
}

const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
const name = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];

/** A module of `functions` and one exported memory named `memory` of `pages` 64 KiB pages. */
export function wasmModule(functions: readonly WasmFunction[], pages: number): Uint8Array {
  const types = functions.map((f) => [0x60, ...vector(f.params.map((t) => [t])), ...vector(f.results.map((t) => [t]))]);
  const exports = [[...name('memory'), 0x02, 0], ...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])];
  const codes = functions.map((f) => {
    const locals = vector(f.locals.map((t) => [1, t]));
    const body = [...locals, ...f.body.flat(), 0x0b];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // \0asm, version 1
    ...section(1, vector(types)),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...section(5, [1, 0x00, ...uleb(pages)]), // one memory, no maximum
    ...section(7, vector(exports)),
    ...section(10, vector(codes)),
  ]);
}
