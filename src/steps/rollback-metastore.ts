// `hmsdr rollback <run-id>`: put back the DR metastore that run <run-id> replaced. Two renames in
// one transaction: the restored database goes back to its staging name, <db>_hmsdr_prev_<run-id>
// becomes <db>; every other session sees the one or the other under the live name, never neither.
import type { ResolvedConfig } from '../config/load.js';
import { planned, withMetastoreAdmin, type Rename } from '../adapters/postgres/metastore-admin.js';
import type { Action, ProbeResult, RunInfo, Step, StepContext } from './step.js';
import { previousDatabase, stagingDatabase } from '../names/run-names.js';
import { PreconditionError } from '../errors/errors.js';
import { assessRollbackData } from './rollback-data.js';
import {
  clearSessions,
  findUnfinishedRenames,
  HIVE_RUNNING_HINT,
  hiveRunning,
  readFacts,
  unfinishedRenamesRefusal,
} from './dr-databases.js';

export interface RollbackOutput extends Record<string, unknown> {
  rolledBack: string;
  live: string;
  restoredMovedTo: string;
}

/** The renames of a rollback: the restored database out of the way (when live), the previous one in. */
export function rollbackRenames(live: string, runId: string, liveExists = true): Rename[] {
  const back = { from: previousDatabase(live, runId), to: live };
  return liveExists ? [{ from: live, to: stagingDatabase(live, runId) }, back] : [back];
}

/** Which databases are where: done (already rolled back), todo, or blocked with the reason. */
export async function assessRollback(ctx: StepContext, targetRunId: string): Promise<ProbeResult> {
  const live = ctx.config.dr.metastore.database;
  return withMetastoreAdmin(
    (db) => ctx.adapters.dr.connect(db, ctx.signal),
    async (admin) => {
      const current = await readFacts(admin, live);
      if (!current.exists) {
        // Another run's swap or rollback stopped half-way: renaming now would put the wrong metastore live.
        const found = await findUnfinishedRenames(admin, live, targetRunId);
        if (found) return { status: 'blocked' as const, ...unfinishedRenamesRefusal(live, found) };
      }
      const previous = await readFacts(admin, previousDatabase(live, targetRunId));
      const restored = await readFacts(admin, stagingDatabase(live, targetRunId));
      if (!previous.exists && current.exists && current.restoredBy?.runId !== targetRunId && restored.restoredBy?.runId === targetRunId) {
        // Run ids sort by time: a live restore of a later run means another swap came after the rollback.
        const later = current.restoredBy && current.restoredBy.runId > targetRunId ? current.restoredBy.runId : undefined;
        if (later) {
          return {
            status: 'blocked' as const,
            reason: `run ${targetRunId} was already rolled back (its restore is kept as ${stagingDatabase(live, targetRunId)}); since then run ${later} swapped: ${live} is run ${later}'s restore`,
            hint: `to undo run ${later}: hmsdr rollback ${later}`,
          };
        }
        return {
          status: 'done' as const,
          reason: `already rolled back: ${live} is the previous metastore again`,
          output: { rolledBack: targetRunId, live, restoredMovedTo: stagingDatabase(live, targetRunId) },
        };
      }
      if (!previous.exists) {
        return {
          status: 'blocked' as const,
          reason: `${previousDatabase(live, targetRunId)} does not exist (pruned by retention, or run ${targetRunId} never swapped)`,
          hint: 'list the databases with \\l on the DR server; roll back by hand if another copy exists',
        };
      }
      if (current.exists && current.restoredBy?.runId !== targetRunId) {
        return {
          status: 'blocked' as const,
          reason: `${live} is not the database run ${targetRunId} restored${current.restoredBy ? ` (it is run ${current.restoredBy.runId}'s)` : ''}: a later run swapped again`,
          hint: `roll back the later run first (hmsdr rollback ${current.restoredBy?.runId ?? '<run-id>'})`,
        };
      }
      return {
        status: 'todo' as const,
        reason: current.exists
          ? `${live} is run ${targetRunId}'s restore`
          : `${live} is missing: run ${targetRunId}'s swap or rollback by an older hmsdr stopped between its renames; the rollback puts the previous metastore back`,
      };
    },
  );
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
    plan: (config) => [
      {
        kind: 'note',
        text: `${config.dr.metastore.database} must be run ${targetRunId}'s restore and ${previousDatabase(config.dr.metastore.database, targetRunId)} must exist`,
      },
      {
        kind: 'note',
        text: `L4: every location of ${previousDatabase(config.dr.metastore.database, targetRunId)} on the live DR tree; where some are missing, they must be in the snapshot of the run that restored it (rollback-data rewinds to it), else the rollback is refused (exit 5, nothing changed)`,
      },
    ],
    async probe(ctx) {
      const assessment = await assessRollback(ctx, targetRunId);
      if (assessment.status === 'done') return { status: 'blocked', reason: assessment.reason, hint: 'nothing to do' };
      return assessment.status === 'blocked' ? assessment : { status: 'todo', reason: assessment.reason };
    },
    async run(ctx) {
      // The previous metastore must not point at data that is not there (L4): rewound by rollback-data, or refused here.
      const data = await assessRollbackData(ctx, targetRunId);
      for (const r of data.rewind) ctx.log.warn('rollback-data-missing', { ...r });
      return { checked: targetRunId, data };
    },
  };
}

export function createRollbackMetastoreStep(targetRunId: string): Step {
  return {
    id: 'rollback-metastore',
    title: `Put back the DR metastore that run ${targetRunId} replaced`,
    destructive: true,
    recovery:
      'A rollback is two renames in one transaction: if it stopped, the live name still holds the restored or already the previous metastore; ' +
      'resume completes it (the databases are told apart by their names and hmsdr comments), also after an older hmsdr stopped between the renames.',
    plan(config: ResolvedConfig, _run: RunInfo): Action[] {
      const live = config.dr.metastore.database;
      const sql = (text: string, description?: string): Action => ({
        kind: 'sql',
        target: 'dr',
        database: 'postgres',
        text,
        ...(description ? { description } : {}),
      });
      const [begin, ...renames] = planned.renameAtomically(rollbackRenames(live, targetRunId));
      return [
        sql(
          planned.listSessions(live),
          config.restore.terminateSessions ? 'sessions are terminated right before the renames' : 'any session refuses the rollback',
        ),
        sql(begin!, `only if ${live} is the database run ${targetRunId} restored; both renames in one transaction`),
        ...renames.map((text) => sql(text)),
      ];
    },
    async probe(ctx) {
      const assessment = await assessRollback(ctx, targetRunId);
      if (assessment.status !== 'todo') return assessment;
      const running = await hiveRunning(ctx);
      return running
        ? { status: 'blocked', reason: `${running}: a rollback never renames while Hive runs`, hint: HIVE_RUNNING_HINT }
        : assessment;
    },
    async run(ctx: StepContext): Promise<RollbackOutput> {
      const { config, adapters, signal, log } = ctx;
      const live = config.dr.metastore.database;
      const movedTo = stagingDatabase(live, targetRunId);
      await withMetastoreAdmin(
        (db) => adapters.dr.connect(db, signal),
        async (admin) => {
          const liveExists = (await readFacts(admin, live)).exists;
          const found = liveExists ? undefined : await findUnfinishedRenames(admin, live, targetRunId);
          if (found) {
            const refusal = unfinishedRenamesRefusal(live, found);
            throw new PreconditionError(refusal.reason, { hint: refusal.hint });
          }
          if (liveExists) await clearSessions(admin, live, config.restore.terminateSessions, log);
          const renames = rollbackRenames(live, targetRunId, liveExists);
          await admin.renameAtomically(renames);
          for (const r of renames) log.info('renamed', { ...r });
        },
      );
      return { rolledBack: targetRunId, live, restoredMovedTo: movedTo };
    },
  };
}
