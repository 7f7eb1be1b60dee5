// Real pg_dump files of generated Hive metastores, for the rewriter benchmark: one private
// PostgreSQL (startPgCluster), one database per case (lab DDL + generateMetastore), then
// `pg_dump` in plain format to `<dir>/hive-<version>-<partitions>.sql`. A dump already in `dir`
// is reused, so repeated benchmark runs (and tuning) measure the same bytes.
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { PgCluster } from '../src/lab/pg-cluster.js';
import { labMetastoreDdl } from '../src/lab/metastore/ddl.js';
import { generateMetastore } from '../src/lab/metastore/generate.js';
import type { LabHiveVersion } from '../src/lab/metastore/versions.js';
import { startGuardedCluster } from './bench-teardown.js';

export interface DumpCase {
  hiveVersion: LabHiveVersion;
  partitions: number;
}

export interface PreparedDump extends DumpCase {
  path: string;
  bytes: number;
  /** Seconds to generate and dump it; 0 when reused. */
  prepareSeconds: number;
}

export const dumpFileName = (c: DumpCase): string => `hive-${c.hiveVersion}-${c.partitions}.sql`;

function pgDump(cluster: PgCluster, database: string, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fd = openSync(`${path}.part`, 'w');
    const child = spawn(
      join(cluster.binDir, 'pg_dump'),
      ['-h', cluster.host, '-p', String(cluster.port), '-U', cluster.superuser, '--format=plain', database],
      {
        stdio: ['ignore', fd, 'inherit'],
      },
    );
    child.on('error', reject);
    child.on('close', (code) => {
      closeSync(fd);
      if (code !== 0) return reject(new Error(`pg_dump exited ${code}`));
      renameSync(`${path}.part`, path);
      resolve();
    });
  });
}

/** Make (or reuse) one dump per case in `dir`; starts a private PostgreSQL only if one is missing. */
export async function prepareDumps(
  dir: string,
  cases: readonly DumpCase[],
  authority: string,
  log: (line: string) => void,
): Promise<PreparedDump[]> {
  mkdirSync(dir, { recursive: true });
  const missing = cases.filter((c) => !existsSync(join(dir, dumpFileName(c))));
  const seconds = new Map<string, number>();
  if (missing.length > 0) {
    const pgDir = mkdtempSync(join(tmpdir(), 'hmsdr-bench-rewrite-pg-'));
    chmodSync(pgDir, 0o755); // the server runs as the postgres OS user when we are root
    const { cluster, teardown } = await startGuardedCluster({ dir: pgDir, settings: { autovacuum: 'off' } }, "the dump generator's server");
    try {
      for (const c of missing) {
        const started = Date.now();
        const database = `hive_${c.hiveVersion.replaceAll('.', '_')}_${c.partitions}`;
        const admin = new pg.Client({ connectionString: cluster.url('postgres') });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${database}`);
        await admin.query(`CREATE DATABASE ${database}`);
        await admin.end();
        const client = new pg.Client({ connectionString: cluster.url(database) });
        await client.connect();
        try {
          await client.query(labMetastoreDdl(c.hiveVersion));
          await generateMetastore(client, { databases: 20, tablesPerDatabase: 50, partitions: c.partitions, authority });
        } finally {
          await client.end();
        }
        const path = join(dir, dumpFileName(c));
        await pgDump(cluster, database, path);
        const s = (Date.now() - started) / 1000;
        seconds.set(path, s);
        log(`generated + pg_dump ${dumpFileName(c)}: ${(statSync(path).size / 1e6).toFixed(0)} MB in ${s.toFixed(1)} s`);
      }
    } finally {
      teardown();
    }
  }
  return cases.map((c) => {
    const path = join(dir, dumpFileName(c));
    return { ...c, path, bytes: statSync(path).size, prepareSeconds: seconds.get(path) ?? 0 };
  });
}
