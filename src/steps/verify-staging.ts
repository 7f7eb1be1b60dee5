// Step 6: prove the staging database before anything live changes: L1 stream integrity, L2 restore
// integrity, L3 parity with the row counts seen in the stream, schema version, no old authority.
import { join } from 'node:path';
import { VerifyError } from '../errors/errors.js';
import type { ResolvedConfig } from '../config/load.js';
import { writeFileAtomic } from '../runbook/ledger.js';
import type { Action, RunInfo, Step, StepContext } from '../runbook/step.js';
import { stagingDatabase } from '../names/run-names.js';
import { rung, type RungResult } from '../verify/ladder.js';
import { compareWithStreamCounts } from '../verify/metastore/parity.js';
import type { DumpOutput } from './dump-metastore.js';
import type { RestoreOutput } from './restore-staging.js';
import type { CopyDataOutput } from './copy-data.js';
import { outputOf, requireOutput } from './outputs.js';
import { dataPresenceRung } from './verify-data-common.js';
import { inspectDrDatabase, judgeOldAuthorities, oldAuthorities, quotedTableCounts } from './verify-metastore-common.js';

export interface VerifyStagingOutput extends Record<string, unknown> {
  database: string;
  schemaVersion: string;
  rungs: RungResult[];
  /** Old authorities the rewriter left alone on purpose (parameter keys not configured, event history). */
  warnings: string[];
  tables: number;
  rows: number;
}

export function streamIntegrity(dump: DumpOutput, by: string): RungResult {
  const differences: string[] = [];
  for (const [process, status] of Object.entries(dump.exitStatus)) if (status !== 0 && status !== 'ok') differences.push(`${process} ended with ${String(status)}`);
  if (dump.transfer === 'parallel') {
    // No file: the receiving end is the DR server itself, which reports the rows each COPY stored.
    for (const t of dump.tables) {
      if (t.rowsSource !== t.rowsStream || t.rowsStream !== t.rowsRestored) differences.push(`${t.table}: ${t.rowsSource} rows in the source snapshot, ${t.rowsStream} streamed, ${t.rowsRestored} stored on DR`);
    }
    return rung('L1', by, differences, `pg_dump pre-data/post-data exit 0, rewriter ok, ${dump.tables.length} table streams (${dump.bytesOut} bytes, sha256 per stream) by ${dump.workers} workers: rows equal in the source snapshot, the stream and on DR`);
  }
  if (dump.sha256 !== dump.remoteSha256) differences.push(`sha256 streamed ${dump.sha256}, on the DR side ${dump.remoteSha256}`);
  if (dump.bytesOut !== dump.remoteBytes) differences.push(`bytes streamed ${dump.bytesOut}, on the DR side ${dump.remoteBytes}`);
  return rung('L1', by, differences, `pg_dump exit 0, rewriter ok, ${dump.bytesOut} bytes, sha256 ${dump.sha256.slice(0, 12)}… equal on both ends`);
}

/** L2: every part of the restore ended without error (psql's exit, or the parallel transfer's parts). */
export function restoreIntegrity(restore: RestoreOutput, by: string): RungResult {
  const failed = Object.entries(restore.exitStatus).filter(([, status]) => status !== 0);
  const how = 'psql' in restore.exitStatus
    ? 'psql -v ON_ERROR_STOP=1 --single-transaction exited 0'
    : `${restore.restoredFrom}: schema, every COPY and every index/constraint statement finished without error`;
  return rung('L2', by, failed.map(([part, status]) => `${part} exited ${status}`), `${how} into ${restore.database}`);
}

export const verifyStaging: Step = {
  id: 'verify-staging',
  title: 'Verify the staging database (stream integrity, restore, row counts, no old NameNode, data present)',
  destructive: false,
  recovery:
    'Nothing live changed: the staging database is kept for inspection. Look at verify-staging.json in the run directory; ' +
    'differences in row counts mean the restore did not load what was streamed. Fix the cause and start a new run.',
  plan(config: ResolvedConfig, run: RunInfo): Action[] {
    const database = stagingDatabase(config.dr.metastore.database, run.id);
    return [
      ...(config.restore.transfer === 'parallel'
        ? [
            { kind: 'note' as const, text: 'L1: per table, rows in the source snapshot = rows streamed = rows stored on DR; pg_dump pre/post-data exited 0' },
            { kind: 'note' as const, text: 'L2: schema, every COPY and every index/constraint statement finished without error' },
          ]
        : [
            { kind: 'note' as const, text: 'L1: sha256 and byte count streamed = staged; every process exited 0' },
            { kind: 'note' as const, text: 'L2: psql ON_ERROR_STOP + single transaction exited 0' },
          ]),
      { kind: 'sql', target: 'dr', database, text: 'SELECT count(*) FROM <every table> ; SELECT "SCHEMA_VERSION" FROM "VERSION"', description: 'L3: row counts equal to the stream' },
      { kind: 'note', text: `L3: no value left under ${oldAuthorities(config).join(', ')}` },
      ...(config.data.paths.length > 0 ? [{ kind: 'note' as const, text: 'L4: every database/table/partition location exists on DR HDFS at the run\'s snapshot (batched hdfs dfs -count)' }] : []),
    ];
  },
  async probe() {
    return { status: 'todo', reason: 'verification is always run' };
  },
  async run(ctx: StepContext): Promise<VerifyStagingOutput> {
    const { config, adapters, signal, run } = ctx;
    const dump = requireOutput<DumpOutput>(ctx, 'dump-metastore', 'verify-staging');
    const restore = requireOutput<RestoreOutput>(ctx, 'restore-staging', 'verify-staging');
    const database = restore.database;
    ctx.progress(`inspecting ${database}`);
    const inspection = await inspectDrDatabase(adapters.dr, database, config, signal);
    const parity = compareWithStreamCounts(inspection, { rowsPerTable: quotedTableCounts(dump.rowsPerTable) });
    const authorities = judgeOldAuthorities(inspection, dump.leftAlone);
    const versionDiffs =
      dump.hiveVersion && inspection.schema.version !== dump.hiveVersion ? [`schema version ${inspection.schema.version} restored, ${dump.hiveVersion} in the dump`] : [];
    const rungs: RungResult[] = [
      streamIntegrity(dump, 'verify-staging'),
      restoreIntegrity(restore, 'verify-staging'),
      rung('L3', 'verify-staging', [...versionDiffs, ...parity.differences, ...authorities.differences], `${Object.keys(inspection.rowCounts).length} tables with the stream's row counts, schema ${inspection.schema.version}, no old authority in location columns`),
    ];
    // L4: metadata must never point at data that is not there: every location exists on DR at T1.
    const copy = outputOf<CopyDataOutput>(ctx, 'copy-data');
    if (adapters.hdfs && config.data.paths.length > 0) {
      ctx.progress('checking every location on DR HDFS');
      rungs.push(await dataPresenceRung('verify-staging', adapters.dr, database, adapters.hdfs, config, copy, signal));
    }
    const output: VerifyStagingOutput = {
      database,
      schemaVersion: inspection.schema.version,
      rungs,
      warnings: authorities.warnings,
      tables: Object.keys(inspection.rowCounts).length,
      rows: Object.values(inspection.rowCounts).reduce((a, b) => a + b, 0),
    };
    writeFileAtomic(join(run.dir, 'verify-staging.json'), JSON.stringify({ ...output, parity, inspection }, null, 2) + '\n');
    for (const warning of authorities.warnings) ctx.log.warn('old-authority-left-alone', { warning });
    const failed = rungs.filter((r) => !r.ok);
    if (failed.length > 0) {
      throw new VerifyError(`${failed.map((r) => r.rung).join(', ')} failed on ${database}`, failed.flatMap((r) => r.differences ?? []));
    }
    return output;
  },
};
