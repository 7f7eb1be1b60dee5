// `hmsdr bundle` through the built CLI: a run directory (with a password that leaked into a stderr
// capture, an event and a report), a config naming its secrets by env and file → a .tar.gz that
// tar reads, holding what docs/monitoring.md lists, each member's sha256 in its index, and no
// trace of any password in any member.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { completeRun, RUN_ID } from '../harness/report-runs.js';
import { runHmsdr } from '../harness/cli.js';
import { fifoReader } from '../harness/fifo.js';
import { minimalConfigYaml } from '../harness/config.js';

const PASSWORD = 'Lab-DR-Pa55word-7731';
const FILE_PASSWORD = 'Source-File-Secret-9902';
let dir: string;
const roots: string[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmsdr-bundle-'));
  roots.push(dir);
});
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function walk(root: string): string[] {
  return readdirSync(root, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(root, e.name)) : [join(root, e.name)]));
}

describe('hmsdr bundle', () => {
  it('contains the run, the sanitised config, versions, snapshots, service records, an index with sha256; no password anywhere', async () => {
    const run = completeRun();
    const runsDir = join(run.dir, '..');
    roots.push(runsDir);
    // A careless capture: the password in stderr, in an event, in a URL of the report.
    writeFileSync(join(run.dir, 'stderr', 'dump-metastore.pg_dump.log'), `pg_dump: connection to postgres://hive:${PASSWORD}@db failed\n`);
    appendFileSync(join(run.dir, 'events.ndjson'), `${JSON.stringify({ level: 'warn', event: 'oops', detail: `password=${PASSWORD}` })}\n`);
    writeFileSync(join(run.dir, 'report.md'), `# report\nsource: https://admin:${FILE_PASSWORD}@ambari:8443/api\n`);
    const secretFile = join(dir, 'source.pw');
    writeFileSync(secretFile, `${FILE_PASSWORD}\n`, { mode: 0o600 });
    const config = minimalConfigYaml({ runsDir, drPasswordEnv: 'DR_PW' }).replace(
      'database: hive, user: hive }',
      `database: hive, user: hive, passwordFile: ${secretFile} }`,
    );
    writeFileSync(join(dir, 'hmsdr.yaml'), config);
    const output = join(dir, 'out.tar.gz');

    const result = await runHmsdr(['bundle', RUN_ID, '-o', output, '--config', join(dir, 'hmsdr.yaml')], {
      env: { DR_PW: PASSWORD, PATH: process.env.PATH ?? '' },
      cwd: dir,
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(output);
    expect(statSync(output).mode & 0o777).toBe(0o600);

    const extracted = join(dir, 'x');
    const tar = spawnSync('sh', ['-c', `mkdir -p "${extracted}" && tar -xzf "${output}" -C "${extracted}"`], { encoding: 'utf8' });
    expect(tar.status, tar.stderr).toBe(0);
    const root = join(extracted, `hmsdr-bundle-${RUN_ID}`);
    const names = walk(root)
      .map((f) => relative(root, f))
      .sort();
    for (const expected of [
      'index.json',
      'config/hmsdr.yaml',
      'versions.json',
      'snapshots.json',
      'service-control.json',
      'run/state.json',
      'run/events.ndjson',
      'run/report.md',
      'run/stderr/dump-metastore.pg_dump.log',
    ])
      expect(names).toContain(expected);

    // The index lists every other member with its size and sha256, and they match.
    const index = JSON.parse(readFileSync(join(root, 'index.json'), 'utf8')) as {
      runId: string;
      members: Array<{ name: string; bytes: number; sha256: string }>;
    };
    expect(index.runId).toBe(RUN_ID);
    expect(index.members.map((m) => m.name).sort()).toEqual(names.filter((n) => n !== 'index.json'));
    for (const m of index.members) {
      const data = readFileSync(join(root, m.name));
      expect(data.length).toBe(m.bytes);
      expect(createHash('sha256').update(data).digest('hex')).toBe(m.sha256);
    }

    // No password, in any member, in any common encoding.
    const forms = [PASSWORD, FILE_PASSWORD, Buffer.from(PASSWORD).toString('base64'), encodeURIComponent(FILE_PASSWORD)];
    for (const file of walk(root)) {
      const text = readFileSync(file, 'utf8');
      for (const form of forms) expect(text, `${relative(root, file)} holds a secret`).not.toContain(form);
    }
    // What was redacted is marked, and the config still says where each secret comes from.
    expect(readFileSync(join(root, 'run/stderr/dump-metastore.pg_dump.log'), 'utf8')).toContain('postgres://hive:***@db');
    const sanitised = readFileSync(join(root, 'config/hmsdr.yaml'), 'utf8');
    expect(sanitised).toContain('passwordEnv: DR_PW');
    expect(sanitised).toContain(`passwordFile: ${secretFile}`);
    // The step outputs' versions and snapshot names are gathered.
    const versions = JSON.parse(readFileSync(join(root, 'versions.json'), 'utf8')) as Record<string, unknown>;
    expect(versions['node']).toBe(process.versions.node);
    expect(Object.keys(versions).length).toBeGreaterThan(1);
    const snapshots = JSON.parse(readFileSync(join(root, 'snapshots.json'), 'utf8')) as { 'copy-data': Array<{ snapshot: string }> };
    expect(snapshots['copy-data'][0]?.snapshot).toBe(`hmsdr-${RUN_ID}`);
    expect(existsSync(join(root, 'service-control.json'))).toBe(true);
  });

  it('-o a named pipe (or /dev/stdout piped on): the archive is streamed into it, its summary goes to stderr', async () => {
    const run = completeRun();
    roots.push(join(run.dir, '..'));
    writeFileSync(join(dir, 'hmsdr.yaml'), minimalConfigYaml({ runsDir: join(run.dir, '..') }));
    const fifo = join(dir, 'bundle.fifo');
    const received = join(dir, 'received.tar.gz');
    const reader = fifoReader(fifo, received);
    const result = await runHmsdr(['bundle', RUN_ID, '-o', fifo, '--config', join(dir, 'hmsdr.yaml')], { cwd: dir });
    const { stillPipe } = await reader.finished();
    expect(result.exitCode, result.stderr).toBe(0);
    expect(stillPipe).toBe(true);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${fifo}: `);
    const list = spawnSync('tar', ['-tzf', received], { encoding: 'utf8' });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toContain(`hmsdr-bundle-${RUN_ID}/index.json`);
  });

  it('-o naming a directory: a clear error (exit 4) naming it, nothing left behind', async () => {
    const run = completeRun();
    roots.push(join(run.dir, '..'));
    writeFileSync(join(dir, 'hmsdr.yaml'), minimalConfigYaml({ runsDir: join(run.dir, '..') }));
    const target = join(dir, 'a-directory');
    mkdirSync(target);
    const result = await runHmsdr(['bundle', RUN_ID, '-o', target, '--config', join(dir, 'hmsdr.yaml')], { cwd: dir });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain(`cannot write the bundle (${target}): it is a directory (EISDIR)`);
    expect(readdirSync(dir).sort()).toEqual(['a-directory', 'hmsdr.yaml']);
  });

  it('an unknown run is refused (exit 4) and writes nothing', async () => {
    writeFileSync(join(dir, 'hmsdr.yaml'), minimalConfigYaml({ runsDir: join(dir, 'runs') }));
    const result = await runHmsdr(['bundle', '20260101t000000', '-o', join(dir, 'b.tar.gz'), '--config', join(dir, 'hmsdr.yaml')], {
      cwd: dir,
    });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain('no run 20260101t000000');
    expect(existsSync(join(dir, 'b.tar.gz'))).toBe(false);
  });
});
