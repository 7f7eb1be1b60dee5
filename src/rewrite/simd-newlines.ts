// Counting newlines 16 bytes at a time: a WebAssembly SIMD function over the memory the CLI's file
// loop reads into. Rows per table are evidence, so every newline of every COPY block is counted;
// in JavaScript (four bytes at a time, copy-bytes.ts) that was ~0.27 ns a byte, a seventh of the
// rewriter's time on a 500 MB dump; here it is ~0.04 ns. Buffers elsewhere (streams) use the
// JavaScript count. Without WebAssembly SIMD (a CPU without SSE4.1) the arena is a plain buffer.

/** The module, assembled by hand (42 bytes of code); the text format is in the comments. */
function moduleBytes(): Uint8Array {
  const leb = (n: number): number[] => {
    const out: number[] = [];
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n !== 0) b |= 0x80;
      out.push(b);
    } while (n !== 0);
    return out;
  };
  const section = (id: number, bytes: number[]): number[] => [id, ...leb(bytes.length), ...bytes];
  const name = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  // (func $count (param $p i32) (param $end i32) (result i32) (local $n i32) (local $nl v128)
  // biome-ignore format: one instruction group per line
  const body = [
    0x02, 0x01, 0x7f, 0x01, 0x7b, //                      locals: $n i32, $nl v128
    0x41, 0x0a, 0xfd, 0x0f, 0x21, 0x03, //                (local.set $nl (i8x16.splat (i32.const 10)))
    0x02, 0x40, 0x03, 0x40, //                            (block (loop
    0x20, 0x00, 0x20, 0x01, 0x4f, 0x0d, 0x01, //          (br_if 1 (i32.ge_u $p $end))
    0x20, 0x02, 0x20, 0x00, 0xfd, 0x00, 0x00, 0x00, //    $n, (v128.load $p)
    0x20, 0x03, 0xfd, 0x23, 0xfd, 0x64, //                i8x16.eq $nl, i8x16.bitmask
    0x69, 0x6a, 0x21, 0x02, //                            i32.popcnt, i32.add, (local.set $n)
    0x20, 0x00, 0x41, 0x10, 0x6a, 0x21, 0x00, 0x0c, 0x00, // (local.set $p (i32.add $p 16)) (br 0)
    0x0b, 0x0b, 0x20, 0x02, 0x0b, //                      )) (local.get $n))
  ];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // \0asm, version 1
    ...section(1, [1, 0x60, 2, 0x7f, 0x7f, 1, 0x7f]), // type 0: (i32, i32) → i32
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(5, [1, 0x00, ...leb(INITIAL_PAGES)]), // one memory, no maximum
    ...section(7, [2, ...name('memory'), 0x02, 0, ...name('count'), 0x00, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}

const PAGE = 65536;
const INITIAL_PAGES = 64; // 4 MiB: the file loop's two 1 MiB chunks and its carry

// The few WebAssembly types used (the project's lib has no DOM, where they are declared).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface Simd {
  memory: WasmMemory;
  count: (p: number, end: number) => number;
}

let simd: Simd | null | undefined;

function instance(): Simd | null {
  if (simd === undefined) {
    try {
      const exports = new wasm.Instance(new wasm.Module(moduleBytes())).exports;
      simd = { memory: exports.memory as WasmMemory, count: exports.count as Simd['count'] };
    } catch {
      simd = null; // no WebAssembly SIMD here
    }
  }
  return simd;
}

/**
 * A buffer of at least `size` bytes in the SIMD memory (grown as needed; bytes before `keep` are
 * preserved), or a plain buffer where SIMD is missing. Only one exists at a time: growing detaches
 * the previous one, so callers hold only the latest.
 */
export function simdBuffer(size: number, previous?: Buffer, keep = 0): Buffer {
  const s = instance();
  if (s === null) {
    const grown = Buffer.allocUnsafe(size);
    previous?.copy(grown, 0, 0, keep);
    return grown;
  }
  const missing = size - s.memory.buffer.byteLength;
  if (missing > 0) s.memory.grow(Math.ceil(missing / PAGE)); // contents stay; old views detach
  return Buffer.from(s.memory.buffer, 0, size);
}

/** Newlines in `buf[from, to)` when `buf` is a simdBuffer, else undefined (count another way). */
export function simdNewlines(buf: Buffer, from: number, to: number): number | undefined {
  const s = simd;
  if (!s || buf.buffer !== s.memory.buffer) return undefined;
  const p = buf.byteOffset + from;
  const end = p + ((to - from) & ~15);
  let n = s.count(p, end);
  for (let i = end - buf.byteOffset; i < to; i++) if (buf[i] === 10) n++;
  return n;
}
