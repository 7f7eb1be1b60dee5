// WebAssembly memories the rewriter's input is read (the CLI's file loop) or copied (the stream
// form) into, where the SIMD functions of simd-kernels.ts look at it 16 bytes at a time. Other
// buffers take the JavaScript paths; so does a CPU without WebAssembly SIMD (no SSE4.1).
import { BUFFER, MARKS, MARKS_SPAN, SLACK, simdModuleBytes } from './simd-kernels.js';

const NL = 10;
const PAGE = 65536;
const INITIAL_PAGES = 72; // 4.5 MiB: the marks, the file loop's two 1 MiB chunks and its carry

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
  marks: (p: number, end: number, out: number) => number;
  locate: (t: number, lo: number, hi: number) => number;
  /** Views of the memory, renewed when it grows. */
  words: Int32Array;
}

let compiled: object | null | undefined;
/** Each arena's kernels by the memory its buffers are views of (a grown memory is a new one). */
const arenas = new WeakMap<ArrayBufferLike, Simd>();

/** A memory of its own with the kernels, for one reader at a time. */
export class SimdArena {
  private constructor(private readonly simd: Simd) {}

  /** A new arena, or undefined where WebAssembly SIMD is missing. */
  static create(): SimdArena | undefined {
    if (compiled === undefined) {
      try {
        compiled = new wasm.Module(simdModuleBytes(INITIAL_PAGES));
      } catch {
        compiled = null; // no WebAssembly SIMD here
      }
    }
    if (compiled === null) return undefined;
    const exports = new wasm.Instance(compiled).exports;
    const memory = exports.memory as WasmMemory;
    const simd: Simd = {
      memory,
      count: exports.count as Simd['count'],
      marks: exports.marks as Simd['marks'],
      locate: exports.locate as Simd['locate'],
      words: new Int32Array(memory.buffer),
    };
    arenas.set(memory.buffer, simd);
    return new SimdArena(simd);
  }

  /**
   * The arena's buffer, of at least `size` bytes: grown as needed, with its contents. Growing
   * detaches the buffers given before, so callers hold only the latest.
   */
  buffer(size: number): Buffer {
    const memory = this.simd.memory;
    const missing = BUFFER + size + SLACK - memory.buffer.byteLength;
    if (missing > 0) {
      memory.grow(Math.ceil(missing / PAGE)); // contents stay; old views detach
      arenas.set(memory.buffer, this.simd);
    }
    return Buffer.from(memory.buffer, BUFFER, size);
  }
}

/** The kernels, when `buf` lives in an arena's memory. */
function kernelsFor(buf: Buffer): Simd | undefined {
  const s = arenas.get(buf.buffer);
  if (s !== undefined && s.words.buffer !== s.memory.buffer) s.words = new Int32Array(s.memory.buffer);
  return s;
}

let fileLoopArena: SimdArena | null | undefined;

/**
 * A buffer of at least `size` bytes in the file loop's arena (bytes before `keep` are preserved),
 * or a plain buffer where SIMD is missing. Only one exists at a time: growing detaches the previous
 * one, so callers hold only the latest.
 */
export function simdBuffer(size: number, previous?: Buffer, keep = 0): Buffer {
  if (fileLoopArena === undefined) fileLoopArena = SimdArena.create() ?? null;
  if (fileLoopArena !== null) return fileLoopArena.buffer(size);
  const grown = Buffer.allocUnsafe(size);
  previous?.copy(grown, 0, 0, keep);
  return grown;
}

/** Newlines in `buf[from, to)` when `buf` is a simdBuffer, else undefined (count another way). */
export function simdNewlines(buf: Buffer, from: number, to: number): number | undefined {
  const s = kernelsFor(buf);
  if (!s) return undefined;
  const p = buf.byteOffset + from;
  const end = p + ((to - from) & ~15);
  let n = s.count(p, end);
  for (let i = end - buf.byteOffset; i < to; i++) if (buf[i] === NL) n++;
  return n;
}

/** Where `://` and COPY terminators (newline + `\.`) start in a buffer, in order. */
export class BufferMarks {
  triggers: Int32Array = new Int32Array(1024);
  triggerCount = 0;
  terminators: Int32Array = new Int32Array(16);
  terminatorCount = 0;
  /** The kernels and the buffer's address in their memory, from the last scan. */
  private kernels: Simd | undefined;
  private base = 0;

  /**
   * Every mark lying wholly in `buf[0, end)`, when `buf` is an arena's buffer; false otherwise
   * (search another way).
   */
  scan(buf: Buffer, end: number): boolean {
    const s = kernelsFor(buf);
    if (!s) return false;
    const base = buf.byteOffset;
    this.kernels = s;
    this.base = base;
    const words = s.words;
    this.triggerCount = this.terminatorCount = 0;
    for (let p = base; p < base + end - 2; p += MARKS_SPAN) {
      const n = s.marks(p, Math.min(p + MARKS_SPAN, base + end - 2), MARKS);
      for (let i = MARKS / 4; i < MARKS / 4 + n; i++) {
        const mark = words[i] as number;
        if (mark >= 0) this.pushTrigger(mark - base);
        else this.pushTerminator(-1 - mark - base);
      }
    }
    return true;
  }

  /**
   * The row and field of COPY data around the trigger at `t` of the buffer scanned last, with the
   * row starting at `lo` at the earliest and the search for its end stopping at `hi`.
   */
  locate(t: number, lo: number, hi: number, into: RowLocation): void {
    const s = this.kernels as Simd;
    const base = this.base;
    into.rowStart = s.locate(base + t, base + lo, base + hi) - base;
    const words = s.words;
    into.fieldIndex = words[0] as number;
    into.fieldStart = (words[1] as number) - base;
    const fieldEnd = words[2] as number;
    const rowEnd = words[3] as number;
    into.fieldEnd = fieldEnd === -1 ? -1 : fieldEnd - base;
    into.rowEnd = rowEnd === -1 ? -1 : rowEnd - base;
  }

  private pushTrigger(at: number): void {
    if (this.triggerCount === this.triggers.length) this.triggers = doubled(this.triggers);
    this.triggers[this.triggerCount++] = at;
  }

  private pushTerminator(at: number): void {
    if (this.terminatorCount === this.terminators.length) this.terminators = doubled(this.terminators);
    this.terminators[this.terminatorCount++] = at;
  }
}

/** A copy of `list` with twice the room (the marks of a buffer, the field starts of a row). */
export function doubled(list: Int32Array): Int32Array {
  const bigger = new Int32Array(list.length * 2);
  bigger.set(list);
  return bigger;
}

/** What `BufferMarks.locate` found around a `://` (positions in the buffer). */
export interface RowLocation {
  rowStart: number;
  fieldIndex: number;
  fieldStart: number;
  /** The first tab or newline at or after the trigger, or −1. */
  fieldEnd: number;
  /** The first newline at or after the trigger, or −1. */
  rowEnd: number;
}
