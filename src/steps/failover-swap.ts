// Failover: Hive stopped only when something changes under it, then the verified staging database a
// run left un-swapped goes live (the swap's two renames in one transaction), when the check chose it.
import { planned, withMetastoreAdmin } from '../adapters/postgres/metastore-admin.js';
import { PreconditionError } from '../errors/errors.js';
import { previousDatabase } from '../names/run-names.js';
import { clearSessions, HIVE_RUNNING_HINT, hiveRunning, readFacts } from './dr-databases.js';
import { failoverCheckOf } from './failover-check.js';
import type { Action, Step, StepContext } from './step.js';
import { stopHiveStep } from './stop-hive.js';
import { swapRenames } from './swap-metastore.js';

/** Hive must be stopped for a swap or a data rewind; otherwise it keeps running (done, nothing to stop for). */
export const failoverStopHiveStep: Step = {
  ...stopHiveStep,
  title: 'Stop Hive on the DR cluster (only when the metastore or data change under it)',
  async probe(ctx) {
    const check = failoverCheckOf(ctx);
    if (!check.swap && check.dataRollback.length === 0) {
      return {
        status: 'done',
        reason: 'nothing changes under Hive: no swap, no data rewind',
        output: { controller: ctx.adapters.serviceControl.kind, actions: [], components: [] },
      };
    }
    return stopHiveStep.probe(ctx);
  },
};

export interface FailoverSwapOutput extends Record<string, unknown> {
  swapped: string | null;
  live: string;
  previous: string | null;
  terminatedSessions: number;
}

export const failoverSwapStep: Step = {
  id: 'failover-swap',
  title: 'Swap in the verified staging database a run left un-swapped (when chosen)',
  destructive: true,
  recovery:
    'The swap is two renames in one transaction: the live name holds the old or the new metastore, never neither. Resume is safe: it reads which database is which from their hmsdr comments.',
  plan(config): Action[] {
    const live = config.dr.metastore.database;
    const [begin, ...renames] = planned.renameAtomically(swapRenames(live, '<staging-run-id>'));
    const sql = (text: string, description?: string): Action => ({
      kind: 'sql',
      target: 'dr',
      database: 'postgres',
      text,
      ...(description ? { description } : {}),
    });
    return [
      { kind: 'note', text: 'only when failover-check chose a verified, never-swapped staging database newer than the live one' },
      sql(begin!, 'both renames in one transaction'),
      ...renames.map((text) => sql(text)),
    ];
  },
  async probe(ctx) {
    const { swap } = failoverCheckOf(ctx);
    if (!swap) {
      return {
        status: 'done',
        reason: 'no staging database to swap in',
        output: { swapped: null, live: ctx.config.dr.metastore.database, previous: null, terminatedSessions: 0 },
      };
    }
    const live = ctx.config.dr.metastore.database;
    const facts = await withMetastoreAdmin(
      (db) => ctx.adapters.dr.connect(db, ctx.signal),
      async (admin) => ({ live: await readFacts(admin, live), staging: await readFacts(admin, swap.staging) }),
    );
    if (facts.live.restoredBy?.runId === swap.runId) {
      return {
        status: 'done',
        reason: `${live} is already run ${swap.runId}'s restore`,
        output: { swapped: swap.staging, live, previous: previousDatabase(live, swap.runId), terminatedSessions: 0 },
      };
    }
    if (facts.staging.restoredBy?.runId !== swap.runId) {
      return {
        status: 'blocked',
        reason: `${swap.staging} (run ${swap.runId}'s verified restore) is gone`,
        hint: 'start a new failover: its check decides again what DR serves',
      };
    }
    const running = await hiveRunning(ctx);
    return running
      ? { status: 'blocked', reason: `${running}: a swap never runs while Hive runs`, hint: HIVE_RUNNING_HINT }
      : { status: 'todo', reason: `${live} is still run ${facts.live.restoredBy?.runId ?? 'unknown'}'s metastore` };
  },
  async run(ctx: StepContext): Promise<FailoverSwapOutput> {
    const { swap } = failoverCheckOf(ctx);
    const live = ctx.config.dr.metastore.database;
    if (!swap) return { swapped: null, live, previous: null, terminatedSessions: 0 };
    return withMetastoreAdmin(
      (db) => ctx.adapters.dr.connect(db, ctx.signal),
      async (admin) => {
        const liveExists = (await readFacts(admin, live)).exists;
        if (!liveExists)
          throw new PreconditionError(`there is no database named ${live} on the DR server`, { hint: 'rename it back by hand' });
        const terminated = await clearSessions(admin, live, ctx.config.restore.terminateSessions, ctx.log);
        await clearSessions(admin, swap.staging, true, ctx.log);
        const renames = swapRenames(live, swap.runId);
        await admin.renameAtomically(renames);
        for (const r of renames) ctx.log.info('renamed', { ...r });
        return { swapped: swap.staging, live, previous: previousDatabase(live, swap.runId), terminatedSessions: terminated };
      },
    );
  },
  summarize: (output) => {
    const o = output as FailoverSwapOutput;
    return o.swapped ? `${o.swapped} → ${o.live} (the old one kept as ${o.previous})` : 'nothing to swap';
  },
};
