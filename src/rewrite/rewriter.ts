// The streaming NameNode URI rewriter: a byte Transform over a pg_dump plain-format stream that
// follows COPY blocks, rewrites URIs in the configured columns and reports what it did and saw.
import { Transform, type TransformCallback } from 'node:stream';
import { DumpRewriter, type CopyTable } from './dump-rewriter.js';
import type { RewriteReport } from './rewrite-evidence.js';
import type { RewriterOptions } from './rules.js';
import { BufferMarks, SimdArena } from './simd-scan.js';

/** The rewriter: a Transform (bytes in, bytes out) with its report. */
export interface RewriteStream extends Transform {
  report(): RewriteReport;
}

export { countNewlines } from './copy-bytes.js';
export type { LeftAlone, LengthViolation, RewriteReport } from './rewrite-evidence.js';
export type { CopyTable } from './dump-rewriter.js';

/**
 * Create the rewriter. Throws ConfigError for invalid rules. `simd: false` takes the JavaScript
 * searches, as on a CPU without WebAssembly SIMD (the tests hold both to the same output).
 */
export function createRewriter(options: RewriterOptions, { simd = true }: { simd?: boolean } = {}): RewriteStream {
  return rewriterStream(new DumpRewriter(options), simd);
}

/**
 * A rewriter for one table's bare COPY data (the parallel transfer's per-table streams): the same
 * state machine, started inside the table's COPY block; the end of the stream ends the block.
 */
export function createTableRewriter(options: RewriterOptions, table: CopyTable): RewriteStream {
  const core = new DumpRewriter(options);
  core.enterCopy(table);
  return rewriterStream(core, true);
}

/** Bytes of the first buffer a stream's chunks are copied into (pipes give 64 KiB at a time). */
const STREAM_BUFFER = 256 * 1024;

function rewriterStream(core: DumpRewriter, simd: boolean): RewriteStream {
  // Each chunk is copied behind the bytes carried from the last one into one buffer that is kept
  // (in WebAssembly memory where SIMD is available: newlines counted, `://` and terminators found
  // 16 bytes at a time, as in the CLI's file loop).
  const arena = simd ? SimdArena.create() : undefined;
  const marks = new BufferMarks();
  let buf = arena?.buffer(STREAM_BUFFER) ?? Buffer.allocUnsafeSlow(STREAM_BUFFER);
  let have = 0; // bytes in buf: the carry, then the chunk
  let start = 0; // where processing resumes in buf
  let bytesIn = 0;
  let bytesOut = 0;
  const append = (chunk: Buffer): void => {
    if (buf.length < have + chunk.length) {
      const size = Math.max(have + chunk.length, 2 * buf.length);
      if (arena) buf = arena.buffer(size);
      else {
        const grown = Buffer.allocUnsafeSlow(size);
        buf.copy(grown, 0, 0, have);
        buf = grown;
      }
    }
    chunk.copy(buf, have);
    have += chunk.length;
  };
  const round = (final: boolean): Buffer => {
    const out = core.process(buf.subarray(0, have), start, final, marks.scan(buf, have) ? marks : undefined);
    // Output that is a range of buf is copied: the next chunk is written over it.
    const result = out.length > 0 && out.buffer === buf.buffer ? Buffer.from(out) : out;
    const keepFrom = Math.max(0, core.stoppedAt - core.context);
    buf.copy(buf, 0, keepFrom, have);
    have -= keepFrom;
    start = core.stoppedAt - keepFrom;
    bytesOut += result.length;
    return result;
  };
  const stream = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      try {
        bytesIn += chunk.length;
        append(chunk);
        const out = round(false);
        callback(null, out.length === 0 ? undefined : out);
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        const out = round(true);
        core.finish();
        callback(null, out.length === 0 ? undefined : out);
      } catch (error) {
        callback(error as Error);
      }
    },
  }) as RewriteStream;
  stream.report = () => core.report(bytesIn, bytesOut);
  return stream;
}
