// Reads VERSION.SCHEMA_VERSION and maps it to the schema family hmsdr knows how to query.
import { AdapterError } from '../../errors/errors.js';
import { ExitCode } from '../../errors/exit-codes.js';
import type { SqlRunner } from './query-pool.js';

/** Schema families whose table/column sets hmsdr knows (txn tables lower-case before 4.x). */
export type SchemaFamily = '2' | '3' | '4';

export interface SchemaVersion {
  /** As stored, e.g. `3.1.0` or `3.1.3000`. */
  version: string;
  comment: string;
  family: SchemaFamily;
}

const KNOWN = /^(2\.[0-3]\.\d+|3\.[0-2]\.\d+|4\.\d+\.\d+(-(alpha|beta)-\d+)?)$/;

/** The family of a VERSION string, or undefined for a version hmsdr does not know. */
export function schemaFamily(version: string): SchemaFamily | undefined {
  if (!KNOWN.test(version)) return undefined;
  return version[0] as SchemaFamily;
}

/** Read VERSION; throws E_NOT_A_METASTORE (no VERSION table/row) or E_SCHEMA_VERSION_UNKNOWN (exit 4). */
export async function readSchemaVersion(client: SqlRunner, where: string): Promise<SchemaVersion> {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('"VERSION"')::text AS t`);
  if (!exists.rows[0]?.t) {
    throw new AdapterError('E_NOT_A_METASTORE', `${where} is not a Hive metastore: it has no "VERSION" table`, {
      exitCode: ExitCode.PRECONDITION,
      hint: 'check metastore.database (and that the metastore tables are in the search_path, usually schema public)',
    });
  }
  const { rows } = await client.query<{ v: string; c: string }>(
    `SELECT "SCHEMA_VERSION" AS v, "VERSION_COMMENT" AS c FROM "VERSION" WHERE "VER_ID" = 1`,
  );
  const row = rows[0];
  if (!row) {
    throw new AdapterError('E_NOT_A_METASTORE', `${where} is not an initialised Hive metastore: "VERSION" has no row with VER_ID 1`, {
      exitCode: ExitCode.PRECONDITION,
      hint: 'initialise it with `schematool -initSchema`, or point the config at the right database',
    });
  }
  const family = schemaFamily(row.v);
  if (!family) {
    throw new AdapterError('E_SCHEMA_VERSION_UNKNOWN', `${where} has Hive schema version "${row.v}", which hmsdr does not know`, {
      exitCode: ExitCode.PRECONDITION,
      hint: 'hmsdr supports 2.0–2.3, 3.0–3.2 (incl. vendor 3.1.x000) and 4.x; upgrade hmsdr or report the version',
    });
  }
  return { version: row.v, comment: row.c, family };
}
