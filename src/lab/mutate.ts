// Changes to a lab's source between rehearsals, made the way Hive would make them: SQL against the
// source metastore (as its superuser) and the matching files in the HDFS stand-in tree. For the
// incremental-run tests: new partitions, a dropped table, a renamed directory, modified files.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import pg from 'pg';
import { quoteIdent } from '../adapters/postgres/sql-text.js';
import { dataFileContent, DATA_FILE, localPathOf } from './lab-hdfs.js';
import { readLabState, type LabState } from './lab-state.js';

export interface Lab {
  readonly dir: string;
  readonly state: LabState & Required<Pick<LabState, 'source' | 'dr' | 'hdfs'>>;
}

/** The lab `hmsdr lab up` created in `dir`. */
export function openLab(dir: string): Lab {
  const state = readLabState(dir);
  if (state?.status !== 'up' || !state.source || !state.dr || !state.hdfs)
    throw new Error(`no complete lab in ${dir} (run hmsdr lab up --dir ${dir})`);
  return { dir: state.dir, state: state as Lab['state'] };
}

/** A superuser connection to a database of the lab's source or DR server; the caller ends it. */
export async function labClient(lab: Lab, side: 'source' | 'dr', database = 'hive'): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${lab.state[side].port}/${database}` });
  await client.connect();
  return client;
}

async function withSource<T>(lab: Lab, fn: (client: pg.Client) => Promise<T>, side: 'source' | 'dr' = 'source'): Promise<T> {
  const client = await labClient(lab, side);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

const local = (lab: Lab, uri: string, side: 'source' | 'dr' = 'source'): string => {
  const path = localPathOf(lab.state.hdfs.root, lab.state[side].nameNode, uri);
  if (!path) throw new Error(`${uri} is not on the ${side} cluster ${lab.state[side].nameNode}`);
  return path;
};

/** Copy one row of `table` with some columns replaced (whatever columns this schema version has). */
async function copyRow(
  client: pg.Client,
  table: string,
  where: string,
  whereParams: unknown[],
  changes: Record<string, unknown>,
): Promise<void> {
  const t = quoteIdent(table);
  const offset = whereParams.length;
  await client.query(
    `INSERT INTO ${t} SELECT (jsonb_populate_record(NULL::${t}, to_jsonb(x) || $${offset + 1}::jsonb)).* FROM ${t} x WHERE ${where}`,
    [...whereParams, JSON.stringify(changes)],
  );
}

async function nextId(client: pg.Client, table: string, column: string): Promise<number> {
  const { rows } = await client.query<{ m: string }>(`SELECT coalesce(max(${quoteIdent(column)}), 0) AS m FROM ${quoteIdent(table)}`);
  return Number(rows[0]?.m ?? 0) + 1;
}

async function bumpSequences(client: pg.Client): Promise<void> {
  const model = 'org.apache.hadoop.hive.metastore.model.';
  for (const [name, table, column] of [
    ['MPartition', 'PARTITIONS', 'PART_ID'],
    ['MStorageDescriptor', 'SDS', 'SD_ID'],
    ['MSerDeInfo', 'SERDES', 'SERDE_ID'],
  ] as const) {
    await client.query(
      `UPDATE "SEQUENCE_TABLE" SET "NEXT_VAL" = greatest("NEXT_VAL", (SELECT coalesce(max(${quoteIdent(column)}), 0) + 1 FROM ${quoteIdent(table)})) WHERE "SEQUENCE_NAME" = $1`,
      [model + name],
    );
  }
}

export interface TableRef {
  database: string;
  table: string;
}

export interface AddPartitionsResult {
  table: TableRef;
  /** Location URIs of the new partitions (each holds one data file). */
  locations: string[];
}

/**
 * Add `count` partitions to a partitioned table (default: the first one that has partitions),
 * like `ALTER TABLE … ADD PARTITION` followed by an insert: metastore rows copied from the table's
 * newest partition with the next dates, and a data file in each new directory. On the source by
 * default; `side: 'dr'` plays Hive writing on DR after a failover.
 */
export async function addPartitions(
  lab: Lab,
  options: { count: number; table?: TableRef; side?: 'source' | 'dr' },
): Promise<AddPartitionsResult> {
  const side = options.side ?? 'source';
  return withSource(
    lab,
    async (client) => {
      const { rows: tables } = await client.query<{ tbl_id: string; db: string; name: string; location: string }>(
        `SELECT t."TBL_ID" AS tbl_id, d."NAME" AS db, t."TBL_NAME" AS name, s."LOCATION" AS location
         FROM "TBLS" t JOIN "DBS" d ON d."DB_ID" = t."DB_ID" JOIN "SDS" s ON s."SD_ID" = t."SD_ID"
        WHERE EXISTS (SELECT 1 FROM "PARTITIONS" p WHERE p."TBL_ID" = t."TBL_ID")
          AND ($1::text IS NULL OR (d."NAME" = $1 AND t."TBL_NAME" = $2))
        ORDER BY d."NAME", t."TBL_NAME" LIMIT 1`,
        [options.table?.database ?? null, options.table?.table ?? null],
      );
      const table = tables[0];
      if (!table)
        throw new Error(
          options.table
            ? `${options.table.database}.${options.table.table} has no partitions`
            : 'the source metastore has no partitioned table with partitions',
        );
      const { rows: keys } = await client.query<{ name: string }>(
        `SELECT "PKEY_NAME" AS name FROM "PARTITION_KEYS" WHERE "TBL_ID" = $1 ORDER BY "INTEGER_IDX"`,
        [table.tbl_id],
      );
      const { rows: templates } = await client.query<{ part_id: string; sd_id: string; serde_id: string }>(
        `SELECT p."PART_ID" AS part_id, p."SD_ID" AS sd_id, s."SERDE_ID" AS serde_id FROM "PARTITIONS" p JOIN "SDS" s ON s."SD_ID" = p."SD_ID"
        WHERE p."TBL_ID" = $1 ORDER BY p."PART_ID" DESC LIMIT 1`,
        [table.tbl_id],
      );
      const template = templates[0]!;
      const { rows: vals } = await client.query<{ v: string }>(
        `SELECT "PART_KEY_VAL" AS v FROM "PARTITION_KEY_VALS" WHERE "PART_ID" = $1 ORDER BY "INTEGER_IDX"`,
        [template.part_id],
      );
      const { rows: maxFirst } = await client.query<{ v: string }>(
        `SELECT max(v."PART_KEY_VAL") AS v FROM "PARTITION_KEY_VALS" v JOIN "PARTITIONS" p ON p."PART_ID" = v."PART_ID" WHERE p."TBL_ID" = $1 AND v."INTEGER_IDX" = 0`,
        [table.tbl_id],
      );
      const last = maxFirst[0]?.v ?? '2020-01-01';
      const lastDate = /^\d{4}-\d\d-\d\d$/.test(last) ? new Date(`${last}T00:00:00Z`) : new Date('2030-01-01T00:00:00Z');
      let partId = await nextId(client, 'PARTITIONS', 'PART_ID');
      let sdId = await nextId(client, 'SDS', 'SD_ID');
      let serdeId = await nextId(client, 'SERDES', 'SERDE_ID');
      const now = Math.floor(Date.now() / 1000);
      const locations: string[] = [];
      for (let i = 1; i <= options.count; i++) {
        const first = new Date(lastDate.getTime() + i * 86_400_000).toISOString().slice(0, 10);
        const values = [first, ...vals.slice(1).map((v) => v.v)];
        const name = keys.map((k, n) => `${k.name}=${values[n] ?? ''}`).join('/');
        const location = `${table.location.replace(/\/+$/, '')}/${name}`;
        await copyRow(client, 'SERDES', '"SERDE_ID" = $1', [template.serde_id], { SERDE_ID: serdeId });
        await copyRow(client, 'SERDE_PARAMS', '"SERDE_ID" = $1', [template.serde_id], { SERDE_ID: serdeId });
        await copyRow(client, 'SDS', '"SD_ID" = $1', [template.sd_id], { SD_ID: sdId, SERDE_ID: serdeId, LOCATION: location });
        await copyRow(client, 'SD_PARAMS', '"SD_ID" = $1', [template.sd_id], { SD_ID: sdId });
        await copyRow(client, 'PARTITIONS', '"PART_ID" = $1', [template.part_id], {
          PART_ID: partId,
          PART_NAME: name,
          SD_ID: sdId,
          CREATE_TIME: now,
          LAST_ACCESS_TIME: 0,
        });
        for (let n = 0; n < values.length; n++) {
          await client.query(`INSERT INTO "PARTITION_KEY_VALS" ("PART_ID", "PART_KEY_VAL", "INTEGER_IDX") VALUES ($1, $2, $3)`, [
            partId,
            values[n],
            n,
          ]);
        }
        await copyRow(client, 'PARTITION_PARAMS', '"PART_ID" = $1', [template.part_id], { PART_ID: partId });
        const dir = local(lab, location, side);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, DATA_FILE), dataFileContent(`${location}/${DATA_FILE}`));
        locations.push(location);
        partId++;
        sdId++;
        serdeId++;
      }
      await bumpSequences(client);
      return { table: { database: table.db, table: table.name }, locations };
    },
    side,
  );
}

interface ForeignKey {
  child: string;
  parent: string;
  childColumn: string;
  parentColumn: string;
}

async function foreignKeys(client: pg.Client): Promise<ForeignKey[]> {
  const { rows } = await client.query<{ child: string; parent: string; child_col: string; parent_col: string }>(
    `SELECT cr.relname AS child, pr.relname AS parent, ca.attname AS child_col, pa.attname AS parent_col
       FROM pg_constraint c
       JOIN pg_class cr ON cr.oid = c.conrelid JOIN pg_class pr ON pr.oid = c.confrelid
       JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = c.conkey[1]
       JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
      WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace AND array_length(c.conkey, 1) = 1`,
  );
  return rows.map((r) => ({ child: r.child, parent: r.parent, childColumn: r.child_col, parentColumn: r.parent_col }));
}

/** DELETE rows of `table` matching `where`, children first (following every foreign key). */
async function deleteCascade(client: pg.Client, fks: readonly ForeignKey[], table: string, where: string, depth = 0): Promise<number> {
  if (depth > 8) throw new Error(`foreign keys nest too deep below ${table}`);
  for (const fk of fks) {
    if (fk.parent !== table || fk.child === table) continue;
    await deleteCascade(
      client,
      fks,
      fk.child,
      `${quoteIdent(fk.childColumn)} IN (SELECT ${quoteIdent(fk.parentColumn)} FROM ${quoteIdent(table)} WHERE ${where})`,
      depth + 1,
    );
  }
  const result = await client.query(`DELETE FROM ${quoteIdent(table)} WHERE ${where}`);
  return result.rowCount ?? 0;
}

export interface DropTableResult {
  location: string | undefined;
  partitions: number;
  /** Whether the data directory was deleted (managed tables, like Hive's DROP TABLE). */
  dataDeleted: boolean;
}

/** `DROP TABLE db.table`: every metastore row of the table and its partitions; a managed table's data too. */
export async function dropTable(lab: Lab, ref: TableRef, options: { deleteData?: boolean } = {}): Promise<DropTableResult> {
  return withSource(lab, async (client) => {
    const { rows } = await client.query<{ tbl_id: string; type: string; location: string | null }>(
      `SELECT t."TBL_ID" AS tbl_id, t."TBL_TYPE" AS type, s."LOCATION" AS location FROM "TBLS" t JOIN "DBS" d ON d."DB_ID" = t."DB_ID"
         LEFT JOIN "SDS" s ON s."SD_ID" = t."SD_ID" WHERE d."NAME" = $1 AND t."TBL_NAME" = $2`,
      [ref.database, ref.table],
    );
    const table = rows[0];
    if (!table) throw new Error(`no table ${ref.database}.${ref.table} in the source metastore`);
    const id = Number(table.tbl_id);
    const { rows: sds } = await client.query<{ sd: string; serde: string | null }>(
      `SELECT s."SD_ID" AS sd, s."SERDE_ID" AS serde FROM "SDS" s
        WHERE s."SD_ID" IN (SELECT "SD_ID" FROM "TBLS" WHERE "TBL_ID" = $1 UNION SELECT "SD_ID" FROM "PARTITIONS" WHERE "TBL_ID" = $1)`,
      [id],
    );
    const { rows: parts } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "PARTITIONS" WHERE "TBL_ID" = $1`, [id]);
    const fks = await foreignKeys(client);
    await deleteCascade(client, fks, 'TBLS', `"TBL_ID" = ${id}`);
    const sdIds = sds.map((s) => Number(s.sd));
    const serdeIds = sds
      .map((s) => s.serde)
      .filter((s): s is string => s !== null)
      .map(Number);
    if (sdIds.length > 0) await deleteCascade(client, fks, 'SDS', `"SD_ID" IN (${sdIds.join(',')})`);
    if (serdeIds.length > 0) await deleteCascade(client, fks, 'SERDES', `"SERDE_ID" IN (${serdeIds.join(',')})`);
    const deleteData = options.deleteData ?? table.type === 'MANAGED_TABLE';
    if (deleteData && table.location) rmSync(local(lab, table.location), { recursive: true, force: true });
    return {
      location: table.location ?? undefined,
      partitions: Number(parts[0]?.n ?? 0),
      dataDeleted: deleteData && table.location !== null,
    };
  });
}

/**
 * `hdfs dfs -mv from to` on the source, and (by default) every metastore location at or below
 * `from` moved along (like ALTER TABLE … SET LOCATION for each table / partition).
 */
export async function renameDirectory(
  lab: Lab,
  fromUri: string,
  toUri: string,
  options: { updateMetastore?: boolean } = {},
): Promise<{ locationsUpdated: number }> {
  const from = fromUri.replace(/\/+$/, '');
  const to = toUri.replace(/\/+$/, '');
  const src = local(lab, from);
  const dst = local(lab, to);
  if (!existsSync(src)) throw new Error(`${from} does not exist on the source`);
  if (existsSync(dst)) throw new Error(`${to} already exists on the source`);
  if (options.updateMetastore === false) {
    mkdirSync(dirname(dst), { recursive: true });
    renameSync(src, dst);
    return { locationsUpdated: 0 };
  }
  return withSource(lab, async (client) => {
    let updated = 0;
    const move = async (table: string, column: string): Promise<void> => {
      const c = quoteIdent(column);
      const result = await client.query(
        `UPDATE ${quoteIdent(table)} SET ${c} = $2 || substr(${c}, length($1) + 1) WHERE ${c} = $1 OR ${c} LIKE $3`,
        [from, to, `${from.replace(/[\\%_]/g, '\\$&')}/%`],
      );
      updated += result.rowCount ?? 0;
    };
    await move('SDS', 'LOCATION');
    await move('SKEWED_COL_VALUE_LOC_MAP', 'LOCATION');
    await move('DBS', 'DB_LOCATION_URI');
    const { rows } = await client.query(
      `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'DBS' AND column_name = 'DB_MANAGED_LOCATION_URI'`,
    );
    if (rows.length > 0) await move('DBS', 'DB_MANAGED_LOCATION_URI');
    mkdirSync(dirname(dst), { recursive: true });
    renameSync(src, dst);
    return { locationsUpdated: updated };
  });
}

/** Every file under the source data paths, as `hdfs://` URIs, sorted. */
export function sourceDataFiles(lab: Lab): string[] {
  const root = join(lab.state.hdfs.root, lab.state.source.nameNode.replace(/^[a-z]+:\/\//, ''));
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(`${lab.state.source.nameNode}/${relative(root, path)}`);
    }
  };
  for (const dataPath of lab.state.hdfs.dataPaths) {
    const dir = join(root, dataPath);
    if (existsSync(dir)) walk(dir);
  }
  return out.sort();
}

/**
 * Rewrite files on the source with new content (another size, a later mtime), like a job that
 * overwrote them. Default: the first `count` (5) data files; or exactly `uris`.
 */
export function modifyFiles(lab: Lab, options: { count?: number; uris?: readonly string[] } = {}): string[] {
  const uris = options.uris ? [...options.uris] : sourceDataFiles(lab).slice(0, options.count ?? 5);
  const later = new Date(Date.now() + 1000);
  for (const uri of uris) {
    const path = local(lab, uri);
    const generation = existsSync(path) ? Math.round(statSync(path).mtimeMs) : 1;
    writeFileSync(path, dataFileContent(uri, generation));
    utimesSync(path, later, later);
  }
  return uris;
}
