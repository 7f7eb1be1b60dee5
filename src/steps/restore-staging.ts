// Step 5: restore the staged dump into a new database <db>_hmsdr_<run-id> on the DR server
// (psql -X -v ON_ERROR_STOP=1 --single-transaction). The live DR metastore is not touched; any
// error drops the staging database again.
import type { ResolvedConfig } from '../config/load.js';
import { metastorePassword } from '../adapters/postgres/connection.js';
import { psqlRestoreCommand } from '../adapters/postgres/commands.js';
import { createDatabase, dropDatabase } from '../adapters/postgres/admin.js';
import { quoteIdent, quoteLiteral } from '../adapters/postgres/sql-text.js';
import { VerifyError } from '../errors/errors.js';
import type { Action, RunInfo, Step } from '../runbook/step.js';
import { getDatabaseFacts, withAdmin } from '../transfer/database-state.js';
import { restoredComment, stagingDatabase } from '../transfer/names.js';
import { openStaging } from '../transfer/staging.js';
import type { DumpOutput } from './dump-metastore.js';
import { stagedPathFor } from './dump-metastore.js';
import { outputOf, requireOutput } from './outputs.js';
import { pgWhere, planPassword } from './where.js';

export interface RestoreOutput extends Record<string, unknown> {
  database: string;
  owner: string;
  restoredFrom: string;
  sha256: string;
  durationMs: number;
  exitStatus: { psql: number };
}

const ownerOf = (config: ResolvedConfig): string => config.dr.metastore.owner ?? config.dr.metastore.user;
export const restoreCommandFor = (config: ResolvedConfig, runId: string, password: string | undefined) =>
  psqlRestoreCommand(config.dr.metastore, stagingDatabase(config.dr.metastore.database, runId), stagedPathFor(config, runId), { password });

export const restoreStaging: Step = {
  id: 'restore-staging',
  title: 'Restore the staged dump into a new staging database on the DR server',
  destructive: false,
  recovery:
    'The live DR metastore was not touched. A failed restore rolled back (single transaction) and its staging database was dropped; ' +
    'if the DR server died, a half-created staging database may remain and is dropped and recreated on resume. Read the psql error above (stderr/restore-staging.psql.log in the run directory).',
  plan(config: ResolvedConfig, run: RunInfo): Action[] {
    const database = stagingDatabase(config.dr.metastore.database, run.id);
    return [
      { kind: 'sql', target: 'dr', database: 'postgres', text: `CREATE DATABASE ${quoteIdent(database)} OWNER ${quoteIdent(ownerOf(config))}` },
      { kind: 'exec', where: pgWhere(config, 'dr'), command: restoreCommandFor(config, run.id, planPassword(config.dr.metastore)), description: 'any error rolls the whole restore back' },
      { kind: 'sql', target: 'dr', database: 'postgres', text: `COMMENT ON DATABASE ${quoteIdent(database)} IS ${quoteLiteral(restoredComment(run.id, '<sha256 of the dump>'))}` },
    ];
  },
  async probe(ctx) {
    const database = stagingDatabase(ctx.config.dr.metastore.database, ctx.run.id);
    const dump = outputOf<DumpOutput>(ctx, 'dump-metastore');
    const facts = await withAdmin((db) => ctx.adapters.dr.connect(db, ctx.signal), (client) => getDatabaseFacts(client, database));
    if (dump && facts.restoredBy?.sha256 === dump.sha256 && facts.restoredBy.runId === ctx.run.id) {
      return { status: 'done', reason: `${database} already holds this run's dump`, output: { database, owner: ownerOf(ctx.config), restoredFrom: dump.stagedPath, sha256: dump.sha256, durationMs: 0, exitStatus: { psql: 0 } } };
    }
    return { status: 'todo', reason: facts.exists ? `${database} exists without a finished restore: it will be dropped and restored again` : `${database} does not exist yet` };
  },
  async run(ctx): Promise<RestoreOutput> {
    const { config, adapters, signal, run, log } = ctx;
    const dump = requireOutput<DumpOutput>(ctx, 'dump-metastore', 'restore-staging');
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
    const connect = (db: string) => adapters.dr.connect(db, signal);
    await withAdmin(connect, async (admin) => {
      // A leftover of an earlier attempt of this very run (name carries the run id) is ours to drop.
      await dropDatabase(admin, database, { force: true });
      await createDatabase(admin, database, { owner });
    });
    const started = Date.now();
    try {
      const executor = await adapters.dr.pgExecutor(signal);
      ctx.progress(`psql restoring ${dump.stagedPath} into ${database}`);
      await executor.run(restoreCommandFor(config, run.id, metastorePassword(config.dr.metastore, 'dr.metastore')), {
        signal,
        onStderr: (chunk) => log.stderr('psql', chunk),
      });
      await withAdmin(connect, (admin) => admin.query(`COMMENT ON DATABASE ${quoteIdent(database)} IS ${quoteLiteral(restoredComment(run.id, dump.sha256))}`));
    } catch (error) {
      await withAdmin(connect, (admin) => dropDatabase(admin, database, { force: true })).then(
        () => log.warn('staging-dropped', { database }),
        (dropError: unknown) => log.error('staging-drop-failed', { database, error: String(dropError) }),
      );
      throw error;
    }
    return { database, owner, restoredFrom: dump.stagedPath, sha256: dump.sha256, durationMs: Date.now() - started, exitStatus: { psql: 0 } };
  },
};
