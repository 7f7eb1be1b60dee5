// restore.transfer: staged — pg_dump of the source metastore (time T0) → NameNode URI rewriter → a
// dump file in the DR staging directory, with bytes, sha256 and per-table row counts recorded on
// both ends; restore-staging restores the file with psql after copy-data. The streamed transfer
// (./streamed.ts) is this one with psql fed the same stream while it is staged.
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { planPassword, type Action } from '../actions/action.js';
import { metastorePassword } from '../adapters/postgres/connection.js';
import { pgDumpCommand } from '../adapters/postgres/commands.js';
import { quoteIdent, quoteLiteral } from '../adapters/postgres/sql-text.js';
import { uploadCommands, type UploadResult } from '../adapters/ssh/index.js';
import type { ResolvedConfig } from '../config/load.js';
import { pgWhere } from '../config/where.js';
import { createDumpInspector, createRewriter, judgeInput, rewriteOptionsFromConfig } from '../rewrite/index.js';
import type { RunInfo } from '../runbook/step.js';
import { formatBytes, formatRate, throttledProgress } from '../util/format.js';
import { settledError } from '../util/settled.js';
import { dumpGate } from './dump-gate.js';
import { writeStreamEvidence, type DumpOutput, type StagedDumpOutput } from './evidence.js';
import { restoredComment, stagingDatabase } from './names.js';
import { restoreCommandFor, stagedPathFor } from './restore-command.js';
import { dropStagingAfterFailure, markRestored, recreateStagingDatabase, stagingOwner } from './staging-database.js';
import { openStaging } from './staging.js';
import { teeTo } from './tee.js';
import type { Transfer, TransferContext } from './transfer.js';

export const dumpCommandFor = (config: ResolvedConfig, password: string | undefined) =>
  pgDumpCommand(config.source.metastore, { password });

/** pg_dump → rewriter → staging file: the plan both file transfers start with. */
export function stagedDumpPlan(config: ResolvedConfig, run: RunInfo): Action[] {
  const upload = uploadCommands(stagedPathFor(config, run.id));
  return [
    {
      kind: 'exec',
      where: pgWhere(config, 'source'),
      command: dumpCommandFor(config, planPassword(config.source.metastore)),
      description: 'plain-format dump (its snapshot is T0), streamed',
    },
    {
      kind: 'note',
      text: `rewrite: ${config.rewrite.rules.map((r) => `${r.from} → ${r.to}`).join(', ')} (COPY-aware; counts per table.column)`,
    },
    {
      kind: 'exec',
      where: pgWhere(config, 'dr'),
      command: upload.write,
      description: 'streamed into the staging file, hashed by the receiving side as it is written',
    },
    {
      kind: 'exec',
      where: pgWhere(config, 'dr'),
      command: upload.verify,
      description: "once the receiver's sha256 equals the streamed one: the size on disk checked, then renamed",
    },
  ];
}

/** restore-staging with a dump file: a new staging database, psql in one transaction, the mark. */
export function stagedRestorePlan(config: ResolvedConfig, runId: string, database: string): Action[] {
  return [
    {
      kind: 'sql',
      target: 'dr',
      database: 'postgres',
      text: `CREATE DATABASE ${quoteIdent(database)} OWNER ${quoteIdent(stagingOwner(config.dr.metastore))}`,
    },
    {
      kind: 'exec',
      where: pgWhere(config, 'dr'),
      command: restoreCommandFor(config, runId, planPassword(config.dr.metastore)),
      description:
        "any error rolls the whole restore back; beside it, the staged file's sha256 must still be the streamed one (else psql is stopped)",
    },
    {
      kind: 'sql',
      target: 'dr',
      database: 'postgres',
      text: `COMMENT ON DATABASE ${quoteIdent(database)} IS ${quoteLiteral(restoredComment(runId, '<sha256 of the dump>'))}`,
    },
  ];
}

/** A psql restoring the stream while it is staged (the streamed transfer). */
export interface StreamRestore {
  stdin: Writable;
  done: Promise<unknown>;
  /** Stop psql (locally, or its remote processes) and wait until it is gone. */
  cancel(): Promise<void>;
}

/**
 * Stream the rewritten dump into the staging file; with `startRestore`, into psql at the same time
 * (the staging database is recreated first, marked restored once the staged file's sha256 was
 * checked too, and dropped again on any failure).
 */
export async function stageDump(
  ctx: TransferContext,
  startRestore?: (ctx: TransferContext) => Promise<StreamRestore>,
): Promise<StagedDumpOutput> {
  const { config, adapters, signal, log, run } = ctx;
  const staging = await openStaging(adapters.dr, config.dr.stagingDir, signal);
  const path = stagedPathFor(config, run.id);
  const executor = await adapters.source.pgExecutor(signal);
  const rewriteOptions = rewriteOptionsFromConfig(config);
  const rewriter = createRewriter(rewriteOptions);
  // Strict, always: a rule that matched nothing while its host occurs with another port fails the
  // dump before the end of the stream reaches the staged file or psql.
  const inspector = createDumpInspector(rewriteOptions.rules, { judgeAtEnd: { strict: true } });
  const streamed = startRestore !== undefined;
  const database = stagingDatabase(config.dr.metastore.database, run.id);
  if (streamed) await recreateStagingDatabase(adapters.dr, database, signal);
  const t0 = new Date();
  const child = executor.stream(dumpCommandFor(config, metastorePassword(config.source.metastore, 'source.metastore')), {
    signal,
    onStderr: (chunk) => log.stderr('pg_dump', chunk),
  });
  const upload = staging.upload(path, {
    signal,
    onProgress: throttledProgress((bytes, ms) =>
      ctx.progress(
        `${formatBytes(bytes)} staged${streamed ? ' and restored' : ''} on ${staging.where === 'local' ? 'local disk' : staging.where.host} at ${formatRate(bytes, ms)}`,
      ),
    ),
  });
  const restore = startRestore ? await startRestore(ctx) : undefined;
  const sink: Writable = restore ? teeTo(upload.stream, restore.stdin) : upload.stream;
  // psql stops reading when it fails: stop the whole stream with its error.
  restore?.done.catch((error: unknown) => sink.destroy(error as Error));
  // Did pg_dump's output reach its end by itself? Then a failure downstream ("truncated COPY")
  // is a symptom, and pg_dump's own exit status is the cause to report.
  let producerEnded = false;
  child.stdout.once('end', () => {
    producerEnded = true;
  });
  let result: UploadResult;
  try {
    try {
      await pipeline(child.stdout, inspector, rewriter, dumpGate(child.done), sink, { signal });
    } catch (error) {
      // A failed psql is the cause to report; a psql still reading must not see an end of input
      // (its single transaction would commit what it got): it is stopped.
      const restoreError = restore ? await settledError(restore.done, 0) : undefined;
      if (restore && restoreError === undefined) await restore.cancel();
      const producerError = await settledError(child.done);
      throw producerEnded && producerError !== undefined ? producerError : (restoreError ?? error);
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
    exitStatus: { pg_dump: 0, rewriter: 'ok', upload: 0, ...(streamed ? { psql: 0, 'post-data': 0 } : {}) },
  };
  writeStreamEvidence(run.dir, report);
  for (const warning of judgeInput(inspector.inspection(), { strict: true }).warnings) log.warn('rewrite-near-miss', { warning });
  log.info('dump-staged', { path, bytes: result.bytes, sha256: result.sha256, rewrites: report.rewritesPerColumn });
  for (const left of report.leftAlone) log.warn('old-authority-left-alone', { ...left });
  return output;
}

/** What both file transfers share beyond dump-metastore: restore and integrity checks of the file. */
export const fileTransfer = {
  needsDumpFile: true,
  restored(dump: DumpOutput, database: string) {
    const staged = dump as StagedDumpOutput;
    return { reason: `${database} already holds this run's dump`, restoredFrom: staged.stagedPath, exitStatus: { psql: 0 } };
  },
  integrityNotes: [
    'L1: sha256 and byte count streamed = staged; every process exited 0',
    'L2: psql ON_ERROR_STOP + single transaction exited 0',
  ],
  streamIntegrity(dump: DumpOutput) {
    const staged = dump as StagedDumpOutput;
    const differences: string[] = [];
    if (staged.sha256 !== staged.remoteSha256) differences.push(`sha256 streamed ${staged.sha256}, on the DR side ${staged.remoteSha256}`);
    if (staged.bytesOut !== staged.remoteBytes) differences.push(`bytes streamed ${staged.bytesOut}, on the DR side ${staged.remoteBytes}`);
    return {
      differences,
      evidence: `pg_dump exit 0, rewriter ok, ${staged.bytesOut} bytes, sha256 ${staged.sha256.slice(0, 12)}… equal on both ends`,
    };
  },
} as const satisfies Pick<Transfer, 'needsDumpFile' | 'restored' | 'integrityNotes' | 'streamIntegrity'>;

export const staged: Transfer = {
  name: 'staged',
  ...fileTransfer,
  plan: stagedDumpPlan,
  run: (ctx) => stageDump(ctx),
  restorePlan: (config, run, database) => stagedRestorePlan(config, run.id, database),
};
