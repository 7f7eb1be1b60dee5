// The two metastores every lab, test harness and benchmark sets up the same way: on the source a
// database `hive` owned by role hive, read by a password-authenticated `hmsdr_reader`; on DR an
// older metastore owned by hive, administered by `hmsdr_admin` (CREATEDB, member of hive).
import { join } from 'node:path';
import pg from 'pg';
import { quoteLiteral } from '../../adapters/postgres/sql-text.js';
import { labMetastoreDdl } from './ddl.js';
import { generateMetastore, type GenerateOptions, type GenerateResult } from './generate.js';
import type { LabHiveVersion } from './versions.js';

export const LAB_OWNER = 'hive';
export const LAB_SOURCE_READER = 'hmsdr_reader';
export const LAB_DR_ADMIN = 'hmsdr_admin';

/** Connect as the superuser to `url`, run `fn`, always disconnect. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Statements one by one (CREATE DATABASE cannot share a transaction with others). */
export async function runSql(url: string, ...statements: string[]): Promise<void> {
  await withClient(url, async (client) => {
    for (const text of statements) await client.query(text);
  });
}

export interface LabMetastoreOptions {
  side: 'source' | 'dr';
  hiveVersion: LabHiveVersion;
  /** Password of the reader (source) or admin (DR) role. */
  password: string;
  generate: GenerateOptions;
}

/** Roles, database, lab DDL and generated content on a private server; `url(db)` is a superuser URL. */
export async function createLabMetastore(url: (database?: string) => string, options: LabMetastoreOptions): Promise<GenerateResult> {
  const login =
    options.side === 'source'
      ? `CREATE ROLE ${LAB_SOURCE_READER} LOGIN PASSWORD ${quoteLiteral(options.password)} IN ROLE pg_read_all_data`
      : `CREATE ROLE ${LAB_DR_ADMIN} LOGIN CREATEDB PASSWORD ${quoteLiteral(options.password)} IN ROLE ${LAB_OWNER}`;
  await runSql(url(), `CREATE ROLE ${LAB_OWNER}`, `CREATE DATABASE hive OWNER ${LAB_OWNER}`, login);
  await runSql(url('hive'), `SET ROLE ${LAB_OWNER}; ${labMetastoreDdl(options.hiveVersion)}`);
  return withClient(url('hive'), (client) => generateMetastore(client, options.generate));
}

/**
 * The `metastore` block of a config for a lab-made metastore on a private server. `secret` names
 * where its password is (passwordEnv or passwordFile); `via` where pg_dump / psql run.
 */
export function labMetastoreConfig(
  side: 'source' | 'dr',
  server: { port: number; binDir: string },
  secret: { passwordEnv: string } | { passwordFile: string },
  via: 'local' | 'ssh' = 'local',
): Record<string, unknown> {
  return {
    host: '127.0.0.1',
    port: server.port,
    database: 'hive',
    user: side === 'source' ? LAB_SOURCE_READER : LAB_DR_ADMIN,
    ...secret,
    ...(side === 'dr' ? { owner: LAB_OWNER } : {}),
    sslmode: 'disable',
    via,
    binDir: server.binDir,
  };
}

/** The NameNodes of pipelineLabConfig (the generated source metastore's locations use the first). */
export const PIPELINE_LAB_NAMENODES = { source: 'hdfs://nn1.prod:8020', dr: 'hdfs://drns' } as const;

/**
 * The whole config of a metastore-only lab (the pipeline test harness and the benchmark): source
 * and DR servers, NameNode `hdfs://nn1.prod:8020` → `hdfs://drns`, the DR metastore reached
 * through `ssh` (an `ssh` host config), no service control; runs and staging under `dir`.
 */
export function pipelineLabConfig(options: {
  dir: string;
  source: { port: number; binDir: string };
  dr: { port: number; binDir: string };
  ssh: Record<string, unknown>;
  sourcePasswordEnv: string;
  drPasswordEnv: string;
}): { config: Record<string, unknown>; stagingDir: string } {
  const stagingDir = join(options.dir, 'staging');
  const config = {
    version: 1,
    runsDir: join(options.dir, 'runs'),
    source: {
      name: 'prod',
      nameNode: PIPELINE_LAB_NAMENODES.source,
      metastore: labMetastoreConfig('source', options.source, { passwordEnv: options.sourcePasswordEnv }),
    },
    dr: {
      name: 'dr',
      nameNode: PIPELINE_LAB_NAMENODES.dr,
      stagingDir,
      metastore: labMetastoreConfig('dr', options.dr, { passwordEnv: options.drPasswordEnv }, 'ssh'),
      ssh: options.ssh,
      serviceControl: { type: 'none' },
    },
  };
  return { config, stagingDir };
}
