// restore.transfer: parallel. No dump file: the source snapshot is exported
// (T0) and streamed table by table into a new staging database <db>_hmsdr_<run-id>, which the
// restore-staging step then finds filled. The live DR metastore is never touched; any failure
// drops the staging database, and resume starts the transfer again from a fresh snapshot.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planPassword, type Action } from '../../actions/action.js';
import { metastorePassword } from '../../adapters/postgres/connection.js';
import { pgDumpCommand, restoreRole } from '../../adapters/postgres/commands.js';
import { quoteIdent, quoteLiteral } from '../../adapters/postgres/sql-text.js';
import type { ResolvedConfig } from '../../config/load.js';
import { pgWhere } from '../../config/where.js';
import { rewriteOptionsFromConfig } from '../../rewrite/index.js';
import type { RunInfo } from '../../runbook/step.js';
import { writeStreamEvidence, type DumpOutput, type ParallelDumpOutput } from '../evidence.js';
import { restoredComment, stagingDatabase } from '../names.js';
import { dropStagingAfterFailure, markRestored, recreateStagingDatabase, stagingOwner } from '../staging-database.js';
import type { Transfer, TransferContext } from '../transfer.js';
import { runParallelTransfer } from './transfer.js';

const SNAPSHOT = '<exported snapshot>';

function planParallelDump(config: ResolvedConfig, run: RunInfo): Action[] {
  const database = stagingDatabase(config.dr.metastore.database, run.id);
  const role = restoreRole(config.dr.metastore);
  const section = (name: 'pre-data' | 'post-data') =>
    pgDumpCommand(config.source.metastore, { password: planPassword(config.source.metastore), section: name, snapshot: SNAPSHOT });
  const { workers, splitAboveMB } = config.restore;
  return [
    {
      kind: 'sql',
      target: 'source',
      database: config.source.metastore.database,
      text: 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SELECT pg_export_snapshot()',
      description: 'T0: the snapshot every reader below shares (held open until the copy ends)',
    },
    {
      kind: 'exec',
      where: pgWhere(config, 'source'),
      command: section('pre-data'),
      description: 'tables, sequences and defaults, through the rewriter',
    },
    {
      kind: 'exec',
      where: pgWhere(config, 'source'),
      command: section('post-data'),
      description: 'primary keys, indexes, foreign keys, applied after the data',
    },
    {
      kind: 'sql',
      target: 'dr',
      database: 'postgres',
      text: `CREATE DATABASE ${quoteIdent(database)} OWNER ${quoteIdent(stagingOwner(config.dr.metastore))}`,
    },
    { kind: 'note', text: `pre-data applied on ${database}${role ? ` as ${role}` : ''}` },
    {
      kind: 'note',
      text: `${workers} workers, each a source connection (SET TRANSACTION SNAPSHOT) and a DR connection: per table COPY … TO STDOUT → rewriter → COPY … FROM STDIN (whole tables: TRUNCATE + COPY FREEZE), largest first; ${splitAboveMB === undefined ? "a table larger than one worker's fair share (at least 64 MB)" : `tables over ${splitAboveMB} MB`} split by ranges of its integer key; a table's keys and indexes built as soon as it is loaded`,
    },
    {
      kind: 'note',
      text: 'rows checked per table: source COPY count (or count(*) for split tables) = rows streamed = rows stored on DR; sequences set',
    },
    {
      kind: 'note',
      text: `foreign keys as their tables are loaded, on ${workers} connections (never two statements on one table at once), then the rest of post-data`,
    },
    {
      kind: 'sql',
      target: 'dr',
      database: 'postgres',
      text: `COMMENT ON DATABASE ${quoteIdent(database)} IS ${quoteLiteral(restoredComment(run.id, '<sha256 of the stream manifest>'))}`,
    },
  ];
}

async function dumpParallel(ctx: TransferContext): Promise<ParallelDumpOutput> {
  const { config, adapters, signal, log, run } = ctx;
  const database = stagingDatabase(config.dr.metastore.database, run.id);
  const started = Date.now();
  await recreateStagingDatabase(adapters.dr, database, signal);
  try {
    const result = await runParallelTransfer({
      source: adapters.source,
      dr: adapters.dr,
      database,
      role: restoreRole(config.dr.metastore),
      workers: config.restore.workers,
      splitAboveBytes: config.restore.splitAboveMB === undefined ? undefined : config.restore.splitAboveMB * 1024 * 1024,
      rewrite: rewriteOptionsFromConfig(config),
      sourcePassword: metastorePassword(config.source.metastore, 'source.metastore'),
      signal,
      progress: (text) => ctx.progress(text),
      onStderr: (chunk) => log.stderr('pg_dump', chunk),
    });
    await markRestored(adapters.dr, database, run.id, result.sha256, signal);
    const finished = new Date();
    const { report } = result;
    writeStreamEvidence(run.dir, report);
    writeFileSync(
      join(run.dir, 'parallel-streams.json'),
      JSON.stringify(
        { snapshot: result.snapshot, workers: result.workers, timings: result.timings, postData: result.postData, tables: result.tables },
        null,
        2,
      ) + '\n',
      { mode: 0o600 },
    );
    log.info('parallel-transfer', {
      database,
      workers: result.workers,
      tables: result.tables.length,
      bytes: report.bytesOut,
      sha256: result.sha256,
      timings: result.timings,
    });
    for (const left of report.leftAlone) log.warn('old-authority-left-alone', { ...left });
    return {
      transfer: 'parallel',
      t0: result.t0.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started,
      bytesIn: report.bytesIn,
      bytesOut: report.bytesOut,
      sha256: result.sha256,
      hiveVersion: report.hiveVersion ?? null,
      rowsPerTable: report.rowsPerTable,
      rewritesPerColumn: report.rewritesPerColumn,
      leftAlone: report.leftAlone,
      database,
      snapshot: result.snapshot,
      workers: result.workers,
      tables: result.tables,
      sequences: result.sequences,
      timings: result.timings,
      postDataEntries: result.postData.entries,
      exitStatus: { 'pg_dump pre-data': 0, 'pg_dump post-data': 0, rewriter: 'ok', workers: 0 },
    };
  } catch (error) {
    await dropStagingAfterFailure(adapters.dr, database, log);
    throw error;
  }
}

export const parallel: Transfer = {
  name: 'parallel',
  needsDumpFile: false,
  plan: planParallelDump,
  run: dumpParallel,
  restorePlan: (_config, _run, database) => [
    {
      kind: 'note',
      text: `nothing left to do: the parallel transfer filled ${database} during dump-metastore (checked here by its comment)`,
    },
  ],
  restored(dump: DumpOutput, database: string) {
    const { workers, snapshot, exitStatus } = dump as ParallelDumpOutput;
    return {
      reason: `the parallel transfer filled ${database} during dump-metastore`,
      restoredFrom: `parallel transfer (${workers} workers, snapshot ${snapshot})`,
      exitStatus: { ...exitStatus, rewriter: 0 },
    };
  },
  integrityNotes: [
    'L1: per table, rows in the source snapshot = rows streamed = rows stored on DR; pg_dump pre/post-data exited 0',
    'L2: schema, every COPY and every index/constraint statement finished without error',
  ],
  streamIntegrity(dump: DumpOutput) {
    // No file: the receiving end is the DR server itself, which reports the rows each COPY stored.
    const { tables, bytesOut, workers } = dump as ParallelDumpOutput;
    const differences: string[] = [];
    for (const t of tables) {
      if (t.rowsSource !== t.rowsStream || t.rowsStream !== t.rowsRestored)
        differences.push(
          `${t.table}: ${t.rowsSource} rows in the source snapshot, ${t.rowsStream} streamed, ${t.rowsRestored} stored on DR`,
        );
    }
    return {
      differences,
      evidence: `pg_dump pre-data/post-data exit 0, rewriter ok, ${tables.length} table streams (${bytesOut} bytes, sha256 per stream) by ${workers} workers: rows equal in the source snapshot, the stream and on DR`,
    };
  },
};
