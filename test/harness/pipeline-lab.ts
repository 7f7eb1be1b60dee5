// Two real PostgreSQL servers (source, DR) and a real sshd, a generated source metastore and an
// older DR metastore, plus a config whose DR side is reached over SSH. Used by the pipeline tests.
import { rmSync, writeFileSync } from 'node:fs';
import { onProcessExit } from './exit-hook.js';
import { join } from 'node:path';
import pg from 'pg';
import { stringify } from 'yaml';
import { parseConfigText, type ResolvedConfig } from '../../src/config/load.js';
import type { GenerateOptions } from '../../src/lab/metastore/generate.js';
import { createLabMetastore, PIPELINE_LAB_NAMENODES, pipelineLabConfig } from '../../src/lab/metastore/sites.js';
import type { LabHiveVersion } from '../../src/lab/metastore/versions.js';
import { startTestPg, type PgCluster } from './postgres.js';
import { sshConfigFor, startTestSshd, type Sshd } from './sshd.js';
import { makeTempDir, removeTempDir } from './temp.js';

export const SOURCE_PASSWORD = 'src-Reader-pw-4711';
export const DR_PASSWORD = 'dr-Admin-pw-0815';
export const LAB_ENV = { HMSDR_TEST_SOURCE_PW: SOURCE_PASSWORD, HMSDR_TEST_DR_PW: DR_PASSWORD };

export interface PipelineLab {
  dir: string;
  source: PgCluster;
  dr: PgCluster;
  sshd: Sshd;
  configFile: string;
  config: ResolvedConfig;
  stagingDir: string;
  /** A superuser client to a database of either server; the caller ends it. */
  admin(side: 'source' | 'dr', database?: string): Promise<pg.Client>;
  /** Stops the servers and removes every directory the lab made. */
  destroy(): Promise<void>;
}

export interface PipelineLabOptions {
  hiveVersion?: LabHiveVersion;
  generate?: Partial<GenerateOptions>;
  /** Extra config keys merged over the generated config (e.g. restore.terminateSessions). */
  configOverrides?: Record<string, unknown>;
}

export async function startPipelineLab(label: string, options: PipelineLabOptions = {}): Promise<PipelineLab> {
  const version = options.hiveVersion ?? '3.1.0';
  const dir = makeTempDir(label);
  const started = await Promise.allSettled([startTestPg(`${label}-src`), startTestPg(`${label}-dr`), startTestSshd(`${label}-ssh`)]);
  if (started.some((s) => s.status === 'rejected')) {
    for (const s of started) if (s.status === 'fulfilled') await s.value.destroy();
    removeTempDir(dir);
    throw (started.find((s) => s.status === 'rejected') as PromiseRejectedResult).reason;
  }
  const [source, dr, sshd] = started.map((s) => (s as PromiseFulfilledResult<PgCluster | Sshd>).value) as [PgCluster, PgCluster, Sshd];
  try {
    await createLabMetastore((db) => source.url(db), {
      side: 'source',
      hiveVersion: version,
      password: SOURCE_PASSWORD,
      generate: { databases: 2, tablesPerDatabase: 6, partitions: 300, authority: PIPELINE_LAB_NAMENODES.source, ...options.generate },
    });
    await createLabMetastore((db) => dr.url(db), {
      side: 'dr',
      hiveVersion: version,
      password: DR_PASSWORD,
      generate: { databases: 1, tablesPerDatabase: 3, partitions: 20, authority: PIPELINE_LAB_NAMENODES.dr },
    });
  } catch (error) {
    // A failed setup must not leave private servers running, nor their directories.
    for (const part of [source, dr, sshd]) await part.destroy();
    removeTempDir(dir);
    throw error;
  }

  const lab = pipelineLabConfig({
    dir,
    source,
    dr,
    ssh: sshConfigFor(sshd),
    sourcePasswordEnv: 'HMSDR_TEST_SOURCE_PW',
    drPasswordEnv: 'HMSDR_TEST_DR_PW',
  });
  const { stagingDir } = lab;
  const raw = { ...lab.config, ...options.configOverrides };
  const configFile = join(dir, 'hmsdr.yaml');
  writeFileSync(configFile, stringify(raw));
  // If the worker exits before afterAll: the servers stop anyway (pg_ctl and kill are synchronous).
  const forget = onProcessExit(() => {
    void source.destroy();
    void dr.destroy();
    void sshd.destroy(); // its SIGKILL is sent before the first await
    rmSync(sshd.dir, { recursive: true, force: true });
    removeTempDir(dir);
  });
  const config = parseConfigText(stringify(raw), configFile, { ...process.env, ...LAB_ENV });
  return {
    dir,
    source,
    dr,
    sshd,
    configFile,
    config,
    stagingDir,
    async admin(side, database = 'postgres') {
      const client = new pg.Client({ connectionString: (side === 'source' ? source : dr).url(database) });
      await client.connect();
      return client;
    },
    async destroy() {
      forget();
      for (const part of [source, dr, sshd]) {
        try {
          await part.destroy();
        } catch {
          // best effort
        }
      }
      removeTempDir(dir);
    },
  };
}

/** md5 of every row of every table of a database, for "unchanged" assertions. */
export async function databaseFingerprint(client: pg.Client): Promise<Record<string, string>> {
  const { rows: tables } = await client.query<{ t: string }>(
    `SELECT quote_ident(table_name) AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const out: Record<string, string> = {};
  for (const { t } of tables) {
    const { rows } = await client.query<{ h: string | null }>(`SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) AS h FROM ${t} x`);
    out[t] = rows[0]?.h ?? 'empty';
  }
  return out;
}
