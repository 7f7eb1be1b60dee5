// One job of the parallel transfer: the source's `COPY … TO STDOUT` (inside the exported snapshot)
// → the NameNode URI rewriter → `COPY … FROM STDIN` on the DR staging database, with backpressure
// end to end (pipeline), bytes and sha256 of both sides of the rewriter and three row counts:
// the source server's, the stream's and the DR server's. copy-out.ts reads the source's rows;
// pg-copy-streams writes DR's (one message per chunk there, nothing per row to save).
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pgCopyStreams from 'pg-copy-streams';
import type { PgClient } from '../../adapters/postgres/connection.js';
import { copyOut } from '../../adapters/postgres/copy-out.js';
import { HmsdrError } from '../../errors/errors.js';
import { createTableRewriter, type RewriteReport, type RewriterOptions } from '../../rewrite/index.js';
import { qualified } from './catalog.js';
import { copyInSql, copyOutSql, type CopyJob } from './jobs.js';

export type CopySide = 'source' | 'dr';

/** A COPY stream failed; `side` is the server whose connection failed first. */
export class CopyStreamError extends Error {
  constructor(
    readonly original: unknown,
    readonly side: CopySide,
  ) {
    super(original instanceof Error ? original.message : String(original), { cause: original });
    this.name = 'CopyStreamError';
  }
}

/** What a stream proves: rows the source server sent (its `COPY n`), the rewriter counted, the DR server stored; bytes and sha256. */
export interface StreamEvidence {
  rowsSource: number;
  rowsStream: number;
  rowsRestored: number;
  bytesIn: number;
  bytesOut: number;
  /** sha256 of the rewritten bytes sent to the DR server. */
  sha256: string;
}

export interface JobResult extends StreamEvidence {
  job: CopyJob;
  report: RewriteReport;
  durationMs: number;
}

/** A pass-through that hashes what flows through it (the rewriter's report counts the bytes). */
function hashing(onBytes?: (n: number) => void): Transform & { digest(): string } {
  const hash = createHash('sha256');
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      onBytes?.(chunk.length);
      callback(null, chunk);
    },
  }) as Transform & { digest(): string };
  stream.digest = () => hash.digest('hex');
  return stream;
}

export async function runCopyJob(
  job: CopyJob,
  source: PgClient,
  dr: PgClient,
  options: RewriterOptions,
  io: { signal: AbortSignal; onBytes?: (n: number) => void },
): Promise<JobResult> {
  try {
    return await copyJob(job, source, dr, options, io);
  } catch (error) {
    if (error instanceof HmsdrError || error instanceof CopyStreamError) throw error;
    throw new CopyStreamError(error, 'dr'); // BEGIN/TRUNCATE/COMMIT on the DR connection
  }
}

async function copyJob(
  job: CopyJob,
  source: PgClient,
  dr: PgClient,
  options: RewriterOptions,
  io: { signal: AbortSignal; onBytes?: (n: number) => void },
): Promise<JobResult> {
  const started = Date.now();
  const whole = job.parts === 1;
  if (whole) await dr.query(`BEGIN; TRUNCATE ONLY ${qualified(job.table)}`); // COPY FREEZE's precondition
  const out = source.query(copyOut(copyOutSql(job)));
  const into = dr.query(pgCopyStreams.from(copyInSql(job)));
  const rewriter = createTableRewriter(options, {
    schema: job.table.schema,
    table: job.table.table,
    columns: job.table.columns,
    limits: job.table.limits,
  });
  const written = hashing(io.onBytes);
  // Which end failed first decides what the error names (a cut DR link also breaks the source side's pipe).
  let failedSide: CopySide | undefined;
  out.once('error', () => {
    failedSide ??= 'source';
  });
  into.once('error', () => {
    failedSide ??= 'dr';
  });
  try {
    await pipeline(out, rewriter, written, into, { signal: io.signal });
  } catch (error) {
    if (error instanceof HmsdrError) throw error; // the rewriter's refusals (a value too long for its column)
    throw new CopyStreamError(error, failedSide ?? 'dr');
  }
  if (whole) await dr.query('COMMIT');
  // The source's `COPY n` arrives after its last data message: wait for the query to complete.
  await source.query('SELECT 1');
  const report = rewriter.report();
  return {
    job,
    rowsSource: out.rowCount,
    rowsStream: Object.values(report.rowsPerTable).reduce((a, b) => a + b, 0),
    rowsRestored: into.rowCount,
    bytesIn: report.bytesIn,
    bytesOut: report.bytesOut,
    sha256: written.digest(),
    report,
    durationMs: Date.now() - started,
  };
}
