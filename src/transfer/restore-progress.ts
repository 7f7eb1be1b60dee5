// Progress of a restore psql runs on the DR side, read from the DR server itself: PostgreSQL's
// pg_stat_progress_copy (14 and later) shows the table being loaded, its rows and bytes so far.
// Best effort: a server without the view, or a failed poll, just stops the reports.
import type { PgClient } from '../adapters/postgres/connection.js';
import type { SitePort } from '../adapters/site.js';
import { formatBytes } from '../util/format.js';

const POLL_MS = 2000;

interface CopyRow {
  table: string;
  bytes: string;
  tuples: string;
}

/** Poll every 2 s until `done` settles; report the COPY in progress in `database`. */
export async function watchRestore(dr: SitePort, database: string, done: Promise<unknown>, report: (text: string) => void): Promise<void> {
  let client: PgClient | undefined;
  let finished = false;
  const settled = done.then(
    () => undefined,
    () => undefined,
  );
  void settled.then(() => (finished = true));
  try {
    client = await dr.connect('postgres');
    while (!finished) {
      const { rows } = await client.query<CopyRow>(
        `SELECT relid::regclass::text AS table, bytes_processed::text AS bytes, tuples_processed::text AS tuples
           FROM pg_stat_progress_copy WHERE datname = $1`,
        [database],
      );
      for (const r of rows)
        report(
          `psql restoring ${database}: COPY ${r.table}: ${Number(r.tuples).toLocaleString('en-US')} rows, ${formatBytes(Number(r.bytes))}`,
        );
      await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, POLL_MS).unref())]);
    }
  } catch {
    // Progress is a courtesy: the restore's own result decides the step.
  } finally {
    await client?.end().catch(() => undefined);
  }
}
