// Step 5: restore the staged dump into a new database <db>_hmsdr_<run-id> on the DR server
// (psql -X -v ON_ERROR_STOP=1 --single-transaction). The live DR metastore is not touched; any
// error drops the staging database again.
import type { ResolvedConfig } from '../config/load.js';
import { metastorePassword } from '../adapters/postgres/connection.js';
import { VerifyError } from '../errors/errors.js';
import type { Action, RunInfo, Step } from './step.js';
import { getDatabaseFacts, withAdmin } from '../transfer/database-state.js';
import { hasDumpFile, transferFor, transferOf } from '../transfer/index.js';
import { stagingDatabase } from '../names/run-names.js';
import { restoreCommandFor } from '../transfer/restore-command.js';
import { dropStagingAfterFailure, markRestored, recreateStagingDatabase, stagingOwner } from '../transfer/staging-database.js';
import { watchRestore } from '../transfer/restore-progress.js';
import { openStaging, type StagingArea } from '../transfer/staging.js';
import type { StagedDumpOutput } from '../transfer/evidence.js';
import { outputOf, requireOutput, type RestoreOutput } from './outputs.js';

export type { RestoreOutput } from './outputs.js';

const ownerOf = (config: ResolvedConfig): string => stagingOwner(config.dr.metastore);

export const restoreStaging: Step = {
  id: 'restore-staging',
  title: 'Restore the staged dump into a new staging database on the DR server',
  destructive: false,
  recovery:
    'The live DR metastore was not touched. A failed restore rolled back (single transaction) and its staging database was dropped; ' +
    'if the DR server died, a half-created staging database may remain and is dropped and recreated on resume. Read the psql error above (stderr/restore-staging.psql.log in the run directory).',
  plan(config: ResolvedConfig, run: RunInfo): Action[] {
    return transferFor(config).restorePlan(config, run, stagingDatabase(config.dr.metastore.database, run.id));
  },
  async probe(ctx) {
    const database = stagingDatabase(ctx.config.dr.metastore.database, ctx.run.id);
    const dump = outputOf(ctx, 'dump-metastore');
    const facts = await withAdmin(
      (db) => ctx.adapters.dr.connect(db, ctx.signal),
      (client) => getDatabaseFacts(client, database),
    );
    const transfer = dump && transferOf(dump);
    if (dump && transfer && facts.restoredBy?.sha256 === dump.sha256 && facts.restoredBy.runId === ctx.run.id) {
      const { reason, restoredFrom, exitStatus } = transfer.restored(dump, database);
      return {
        status: 'done',
        reason,
        output: { database, owner: ownerOf(ctx.config), restoredFrom, sha256: dump.sha256, durationMs: 0, exitStatus },
      };
    }
    if (transfer && !transfer.needsDumpFile) {
      // No file to restore from: only the transfer itself can fill the staging database.
      return {
        status: 'blocked',
        reason: `${database}, which the ${transfer.name} transfer filled, is ${facts.exists ? "not marked as this run's" : 'gone'}`,
        hint: 'start a new run (the transfer takes a fresh snapshot); nothing live changed',
      };
    }
    return {
      status: 'todo',
      reason: facts.exists
        ? `${database} exists without a finished restore: it will be dropped and restored again`
        : `${database} does not exist yet`,
    };
  },
  async run(ctx): Promise<RestoreOutput> {
    const { config, adapters, signal, run, log } = ctx;
    const dump = requireOutput(ctx, 'dump-metastore', 'restore-staging');
    if (!hasDumpFile(dump))
      throw new VerifyError(`the ${transferOf(dump).name} transfer's staging database is not this run's`, [], { hint: 'start a new run' });
    const database = stagingDatabase(config.dr.metastore.database, run.id);
    const owner = ownerOf(config);
    const staging = await openStaging(adapters.dr, config.dr.stagingDir, signal);
    await recreateStagingDatabase(adapters.dr, database, signal);
    const started = Date.now();
    // L1 on the receiving side, while psql restores (re-reading 455 MB took 1.1 s): the file is
    // exactly what was streamed. A mismatch stops psql; the database is marked restored only after both.
    const stop = new AbortController();
    const mismatch = checkStagedFile(staging, dump, signal).then(
      () => undefined,
      (error: unknown) => {
        stop.abort(error);
        return error;
      },
    );
    try {
      const executor = await adapters.dr.pgExecutor(signal);
      ctx.progress(`psql restoring ${dump.stagedPath} into ${database}`);
      const restoring = executor.run(restoreCommandFor(config, run.id, metastorePassword(config.dr.metastore, 'dr.metastore')), {
        signal: signal ? AbortSignal.any([signal, stop.signal]) : stop.signal,
        onStderr: (chunk) => log.stderr('psql', chunk),
      });
      const watching = watchRestore(adapters.dr, database, restoring, (text) => ctx.progress(text));
      const [, , refused] = await Promise.all([restoring, watching, mismatch]);
      if (refused !== undefined) throw refused;
      await markRestored(adapters.dr, database, run.id, dump.sha256, signal);
    } catch (error) {
      stop.abort(error);
      await dropStagingAfterFailure(adapters.dr, database, log);
      throw (await mismatch) ?? error;
    }
    return {
      database,
      owner,
      restoredFrom: dump.stagedPath,
      sha256: dump.sha256,
      durationMs: Date.now() - started,
      exitStatus: { psql: 0 },
    };
  },
};

/** The staged file is the one this run streamed (same sha256), else a VerifyError. */
async function checkStagedFile(staging: StagingArea, dump: StagedDumpOutput, signal: AbortSignal | undefined): Promise<void> {
  const staged = await staging.stat(dump.stagedPath, signal);
  if (!staged || staged.sha256 !== dump.sha256) {
    throw new VerifyError(
      `the staged dump ${dump.stagedPath} is ${staged ? 'not the one this run streamed' : 'missing'}`,
      [staged ? `sha256 ${staged.sha256} on disk, ${dump.sha256} streamed` : `${dump.stagedPath}: no such file`],
      { hint: 'nothing live changed; start a new run to stage a fresh dump' },
    );
  }
}
