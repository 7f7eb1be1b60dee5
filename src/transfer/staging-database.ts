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

/** After a failure: drop it (never throws; the failure to drop is logged, resume drops it anyway). */
export async function dropStagingAfterFailure(dr: SitePort, database: string, log: EventLog): Promise<void> {
  // Not bound to the run's abort signal: after Ctrl-C the half-filled database must still go.
  await withAdmin(
    (db) => dr.connect(db),
    (admin) => dropDatabase(admin, database, { force: true }),
  ).then(
    () => log.warn('staging-dropped', { database }),
    (dropError: unknown) => log.error('staging-drop-failed', { database, error: String(dropError) }),
  );
}
