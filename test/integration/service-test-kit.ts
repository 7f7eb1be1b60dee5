// Shared by the service-control tests: a StepContext for the hive steps, a pg-based SessionLister,
// controllers pointed at the emulators, and a snapshot of a DR database to prove it was untouched.
import pg from 'pg';
import { localExecutor } from '../../src/adapters/executor.js';
import { adapterDoubles } from '../harness/adapter-doubles.js';
import { createAmbariController } from '../../src/adapters/ambari/client.js';
import { createClouderaManagerController } from '../../src/adapters/cloudera-manager/client.js';
import type { ServiceController } from '../../src/adapters/service-control/controller.js';
import type { SessionLister } from '../../src/adapters/service-control/sessions.js';
import { postgresAdmin } from '../../src/adapters/postgres/metastore-admin.js';
import type { ResolvedConfig } from '../../src/config/load.js';
import type { ServiceControlConfig } from '../../src/config/schema.js';
import type { StepContext } from '../../src/steps/step.js';
import type { PgCluster } from '../harness/postgres.js';

export const PASSWORD = 'emulator-Secret-42';

export function ambariConfig(
  url: string,
  overrides: Partial<Extract<ServiceControlConfig, { type: 'ambari' }>> = {},
): Extract<ServiceControlConfig, { type: 'ambari' }> {
  return {
    type: 'ambari',
    url,
    cluster: 'dr',
    services: ['HIVE'],
    user: 'admin',
    passwordEnv: 'AMBARI_PW',
    requestTimeoutMs: 5000,
    pollIntervalMs: 20,
    ...overrides,
  };
}

export function cmConfig(
  url: string,
  overrides: Partial<Extract<ServiceControlConfig, { type: 'cloudera-manager' }>> = {},
): Extract<ServiceControlConfig, { type: 'cloudera-manager' }> {
  return {
    type: 'cloudera-manager',
    url,
    apiVersion: 'v41',
    cluster: 'Cluster 1',
    services: ['HIVE', 'HIVE_ON_TEZ'],
    user: 'admin',
    passwordEnv: 'CM_PW',
    requestTimeoutMs: 5000,
    pollIntervalMs: 20,
    ...overrides,
  };
}

export function controllerFor(config: ServiceControlConfig, password = PASSWORD): ServiceController {
  if (config.type === 'ambari') return createAmbariController(config, password);
  if (config.type === 'cloudera-manager') return createClouderaManagerController(config, password);
  throw new Error('not an HTTP controller');
}

/** The product's session listing (the MetastoreAdmin seam), with this lister's own connection announced as hmsdr. */
export function pgSessionLister(cluster: PgCluster): SessionLister {
  return {
    async listSessions(database) {
      const client = new pg.Client({ connectionString: cluster.url('postgres'), application_name: 'hmsdr' });
      await client.connect();
      try {
        return await postgresAdmin(client).listSessions(database);
      } finally {
        await client.end();
      }
    },
  };
}

export interface FakeStepContext extends StepContext {
  readonly progressLines: string[];
  readonly questions: string[];
}

export function stepContext(options: {
  controller: ServiceController;
  sessions?: SessionLister;
  database?: string;
  serviceControl?: ServiceControlConfig;
  signal?: AbortSignal;
  confirmAnswer?: boolean;
}): FakeStepContext {
  const progressLines: string[] = [];
  const questions: string[] = [];
  const config = {
    dr: { metastore: { database: options.database ?? 'metastore' }, serviceControl: options.serviceControl ?? { type: 'none' } },
  } as unknown as ResolvedConfig;
  // The hive steps use only serviceControl and drSessions; the site ports are not needed here.
  const adapters = adapterDoubles({
    local: localExecutor,
    serviceControl: options.controller,
    ...(options.sessions ? { drSessions: options.sessions } : {}),
  });
  const noop = (): void => undefined;
  return {
    config,
    run: { id: 'test-run', dir: '/tmp', startedAt: new Date().toISOString() },
    outputs: {},
    adapters,
    log: { info: noop, warn: noop, error: noop, stderr: noop },
    signal: options.signal ?? new AbortController().signal,
    progress: (text) => progressLines.push(text),
    confirm: async (question) => {
      questions.push(question);
      return options.confirmAnswer ?? false;
    },
    progressLines,
    questions,
  };
}

/** Every table's rows, plus the database list: equal snapshots mean the DR side was untouched. */
export async function snapshotDatabase(cluster: PgCluster, database: string): Promise<string> {
  const client = new pg.Client({ connectionString: cluster.url(database), application_name: 'hmsdr' });
  await client.connect();
  try {
    const dbs = await client.query('SELECT datname FROM pg_database ORDER BY 1');
    const rows = await client.query('SELECT "TBL_ID", "TBL_NAME" FROM "TBLS" ORDER BY 1');
    return JSON.stringify({ dbs: dbs.rows, tbls: rows.rows });
  } finally {
    await client.end();
  }
}

export async function createDrMetastore(cluster: PgCluster, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: cluster.url('postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const client = new pg.Client({ connectionString: cluster.url(database) });
  await client.connect();
  await client.query('CREATE TABLE "TBLS" ("TBL_ID" bigint PRIMARY KEY, "TBL_NAME" varchar(256))');
  await client.query(`INSERT INTO "TBLS" VALUES (1, 'sales'), (2, 'customers')`);
  await client.end();
}
