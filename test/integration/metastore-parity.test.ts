// Acceptance for L3 parity on a real PostgreSQL, per lab Hive version: generate, inspect, copy with
// the real pg_dump | psql commands, parity holds; then three injected faults are named exactly.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localExecutor } from '../../src/adapters/executor.js';
import { pgDumpCommand, psqlRestoreCommand } from '../../src/adapters/postgres/commands.js';
import { metastoreSchema } from '../../src/config/schema.js';
import { labMetastoreDdl } from '../../src/lab/metastore/ddl.js';
import { generateMetastore } from '../../src/lab/metastore/generate.js';
import { listLocations } from '../../src/verify/metastore/locations.js';
import { LAB_HIVE_VERSIONS } from '../../src/lab/metastore/versions.js';
import { inspectMetastore } from '../../src/verify/metastore/inspect.js';
import { metastoreSection } from '../../src/verify/manifest/collect.js';
import { openQueryPool } from '../../src/adapters/postgres/query-pool.js';
import { compareMetastores, compareWithStreamCounts } from '../../src/verify/metastore/parity.js';
import { startTestPg, type PgCluster } from '../harness/postgres.js';

const AUTHORITY = 'hdfs://nn1.prod:8020';
const OLD = 'hdfs://old-nn:8020';
let cluster: PgCluster;

/** What the manifest's partition-name digests mean, computed here from the rows: per `db.table`, sha256 of its names sorted byte-wise, one per line. */
async function partitionDigestsInNode(db: string): Promise<Record<string, string>> {
  const { rows } = await withDb(db, (c) =>
    c.query<{ key: string; name: string }>(
      `SELECT d."NAME" || '.' || t."TBL_NAME" AS key, p."PART_NAME" AS name FROM "PARTITIONS" p JOIN "TBLS" t ON t."TBL_ID" = p."TBL_ID" JOIN "DBS" d ON d."DB_ID" = t."DB_ID"`,
    ),
  );
  const names = new Map<string, string[]>();
  for (const r of rows)
    names
      .set(r.key, names.get(r.key) ?? [])
      .get(r.key)!
      .push(r.name);
  return Object.fromEntries(
    [...names].map(([key, list]) => [
      key,
      createHash('sha256')
        .update(list.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))).join('\n'))
        .digest('hex'),
    ]),
  );
}
const work = mkdtempSync(join(tmpdir(), 'hmsdr-parity-'));

async function withDb<T>(db: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: cluster.url(db) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  cluster = await startTestPg('parity');
  // The DR role restores into a database it owns; it is not a superuser and does not own the source.
  await withDb('postgres', (c) => c.query(`CREATE ROLE hive_dr LOGIN PASSWORD 'dr-pass-123'`));
});
afterAll(() => {
  cluster?.destroy();
  rmSync(work, { recursive: true, force: true });
});

describe.each(LAB_HIVE_VERSIONS)('metastore parity, Hive %s', (version) => {
  const src = `src_${version.replaceAll('.', '')}`;
  const copy = `copy_${version.replaceAll('.', '')}`;

  it('generates, copies with pg_dump | psql, passes parity, then names three injected faults', async () => {
    await withDb('postgres', async (c) => {
      await c.query(`CREATE DATABASE ${src}`);
      await c.query(`CREATE DATABASE ${copy} OWNER hive_dr`);
    });
    const generated = await withDb(src, async (c) => {
      await c.query(labMetastoreDdl(version));
      return generateMetastore(c, { databases: 2, tablesPerDatabase: 12, partitions: 2000, authority: AUTHORITY, now: 1_700_000_000 });
    });
    expect(generated).toMatchObject({ schemaVersion: version, databases: 2, tables: 24, partitions: 2000 });
    const locations = await withDb(src, (c) => listLocations(c));
    expect(locations.length).toBeGreaterThan(2000);
    expect(locations.every((l) => l.startsWith(`${AUTHORITY}/`))).toBe(true);

    const metastore = metastoreSchema.parse({
      host: cluster.host,
      port: cluster.port,
      database: src,
      user: 'postgres',
      binDir: cluster.binDir,
    });
    const dump = await localExecutor.run(pgDumpCommand(metastore));
    const file = join(work, `${src}.sql`);
    writeFileSync(file, dump.stdout);
    const dr = metastoreSchema.parse({ host: cluster.host, port: cluster.port, database: copy, user: 'hive_dr', binDir: cluster.binDir });
    await localExecutor.run(psqlRestoreCommand(dr, copy, file, { password: 'dr-pass-123' }));

    const source = await withDb(src, (c) => inspectMetastore(c));
    const target = await withDb(copy, (c) => inspectMetastore(c, { authorities: [OLD] }));
    // Two connections side by side (the verify steps' pool, JIT off) read exactly what one does.
    const pool = await openQueryPool(async () => {
      const client = new pg.Client({ connectionString: cluster.url(copy) });
      await client.connect();
      return client;
    }, 2);
    try {
      const pooled = await inspectMetastore(pool, { authorities: [OLD] });
      expect({ ...pooled, elapsedMs: 0 }).toEqual({ ...target, elapsedMs: 0 });
      const section = await metastoreSection(pool, { where: copy });
      expect(section).toEqual(await withDb(copy, (c) => metastoreSection(c, { where: copy })));
      expect(Object.keys(section.partitionNamesSha256)).toHaveLength(Object.keys(target.partitionsPerTable).length);
      expect(section.partitionNamesSha256).toEqual(await partitionDigestsInNode(copy));
      expect((await pool.query<{ jit: string }>('SHOW jit')).rows[0]?.jit).toBe('off');
    } finally {
      await pool.close();
    }
    expect(source.rowCounts.PARTITIONS).toBe(2000);
    expect(source.fsRoots.find((r) => r.table === 'SDS' && r.column === 'LOCATION')).toMatchObject({ root: AUTHORITY });
    const clean = compareMetastores(source, target, { oldAuthorities: [OLD] });
    expect(clean.differences).toEqual([]);
    expect(clean.ok).toBe(true);
    const stream = {
      rowsPerTable: Object.fromEntries(
        Object.entries(source.rowCounts).map(([t, n]) => [/^[a-z_]+$/.test(t) ? `public.${t}` : `public."${t}"`, n]),
      ),
    };
    expect(compareWithStreamCounts(target, stream, { oldAuthorities: [OLD] }).ok).toBe(true);

    // Faults: one partition deleted (with its SD and SERDE), one table location moved, one sequence bumped.
    const victim = await withDb(copy, async (c) => {
      const { rows } = await c.query<{ part_id: string; sd_id: string; serde_id: string; db: string; tbl: string }>(
        `SELECT p."PART_ID" AS part_id, s."SD_ID" AS sd_id, s."SERDE_ID" AS serde_id, d."NAME" AS db, t."TBL_NAME" AS tbl
           FROM "PARTITIONS" p JOIN "SDS" s ON s."SD_ID" = p."SD_ID" JOIN "TBLS" t ON t."TBL_ID" = p."TBL_ID" JOIN "DBS" d ON d."DB_ID" = t."DB_ID"
          WHERE p."PART_ID" NOT IN (SELECT "PART_ID" FROM "PART_COL_STATS") AND p."PART_ID" NOT IN (SELECT "PART_ID" FROM "PART_PRIVS") ORDER BY 1 LIMIT 1`,
      );
      const v = rows[0]!;
      await c.query('BEGIN');
      for (const t of ['PARTITION_KEY_VALS', 'PARTITION_PARAMS']) await c.query(`DELETE FROM "${t}" WHERE "PART_ID" = $1`, [v.part_id]);
      await c.query(`DELETE FROM "PARTITIONS" WHERE "PART_ID" = $1`, [v.part_id]);
      await c.query(`DELETE FROM "SDS" WHERE "SD_ID" = $1`, [v.sd_id]);
      await c.query(`DELETE FROM "SERDE_PARAMS" WHERE "SERDE_ID" = $1`, [v.serde_id]);
      await c.query(`DELETE FROM "SERDES" WHERE "SERDE_ID" = $1`, [v.serde_id]);
      await c.query(`UPDATE "SDS" SET "LOCATION" = replace("LOCATION", '${AUTHORITY}', 'hdfs://rogue-nn:8020')
                      WHERE "SD_ID" = (SELECT min("SD_ID") FROM "TBLS" WHERE "TBL_TYPE" = 'EXTERNAL_TABLE')`);
      await c.query(
        `UPDATE "SEQUENCE_TABLE" SET "NEXT_VAL" = "NEXT_VAL" + 100 WHERE "SEQUENCE_NAME" = 'org.apache.hadoop.hive.metastore.model.MTable'`,
      );
      await c.query('COMMIT');
      return v;
    });
    const broken = await withDb(copy, (c) => inspectMetastore(c, { authorities: [OLD] }));
    const result = compareMetastores(source, broken, { oldAuthorities: [OLD] });
    expect(result.ok).toBe(false);
    expect(
      result.checks
        .filter((c) => !c.ok)
        .map((c) => c.name)
        .sort(),
    ).toEqual(['filesystem-roots', 'partitions-per-database', 'row-counts', 'sequences']);
    const rc = source.rowCounts;
    const table = `${victim.db}.${victim.tbl}`;
    expect(result.differences.sort()).toEqual(
      [
        `SDS.LOCATION: 1 value(s) under hdfs://rogue-nn:8020, a root the source does not map to`,
        `SEQUENCE_TABLE MTable: source ${source.sequences['org.apache.hadoop.hive.metastore.model.MTable']}, target ${source.sequences['org.apache.hadoop.hive.metastore.model.MTable']! + 100}`,
        `partitions in database ${victim.db}: source ${source.databases[victim.db]!.partitions}, target ${source.databases[victim.db]!.partitions - 1}`,
        `partitions of table ${table}: source ${source.partitionsPerTable[table]}, target ${source.partitionsPerTable[table]! - 1}`,
        `row count of PARTITIONS: source ${rc.PARTITIONS}, target ${rc.PARTITIONS! - 1}`,
        `row count of PARTITION_KEY_VALS: source ${rc.PARTITION_KEY_VALS}, target ${rc.PARTITION_KEY_VALS! - 2}`,
        `row count of PARTITION_PARAMS: source ${rc.PARTITION_PARAMS}, target ${rc.PARTITION_PARAMS! - 3}`,
        `row count of SDS: source ${rc.SDS}, target ${rc.SDS! - 1}`,
        `row count of SERDES: source ${rc.SERDES}, target ${rc.SERDES! - 1}`,
        `row count of SERDE_PARAMS: source ${rc.SERDE_PARAMS}, target ${rc.SERDE_PARAMS! - 1}`,
      ].sort(),
    );

    // A leftover old authority is named per table.column.
    await withDb(copy, (c) =>
      c.query(`UPDATE "FUNC_RU" SET "RESOURCE_URI" = replace("RESOURCE_URI", '${AUTHORITY}', '${OLD}') WHERE "INTEGER_IDX" = 1`),
    );
    const leftover = compareMetastores(source, await withDb(copy, (c) => inspectMetastore(c, { authorities: [OLD] })), {
      oldAuthorities: [OLD],
    });
    expect(leftover.differences).toContain(`FUNC_RU.RESOURCE_URI: 2 value(s) still use old authority ${OLD}`);
  });
});

describe('pg_dump and a table lock held by another session', () => {
  it('fails after metastore.lockWaitTimeoutMs, naming the lock, instead of waiting for ever', async () => {
    await withDb('postgres', (c) => c.query('CREATE DATABASE locked_src'));
    await withDb('locked_src', (c) => c.query('CREATE TABLE "TBLS" ("TBL_ID" bigint PRIMARY KEY)'));
    const holder = new pg.Client({ connectionString: cluster.url('locked_src') });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE "TBLS" IN ACCESS EXCLUSIVE MODE');
      const metastore = metastoreSchema.parse({
        host: cluster.host,
        port: cluster.port,
        database: 'locked_src',
        user: 'postgres',
        binDir: cluster.binDir,
        lockWaitTimeoutMs: '1s',
      });
      const started = Date.now();
      const dump = await localExecutor.runAnyExit(pgDumpCommand(metastore));
      expect(dump.exitCode).not.toBe(0);
      // pg_dump bounds its LOCK TABLE with a statement timeout.
      expect(dump.stderr).toContain('canceling statement due to statement timeout');
      expect(dump.stderr).toContain('LOCK TABLE public."TBLS" IN ACCESS SHARE MODE');
      // Bounded by the timeout, not by the holder (which never lets go here); generous for a busy machine.
      expect(Date.now() - started).toBeLessThan(60_000);
    } finally {
      await holder.end();
    }
  });
});
