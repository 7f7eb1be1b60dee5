// Step 6: prove the staging database and the copied data before anything live changes: L1 stream
// integrity, L2 restore integrity, L3 parity with the row counts seen in the stream, schema version,
// no old authority, L4 every location present on DR, L5 source T1 equal to target T1 (it does not
// depend on the metastore, so a data mismatch blocks the swap: the live metastore never moves on
// top of bad data).
import { join } from 'node:path';
import { VerifyError } from '../errors/errors.js';
import type { ResolvedConfig } from '../config/load.js';
import type { SitePort } from '../adapters/site.js';
import { withDrDatabase, withDrQueryPool } from './dr-databases.js';
import { writeFileAtomic } from '../runbook/ledger.js';
import type { Action, RunInfo, Step, StepContext } from './step.js';
import { transferFor, transferOf } from '../transfer/index.js';
import { stagingDatabase } from '../names/run-names.js';
import { configuredChecksums, verifyData } from '../verify/data/run.js';
import { openCopyListing } from '../verify/data/copy-listing.js';
import { rung, type RungResult } from '../verify/ladder.js';
import type { MetastoreInspection } from '../verify/metastore/inspect.js';
import { listLocations } from '../verify/metastore/locations.js';
import { authoritiesThatMustBeGone } from '../verify/metastore/old-authorities.js';
import { inspectDrMetastore, judgeAgainstStream } from '../verify/metastore/run.js';
import type { DumpOutput } from './dump-metastore.js';
import type { CopyDataOutput } from './copy-data.js';
import type { RestoreOutput } from './restore-staging.js';
import { outputOf, requireOutput, type VerifyStagingOutput } from './outputs.js';
import { dataPairs } from '../copy/pairs.js';
import { writeRunManifest } from './run-manifest.js';
import { inspectForManifest } from '../verify/manifest/collect.js';
import { exclusionPredicate } from '../config/schema-copy.js';

export type { VerifyStagingOutput } from './outputs.js';

/** Step glue: inspect a DR database for L3 with src/verify's inspection (the one `hmsdr verify metastore` uses). */
export function inspectDrDatabase(
  dr: SitePort,
  database: string,
  config: ResolvedConfig,
  signal?: AbortSignal,
): Promise<MetastoreInspection> {
  return withDrQueryPool(dr, database, signal, (pool) => inspectDrMetastore(pool, config, `DR database ${database}`));
}

/** Step glue: L4 (and L5 when `equivalence`) over every location of a DR database, with src/verify's verifyData. */
export async function dataRungs(
  ctx: StepContext,
  by: string,
  database: string,
  copy: CopyDataOutput | undefined,
  equivalence: boolean,
): Promise<RungResult[]> {
  const { config, adapters, signal } = ctx;
  const locations = await withDrDatabase(adapters.dr, database, signal, listLocations);
  // listing.csv and status.csv come out of the same pass as L5 (rewritten by a resumed run).
  const listing = equivalence && copy ? openCopyListing(ctx.run.dir) : undefined;
  const result = await verifyData(adapters.hdfs!, dataPairs(config), {
    listing,
    signal,
    snapshot: copy?.snapshot,
    checksums: configuredChecksums(config.data),
    sample: config.data.verify.sample,
    copied: copy?.paths,
    tmpDir: ctx.run.dir,
    exclude: exclusionPredicate(config.data),
    locations,
    equivalence,
    by,
    onProgress: (text) => ctx.progress(text),
  }).finally(() => {
    const files = listing?.close();
    if (files) ctx.log.info('copy-listing-written', { ...files });
  });
  return result.rungs;
}

const oldAuthorityNote = (gone: readonly string[]): string =>
  gone.length > 0
    ? `L3: no value left under ${gone.join(', ')}`
    : 'L3: no old authority to look for (every rewrite rule keeps its authority)';

export function streamIntegrity(dump: DumpOutput, by: string): RungResult {
  const differences: string[] = [];
  for (const [process, status] of Object.entries(dump.exitStatus))
    if (status !== 0 && status !== 'ok') differences.push(`${process} ended with ${String(status)}`);
  const transfer = transferOf(dump).streamIntegrity(dump);
  return rung('L1', by, [...differences, ...transfer.differences], transfer.evidence);
}

/** L2: every part of the restore ended without error (psql's exit, or the parallel transfer's parts). */
export function restoreIntegrity(restore: RestoreOutput, by: string): RungResult {
  const failed = Object.entries(restore.exitStatus).filter(([, status]) => status !== 0);
  const how =
    'psql' in restore.exitStatus
      ? `psql -v ON_ERROR_STOP=1 --single-transaction exited 0${'post-data' in restore.exitStatus ? ' (schema and data), then every post-data statement finished without error' : ''}`
      : `${restore.restoredFrom}: schema, every COPY and every index/constraint statement finished without error`;
  return rung(
    'L2',
    by,
    failed.map(([part, status]) => `${part} exited ${status}`),
    `${how} into ${restore.database}`,
  );
}

export const verifyStaging: Step = {
  id: 'verify-staging',
  title: 'Verify the staging database and the copied data (stream integrity, restore, row counts, no old NameNode, data present and equal)',
  destructive: false,
  recovery:
    'Nothing live changed: the staging database is kept for inspection. Look at verify-staging.json in the run directory; ' +
    'differences in row counts mean the restore did not load what was streamed: fix the cause and start a new run. ' +
    'L5 differences mean the DR snapshot of a data path is not the source snapshot: repair the target (docs/verification.md) and `hmsdr resume <run-id>`.',
  plan(config: ResolvedConfig, run: RunInfo): Action[] {
    const database = stagingDatabase(config.dr.metastore.database, run.id);
    return [
      ...transferFor(config).integrityNotes.map((text) => ({ kind: 'note' as const, text })),
      {
        kind: 'sql',
        target: 'dr',
        database,
        text: 'SELECT count(*) FROM <every table> ; SELECT "SCHEMA_VERSION" FROM "VERSION"',
        description: 'L3: row counts equal to the stream',
      },
      { kind: 'note', text: oldAuthorityNote(authoritiesThatMustBeGone(config)) },
      {
        kind: 'note',
        text: `then write the run's manifest (counts, listing digests at T1) to runs/${run.id}/manifest.json and ${config.dr.stagingDir}/hmsdr-${run.id}.manifest.json`,
      },
      ...(config.data.paths.length > 0
        ? [
            {
              kind: 'note' as const,
              text: "L4: every database/table/partition location exists on DR HDFS at the run's snapshot (each DR data path's .snapshot/<T1> listed once, streamed: one hdfs dfs -ls -R, or from 20,000 locations four concurrent subtree listings; joined with the locations; -count batches only for locations outside every data path)",
            },
            {
              kind: 'note' as const,
              text: `L5: hdfs dfs -ls -R of source and target .snapshot/<T1> streamed, sorted and merged (type and length per path); COMPOSITE_CRC checksums: ${configuredChecksums(config.data)}${configuredChecksums(config.data) === 'changed' ? ` (this run's snapshot diff + ${config.data.verify.sample} sampled unchanged files per path)` : ''}`,
            },
          ]
        : []),
    ];
  },
  async probe() {
    return { status: 'todo', reason: 'verification is always run' };
  },
  async run(ctx: StepContext): Promise<VerifyStagingOutput> {
    const { config, adapters, signal, run } = ctx;
    const dump = requireOutput(ctx, 'dump-metastore', 'verify-staging');
    const restore = requireOutput(ctx, 'restore-staging', 'verify-staging');
    const database = restore.database;
    ctx.progress(`inspecting ${database}`);
    // The manifest's partition-name digests are read with the inspection, on a second connection.
    const { inspection, partitionNamesSha256 } = await withDrQueryPool(adapters.dr, database, signal, (pool) =>
      inspectForManifest(pool, (client) => inspectDrMetastore(client, config, `DR database ${database}`)),
    );
    const parity = judgeAgainstStream(inspection, dump, config);
    const versionDiffs =
      dump.hiveVersion && inspection.schema.version !== dump.hiveVersion
        ? [`schema version ${inspection.schema.version} restored, ${dump.hiveVersion} in the dump`]
        : [];
    const rungs: RungResult[] = [
      streamIntegrity(dump, 'verify-staging'),
      restoreIntegrity(restore, 'verify-staging'),
      rung(
        'L3',
        'verify-staging',
        [...versionDiffs, ...parity.differences],
        `${Object.keys(inspection.rowCounts).length} tables with the stream's row counts, schema ${inspection.schema.version}, no old authority in location columns`,
      ),
    ];
    // L4: metadata must never point at data that is not there: every location exists on DR at T1.
    const copy = outputOf(ctx, 'copy-data');
    // L5: the copied data equals the source snapshot, before the swap (needs the copy's snapshot).
    if (adapters.hdfs && config.data.paths.length > 0) {
      ctx.progress(
        copy ? 'checking every location on DR HDFS, comparing source and target snapshot listings' : 'checking every location on DR HDFS',
      );
      rungs.push(...(await dataRungs(ctx, 'verify-staging', database, copy, copy !== undefined)));
    }
    const output: VerifyStagingOutput = {
      database,
      schemaVersion: inspection.schema.version,
      rungs,
      warnings: parity.warnings,
      tables: Object.keys(inspection.rowCounts).length,
      rows: Object.values(inspection.rowCounts).reduce((a, b) => a + b, 0),
    };
    writeFileAtomic(join(run.dir, 'verify-staging.json'), JSON.stringify({ ...output, parity, inspection }, null, 2) + '\n');
    for (const warning of parity.warnings) ctx.log.warn('old-authority-left-alone', { warning });
    const failed = rungs.filter((r) => !r.ok);
    if (failed.length > 0) {
      throw new VerifyError(
        `${failed.map((r) => r.rung).join(', ')} failed on ${database}`,
        failed.flatMap((r) => r.differences ?? []),
      );
    }
    // T1, before anything live changes: what DR must hold, for `hmsdr verify dr` without the source.
    ctx.progress("writing the run's manifest");
    output.manifest = await writeRunManifest(ctx, dump, { inspection, partitionNamesSha256 });
    return output;
  },
};
