// Step 2: pg_dump the source metastore (time T0) → NameNode URI rewriter → staging file on the DR
// side, with bytes, sha256 and per-table row counts recorded on both ends.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ResolvedConfig } from '../config/load.js';
import { metastorePassword } from '../adapters/postgres/connection.js';
import { pgDumpCommand } from '../adapters/postgres/commands.js';
import { uploadCommands, type UploadResult } from '../adapters/ssh/index.js';
import { createRewriter, rewriteOptionsFromConfig, type RewriteReport } from '../rewrite/index.js';
import type { Action, RunInfo, Step, StepContext } from '../runbook/step.js';
import { writeFileAtomic } from '../runbook/ledger.js';
import { dumpGate } from '../transfer/dump-gate.js';
import { openStaging } from '../transfer/staging.js';
import { stagingDatabase } from '../transfer/names.js';
import { dropStagingAfterFailure, markRestored, recreateStagingDatabase, stagingOwner } from '../transfer/staging-database.js';
import { teeTo } from '../transfer/tee.js';
import { quoteIdent } from '../adapters/postgres/sql-text.js';
import { PassThrough, type Writable } from 'node:stream';
import { pgWhere, planPassword } from './where.js';
import { restoreCommandFor, stagedPathFor } from './restore-command.js';
import { formatBytes, formatRate, throttledProgress } from '../util/format.js';
import type { ParallelTransferResult, TableStream } from '../transfer/parallel/transfer.js';
import { dumpParallel, planParallelDump } from './dump-metastore-parallel.js';

/** What both transfers record: the evidence L1 and L3 are judged on. */
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
  exitStatus: { pg_dump: number; rewriter: 'ok'; upload: number; psql?: number };
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

export const dumpCommandFor = (config: ResolvedConfig, password: string | undefined) => pgDumpCommand(config.source.metastore, { password });
export { stagedPathFor };

export const dumpMetastore: Step = {
  id: 'dump-metastore',
  title: 'Dump the source metastore, rewrite NameNode URIs, stage the dump on the DR side',
  destructive: false,
  recovery:
    'The live DR metastore was not touched. Staged transfer: a failed or cut-off dump leaves at most a <file>.part in the staging directory, never a complete-looking file. ' +
    'Parallel transfer: the staging database it was filling was dropped (if the DR server could not be reached for that, resume drops it). ' +
    'Check the source database, the DR server and the network; on resume the step starts again from a fresh pg_dump / snapshot.',
  plan(config: ResolvedConfig, run: RunInfo): Action[] {
    if (config.restore.transfer === 'parallel') return planParallelDump(config, run);
    const path = stagedPathFor(config, run.id);
    const upload = uploadCommands(path);
    return [
      { kind: 'exec', where: pgWhere(config, 'source'), command: dumpCommandFor(config, planPassword(config.source.metastore)), description: 'plain-format dump (its snapshot is T0), streamed' },
      { kind: 'note', text: `rewrite: ${config.rewrite.rules.map((r) => `${r.from} → ${r.to}`).join(', ')} (COPY-aware; counts per table.column)` },
      { kind: 'exec', where: pgWhere(config, 'dr'), command: upload.write, description: 'streamed into the staging file' },
      { kind: 'exec', where: pgWhere(config, 'dr'), command: upload.verify, description: 'sha256 checked on the receiving side, then renamed' },
      ...(config.restore.transfer === 'streamed'
        ? [
            { kind: 'sql' as const, target: 'dr' as const, database: 'postgres', text: `CREATE DATABASE ${quoteIdent(stagingDatabase(config.dr.metastore.database, run.id))} OWNER ${quoteIdent(stagingOwner(config.dr.metastore))}` },
            { kind: 'exec' as const, where: pgWhere(config, 'dr'), command: restoreCommandFor(config, run.id, planPassword(config.dr.metastore), 'stdin'), description: 'the same stream restored at the same time (restore-staging then finds it done)' },
          ]
        : []),
    ];
  },
  async probe() {
    // No cheap proof that a staged file is this run's complete dump: always dump again (to .part).
    return { status: 'todo', reason: 'a dump is always taken fresh' };
  },
  async run(ctx: StepContext): Promise<DumpOutput> {
    if (ctx.config.restore.transfer === 'parallel') return dumpParallel(ctx);
    const { config, adapters, signal, log, run } = ctx;
    const staging = await openStaging(adapters.dr, config.dr.stagingDir, signal);
    const path = stagedPathFor(config, run.id);
    const executor = await adapters.source.pgExecutor(signal);
    const rewriter = createRewriter(rewriteOptionsFromConfig(config));
    const streamed = config.restore.transfer === 'streamed';
    const database = stagingDatabase(config.dr.metastore.database, run.id);
    if (streamed) await recreateStagingDatabase(adapters.dr, database, signal);
    const t0 = new Date();
    const child = executor.stream(dumpCommandFor(config, metastorePassword(config.source.metastore, 'source.metastore')), {
      signal,
      onStderr: (chunk) => log.stderr('pg_dump', chunk),
    });
    const upload = staging.upload(path, {
      signal,
      onProgress: throttledProgress((bytes, ms) => ctx.progress(`${formatBytes(bytes)} staged${streamed ? ' and restored' : ''} on ${staging.where === 'local' ? 'local disk' : staging.where.host} at ${formatRate(bytes, ms)}`)),
    });
    const restore = streamed ? await startStreamedRestore(ctx) : undefined;
    const sink: Writable = restore ? teeTo(upload.stream, restore.stdin) : upload.stream;
    // psql stops reading when it fails: stop the whole stream with its error.
    restore?.done.catch((error: unknown) => sink.destroy(error as Error));
    // Did pg_dump's output reach its end by itself? Then a failure downstream ("truncated COPY")
    // is a symptom, and pg_dump's own exit status is the cause to report.
    let producerEnded = false;
    child.stdout.once('end', () => { producerEnded = true; });
    let result: UploadResult;
    try {
      try {
        await pipeline(child.stdout, rewriter, dumpGate(child.done), sink, { signal });
      } catch (error) {
        // A failed psql is the cause to report; a psql still reading must not see an end of input
        // (its single transaction would commit what it got): it is stopped.
        const restoreError = restore ? await settledError(restore.done, 0) : undefined;
        if (restore && restoreError === undefined) await restore.cancel();
        const producerError = await settledError(child.done);
        throw producerEnded && producerError !== undefined ? producerError : restoreError ?? error;
      }
      // The remote sha256 of the staged file is checked while psql is still restoring.
      [result] = await Promise.all([upload.done, restore?.done]);
      if (restore) await markRestored(adapters.dr, database, run.id, result.sha256, signal);
    } catch (error) {
      // Let the upload finish its cleanup (remove the .part) or its check (psql may fail while the
      // file is being checked) while the SSH connection is still open: the runner closes the
      // adapters as soon as the step returns.
      await settledError(upload.done);
      if (streamed) await dropStagingAfterFailure(adapters.dr, database, log);
      throw error;
    }
    const report = rewriter.report();
    const finished = new Date();
    const output: StagedDumpOutput = {
      transfer: streamed ? 'streamed' : 'staged',
      t0: t0.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - t0.getTime(),
      stagedPath: result.remotePath,
      stagedOn: staging.where === 'local' ? 'local' : staging.where.host,
      bytesIn: report.bytesIn,
      bytesOut: report.bytesOut,
      sha256: result.sha256,
      remoteSha256: result.remoteSha256,
      remoteBytes: result.remoteBytes,
      hiveVersion: report.hiveVersion ?? null,
      rowsPerTable: report.rowsPerTable,
      rewritesPerColumn: report.rewritesPerColumn,
      leftAlone: report.leftAlone,
      exitStatus: { pg_dump: 0, rewriter: 'ok', upload: 0, ...(streamed ? { psql: 0 } : {}) },
    };
    writeStreamEvidence(run.dir, report);
    log.info('dump-staged', { path, bytes: result.bytes, sha256: result.sha256, rewrites: report.rewritesPerColumn });
    for (const left of report.leftAlone) log.warn('old-authority-left-alone', { ...left });
    return output;
  },
};

/**
 * restore.transfer: streamed — psql restores the rewritten stream into the (new, empty) staging
 * database while it is staged: `psql -X -v ON_ERROR_STOP=1 --single-transaction -f -` on the DR
 * side, fed on stdin. The staging database is only marked restored once the staged file's sha256
 * was checked too; it is not live before verify-staging and the swap in any case.
 */
async function startStreamedRestore(ctx: StepContext): Promise<{ stdin: PassThrough; done: Promise<unknown>; cancel(): Promise<void> }> {
  const { config, adapters, signal, log, run } = ctx;
  const executor = await adapters.dr.pgExecutor(signal);
  const stdin = new PassThrough({ highWaterMark: 1024 * 1024 });
  const stop = new AbortController();
  const done = executor.run(restoreCommandFor(config, run.id, metastorePassword(config.dr.metastore, 'dr.metastore'), 'stdin'), {
    signal: AbortSignal.any([signal, stop.signal]),
    stdin,
    onStderr: (chunk) => log.stderr('psql', chunk),
  });
  done.catch(() => undefined); // observed by the step (the sink is destroyed with its error)
  return {
    stdin,
    done,
    // Kill psql (locally, or its remote processes) and wait until it is gone.
    cancel: async () => {
      stop.abort();
      await settledError(done);
    },
  };
}

/** rewrite-report.json and stream-counts.json in the run directory (read by the report and by hand). */
export function writeStreamEvidence(runDir: string, report: RewriteReport): void {
  writeFileAtomic(join(runDir, 'rewrite-report.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(runDir, 'stream-counts.json'), JSON.stringify({ rowsPerTable: report.rowsPerTable }, null, 2) + '\n', { mode: 0o600 });
}

/** The rejection of `promise` (undefined when it resolves), waiting at most `ms`. */
async function settledError(promise: Promise<unknown>, ms = 15_000): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms); timer.unref(); });
  try {
    return await Promise.race([promise.then(() => undefined, (error: unknown) => error), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
