// `hmsdr rewrite`'s loop: one file descriptor in, one out, synchronous reads and writes through
// buffers it reuses. Through streams every 1 MiB chunk was three fresh buffers (the read, the carry
// joined to it, the output); their page faults and collection cost more than the rewriting itself.
// The runbook's transfers keep the streams (createRewriter): they interleave with other work.
import { readSync, writeSync } from 'node:fs';
import { ioError } from '../util/io-error.js';
import { waitABit } from '../util/std-text.js';
import { type DumpInspection, HEAD_BYTES, InputInspector, refuseArchive } from './dump-inspector.js';
import { DumpRewriter } from './dump-rewriter.js';
import type { RewriteReport } from './rewrite-evidence.js';
import type { RewriterOptions } from './rules.js';
import { BufferMarks, simdBuffer } from './simd-scan.js';

/** Bytes asked for per read (a pipe gives up to 64 KiB per read: reads repeat until this many). */
export const FD_CHUNK = 1 << 20;
/**
 * Bytes given per write, each ending at a multiple of it in the output (one page-cache folio per
 * write). On a VM, writes of 1 MiB (large folios) paid about 0.35 s more per 0.5 GB in 4 of 8
 * runs, 128 and 256 KiB in 2 of 8, 64 KiB in none of 16 (docs/performance-rewrite.md,
 * "2026-12-04 17:17–18:20"); sed writes 4 KiB at a time.
 */
export const WRITE_PIECE = 1 << 16;

export interface FdRewrite {
  report: RewriteReport;
  inspection: DumpInspection;
}

export interface FdEnds {
  input: number;
  /** undefined: the output is not wanted (--count-only without --out). */
  output: number | undefined;
  /** How the ends are named in errors: a path, `stdin`, `stdout`. */
  inputName: string;
  outputName: string;
}

/**
 * Rewrite everything `ends.input` gives into `ends.output`. Throws before writing anything for
 * an archive; throws for a dump cut inside COPY data (what was written before stays written).
 */
export function rewriteFd(ends: FdEnds, options: RewriterOptions, chunk = FD_CHUNK): FdRewrite {
  const inspector = new InputInspector(options.rules);
  const core = new DumpRewriter(options, { reuseOutput: true });
  const room = Math.max(chunk, HEAD_BYTES);
  let buf = simdBuffer(2 * room); // newlines counted, `://` and terminators found 16 bytes at a time there
  const marks = new BufferMarks();
  let have = 0; // bytes in buf: the carry from the last round, then this round's reads
  let start = 0; // where processing resumes in buf
  let bytesIn = 0;
  let bytesOut = 0;
  let headChecked = false;
  for (;;) {
    if (buf.length - have < room) buf = simdBuffer(have + 2 * room, buf, have);
    const before = have;
    let ended = false;
    while (!ended && (have - before < chunk || (!headChecked && have < HEAD_BYTES))) {
      const n = readSome(ends, buf, have);
      if (n === 0) ended = true;
      have += n;
    }
    // One pass finds every `://` and terminator for the inspector and the rewriter both.
    const marked = marks.scan(buf, have);
    inspector.feed(buf.subarray(before, have), marked ? { marks, offset: before } : undefined);
    bytesIn += have - before;
    if (!headChecked) {
      const refused = refuseArchive(buf.subarray(0, Math.min(have, HEAD_BYTES)));
      if (refused) throw refused;
      headChecked = true;
    }
    const out = core.process(buf.subarray(0, have), start, ended, marked ? marks : undefined);
    if (ends.output !== undefined) writeAll(ends, out, bytesOut);
    bytesOut += out.length;
    if (ended) break;
    // Keep the bytes not yet processed and the look-behind before them.
    const keepFrom = Math.max(0, core.stoppedAt - core.context);
    buf.copy(buf, 0, keepFrom, have);
    have -= keepFrom;
    start = core.stoppedAt - keepFrom;
  }
  inspector.end();
  core.finish();
  return { report: core.report(bytesIn, bytesOut), inspection: inspector.inspection() };
}

function readSome(ends: FdEnds, buf: Buffer, at: number): number {
  for (;;) {
    try {
      return readSync(ends.input, buf, at, buf.length - at, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        waitABit();
        continue;
      }
      if (code === 'EOF') return 0; // Windows: the end of a pipe
      throw ioError('read the input', ends.inputName, error as NodeJS.ErrnoException);
    }
  }
}

/** Write all of `out`, which goes at `offset` of the output (counted from where it started). */
function writeAll(ends: FdEnds, out: Buffer, offset: number): void {
  let at = 0;
  while (at < out.length) {
    try {
      at += writeSync(ends.output as number, out, at, Math.min(WRITE_PIECE - ((offset + at) % WRITE_PIECE), out.length - at));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
        waitABit();
        continue;
      }
      throw ioError('write the output', ends.outputName, error as NodeJS.ErrnoException);
    }
  }
}
