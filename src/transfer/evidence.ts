// What dump-metastore records, whichever transfer ran: the evidence L1 and L3 are judged on, and the
// rewrite report written to the run directory.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RewriteReport } from '../rewrite/index.js';
import { writeFileAtomic } from '../runbook/ledger.js';
import type { ParallelTransferResult, TableStream } from './parallel/transfer.js';

/** What every transfer records. */
export interface DumpEvidence extends Record<string, unknown> {
  /** When the source snapshot was taken (pg_dump's start, or the exported snapshot): T0. */
  t0: string;
  finishedAt: string;
  durationMs: number;
  /** Bytes read from the source / bytes after rewriting. */
  bytesIn: number;
  bytesOut: number;
  /** sha256 of the rewritten dump (parallel: of the per-table stream manifest). */
  sha256: string;
  hiveVersion: string | null;
  rowsPerTable: Record<string, number>;
  rewritesPerColumn: Record<string, number>;
  leftAlone: RewriteReport['leftAlone'];
}

/** restore.transfer: staged (or streamed: also restored while it streamed) — a dump file on the DR side, checked on both ends. */
export interface StagedDumpOutput extends DumpEvidence {
  transfer?: 'staged' | 'streamed';
  stagedPath: string;
  stagedOn: string;
  remoteSha256: string;
  remoteBytes: number;
  exitStatus: { pg_dump: number; rewriter: 'ok'; upload: number; psql?: number; 'post-data'?: number };
}

/** restore.transfer: parallel — no file: the tables were streamed into the staging database. */
export interface ParallelDumpOutput extends DumpEvidence {
  transfer: 'parallel';
  /** The staging database the transfer filled (restore-staging finds it done). */
  database: string;
  snapshot: string;
  workers: number;
  /** Per table: rows in the source snapshot, streamed and stored on DR; bytes and sha256 of the stream. */
  tables: TableStream[];
  sequences: number;
  timings: ParallelTransferResult['timings'];
  postDataEntries: number;
  exitStatus: { 'pg_dump pre-data': number; 'pg_dump post-data': number; rewriter: 'ok'; workers: number };
}

/** What dump-metastore records. */
export type DumpOutput = StagedDumpOutput | ParallelDumpOutput;

/** rewrite-report.json and stream-counts.json in the run directory (read by the report and by hand). */
export function writeStreamEvidence(runDir: string, report: RewriteReport): void {
  writeFileAtomic(join(runDir, 'rewrite-report.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(runDir, 'stream-counts.json'), JSON.stringify({ rowsPerTable: report.rowsPerTable }, null, 2) + '\n', { mode: 0o600 });
}
