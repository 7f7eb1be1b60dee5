// Every location a metastore points at (databases, tables, partitions, skewed values): what L4
// checks on the DR file system and what the lab creates data for.
import type { PgClient } from '../../adapters/postgres/connection.js';

/** Every location the metastore holds (databases, tables, partitions, skewed dirs), distinct and sorted. */
export async function listLocations(client: PgClient): Promise<string[]> {
  const { rows: managed } = await client.query<{ t: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'DBS' AND column_name = 'DB_MANAGED_LOCATION_URI') AS t`,
  );
  const extra = managed[0]?.t ? `UNION SELECT "DB_MANAGED_LOCATION_URI" FROM "DBS" WHERE "DB_MANAGED_LOCATION_URI" IS NOT NULL` : '';
  const { rows } = await client.query<{ l: string }>(
    `SELECT "DB_LOCATION_URI" AS l FROM "DBS" ${extra}
     UNION SELECT "LOCATION" FROM "SDS" WHERE "LOCATION" IS NOT NULL
     UNION SELECT "LOCATION" FROM "SKEWED_COL_VALUE_LOC_MAP" WHERE "LOCATION" IS NOT NULL ORDER BY 1`,
  );
  return rows.map((r) => r.l);
}
