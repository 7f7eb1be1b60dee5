import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestPg, type PgCluster } from '../harness/postgres.js';

describe('private PostgreSQL cluster', () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startTestPg('harness');
  });
  afterAll(() => cluster?.destroy());

  it('accepts connections and refuses a wrong password for a non-superuser role', async () => {
    const admin = new pg.Client({ connectionString: cluster.url() });
    await admin.connect();
    const { rows } = await admin.query<{ v: string }>("select current_setting('server_version_num') as v");
    expect(Number(rows[0]?.v)).toBeGreaterThan(100000);
    await admin.query("create role app login password 'right-pass'");
    await admin.end();
    const bad = new pg.Client({ host: cluster.host, port: cluster.port, user: 'app', password: 'wrong', database: 'postgres' });
    await expect(bad.connect()).rejects.toThrow(/password authentication failed/);
  });
});
