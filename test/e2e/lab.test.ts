// `hmsdr lab up` / `lab down` through the built CLI: every part of the lab is real and answers
// (both PostgreSQL servers, the generated metastore, the stand-in tree, the detached Ambari
// emulator, the detached sshd), the source mutations keep metastore and files consistent, and
// `lab down` leaves no process and no directory behind.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { DATA_FILE, localPathOf } from '../../src/lab/lab-hdfs.js';
import { readLabState, type LabState } from '../../src/lab/lab-state.js';
import { outsideServersDir } from '../../src/lab/server-dirs.js';
import {
  addPartitions,
  dropTable,
  labClient,
  modifyFiles,
  openLab,
  renameDirectory,
  sourceDataFiles,
  type Lab,
} from '../../src/lab/mutate.js';
import { repoRoot, runHmsdr } from '../harness/cli.js';

const PARTITIONS = 200;
let base: string;
let dir: string;
let upOutput = '';
let state: LabState;

/** Build dist/ when a lab source is newer than its compiled file (the e2e tests run the built CLI). */
async function ensureBuilt(): Promise<void> {
  const newest = (d: string): number =>
    Math.max(
      ...readdirSync(d, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(join(d, e.name)) : statSync(join(d, e.name)).mtimeMs,
      ),
    );
  const built = (f: string): number => (existsSync(f) ? statSync(f).mtimeMs : 0);
  const dist = join(repoRoot, 'dist/src');
  if (
    built(join(dist, 'lab/lab.js')) < newest(join(repoRoot, 'src/lab')) ||
    built(join(dist, 'cli/main.js')) < newest(join(repoRoot, 'src/cli'))
  ) {
    await execa('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: repoRoot, reject: false });
  }
}

const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
};

const pidsOf = (s: LabState): number[] =>
  [s.source?.pid, s.dr?.pid, s.ambari?.pid, s.sshd && 'pid' in s.sshd ? s.sshd.pid : undefined].filter(
    (p): p is number => typeof p === 'number',
  );

beforeAll(async () => {
  await ensureBuilt();
  // mkdtemp makes it 0700, like a clone in /root: as root, the lab's servers (run as the postgres
  // OS user) then live in a per-lab directory under /var/tmp.
  base = mkdtempSync(join(tmpdir(), 'hmsdr-lab-e2e-'));
  expect(statSync(base).mode & 0o777).toBe(0o700);
  dir = join(base, 'lab');
  const up = await runHmsdr(['lab', 'up', '--dir', dir, '--partitions', String(PARTITIONS), '--databases', '2', '--tables', '10']);
  upOutput = up.stdout + up.stderr;
  expect(up.exitCode, upOutput).toBe(0);
  state = readLabState(dir)!;
});

afterAll(async () => {
  // Whatever happened, leave nothing running.
  if (dir && existsSync(dir)) await runHmsdr(['lab', 'down', '--dir', dir]);
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('hmsdr lab up', () => {
  it('from below a 0700 directory: as root its PostgreSQL servers live in /var/tmp/hmsdr-lab-<hash>, recorded in lab.json', () => {
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!root) {
      expect(state.serversDir).toBeUndefined();
      return;
    }
    expect(state.serversDir).toBe(outsideServersDir(dir));
    expect(state.serversDir).toMatch(/^\/var\/tmp\/hmsdr-lab-[0-9a-f]{12}$/);
    expect(state.source?.dataDir.startsWith(`${state.serversDir}/pg-source/`)).toBe(true);
    expect(state.dr?.dataDir.startsWith(`${state.serversDir}/pg-dr/`)).toBe(true);
    expect(upOutput).toContain(`its PostgreSQL servers live in ${state.serversDir}`);
  });

  it('prints what it created and the next commands', () => {
    expect(upOutput).toContain(`hmsdr plan --config ${join(dir, 'hmsdr.yaml')}`);
    expect(upOutput).toContain(`hmsdr rehearse --yes --config ${join(dir, 'hmsdr.yaml')}`);
    expect(upOutput).toContain(`hmsdr lab down --dir ${dir}`);
    expect(state.status).toBe('up');
  });

  it('writes a config hmsdr accepts, with secrets only in 0600 files', () => {
    const config = loadConfig(join(dir, 'hmsdr.yaml'));
    expect(config.source.nameNode).toBe('hdfs://nn1.prod:8020');
    expect(config.dr.nameNode).toBe('hdfs://drns');
    expect(config.rewrite.rules).toEqual([{ from: 'hdfs://nn1.prod:8020', to: 'hdfs://drns', matchDefaultPort: false }]);
    expect(config.dr.serviceControl.type).toBe('ambari');
    expect(config.dr.metastore.via).toBe('ssh');
    expect(config.source.hdfs.hdfsBin).toBe(join(repoRoot, 'fixtures/bin/hdfs'));
    expect(config.data.paths.map((p) => p.source)).toContain('/warehouse/tablespace/managed/hive');
    const text = readFileSync(join(dir, 'hmsdr.yaml'), 'utf8');
    for (const file of readdirSync(join(dir, 'secrets'))) {
      const path = join(dir, 'secrets', file);
      expect(statSync(path).mode & 0o777, file).toBe(0o600);
      expect(text).not.toContain(readFileSync(path, 'utf8').trim());
      expect(upOutput).not.toContain(readFileSync(path, 'utf8').trim());
    }
  });

  it('runs two PostgreSQL servers: the source with the generated metastore, the DR with an older one', async () => {
    const config = loadConfig(join(dir, 'hmsdr.yaml'));
    const password = (file: string | undefined): string => readFileSync(file!, 'utf8').trim();
    const reader = new pg.Client({
      host: '127.0.0.1',
      port: config.source.metastore.port,
      database: 'hive',
      user: 'hmsdr_reader',
      password: password(config.source.metastore.passwordFile),
    });
    await reader.connect();
    const { rows: parts } = await reader.query<{ n: string }>('SELECT count(*) AS n FROM "PARTITIONS"');
    expect(Number(parts[0]!.n)).toBe(PARTITIONS);
    const { rows: foreign } = await reader.query<{ n: string }>(
      `SELECT count(*) AS n FROM "SDS" WHERE "LOCATION" NOT LIKE 'hdfs://nn1.prod:8020/%'`,
    );
    expect(foreign[0]!.n).toBe('0');
    await reader.end();
    const admin = new pg.Client({
      host: '127.0.0.1',
      port: config.dr.metastore.port,
      database: 'hive',
      user: 'hmsdr_admin',
      password: password(config.dr.metastore.passwordFile),
    });
    await admin.connect();
    const { rows: drParts } = await admin.query<{ n: string }>('SELECT count(*) AS n FROM "PARTITIONS"');
    expect(Number(drParts[0]!.n)).toBeGreaterThan(0);
    expect(Number(drParts[0]!.n)).toBeLessThan(PARTITIONS);
    const { rows: owner } = await admin.query<{ o: string }>(`SELECT pg_get_userbyid(datdba) AS o FROM pg_database WHERE datname = 'hive'`);
    expect(owner[0]!.o).toBe('hive');
    await admin.end();
  });

  it('has a data file for every partition location in the source stand-in tree, snapshottable data paths, an empty DR', async () => {
    const lab = openLab(dir);
    const client = await labClient(lab, 'source');
    const { rows } = await client.query<{ l: string }>(
      'SELECT s."LOCATION" AS l FROM "PARTITIONS" p JOIN "SDS" s ON s."SD_ID" = p."SD_ID"',
    );
    await client.end();
    expect(rows).toHaveLength(PARTITIONS);
    for (const { l } of rows)
      expect(existsSync(join(localPathOf(lab.state.hdfs.root, 'hdfs://nn1.prod:8020', l)!, DATA_FILE)), l).toBe(true);
    const env = { HMSDR_HADOOP_STANDIN_ROOT: lab.state.hdfs.root, HMSDR_HADOOP_DEFAULT_FS: 'hdfs://nn1.prod:8020' };
    const listed = await execa(join(repoRoot, 'fixtures/bin/hdfs'), ['lsSnapshottableDir'], { env, reject: false });
    expect(listed.exitCode).toBe(0);
    for (const path of lab.state.hdfs.dataPaths) expect(listed.stdout).toContain(` ${path}`);
    const drCount = await execa(join(repoRoot, 'fixtures/bin/hdfs'), ['dfs', '-count', 'hdfs://drns/warehouse/tablespace/managed/hive'], {
      env,
      reject: false,
    });
    expect(drCount.exitCode).toBe(0);
    expect(drCount.stdout.trim().split(/\s+/).slice(0, 3)).toEqual(['1', '0', '0']);
  });

  it('runs the Ambari emulator detached, with Hive STARTED, behind basic auth', async () => {
    const ambari = state.ambari!;
    const password = readFileSync(join(dir, 'secrets', 'ambari.password'), 'utf8').trim();
    const url = `${ambari.url}/api/v1/clusters/${ambari.cluster}/services/HIVE`;
    const headers = { Authorization: `Basic ${Buffer.from(`${ambari.user}:${password}`).toString('base64')}`, 'X-Requested-By': 'hmsdr' };
    const response = await fetch(url, { headers });
    expect(response.status).toBe(200);
    const body = JSON.parse(await response.text()) as { ServiceInfo: { state: string } };
    expect(body.ServiceInfo.state).toBe('STARTED');
    expect((await fetch(url, { headers: { 'X-Requested-By': 'hmsdr' } })).status).toBe(403);
    // Detached: not a child of the CLI that exited, its own session.
    const stat = readFileSync(`/proc/${ambari.pid}/stat`, 'utf8');
    const [, ppid, pgrp, session] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    expect(session).toBe(String(ambari.pid));
    expect(pgrp).toBe(String(ambari.pid));
    expect(ppid).not.toBe(String(process.pid));
  });

  it('runs sshd detached; it accepts the lab key with the host key verified', async () => {
    const sshd = state.sshd as { pid: number; port: number; dir: string; user: string };
    expect(alive(sshd.pid)).toBe(true);
    const result = await execa(
      'ssh',
      [
        '-i',
        join(sshd.dir, 'client_ed25519'),
        '-p',
        String(sshd.port),
        '-o',
        'BatchMode=yes',
        '-o',
        'StrictHostKeyChecking=yes',
        '-o',
        `UserKnownHostsFile=${join(sshd.dir, 'known_hosts')}`,
        '-o',
        'GlobalKnownHostsFile=/dev/null',
        `${sshd.user}@127.0.0.1`,
        'echo lab-ssh-ok',
      ],
      { reject: false },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('lab-ssh-ok');
  });

  it('refuses to create a lab over a running one without --force', async () => {
    const again = await runHmsdr(['lab', 'up', '--dir', dir, '--partitions', '10']);
    expect(again.exitCode).toBe(4);
    expect(again.stderr).toContain('a lab is running');
    expect(again.stderr).toContain('--force');
  });
});

describe('source mutations (src/lab/mutate.ts)', () => {
  let lab: Lab;
  beforeAll(() => {
    lab = openLab(dir);
  });

  const count = async (sql: string, params: unknown[] = []): Promise<number> => {
    const client = await labClient(lab, 'source');
    try {
      const { rows } = await client.query<{ n: string }>(sql, params);
      return Number(rows[0]!.n);
    } finally {
      await client.end();
    }
  };

  it('adds partitions with metastore rows and data files', async () => {
    const before = await count('SELECT count(*) AS n FROM "PARTITIONS"');
    const added = await addPartitions(lab, { count: 3 });
    expect(added.locations).toHaveLength(3);
    expect(await count('SELECT count(*) AS n FROM "PARTITIONS"')).toBe(before + 3);
    for (const location of added.locations) {
      expect(await count('SELECT count(*) AS n FROM "SDS" WHERE "LOCATION" = $1', [location])).toBe(1);
      expect(existsSync(join(localPathOf(lab.state.hdfs.root, 'hdfs://nn1.prod:8020', location)!, DATA_FILE))).toBe(true);
    }
    expect(
      await count(
        `SELECT count(*) AS n FROM "SEQUENCE_TABLE" WHERE "SEQUENCE_NAME" LIKE '%.MPartition' AND "NEXT_VAL" > (SELECT max("PART_ID") FROM "PARTITIONS")`,
      ),
    ).toBe(1);
  });

  it('drops a managed table with its partitions and data', async () => {
    const client = await labClient(lab, 'source');
    const { rows } = await client.query<{ db: string; t: string }>(
      `SELECT d."NAME" AS db, t."TBL_NAME" AS t FROM "TBLS" t JOIN "DBS" d ON d."DB_ID" = t."DB_ID"
        WHERE t."TBL_TYPE" = 'MANAGED_TABLE' AND EXISTS (SELECT 1 FROM "PARTITIONS" p WHERE p."TBL_ID" = t."TBL_ID") ORDER BY 1, 2 DESC LIMIT 1`,
    );
    await client.end();
    const ref = { database: rows[0]!.db, table: rows[0]!.t };
    const before = await count('SELECT count(*) AS n FROM "PARTITIONS"');
    const dropped = await dropTable(lab, ref);
    expect(dropped.partitions).toBeGreaterThan(0);
    expect(dropped.dataDeleted).toBe(true);
    expect(await count('SELECT count(*) AS n FROM "PARTITIONS"')).toBe(before - dropped.partitions);
    expect(
      await count(`SELECT count(*) AS n FROM "TBLS" WHERE "TBL_NAME" = $1 AND "DB_ID" = (SELECT "DB_ID" FROM "DBS" WHERE "NAME" = $2)`, [
        ref.table,
        ref.database,
      ]),
    ).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM "SDS" WHERE "LOCATION" LIKE $1`, [`${dropped.location}%`])).toBe(0);
    expect(existsSync(localPathOf(lab.state.hdfs.root, 'hdfs://nn1.prod:8020', dropped.location!)!)).toBe(false);
  });

  it('renames a directory and moves the locations below it', async () => {
    const client = await labClient(lab, 'source');
    const { rows } = await client.query<{ l: string }>(
      `SELECT s."LOCATION" AS l FROM "PARTITIONS" p JOIN "SDS" s ON s."SD_ID" = p."SD_ID" ORDER BY 1 LIMIT 1`,
    );
    await client.end();
    const from = rows[0]!.l;
    const to = `${from}_moved`;
    const result = await renameDirectory(lab, from, to);
    expect(result.locationsUpdated).toBe(1);
    expect(await count('SELECT count(*) AS n FROM "SDS" WHERE "LOCATION" = $1', [to])).toBe(1);
    expect(existsSync(join(localPathOf(lab.state.hdfs.root, 'hdfs://nn1.prod:8020', to)!, DATA_FILE))).toBe(true);
    expect(existsSync(localPathOf(lab.state.hdfs.root, 'hdfs://nn1.prod:8020', from)!)).toBe(false);
  });

  it('modifies files', () => {
    const files = sourceDataFiles(lab);
    const target = files.slice(0, 2);
    const before = target.map((f) => readFileSync(localPathOf(lab.state.hdfs.root, 'hdfs://nn1.prod:8020', f)!));
    expect(modifyFiles(lab, { uris: target })).toEqual(target);
    target.forEach((f, i) =>
      expect(readFileSync(localPathOf(lab.state.hdfs.root, 'hdfs://nn1.prod:8020', f)!).equals(before[i]!)).toBe(false),
    );
  });

  it('keeps the foreign keys valid', async () => {
    // Every FK constraint re-validated: NOT VALID + VALIDATE would fail on an orphan row.
    const client = await labClient(lab, 'source');
    const { rows } = await client.query<{ t: string; c: string }>(
      `SELECT conrelid::regclass::text AS t, conname AS c FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`,
    );
    expect(rows.length).toBeGreaterThan(10);
    for (const { t, c } of rows) {
      const { rows: def } = await client.query<{ d: string }>(
        `SELECT pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE conname = $1 AND conrelid = $2::regclass`,
        [c, t],
      );
      await client.query('BEGIN');
      await client.query(`ALTER TABLE ${t} DROP CONSTRAINT "${c}"`);
      await client.query(`ALTER TABLE ${t} ADD CONSTRAINT "${c}" ${def[0]!.d}`);
      await client.query('ROLLBACK');
    }
    await client.end();
  });
});

describe('hmsdr lab down', () => {
  it('stops every process and removes the directory', async () => {
    const pids = pidsOf(state);
    expect(pids).toHaveLength(4);
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(true);
    const down = await runHmsdr(['lab', 'down', '--dir', dir]);
    expect(down.exitCode, down.stderr).toBe(0);
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(outsideServersDir(dir))).toBe(false);
    const again = await runHmsdr(['lab', 'down', '--dir', dir]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('no lab in');
  });
});
