// WebAssembly memories the rewriter's input is read (the CLI's file loop) or copied (the stream
// form) into, where the SIMD functions of simd-kernels.ts look at it 16 bytes at a time and the
// per-row ones of row-kernels.ts follow them. Other buffers take the JavaScript paths; so does a
// CPU without WebAssembly SIMD (no SSE4.1).
import { AUTHORITY_CHAR, PATH_CHAR, SCHEME_CHAR } from './matcher.js';
import { DEFAULT_PORT, type Pattern } from './rules.js';
import {
  AUTHORITY_TABLE,
  BUFFER,
  COUNTS,
  LIMITS,
  MARKS,
  MARKS_ROOM,
  MARKS_SPAN,
  NEEDLE_RECORD,
  NEEDLES,
  OUT,
  OUT_ROOM,
  PATH_TABLE,
  PATTERN_RECORD,
  PATTERNS,
  ROLES,
  SCHEME_TABLE,
  SLACK,
  SWEEP_COLUMNS,
  SWEPT,
  TERMINATOR_COUNT,
  TRIGGER_BATCH,
  TRIGGERS,
} from './kernel-memory.js';
import { CLASSIFY_DONE } from './row-kernels.js';
import { assembledModule } from './simd-kernels.js';

const NL = 10;
const PAGE = 65536;
/**
 * The module's bytes, assembled at build time, where the rewrite bundle has them
 * (scripts/bundle-fast-paths.ts): assembling them costs ~4 ms of a `hmsdr rewrite` start-up.
 */
declare const HMSDR_SIMD_MODULE: string | undefined;
const moduleBytes = (): Uint8Array =>
  typeof HMSDR_SIMD_MODULE === 'string' ? Buffer.from(HMSDR_SIMD_MODULE, 'base64') : assembledModule();

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
  marks: (p: number, end: number, out: number, base: number) => number;
  locate: (t: number, lo: number, hi: number) => number;
  sweep: (k: number, n: number, at: number, end: number, emit: number, o: number, oEnd: number, base: number) => number;
  classify: (k: number, n: number, base: number, lo: number, hi: number, final: number, longestScheme: number, reach: number) => number;
  /** Views of the memory, renewed when it grows; `out` is sweep's output area [OUT, BUFFER). */
  words: Int32Array;
  bytes: Uint8Array;
  out: Buffer;
  /** Whose patterns, COPY block columns and needles the inputs of sweep and classify hold now. */
  patternsOf: readonly Pattern[] | undefined;
  columnsOf: object | undefined;
  needlesOf: readonly ClassifyNeedle[] | undefined;
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
        compiled = new wasm.Module(moduleBytes());
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
      sweep: exports.sweep as Simd['sweep'],
      classify: exports.classify as Simd['classify'],
      words: new Int32Array(memory.buffer),
      bytes: new Uint8Array(memory.buffer),
      out: Buffer.from(memory.buffer, OUT, OUT_ROOM),
      patternsOf: undefined,
      columnsOf: undefined,
      needlesOf: undefined,
    };
    simd.bytes.set(SCHEME_CHAR, SCHEME_TABLE);
    simd.bytes.set(AUTHORITY_CHAR, AUTHORITY_TABLE);
    simd.bytes.set(PATH_CHAR, PATH_TABLE);
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
  if (s !== undefined && s.words.buffer !== s.memory.buffer) {
    s.words = new Int32Array(s.memory.buffer);
    s.bytes = new Uint8Array(s.memory.buffer);
    s.out = Buffer.from(s.memory.buffer, OUT, OUT_ROOM);
  }
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
    this.batchStart = this.batchEnd = -1;
    for (let p = base; p < base + end - 2; p += MARKS_SPAN) {
      const n = s.marks(p, Math.min(p + MARKS_SPAN, base + end - 2), MARKS, base);
      while (this.triggers.length < this.triggerCount + n) this.triggers = doubled(this.triggers);
      this.triggers.set(words.subarray(MARKS / 4, MARKS / 4 + n), this.triggerCount);
      this.triggerCount += n;
      const terminators = words[TERMINATOR_COUNT / 4] as number;
      for (let i = 0; i < terminators; i++) this.pushTerminator(words[MARKS / 4 + MARKS_ROOM - 1 - i] as number);
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

  /** What the last sweep left: positions in the buffer, the output's length, the rows walked. */
  readonly swept = { index: 0, at: 0, emit: 0, written: 0, rows: 0, lastRowStart: 0, wanted: 0 };
  /** What the last classify left: the next trigger's index, the last one classified (−1: none). */
  readonly classified = { index: 0, last: -1 };
  /** The triggers copied into the memory for sweep and classify: [batchStart, batchEnd) of `triggers`. */
  private batchStart = -1;
  private batchEnd = -1;

  /**
   * Make sweep's inputs `patterns` and one COPY block's columns (`columns`, its identity: `roles`
   * 1 for a column to rewrite, `limits` the longest value each takes). False when they do not
   * fit: the caller then does every row itself.
   */
  prepareSweep(patterns: readonly Pattern[], columns: object, roles: Uint8Array, limits: Int32Array): boolean {
    const s = this.kernels as Simd;
    if (s.patternsOf !== patterns) {
      s.patternsOf = undefined; // a table that did not fit may have overwritten part of the last one
      if (!writePatterns(s, patterns)) return false;
      s.patternsOf = patterns;
    }
    if (s.columnsOf !== columns) {
      if (roles.length > SWEEP_COLUMNS) return false;
      s.bytes.fill(0, ROLES, ROLES + SWEEP_COLUMNS);
      s.bytes.set(roles, ROLES);
      s.words.set(limits, LIMITS / 4);
      s.words.fill(0, COUNTS / 4, COUNTS / 4 + SWEEP_COLUMNS);
      s.columnsOf = columns;
    }
    return true;
  }

  /**
   * The simple rows of the buffer scanned last from trigger `index` on (row-kernels.ts, sweep): rows
   * located from `at`, triggers before `end`, output from `emit` written at `place` of outputArea;
   * returns its status, the rest in `swept` and `takeCount`.
   */
  sweep(index: number, at: number, end: number, emit: number, place = 0): number {
    const s = this.batch(index);
    const base = this.base;
    const o = OUT + place;
    const status = s.sweep(
      index - this.batchStart,
      this.batchEnd - this.batchStart,
      base + at,
      base + end,
      base + emit,
      o,
      OUT + OUT_ROOM,
      base,
    );
    const w = s.words;
    const r = this.swept;
    const i = SWEPT / 4;
    r.index = this.batchStart + (w[i] as number);
    r.at = (w[i + 1] as number) - base;
    r.emit = (w[i + 2] as number) - base;
    r.written = (w[i + 3] as number) - o;
    r.rows = w[i + 4] as number;
    r.lastRowStart = (w[i + 5] as number) - base;
    r.wanted = (w[i + 6] as number) - base;
    return status;
  }

  /** sweep's output area of the buffer scanned last, where ChunkOutput can have it write in place. */
  outputArea(): Buffer | undefined {
    return this.kernels?.out;
  }

  /** The last sweep's output, when written at the area's start (valid until the next one). */
  sweptOutput(): Buffer {
    return (this.kernels as Simd).out.subarray(0, this.swept.written);
  }

  /** Values of `column` rewritten by the sweeps since the last call. */
  takeCount(column: number): number {
    const words = (this.kernels as Simd).words;
    const n = words[COUNTS / 4 + column] as number;
    words[COUNTS / 4 + column] = 0;
    return n;
  }

  /** Make classify's needles these (written once per memory). False when they do not fit. */
  prepareClassify(needles: readonly ClassifyNeedle[]): boolean {
    const s = this.kernels as Simd;
    if (s.needlesOf === needles) return true;
    s.needlesOf = undefined;
    if (!writeNeedles(s, needles)) return false;
    s.needlesOf = needles;
    return true;
  }

  /**
   * dump-inspector.ts's scan over the chunk [lo, hi) of the buffer scanned last, from trigger
   * `index` (row-kernels.ts, classify). Returns its status; the rest is in `classified`, the
   * matches in `takeMatches`.
   */
  classify(index: number, lo: number, hi: number, final: boolean, longestScheme: number, reach: number): number {
    const s = this.batch(index);
    const base = this.base;
    const status = s.classify(
      index - this.batchStart,
      this.batchEnd - this.batchStart,
      base,
      base + lo,
      base + hi,
      final ? 1 : 0,
      longestScheme,
      reach,
    );
    const w = s.words;
    this.classified.index = this.batchStart + (w[SWEPT / 4] as number);
    const last = w[SWEPT / 4 + 1] as number;
    this.classified.last = last === -1 ? -1 : last - base;
    if (status === CLASSIFY_DONE && this.classified.index === this.batchEnd && this.batchEnd < this.triggerCount) {
      return this.classify(this.classified.index, lo, hi, final, longestScheme, reach); // the next batch
    }
    return status;
  }

  /** Matches of needle `k` counted by classify since the last call. */
  takeMatches(k: number): number {
    const words = (this.kernels as Simd).words;
    const at = (NEEDLES + 4 + k * NEEDLE_RECORD + 28) / 4;
    const n = words[at] as number;
    words[at] = 0;
    return n;
  }

  /** The kernels, with the triggers from `index` on (a batch of them) in their memory. */
  private batch(index: number): Simd {
    const s = this.kernels as Simd;
    if (index < this.batchStart || index >= this.batchEnd) {
      const n = Math.min(TRIGGER_BATCH, this.triggerCount - index);
      s.words.set(this.triggers.subarray(index, index + n), TRIGGERS / 4);
      s.words[TRIGGERS / 4 + n] = index + n < this.triggerCount ? (this.triggers[index + n] as number) : 0x7fffffff;
      this.batchStart = index;
      this.batchEnd = index + n;
    }
    return s;
  }

  private pushTerminator(at: number): void {
    if (this.terminatorCount === this.terminators.length) this.terminators = doubled(this.terminators);
    this.terminators[this.terminatorCount++] = at;
  }
}

/** What classify needs of a rule's `scheme://host` (dump-inspector.ts's Needle). */
export interface ClassifyNeedle {
  /** `scheme://host`, lower case. */
  readonly bytes: Buffer;
  readonly schemeLength: number;
  readonly portBytes: Buffer | undefined;
  readonly matchDefaultPort: boolean;
}

/**
 * A kernel's input table at `area`: the count of `items`, a record of i32 `fields` per item, then
 * the bytes those place with `put` (their addresses are fields); false when it would reach `end`.
 */
function writeTable<T>(
  s: Simd,
  area: number,
  end: number,
  recordBytes: number,
  items: readonly T[],
  fields: (item: T, put: (bytes: Buffer) => number) => number[],
): boolean {
  let data = area + 4 + items.length * recordBytes;
  let fits = data <= end;
  const put = (bytes: Buffer): number => {
    if (data + bytes.length > end) fits = false;
    if (!fits) return 0;
    s.bytes.set(bytes, data);
    data += bytes.length;
    return data - bytes.length;
  };
  const records = items.map((item) => fields(item, put));
  if (!fits) return false;
  s.words[area / 4] = items.length;
  records.forEach((record, k) => s.words.set(record, (area + 4 + k * recordBytes) / 4));
  return true;
}

/** sweep's patterns in order (see PATTERNS); false when they do not fit there. */
const writePatterns = (s: Simd, patterns: readonly Pattern[]): boolean =>
  writeTable(s, PATTERNS, NEEDLES, PATTERN_RECORD, patterns, (p, put) => [
    p.scheme.length,
    p.rest.length,
    p.authorityLength,
    p.hasPath ? 1 : 0,
    p.replacement.length,
    put(p.replacement),
    put(p.scheme),
    put(p.rest),
  ]);

const DEFAULT_PORT_BYTES = Buffer.from(DEFAULT_PORT, 'latin1');

/** classify's needles (see NEEDLES); false when they do not fit there. */
function writeNeedles(s: Simd, needles: readonly ClassifyNeedle[]): boolean {
  if (needles.length > 32) return false; // classify keeps their outcomes as bits of an i32
  let defaultAt = -1;
  return writeTable(s, NEEDLES, TRIGGERS, NEEDLE_RECORD, needles, (n, put) => {
    if (defaultAt < 0) defaultAt = put(DEFAULT_PORT_BYTES);
    return [
      n.bytes.length,
      n.schemeLength,
      n.portBytes === undefined ? -1 : n.portBytes.length,
      n.portBytes === undefined ? 0 : put(n.portBytes),
      n.matchDefaultPort ? DEFAULT_PORT_BYTES.length : 0,
      defaultAt,
      put(n.bytes),
      0, // the matches classify counts
    ];
  });
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
