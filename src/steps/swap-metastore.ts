// Step 8: make the verified staging database the live DR metastore: rename the live database to
// <db>_hmsdr_prev_<run-id>, then the staging database to <db>. Rollback is the reverse rename.
import type { ResolvedConfig } from '../config/load.js';
import { dropDatabase, listDatabasesByPrefix, listSessions, renameDatabase, terminateSessions, type PgSession } from '../adapters/postgres/admin.js';
import type { PgClient } from '../adapters/postgres/connection.js';
import { quoteIdent } from '../adapters/postgres/sql-text.js';
import { PreconditionError } from '../errors/errors.js';
import type { Action, EventLog, RunInfo, Step, StepContext } from './step.js';
import { getDatabaseFacts, withAdmin } from '../transfer/database-state.js';
import { previousDatabase, previousPrefix, stagingDatabase } from '../transfer/names.js';

export interface SwapOutput extends Record<string, unknown> {
  live: string;
  previous: string | null;
  swappedAt: string;
  terminatedSessions: number;
  prunedPrevious: string[];
}

export const describeSessionLine = (s: PgSession): string =>
  `pid ${s.pid} user ${s.user ?? '?'} application_name '${s.applicationName}' from ${s.clientAddr ?? 'local socket'}${s.state ? ` (${s.state})` : ''}`;

/** Refuse (or, when configured, terminate) sessions on `database` before renaming it. */
export async function clearSessions(admin: PgClient, database: string, config: ResolvedConfig, log: EventLog): Promise<number> {
  const sessions = await listSessions(admin, database);
  if (sessions.length === 0) return 0;
  if (!config.restore.terminateSessions) {
    throw new PreconditionError(`${sessions.length} session(s) still connected to ${database}:\n${sessions.map((s) => `    ${describeSessionLine(s)}`).join('\n')}`, {
      hint: 'stop those clients (a Hive component still running? Ranger/Atlas hooks? Impala catalogd?), or set restore.terminateSessions: true',
    });
  }
  log.warn('terminating-sessions', { database, sessions });
  return terminateSessions(admin, database);
}

/** Keep the newest `keep` previous databases, never `current`. */
export async function prunePrevious(admin: PgClient, config: ResolvedConfig, current: string | null, log: EventLog): Promise<string[]> {
  const all = await listDatabasesByPrefix(admin, previousPrefix(config.dr.metastore.database));
  const old = all.filter((name) => name !== current).sort().reverse().slice(Math.max(0, config.retention.previousDatabases - (current ? 1 : 0)));
  for (const name of old) {
    await dropDatabase(admin, name, { force: true });
    log.info('pruned-previous-database', { database: name });
  }
  return old;
}

/**
 * Staging databases other runs left behind (a failed verification keeps its staging database for
 * inspection; a rollback parks the database it took out): kept to the same count as previous ones.
 */
export async function pruneOtherStaging(admin: PgClient, config: ResolvedConfig, runId: string, log: EventLog): Promise<string[]> {
  const pattern = new RegExp(`^${config.dr.metastore.database}_hmsdr_\\d{8}t\\d{6}$`);
  const all = (await listDatabasesByPrefix(admin, `${config.dr.metastore.database}_hmsdr_`)).filter((name) => pattern.test(name) && name !== stagingDatabase(config.dr.metastore.database, runId));
  const old = all.sort().reverse().slice(config.retention.previousDatabases);
  for (const name of old) {
    await dropDatabase(admin, name, { force: true });
    log.info('pruned-staging-database', { database: name });
  }
  return old;
}

export const swapMetastore: Step = {
  id: 'swap-metastore',
  title: 'Swap the verified staging database in as the live DR metastore (two renames)',
  destructive: true,
  recovery:
    'The swap is two renames. If it stopped between them, the live name is missing until resume performs the second rename ' +
    '(resume is safe: it reads which database is which from their hmsdr comments). `hmsdr rollback <run-id>` puts the previous database back.',
  plan(config: ResolvedConfig, run: RunInfo): Action[] {
    const live = config.dr.metastore.database;
    return [
      { kind: 'sql', target: 'dr', database: 'postgres', text: `SELECT pid, usename, application_name FROM pg_stat_activity WHERE datname = '${live}'`, description: config.restore.terminateSessions ? 'sessions are terminated' : 'any session refuses the swap' },
      { kind: 'sql', target: 'dr', database: 'postgres', text: `ALTER DATABASE ${quoteIdent(live)} RENAME TO ${quoteIdent(previousDatabase(live, run.id))}` },
      { kind: 'sql', target: 'dr', database: 'postgres', text: `ALTER DATABASE ${quoteIdent(stagingDatabase(live, run.id))} RENAME TO ${quoteIdent(live)}` },
      config.restore.strategy === 'drop-recreate'
        ? { kind: 'sql', target: 'dr', database: 'postgres', text: `DROP DATABASE ${quoteIdent(previousDatabase(live, run.id))} WITH (FORCE)`, description: 'restore.strategy drop-recreate: no previous copy is kept (no rollback)' }
        : { kind: 'note', text: `keep the newest ${config.retention.previousDatabases} ${previousPrefix(live)}* databases, and as many staging databases other runs left` },
    ];
  },
  async probe(ctx) {
    const live = ctx.config.dr.metastore.database;
    return withAdmin((db) => ctx.adapters.dr.connect(db, ctx.signal), async (admin) => {
      const facts = await getDatabaseFacts(admin, live);
      if (facts.restoredBy?.runId === ctx.run.id) {
        const previous = previousDatabase(live, ctx.run.id);
        const prev = await getDatabaseFacts(admin, previous);
        return { status: 'done' as const, reason: `${live} is already this run's restore`, output: { live, previous: prev.exists ? previous : null, swappedAt: new Date().toISOString(), terminatedSessions: 0, prunedPrevious: [] } };
      }
      const staging = await getDatabaseFacts(admin, stagingDatabase(live, ctx.run.id));
      if (!staging.exists || staging.restoredBy?.runId !== ctx.run.id) {
        return { status: 'blocked' as const, reason: `the staging database ${stagingDatabase(live, ctx.run.id)} with this run's restore is missing`, hint: 'nothing was swapped; start a new run (hmsdr rehearse --yes / hmsdr run) to dump and restore again' };
      }
      return { status: 'todo' as const, reason: facts.exists ? `${live} is still the old metastore` : `${live} is missing: the swap stopped between its two renames` };
    });
  },
  async run(ctx: StepContext): Promise<SwapOutput> {
    const { config, adapters, signal, run, log } = ctx;
    const live = config.dr.metastore.database;
    const staging = stagingDatabase(live, run.id);
    const previous = previousDatabase(live, run.id);
    return withAdmin((db) => adapters.dr.connect(db, signal), async (admin) => {
      let terminated = 0;
      const liveFacts = await getDatabaseFacts(admin, live);
      if (liveFacts.exists) {
        terminated = await clearSessions(admin, live, config, log);
        ctx.progress(`renaming ${live} → ${previous}`);
        await renameDatabase(admin, live, previous);
        log.info('renamed', { from: live, to: previous });
      }
      ctx.progress(`renaming ${staging} → ${live}`);
      await clearSessions(admin, staging, { ...config, restore: { ...config.restore, terminateSessions: true } }, log);
      await renameDatabase(admin, staging, live);
      log.info('renamed', { from: staging, to: live });
      let previousExists = (await getDatabaseFacts(admin, previous)).exists;
      if (previousExists && config.restore.strategy === 'drop-recreate') {
        // The seed procedure keeps no second database: the old one goes once its replacement,
        // verified in verify-staging, is live. No rollback is possible afterwards.
        await dropDatabase(admin, previous, { force: true });
        log.info('dropped-previous-database', { database: previous, strategy: 'drop-recreate' });
        previousExists = false;
      }
      // Retention is housekeeping: the swap is done, so a database that cannot be pruned is a warning.
      const pruned: string[] = [];
      const warnings: string[] = [];
      for (const prune of [() => prunePrevious(admin, config, previousExists ? previous : null, log), () => pruneOtherStaging(admin, config, run.id, log)]) {
        try {
          pruned.push(...(await prune()));
        } catch (error) {
          warnings.push(`retention: ${(error as Error).message}`);
          log.warn('retention-failed', { error: (error as Error).message });
        }
      }
      return { live, previous: previousExists ? previous : null, swappedAt: new Date().toISOString(), terminatedSessions: terminated, prunedPrevious: pruned, warnings, strategy: config.restore.strategy };
    });
  },
};
