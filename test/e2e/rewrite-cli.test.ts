// `hmsdr rewrite` as a user runs it (the built CLI, stdin → stdout) on real pg_dump output: every
// input it did not rewrite is a clear outcome, never a silent exit 0.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runHmsdr } from '../harness/cli.js';
import { usableCodeCache } from '../../src/cli/code-cache.js';
import { fifoReader } from '../harness/fifo.js';
import { startTestPg, type PgCluster } from '../harness/postgres.js';

describe('hmsdr rewrite: inputs it cannot rewrite', () => {
  let cluster: PgCluster;
  let dir: string;
  let plain: string;
  const pgDump = (args: string[]): Buffer => {
    const r = spawnSync(join(cluster.binDir, 'pg_dump'), ['--no-owner', ...args, '-d', cluster.url('hms')]);
    if (r.status !== 0) throw new Error(`pg_dump failed: ${r.stderr}`);
    return r.stdout;
  };

  beforeAll(async () => {
    cluster = await startTestPg('rewrite-cli');
    dir = mkdtempSync(join(tmpdir(), 'hmsdr-rewrite-cli-'));
    const admin = new pg.Client({ connectionString: cluster.url() });
    await admin.connect();
    await admin.query('create database hms');
    await admin.end();
    const db = new pg.Client({ connectionString: cluster.url('hms') });
    await db.connect();
    await db.query(`create table "DBS" ("DB_ID" bigint primary key, "DB_LOCATION_URI" varchar(4000))`);
    await db.query(`create table "SDS" ("SD_ID" bigint primary key, "LOCATION" varchar(4000))`);
    await db.query(`insert into "DBS" values (1, 'hdfs://nn1.prod:8020/warehouse')`);
    await db.query(`insert into "SDS" select g, 'hdfs://nn1.prod:8020/warehouse/t' || g from generate_series(1, 50) g`);
    await db.end();
    plain = readFileSync(writeDump('plain.sql', pgDump([])), 'latin1');
  });
  afterAll(() => {
    cluster?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const writeDump = (name: string, bytes: Buffer | string): string => {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    return file;
  };

  it('rewrites a complete plain dump (exit 0)', async () => {
    const r = await runHmsdr(['rewrite', '--map', 'hdfs://nn1.prod:8020=hdfs://drns', '--strict'], { input: plain });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('hdfs://drns/warehouse/t50');
    expect(r.stdout).not.toContain('nn1.prod');
    expect(r.stderr).toMatch(/SDS\.LOCATION\s+50/);
  });

  it('refuses a custom-format archive naming pg_dump -Fp (exit 4), writing nothing', async () => {
    const archive = writeDump('custom.dump', pgDump(['-Fc']));
    const out = join(dir, 'custom.out.sql');
    const r = await runHmsdr(['rewrite', '--map', 'hdfs://nn1.prod:8020=hdfs://drns', '--in', archive, '--out', out]);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/custom-format archive/);
    expect(r.stderr).toContain('pg_dump -Fp');
    expect(existsSync(out) || existsSync(`${out}.part`)).toBe(false);
  });

  it('refuses a tar-format archive (exit 4)', async () => {
    const r = await runHmsdr(['rewrite', '--map', 'hdfs://nn1.prod:8020=hdfs://drns', '--in', writeDump('tar.dump', pgDump(['-Ft']))]);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/tar archive \(pg_dump -Ft\)/);
  });

  it('refuses an empty input, as from a pg_dump that failed (exit 4)', async () => {
    const r = await runHmsdr(['rewrite', '--map', 'hdfs://nn1.prod:8020=hdfs://drns'], { input: '' });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/input is empty/);
  });

  it('calls a dump cut between COPY blocks truncated (exit 5) and leaves no --out file', async () => {
    const cut = plain.slice(0, plain.indexOf('\\.\n') + 3); // right after the first COPY block
    const out = join(dir, 'cut.out.sql');
    const r = await runHmsdr(['rewrite', '--map', 'hdfs://nn1.prod:8020=hdfs://drns', '--out', out], { input: cut });
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toMatch(/without pg_dump's closing lines.*truncated/);
    expect(existsSync(out) || existsSync(`${out}.part`)).toBe(false);
  });

  it('writes --out in place when it names a pipe (as /dev/null does a device), follows a link, replaces neither', async () => {
    const fifo = join(dir, 'out.fifo');
    const received = join(dir, 'from-fifo.sql');
    const reader = fifoReader(fifo, received);
    const r = await runHmsdr(['rewrite', '--map', 'hdfs://nn1.prod:8020=hdfs://drns', '--out', fifo], { input: plain });
    const { stillPipe } = await reader.finished();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(stillPipe).toBe(true);
    expect(existsSync(`${fifo}.part`)).toBe(false);
    expect(readFileSync(received, 'latin1')).toContain('hdfs://drns/warehouse/t50\n');

    const real = join(dir, 'linked.sql');
    writeFileSync(real, 'the dump before\n');
    const link = join(dir, 'link.sql');
    symlinkSync(real, link);
    const l = await runHmsdr(['rewrite', '--map', 'hdfs://nn1.prod:8020=hdfs://drns', '--out', link], { input: plain });
    expect(l.exitCode, l.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'latin1')).toContain('hdfs://drns/warehouse/t50\n');
  });

  it('warns when a rule without port matches nothing while host:8020 occurs; --strict makes it exit 5', async () => {
    const lenient = await runHmsdr(['rewrite', '--map', 'hdfs://nn1.prod=hdfs://drns'], { input: plain });
    expect(lenient.exitCode).toBe(0);
    expect(lenient.stderr).toMatch(
      /matched 0 value\(s\), but the same host occurs 51 time\(s\) with another port: hdfs:\/\/nn1\.prod:8020 ×51/,
    );
    expect(lenient.stderr).toContain('--match-default-port');
    const strict = await runHmsdr(['rewrite', '--map', 'hdfs://nn1.prod=hdfs://drns', '--strict'], { input: plain });
    expect(strict.exitCode).toBe(5);
    const fixed = await runHmsdr(['rewrite', '--map', 'hdfs://nn1.prod=hdfs://drns', '--match-default-port', '--strict'], { input: plain });
    expect(fixed.exitCode).toBe(0);
    expect(fixed.stderr).not.toMatch(/WARNING: rule/);
  });

  it('starts without yargs or any other package: `rewrite --map` loads hmsdr modules only', async () => {
    // A module hook in the child lists every file it loads (node_modules paths name their package).
    const list = join(dir, 'loaded.txt');
    const hook = `import { registerHooks } from 'node:module'; import { appendFileSync } from 'node:fs';
      registerHooks({ load(url, context, next) { appendFileSync(process.env.LOADED_LIST, url + '\\n'); return next(url, context); } });`;
    const r = await runHmsdr(
      ['rewrite', '--map', 'hdfs://nn1.prod:8020=hdfs://drns', '--in', writeDump('hook.sql', plain), '--out', join(dir, 'hook.out.sql')],
      {
        env: { NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(hook)}`, LOADED_LIST: list },
      },
    );
    expect(r.exitCode).toBe(0);
    const loaded = readFileSync(list, 'utf8').trim().split('\n');
    // The rewriter, bundled by the build (rewrite-fast.bundle.cjs) or, after a plain tsc, its modules;
    // with the build's code cache for this Node, the bundle is run from its source, read as a file
    // (code-cache.ts): then neither is loaded as a module.
    const asModule = loaded.some((url) => url.endsWith('/cli/rewrite-fast.bundle.cjs') || url.endsWith('/rewrite/rewrite-fd.js'));
    expect(asModule).toBe(usableCodeCache(join(repoRoot, 'dist/src/cli/rewrite-fast.bundle.cjs')) === undefined);
    expect(loaded.filter((url) => url.includes('/node_modules/'))).toEqual([]);
  });
});
