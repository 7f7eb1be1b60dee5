// The staging database's life on the DR server: created empty for one run (a leftover of an earlier
// attempt of the same run is ours to drop: its name carries the run id), marked with the comment
// that proves what it holds, dropped again when filling it failed.
import { createDatabase, dropDatabase } from '../adapters/postgres/admin.js';
import { quoteIdent, quoteLiteral } from '../adapters/postgres/sql-text.js';
import type { SitePort } from '../adapters/site.js';
import type { MetastoreConfig } from '../config/schema.js';
import type { EventLog } from '../runbook/step.js';
import { withAdmin } from './database-state.js';
import { restoredComment } from './names.js';

/** Role that owns the restored database and objects (default: the login user). */
export const stagingOwner = (metastore: MetastoreConfig): string => metastore.owner ?? metastore.user;

export async function recreateStagingDatabase(dr: SitePort, database: string, signal?: AbortSignal): Promise<void> {
  await withAdmin(
    (db) => dr.connect(db, signal),
    async (admin) => {
      await dropDatabase(admin, database, { force: true });
      await createDatabase(admin, database, { owner: stagingOwner(dr.metastore) });
    },
  );
}

/** The comment restore-staging's probe and the swap read: this run, this content. */
export async function markRestored(dr: SitePort, database: string, runId: string, sha256: string, signal?: AbortSignal): Promise<void> {
  await withAdmin(
    (db) => dr.connect(db, signal),
    (admin) => admin.query(`COMMENT ON DATABASE ${quoteIdent(database)} IS ${quoteLiteral(restoredComment(runId, sha256))}`),
  );
}

/** How long a drop after a failure keeps retrying while the cut-off workers' backends are still exiting. */
const DROP_ATTEMPTS = 6;
const DROP_RETRY_MS = 2_000;

/**
 * After a failure: drop it (never throws; the failure to drop is logged, resume drops it anyway).
 * DROP … WITH (FORCE) waits only 5 s for the sessions it terminates; a backend busy in a large
 * COPY or index build on a loaded server can take longer to exit, so "in use" is retried.
 */
export async function dropStagingAfterFailure(
  dr: Pick<SitePort, 'connect'>,
  database: string,
  log: EventLog,
  retry: { attempts?: number; delayMs?: number } = {},
): Promise<void> {
  const attempts = retry.attempts ?? DROP_ATTEMPTS;
  for (let attempt = 1; ; attempt += 1) {
    try {
      // Not bound to the run's abort signal: after Ctrl-C the half-filled database must still go.
      await withAdmin(
        (db) => dr.connect(db),
        (admin) => dropDatabase(admin, database, { force: true }),
      );
      log.warn('staging-dropped', { database, ...(attempt > 1 ? { attempts: attempt } : {}) });
      return;
    } catch (dropError) {
      if ((dropError as { code?: string }).code === 'E_PG_DB_IN_USE' && attempt < attempts) {
        await new Promise((resolve) => setTimeout(resolve, retry.delayMs ?? DROP_RETRY_MS));
        continue;
      }
      log.error('staging-drop-failed', { database, error: String(dropError) });
      return;
    }
  }
}
