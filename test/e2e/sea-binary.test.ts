// The single-file executable (npm run build:sea): built once, copied alone into an empty directory
// and run with a PATH that has no `node`; what needs the npm package says so with exit 4.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastSuccessOf, writeLastSuccess } from '../../src/report/freshness.js';
import { buildRunSummary } from '../../src/report/summary.js';
import { repoRoot } from '../harness/cli.js';
import { minimalConfigYaml } from '../harness/config.js';
import { ensureBuilt } from '../harness/e2e-lab.js';
import { startTestPg, type PgCluster } from '../harness/postgres.js';
import { completeRun, RUN_ID } from '../harness/report-runs.js';

let dir = '';
let bin = '';
let cluster: PgCluster | undefined;
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** The binary, from its own empty directory, with a PATH holding only an empty directory. */
function sea(args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(bin, args, {
    cwd: dir,
    env: { PATH: join(dir, 'empty-path'), HOME: dir, NO_COLOR: '1' },
    input,
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'hmsdr-sea-'));
  const built = join(dir, 'build');
  execFileSync(process.execPath, [join(repoRoot, 'dist', 'scripts', 'build-sea.js'), built], { stdio: 'pipe' });
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'empty-path'));
  bin = join(dir, 'bin', 'hmsdr');
  copyFileSync(join(built, 'hmsdr'), bin, 0);
  execFileSync('chmod', ['755', bin]);
  rmSync(built, { recursive: true, force: true });
});

afterAll(() => {
  cluster?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the single-file hmsdr binary, without node on PATH', () => {
  it('no node is reachable from the PATH it runs with', () => {
    const r = spawnSync('/bin/sh', ['-c', 'command -v node'], { env: { PATH: join(dir, 'empty-path') } });
    expect(r.status).not.toBe(0);
  });

  it('--version prints the package version injected at build time; --help lists the commands', () => {
    expect(sea(['--version'])).toMatchObject({ status: 0, stdout: `${version}\n` });
    const help = sea(['--help']);
    expect(help.status).toBe(0);
    for (const command of ['plan', 'rehearse', 'rewrite', 'verify', 'check']) expect(help.stdout).toContain(`hmsdr ${command}`);
  });

  it('check reads a run directory: OK with its plugin line, exit 0', () => {
    const runs = join(dir, 'runs');
    mkdirSync(runs);
    const fabricated = completeRun();
    const target = join(runs, RUN_ID);
    renameSync(fabricated.dir, target);
    rmSync(join(fabricated.dir, '..'), { recursive: true, force: true });
    const state = JSON.parse(readFileSync(join(target, 'state.json'), 'utf8')) as { runId: string };
    writeFileSync(join(target, 'state.json'), JSON.stringify({ ...state, runId: RUN_ID }));
    const summary = buildRunSummary(target);
    writeLastSuccess(runs, lastSuccessOf(summary, summary.endedAt));
    writeFileSync(join(dir, 'hmsdr.yaml'), minimalConfigYaml({ runsDir: './runs', drPasswordEnv: 'HMSDR_SEA_UNSET' }));
    const r = sea(['check', '--config', join(dir, 'hmsdr.yaml'), '--rpo-warning', '3650d', '--rpo-critical', '7300d']);
    expect(r.stdout).toMatch(/^HMSDR OK - DR metastore at T0 2026-11-21 05:30 UTC .*\| rpo=\d+s;315360000;630720000 rto=298s\n$/);
    expect(r.status, r.stderr).toBe(0);
  });

  it('rewrite turns a real pg_dump into the DR namespace (stdin to stdout)', async () => {
    cluster = await startTestPg('sea-binary');
    const admin = new pg.Client({ connectionString: cluster.url() });
    await admin.connect();
    await admin.query('create database hms');
    await admin.end();
    const db = new pg.Client({ connectionString: cluster.url('hms') });
    await db.connect();
    await db.query(`create table "SDS" ("SD_ID" bigint primary key, "LOCATION" varchar(4000))`);
    await db.query(`insert into "SDS" select g, 'hdfs://nn1.prod:8020/warehouse/t' || g from generate_series(1, 20) g`);
    await db.end();
    const dump = execFileSync(join(cluster.binDir, 'pg_dump'), ['--no-owner', '-d', cluster.url('hms')], { encoding: 'latin1' });
    const r = sea(['rewrite', '--map', 'hdfs://nn1.prod:8020=hdfs://drns', '--strict'], dump);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('hdfs://drns/warehouse/t20');
    expect(r.stdout).not.toContain('nn1.prod');
  });

  it('lab and docs need the npm package: a clear message, exit 4 (PRECONDITION)', () => {
    for (const command of [['lab', 'up'], ['docs']]) {
      const r = sea(command);
      expect(r.status).toBe(4);
      expect(r.stderr).toContain(`\`${command[0]}\` is not available in the single-file binary`);
    }
  });

  it('contrib/packaging/build-deb.sh wraps it in a .deb: binary, config (conffile), schema, units, runs dir, user script', () => {
    const deb = execFileSync(join(repoRoot, 'contrib', 'packaging', 'build-deb.sh'), [bin, join(dir, 'deb')], {
      encoding: 'utf8',
    }).trim();
    expect(deb).toBe(join(dir, 'deb', `hmsdr_${version}_amd64.deb`));
    const info = execFileSync('dpkg-deb', ['--info', deb], { encoding: 'utf8' });
    expect(info).toContain(`Version: ${version}`);
    expect(info).toMatch(/conffiles/);
    expect(execFileSync('dpkg-deb', ['--field', deb, 'Package'], { encoding: 'utf8' })).toBe('hmsdr\n');
    expect(execFileSync('dpkg-deb', ['--ctrl-tarfile', deb]).length).toBeGreaterThan(0);
    const contents = execFileSync('dpkg-deb', ['--contents', deb], { encoding: 'utf8' });
    expect(contents).toMatch(/^-rwxr-xr-x root\/root +\d+ .* \.\/usr\/bin\/hmsdr$/m);
    expect(contents).toMatch(/^-rw-r----- root\/root .* \.\/etc\/hmsdr\/hmsdr\.yaml$/m);
    expect(contents).toMatch(/^drwx------ root\/root .* \.\/var\/lib\/hmsdr\/$/m);
    expect(contents).toContain('./usr/lib/systemd/system/hmsdr-rehearse.service');
    expect(contents).toContain('./usr/share/hmsdr/hmsdr.schema.json');
    const unpacked = join(dir, 'unpacked');
    execFileSync('dpkg-deb', ['--raw-extract', deb, unpacked]);
    expect(readFileSync(join(unpacked, 'DEBIAN', 'conffiles'), 'utf8')).toBe('/etc/hmsdr/hmsdr.yaml\n');
    expect(readFileSync(join(unpacked, 'DEBIAN', 'preinst'), 'utf8')).toContain('useradd --system');
    expect(readFileSync(join(unpacked, 'etc', 'hmsdr', 'hmsdr.yaml'), 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=/usr/share/hmsdr/hmsdr.schema.json',
    );
  });
});
