// `hmsdr rollback <run-id>`: put back the DR metastore that run <run-id> replaced. One rename each
// way: the restored database goes back to its staging name, <db>_hmsdr_prev_<run-id> becomes <db>.
import type { ResolvedConfig } from '../config/load.js';
import { renameDatabase } from '../adapters/postgres/admin.js';
import { quoteIdent } from '../adapters/postgres/sql-text.js';
import type { Action, ProbeResult, RunInfo, Step, StepContext } from './step.js';
import { getDatabaseFacts, withAdmin } from '../transfer/database-state.js';
import { previousDatabase, stagingDatabase } from '../transfer/names.js';
import { clearSessions } from './swap-metastore.js';

export interface RollbackOutput extends Record<string, unknown> {
  rolledBack: string;
  live: string;
  restoredMovedTo: string;
}

/** Which databases are where: done (already rolled back), todo, or blocked with the reason. */
export async function assessRollback(ctx: StepContext, targetRunId: string): Promise<ProbeResult> {
  const live = ctx.config.dr.metastore.database;
  return withAdmin((db) => ctx.adapters.dr.connect(db, ctx.signal), async (admin) => {
    const current = await getDatabaseFacts(admin, live);
    const previous = await getDatabaseFacts(admin, previousDatabase(live, targetRunId));
    const restored = await getDatabaseFacts(admin, stagingDatabase(live, targetRunId));
    if (!previous.exists && current.exists && current.restoredBy?.runId !== targetRunId && restored.restoredBy?.runId === targetRunId) {
      return { status: 'done' as const, reason: `already rolled back: ${live} is the previous metastore again`, output: { rolledBack: targetRunId, live, restoredMovedTo: stagingDatabase(live, targetRunId) } };
    }
    if (!previous.exists) {
      return { status: 'blocked' as const, reason: `${previousDatabase(live, targetRunId)} does not exist (pruned by retention, or run ${targetRunId} never swapped)`, hint: 'list the databases with \\l on the DR server; roll back by hand if another copy exists' };
    }
    if (current.exists && current.restoredBy?.runId !== targetRunId) {
      return { status: 'blocked' as const, reason: `${live} is not the database run ${targetRunId} restored${current.restoredBy ? ` (it is run ${current.restoredBy.runId}'s)` : ''}: a later run swapped again`, hint: `roll back the later run first (hmsdr rollback ${current.restoredBy?.runId ?? '<run-id>'})` };
    }
    return { status: 'todo' as const, reason: current.exists ? `${live} is run ${targetRunId}'s restore` : `${live} is missing: the rollback stopped between its renames` };
  });
}

/**
 * First step of a rollback, before Hive is stopped: refuses (nothing changed) when the rollback is
 * impossible or already done, so a refused rollback never leaves Hive stopped.
 */
export function createRollbackCheckStep(targetRunId: string): Step {
  return {
    id: 'rollback-check',
    title: `Check that run ${targetRunId}'s swap can be undone`,
    destructive: false,
    recovery: 'Nothing was changed. Read the reason above.',
    plan: (config) => [{ kind: 'note', text: `${config.dr.metastore.database} must be run ${targetRunId}'s restore and ${previousDatabase(config.dr.metastore.database, targetRunId)} must exist` }],
    async probe(ctx) {
      const assessment = await assessRollback(ctx, targetRunId);
      if (assessment.status === 'done') return { status: 'blocked', reason: assessment.reason, hint: 'nothing to do' };
      return assessment.status === 'blocked' ? assessment : { status: 'todo', reason: assessment.reason };
    },
    async run() {
      return { checked: targetRunId };
    },
  };
}

export function createRollbackMetastoreStep(targetRunId: string): Step {
  return {
    id: 'rollback-metastore',
    title: `Put back the DR metastore that run ${targetRunId} replaced`,
    destructive: true,
    recovery:
      'A rollback is two renames. If it stopped between them, resume completes it; the databases are told apart by their names and hmsdr comments.',
    plan(config: ResolvedConfig, _run: RunInfo): Action[] {
      const live = config.dr.metastore.database;
      return [
        { kind: 'sql', target: 'dr', database: 'postgres', text: `ALTER DATABASE ${quoteIdent(live)} RENAME TO ${quoteIdent(stagingDatabase(live, targetRunId))}`, description: `only if ${live} is the database run ${targetRunId} restored` },
        { kind: 'sql', target: 'dr', database: 'postgres', text: `ALTER DATABASE ${quoteIdent(previousDatabase(live, targetRunId))} RENAME TO ${quoteIdent(live)}` },
      ];
    },
    probe: (ctx) => assessRollback(ctx, targetRunId),
    async run(ctx: StepContext): Promise<RollbackOutput> {
      const { config, adapters, signal, log } = ctx;
      const live = config.dr.metastore.database;
      const movedTo = stagingDatabase(live, targetRunId);
      await withAdmin((db) => adapters.dr.connect(db, signal), async (admin) => {
        if ((await getDatabaseFacts(admin, live)).exists) {
          await clearSessions(admin, live, config, log);
          await renameDatabase(admin, live, movedTo);
          log.info('renamed', { from: live, to: movedTo });
        }
        await renameDatabase(admin, previousDatabase(live, targetRunId), live);
        log.info('renamed', { from: previousDatabase(live, targetRunId), to: live });
      });
      return { rolledBack: targetRunId, live, restoredMovedTo: movedTo };
    },
  };
}
