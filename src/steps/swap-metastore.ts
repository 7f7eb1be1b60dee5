// Step 8: make the verified staging database the live DR metastore. Both renames (the live database
// to <db>_hmsdr_prev_<run-id>, the staging database to <db>) run in one transaction: every other
// session sees the old database or the new one under the live name, never neither.
import type { ResolvedConfig } from '../config/load.js';
import { planned, withMetastoreAdmin, type MetastoreAdmin, type Rename } from '../adapters/postgres/metastore-admin.js';
import type { Action, EventLog, RunInfo, Step, StepContext } from './step.js';
import { hmsdrDatabasePrefix, previousDatabase, previousPrefix, stagingDatabase, stagingRunId } from '../names/run-names.js';
import { PreconditionError } from '../errors/errors.js';
import {
  clearSessions,
  findUnfinishedRenames,
  HIVE_RUNNING_HINT,
  hiveRunning,
  readFacts,
  unfinishedRenamesRefusal,
} from './dr-databases.js';

export interface SwapOutput extends Record<string, unknown> {
  live: string;
  previous: string | null;
  swappedAt: string;
  terminatedSessions: number;
  prunedPrevious: string[];
}

/** The renames of the swap: the live database out of the way (when there is one), the staging one in. */
export function swapRenames(live: string, runId: string, liveExists = true): Rename[] {
  const staging = { from: stagingDatabase(live, runId), to: live };
  return liveExists ? [{ from: live, to: previousDatabase(live, runId) }, staging] : [staging];
}

/** Keep the newest `keep` previous databases, never `current`. */
export async function prunePrevious(
  admin: MetastoreAdmin,
  config: ResolvedConfig,
  current: string | null,
  log: EventLog,
): Promise<string[]> {
  const all = await admin.listByPrefix(previousPrefix(config.dr.metastore.database));
  const old = all
    .filter((name) => name !== current)
    .sort()
    .reverse()
    .slice(Math.max(0, config.retention.previousDatabases - (current ? 1 : 0)));
  for (const name of old) {
    await admin.drop(name, { force: true });
    log.info('pruned-previous-database', { database: name });
  }
  return old;
}

/**
 * Staging databases other runs left behind (a failed verification keeps its staging database for
 * inspection; a rollback parks the database it took out): kept to the same count as previous ones.
 */
export async function pruneOtherStaging(admin: MetastoreAdmin, config: ResolvedConfig, runId: string, log: EventLog): Promise<string[]> {
  const db = config.dr.metastore.database;
  const all = (await admin.listByPrefix(hmsdrDatabasePrefix(db))).filter(
    (name) => stagingRunId(db, name) !== undefined && name !== stagingDatabase(db, runId),
  );
  const old = all.sort().reverse().slice(config.retention.previousDatabases);
  for (const name of old) {
    await admin.drop(name, { force: true });
    log.info('pruned-staging-database', { database: name });
  }
  return old;
}

export const swapMetastore: Step = {
  id: 'swap-metastore',
  title: 'Swap the verified staging database in as the live DR metastore (two renames in one transaction)',
  destructive: true,
  recovery:
    'The swap is two renames in one transaction: if it stopped, the live name still holds the old metastore (or already the new one, when it committed); ' +
    'resume is safe (it reads which database is which from their hmsdr comments) and also repairs a half-done swap left by an hmsdr version that renamed in two steps. ' +
    '`hmsdr rollback <run-id>` puts the previous database back.',
  plan(config: ResolvedConfig, run: RunInfo): Action[] {
    const live = config.dr.metastore.database;
    const sql = (text: string, description?: string): Action => ({
      kind: 'sql',
      target: 'dr',
      database: 'postgres',
      text,
      ...(description ? { description } : {}),
    });
    const [begin, ...renames] = planned.renameAtomically(swapRenames(live, run.id));
    return [
      sql(
        planned.listSessions(live),
        config.restore.terminateSessions ? 'sessions are terminated right before the renames' : 'any session refuses the swap',
      ),
      sql(planned.listSessions(stagingDatabase(live, run.id)), 'sessions are terminated right before the renames'),
      sql(begin!, 'both renames in one transaction: the live name always holds the old or the new metastore'),
      ...renames.map((text) => sql(text)),
      config.restore.strategy === 'drop-recreate'
        ? sql(
            planned.drop(previousDatabase(live, run.id), { force: true }),
            'restore.strategy drop-recreate: after the commit, no previous copy is kept (no rollback)',
          )
        : {
            kind: 'note',
            text: `keep the newest ${config.retention.previousDatabases} ${previousPrefix(live)}* databases, and as many staging databases other runs left`,
          },
    ];
  },
  async probe(ctx) {
    const live = ctx.config.dr.metastore.database;
    const probe = await withMetastoreAdmin(
      (db) => ctx.adapters.dr.connect(db, ctx.signal),
      async (admin) => {
        const facts = await readFacts(admin, live);
        if (facts.restoredBy?.runId === ctx.run.id) {
          const previous = previousDatabase(live, ctx.run.id);
          const prev = await readFacts(admin, previous);
          return {
            status: 'done' as const,
            reason: `${live} is already this run's restore`,
            output: {
              live,
              previous: prev.exists ? previous : null,
              swappedAt: new Date().toISOString(),
              terminatedSessions: 0,
              prunedPrevious: [],
            },
          };
        }
        const staging = await readFacts(admin, stagingDatabase(live, ctx.run.id));
        if (!staging.exists || staging.restoredBy?.runId !== ctx.run.id) {
          return {
            status: 'blocked' as const,
            reason: `the staging database ${stagingDatabase(live, ctx.run.id)} with this run's restore is missing`,
            hint: 'nothing was swapped; start a new run (hmsdr rehearse --yes / hmsdr run) to dump and restore again',
          };
        }
        if (!facts.exists) {
          const found = await findUnfinishedRenames(admin, live, ctx.run.id);
          if (found) return { status: 'blocked' as const, ...unfinishedRenamesRefusal(live, found) };
          return {
            status: 'todo' as const,
            reason: `${live} is missing: this run's swap by an older hmsdr stopped between its two renames; the swap completes it`,
          };
        }
        return { status: 'todo' as const, reason: `${live} is still the old metastore` };
      },
    );
    if (probe.status !== 'todo') return probe;
    const running = await hiveRunning(ctx);
    return running ? { status: 'blocked', reason: `${running}: a swap never runs while Hive runs`, hint: HIVE_RUNNING_HINT } : probe;
  },
  async run(ctx: StepContext): Promise<SwapOutput> {
    const { config, adapters, signal, run, log } = ctx;
    const live = config.dr.metastore.database;
    const staging = stagingDatabase(live, run.id);
    const previous = previousDatabase(live, run.id);
    return withMetastoreAdmin(
      (db) => adapters.dr.connect(db, signal),
      async (admin) => {
        const liveExists = (await readFacts(admin, live)).exists;
        if (!liveExists) {
          const found = await findUnfinishedRenames(admin, live, run.id);
          if (found) {
            const refusal = unfinishedRenamesRefusal(live, found);
            throw new PreconditionError(refusal.reason, { hint: refusal.hint });
          }
        }
        const renames = swapRenames(live, run.id, liveExists);
        // Sessions are cleared right before the transaction; one that connects in between makes
        // the rename fail (E_PG_DB_IN_USE) and the transaction roll back: nothing renamed.
        const terminated = liveExists ? await clearSessions(admin, live, config.restore.terminateSessions, log) : 0;
        await clearSessions(admin, staging, true, log);
        ctx.progress(renames.map((r) => `${r.from} → ${r.to}`).join(', '));
        await admin.renameAtomically(renames);
        for (const r of renames) log.info('renamed', { ...r });
        let previousExists = (await readFacts(admin, previous)).exists;
        if (previousExists && config.restore.strategy === 'drop-recreate') {
          // The seed procedure keeps no second database: the old one goes once its replacement,
          // verified in verify-staging, is live (committed above). No rollback is possible afterwards.
          await admin.drop(previous, { force: true });
          log.info('dropped-previous-database', { database: previous, strategy: 'drop-recreate' });
          previousExists = false;
        }
        // Retention is housekeeping: the swap is done, so a database that cannot be pruned is a warning.
        const pruned: string[] = [];
        const warnings: string[] = [];
        for (const prune of [
          () => prunePrevious(admin, config, previousExists ? previous : null, log),
          () => pruneOtherStaging(admin, config, run.id, log),
        ]) {
          try {
            pruned.push(...(await prune()));
          } catch (error) {
            warnings.push(`retention: ${(error as Error).message}`);
            log.warn('retention-failed', { error: (error as Error).message });
          }
        }
        return {
          live,
          previous: previousExists ? previous : null,
          swappedAt: new Date().toISOString(),
          terminatedSessions: terminated,
          prunedPrevious: pruned,
          warnings,
          strategy: config.restore.strategy,
        };
      },
    );
  },
};
