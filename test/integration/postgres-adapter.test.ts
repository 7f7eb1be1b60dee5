// The PostgreSQL adapter against a real server: clear errors with exit code 4 for bad input,
// sessions with application names, and database create/rename/drop/list.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectMetastore,
  createDatabase,
  databaseExists,
  dropDatabase,
  listDatabasesByPrefix,
  listSessions,
  postgresAdmin,
  readSchemaVersion,
  renameDatabase,
  withMetastore,
} from '../../src/adapters/postgres/index.js';
import { freePort } from '../../src/lab/pg-cluster.js';
import { metastoreSchema, type MetastoreConfig } from '../../src/config/schema.js';
import { labMetastoreDdl } from '../../src/lab/metastore/ddl.js';
import { startTestPg, type PgCluster } from '../harness/postgres.js';
import { clearSessions } from '../../src/steps/dr-databases.js';

let cluster: PgCluster;
let ms: (over?: Partial<MetastoreConfig>) => MetastoreConfig;
const env = { HMSDR_TEST_PW: 'right-pass-1' };

beforeAll(async () => {
  cluster = await startTestPg('pgadapter');
  const admin = new pg.Client({ connectionString: cluster.url() });
  await admin.connect();
  await admin.query(`CREATE ROLE hive LOGIN PASSWORD 'right-pass-1' CREATEDB`);
  await admin.query(`CREATE DATABASE empty_db OWNER hive`);
  await admin.query(`CREATE DATABASE hive_ms OWNER hive`);
  await admin.end();
  ms = (over = {}) =>
    metastoreSchema.parse({
      host: cluster.host,
      port: cluster.port,
      database: 'hive_ms',
      user: 'hive',
      passwordEnv: 'HMSDR_TEST_PW',
      sslmode: 'prefer',
      ...over,
    });
  await withMetastore(ms(), { env }, (c) => c.query(labMetastoreDdl('3.1.0')));
});
afterAll(() => cluster?.destroy());

describe('postgres adapter errors', () => {
  it('wrong password → E_PG_AUTH, exit 4, password not in the message', async () => {
    const error = await connectMetastore(ms(), { env: { HMSDR_TEST_PW: 'wrong-pass-9' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_PG_AUTH', exitCode: 4 });
    expect(String((error as Error).message)).not.toContain('wrong-pass-9');
  });
  it('unreachable host → E_PG_UNREACHABLE, exit 4', async () => {
    const error = await connectMetastore(ms({ port: await freePort(), connectTimeoutMs: 2000 }), { env }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_PG_UNREACHABLE', exitCode: 4 });
  });
  it('missing database → E_PG_NO_DATABASE, exit 4', async () => {
    const error = await connectMetastore(ms({ database: 'nope' }), { env }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_PG_NO_DATABASE', exitCode: 4 });
  });
  it('a database without VERSION → E_NOT_A_METASTORE, exit 4', async () => {
    const error = await withMetastore(ms({ database: 'empty_db' }), { env }, (c) => readSchemaVersion(c, 'empty_db')).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'E_NOT_A_METASTORE', exitCode: 4 });
  });
  it('an unknown schema version → E_SCHEMA_VERSION_UNKNOWN, exit 4; a known one is read', async () => {
    await withMetastore(ms(), { env }, async (c) => {
      expect(await readSchemaVersion(c, 'hive_ms')).toMatchObject({ version: '3.1.0', family: '3' });
      await c.query(`UPDATE "VERSION" SET "SCHEMA_VERSION" = '9.9.9'`);
      const error = await readSchemaVersion(c, 'hive_ms').catch((e: unknown) => e);
      await c.query(`UPDATE "VERSION" SET "SCHEMA_VERSION" = '3.1.0'`);
      expect(error).toMatchObject({ code: 'E_SCHEMA_VERSION_UNKNOWN', exitCode: 4 });
    });
  });
});

describe('postgres adapter administration', () => {
  it('lists sessions with application names, and creates, renames, lists and drops databases', async () => {
    const other = await connectMetastore(ms(), { env });
    try {
      await withMetastore(ms(), { database: 'postgres', env }, async (c) => {
        const sessions = await listSessions(c, 'hive_ms');
        expect(sessions).toEqual([expect.objectContaining({ user: 'hive', applicationName: 'hmsdr', clientAddr: '127.0.0.1/32' })]);
        await createDatabase(c, 'hive_ms_hmsdr_r1', { owner: 'hive' });
        await renameDatabase(c, 'hive_ms_hmsdr_r1', 'hive_ms_hmsdr_prev_r1');
        expect(await databaseExists(c, 'hive_ms_hmsdr_r1')).toBe(false);
        expect(await listDatabasesByPrefix(c, 'hive_ms_hmsdr_prev_')).toEqual(['hive_ms_hmsdr_prev_r1']);
        await expect(renameDatabase(c, 'hive_ms', 'x')).rejects.toMatchObject({ code: 'E_PG_DB_IN_USE', exitCode: 4 });
        await dropDatabase(c, 'hive_ms_hmsdr_prev_r1');
        expect(await databaseExists(c, 'hive_ms_hmsdr_prev_r1')).toBe(false);
      });
    } finally {
      await other.end();
    }
  });

  it('renames atomically: both names swap in one transaction, or (a session on the second) nothing is renamed', async () => {
    await withMetastore(ms(), { database: 'postgres', env }, async (c) => {
      const admin = postgresAdmin(c);
      await admin.create('atomic_live', { owner: 'hive' });
      await admin.create('atomic_staging', { owner: 'hive' });
      const intruder = await connectMetastore(ms({ database: 'atomic_staging' }), { env });
      const swap = [
        { from: 'atomic_live', to: 'atomic_prev' },
        { from: 'atomic_staging', to: 'atomic_live' },
      ];
      try {
        await expect(admin.renameAtomically(swap)).rejects.toMatchObject({
          code: 'E_PG_DB_IN_USE',
          exitCode: 4,
          message: expect.stringContaining('atomic_staging'),
        });
        expect(await admin.listByPrefix('atomic_')).toEqual(['atomic_live', 'atomic_staging']);
      } finally {
        await intruder.end();
      }
      await admin.renameAtomically(swap);
      expect(await admin.listByPrefix('atomic_')).toEqual(['atomic_live', 'atomic_prev']);
      for (const name of ['atomic_live', 'atomic_prev']) await admin.drop(name);
    });
  });

  it("clearing sessions before a rename: a client that just left is waited for, not refused; a superuser's session is named, not a bare 42501", async () => {
    const events: string[] = [];
    const log = { info: () => {}, warn: (event: string) => void events.push(event), error: () => {}, stderr: () => {} };
    await withMetastore(ms(), { database: 'postgres', env }, async (c) => {
      const admin = postgresAdmin(c);
      await admin.create('clear_live', { owner: 'hive' });
      // A client that closes right before: its backend may still be listed for a moment.
      const leaving = await connectMetastore(ms({ database: 'clear_live' }), { env });
      await leaving.end();
      expect(await clearSessions(admin, 'clear_live', false, log)).toBe(0);
      // A superuser's session cannot be ended by the non-superuser hive login: named, nothing else happens.
      const superuser = new pg.Client({ connectionString: cluster.url('clear_live'), application_name: 'dba-psql' });
      await superuser.connect();
      const ordinary = await connectMetastore(ms({ database: 'clear_live' }), { env });
      ordinary.on('error', () => {});
      try {
        const refused = await clearSessions(admin, 'clear_live', true, log).catch((e: unknown) => e);
        expect(refused).toMatchObject({ exitCode: 4, message: expect.stringContaining('could not be ended') });
        expect((refused as Error).message).toContain('dba-psql');
        expect((refused as Error).message).not.toContain('42501');
        expect(events).toContain('terminating-sessions');
        // The ordinary session was ended; only the superuser's is left.
        expect((await admin.listSessions('clear_live')).map((s) => s.applicationName)).toEqual(['dba-psql']);
      } finally {
        await superuser.end();
        await ordinary.end().catch(() => {});
      }
      expect(await clearSessions(admin, 'clear_live', true, log)).toBe(0);
      await admin.drop('clear_live');
    });
  });
});

describe('a server that stops answering (issue 20: stuck peers)', () => {
  it('a paused backend: the query fails with E_PG_TIMEOUT after queryTimeoutMs, naming the server, and end() returns', async () => {
    const client = await connectMetastore(ms({ queryTimeoutMs: 1000 }), { env });
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const pid = rows[0]!.pid;
    process.kill(pid, 'SIGSTOP');
    try {
      const error = await client.query('SELECT 1').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'E_PG_TIMEOUT', exitCode: 1 });
      expect((error as Error).message).toBe(
        `PostgreSQL at ${cluster.host}:${cluster.port} (database hive_ms) did not answer a query within 1000 ms`,
      );
      await client.end(); // resolves although the server never acknowledges the goodbye
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  });

  it('withMetastore passes the timeout through as it is', async () => {
    const error = await withMetastore(ms({ queryTimeoutMs: 1000 }), { env }, async (client) => {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      process.kill(rows[0]!.pid, 'SIGSTOP');
      try {
        return await client.query('SELECT 1');
      } finally {
        process.kill(rows[0]!.pid, 'SIGCONT');
      }
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_PG_TIMEOUT' });
  });
});
