// Step 5: restore the staged dump into a new database <db>_hmsdr_<run-id> on the DR server
// (psql -X -v ON_ERROR_STOP=1 --single-transaction). The live DR metastore is not touched; any
// error drops the staging database again.
import type { ResolvedConfig } from '../config/load.js';
import { metastorePassword } from '../adapters/postgres/connection.js';
import { planned, withMetastoreAdmin } from '../adapters/postgres/metastore-admin.js';
import { VerifyError } from '../errors/errors.js';
import type { Action, RunInfo, Step } from '../runbook/step.js';
import { restoredComment, stagingDatabase } from '../names/run-names.js';
import { dropStagingAfterFailure, markRestored, recreateStagingDatabase, stagingOwner } from '../transfer/staging-database.js';
import { openStaging } from '../transfer/staging.js';
import type { DumpOutput } from './dump-metastore.js';
import { readFacts } from './dr-databases.js';
import { restoreCommandFor } from './restore-command.js';
import { outputOf, requireOutput } from './outputs.js';
import { pgWhere, planPassword } from './where.js';

export interface RestoreOutput extends Record<string, unknown> {
  database: string;
  owner: string;
  restoredFrom: string;
  sha256: string;
  durationMs: number;
  /** psql, or the parallel transfer's parts (pre-data, COPY workers, post-data): 0 each. */
  exitStatus: Record<string, number>;
}

const ownerOf = (config: ResolvedConfig): string => stagingOwner(config.dr.metastore);

function stagedRestorePlan(config: ResolvedConfig, runId: string, database: string): Action[] {
  return [
    { kind: 'sql', target: 'dr', database: 'postgres', text: planned.create(database, { owner: ownerOf(config) }) },
    { kind: 'exec', where: pgWhere(config, 'dr'), command: restoreCommandFor(config, runId, planPassword(config.dr.metastore)), description: 'any error rolls the whole restore back' },
    { kind: 'sql', target: 'dr', database: 'postgres', text: planned.setComment(database, restoredComment(runId, '<sha256 of the dump>')) },
  ];
}

export const restoreStaging: Step = {
  id: 'restore-staging',
  title: 'Restore the staged dump into a new staging database on the DR server',
  destructive: false,
  recovery:
    'The live DR metastore was not touched. A failed restore rolled back (single transaction) and its staging database was dropped; ' +
    'if the DR server died, a half-created staging database may remain and is dropped and recreated on resume. Read the psql error above (stderr/restore-staging.psql.log in the run directory).',
  plan(config: ResolvedConfig, run: RunInfo): Action[] {
    const database = stagingDatabase(config.dr.metastore.database, run.id);
    if (config.restore.transfer === 'parallel') {
      return [{ kind: 'note', text: `nothing left to do: the parallel transfer filled ${database} during dump-metastore (checked here by its comment)` }];
    }
    if (config.restore.transfer === 'streamed') {
      return [{ kind: 'note', text: `nothing left to do: psql restored ${database} while dump-metastore streamed (checked here by its comment); if it is gone, the staged file is restored as below` }, ...stagedRestorePlan(config, run.id, database)];
    }
    return stagedRestorePlan(config, run.id, database);
  },
  async probe(ctx) {
    const database = stagingDatabase(ctx.config.dr.metastore.database, ctx.run.id);
    const dump = outputOf<DumpOutput>(ctx, 'dump-metastore');
    const facts = await withMetastoreAdmin((db) => ctx.adapters.dr.connect(db, ctx.signal), (admin) => readFacts(admin, database));
    const restored = dump !== undefined && facts.restoredBy?.sha256 === dump.sha256 && facts.restoredBy.runId === ctx.run.id;
    if (dump?.transfer === 'parallel') {
      return restored
        ? { status: 'done', reason: `the parallel transfer filled ${database} during dump-metastore`, output: { database, owner: ownerOf(ctx.config), restoredFrom: `parallel transfer (${dump.workers} workers, snapshot ${dump.snapshot})`, sha256: dump.sha256, durationMs: 0, exitStatus: { ...dump.exitStatus, rewriter: 0 } } }
        : { status: 'blocked', reason: `${database}, which the parallel transfer filled, is ${facts.exists ? 'not marked as this run\'s' : 'gone'}`, hint: 'start a new run (the transfer takes a fresh snapshot); nothing live changed' };
    }
    if (dump && restored) {
      return { status: 'done', reason: `${database} already holds this run's dump`, output: { database, owner: ownerOf(ctx.config), restoredFrom: dump.stagedPath, sha256: dump.sha256, durationMs: 0, exitStatus: { psql: 0 } } };
    }
    return { status: 'todo', reason: facts.exists ? `${database} exists without a finished restore: it will be dropped and restored again` : `${database} does not exist yet` };
  },
  async run(ctx): Promise<RestoreOutput> {
    const { config, adapters, signal, run, log } = ctx;
    const dump = requireOutput<DumpOutput>(ctx, 'dump-metastore', 'restore-staging');
    if (dump.transfer === 'parallel') throw new VerifyError('the parallel transfer\'s staging database is not this run\'s', [], { hint: 'start a new run' });
    const database = stagingDatabase(config.dr.metastore.database, run.id);
    const owner = ownerOf(config);
    const staging = await openStaging(adapters.dr, config.dr.stagingDir, signal);
    // L1 on the receiving side: the file about to be restored is exactly what was streamed.
    const staged = await staging.stat(dump.stagedPath, signal);
    if (!staged || staged.sha256 !== dump.sha256) {
      throw new VerifyError(`the staged dump ${dump.stagedPath} is ${staged ? 'not the one this run streamed' : 'missing'}`, [
        staged ? `sha256 ${staged.sha256} on disk, ${dump.sha256} streamed` : `${dump.stagedPath}: no such file`,
      ], { hint: 'nothing live changed; start a new run to stage a fresh dump' });
    }
    await recreateStagingDatabase(adapters.dr, database, signal);
    const started = Date.now();
    try {
      const executor = await adapters.dr.pgExecutor(signal);
      ctx.progress(`psql restoring ${dump.stagedPath} into ${database}`);
      await executor.run(restoreCommandFor(config, run.id, metastorePassword(config.dr.metastore, 'dr.metastore')), {
        signal,
        onStderr: (chunk) => log.stderr('psql', chunk),
      });
      await markRestored(adapters.dr, database, run.id, dump.sha256, signal);
    } catch (error) {
      await dropStagingAfterFailure(adapters.dr, database, log);
      throw error;
    }
    return { database, owner, restoredFrom: dump.stagedPath, sha256: dump.sha256, durationMs: Date.now() - started, exitStatus: { psql: 0 } };
  },
};
