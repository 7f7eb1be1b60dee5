// The streaming NameNode URI rewriter: a byte Transform over a pg_dump plain-format stream that
// follows COPY blocks, rewrites URIs in the configured columns and reports what it did and saw.
import { Transform, type TransformCallback } from 'node:stream';
import { DumpRewriter, type CopyTable } from './dump-rewriter.js';
import type { RewriteReport } from './rewrite-evidence.js';
import type { RewriterOptions } from './rules.js';

/** The rewriter: a Transform (bytes in, bytes out) with its report. */
export interface RewriteStream extends Transform {
  report(): RewriteReport;
}

export { countNewlines } from './copy-bytes.js';
export type { LeftAlone, LengthViolation, RewriteReport } from './rewrite-evidence.js';
export type { CopyTable } from './dump-rewriter.js';

/** Create the rewriter. Throws ConfigError for invalid rules. */
export function createRewriter(options: RewriterOptions): RewriteStream {
  return rewriterStream(new DumpRewriter(options));
}

/**
 * A rewriter for one table's bare COPY data (the parallel transfer's per-table streams): the same
 * state machine, started inside the table's COPY block; the end of the stream ends the block.
 */
export function createTableRewriter(options: RewriterOptions, table: CopyTable): RewriteStream {
  const core = new DumpRewriter(options);
  core.enterCopy(table);
  return rewriterStream(core);
}

function rewriterStream(core: DumpRewriter): RewriteStream {
  let carry: Buffer = Buffer.alloc(0);
  let carryStart = 0;
  let bytesIn = 0;
  let bytesOut = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      try {
        bytesIn += chunk.length;
        const buf = carry.length === 0 ? chunk : Buffer.concat([carry, chunk], carry.length + chunk.length);
        const out = core.process(buf, carryStart, false);
        const keepFrom = Math.max(0, core.stoppedAt - core.context);
        carry = Buffer.from(buf.subarray(keepFrom));
        carryStart = core.stoppedAt - keepFrom;
        bytesOut += out.length;
        callback(null, out.length === 0 ? undefined : out);
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        const out = core.process(carry, carryStart, true);
        carry = Buffer.alloc(0);
        core.finish();
        bytesOut += out.length;
        callback(null, out.length === 0 ? undefined : out);
      } catch (error) {
        callback(error as Error);
      }
    },
  }) as RewriteStream;
  stream.report = () => core.report(bytesIn, bytesOut);
  return stream;
}
