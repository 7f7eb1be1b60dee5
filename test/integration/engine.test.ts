// The runbook engine in real processes with real files: fail/resume, SIGKILL/resume, lock, interrupt, secrets.
import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, runHmsdr, startHmsdr } from '../harness/cli.js';
import { minimalConfigYaml } from '../harness/config.js';

const script = join(repoRoot, 'test/fixtures/engine-cli.mjs');
const PASSWORD = 'S3cret-Pa55word-xyz';

let dir: string;
let world: string;
let env: Record<string, string>;
const cli = (...args: string[]) => runHmsdr([...args, '--config', join(dir, 'hmsdr.yaml')], { script, env, cwd: dir });
const state = (runId: string) => JSON.parse(readFileSync(join(dir, 'runs', runId, 'state.json'), 'utf8'));
const onlyRun = () => readdirSync(join(dir, 'runs')).filter((n) => !n.startsWith('.'))[0]!;

async function waitFor(path: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!existsSync(path)) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${path}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmsdr-engine-'));
  world = join(dir, 'world');
  env = { ENGINE_WORLD: world, DR_DB_PASSWORD: PASSWORD, PATH: process.env.PATH ?? '' };
  writeFileSync(join(dir, 'hmsdr.yaml'), minimalConfigYaml({ drPasswordEnv: 'DR_DB_PASSWORD' }));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('runbook engine', () => {
  it('fails at step 3, then resume skips 1-2 and retries 3', async () => {
    await cli('plan'); // the fixture creates the world directory
    writeFileSync(join(world, 'fail-s3'), '');

    const first = await cli('rehearse', '--yes');
    expect(first.exitCode).toBe(1);
    const runId = onlyRun();
    expect(first.stderr).toContain('s3 failed');
    expect(first.stderr).toContain(`hmsdr resume ${runId}`);
    let s = state(runId);
    expect([s.steps.s1.status, s.steps.s2.status, s.steps.s3.status, s.steps.s4.status]).toEqual(['done', 'done', 'failed', 'pending']);
    const s1Started = statSync(join(world, 's1.started')).mtimeMs;

    const status = await cli('status', runId);
    expect(status.exitCode).toBe(7);
    expect(status.stdout).toContain(`next: hmsdr resume ${runId}`);

    const resumed = await cli('resume', runId, '--yes');
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    s = state(runId);
    expect(Object.values(s.steps).map((r) => (r as { status: string }).status)).toEqual(['done', 'done', 'done', 'done']);
    expect(s.steps.s3.attempts).toBe(2);
    expect(s.steps.s1.attempts).toBe(1);
    expect(statSync(join(world, 's1.started')).mtimeMs).toBe(s1Started); // not run again
    // Every probe's time is counted: s1–s3 probed by the first run, s3 and s4 by the resume (done
    // steps are not probed again).
    for (const id of ['s1', 's2', 's3', 's4']) expect(typeof s.steps[id].probeMs, id).toBe('number');
    const probes = readFileSync(join(dir, 'runs', runId, 'events.ndjson'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"step-probe"'));
    expect(probes).toHaveLength(5);
    for (const line of probes) expect(JSON.parse(line).durationMs).toBeGreaterThanOrEqual(0);
    expect((await cli('status', runId)).exitCode).toBe(0);
  });

  it('never writes the password to events.ndjson, state.json, stderr captures or error output', async () => {
    await cli('plan'); // world dir
    writeFileSync(join(world, 'fail-s3'), '');
    const result = await cli('rehearse', '--yes');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('postgres://u:***@db');
    const runDir = join(dir, 'runs', onlyRun());
    const files = [
      join(runDir, 'state.json'),
      join(runDir, 'events.ndjson'),
      ...readdirSync(join(runDir, 'stderr')).map((f) => join(runDir, 'stderr', f)),
    ];
    expect(readFileSync(join(runDir, 'events.ndjson'), 'utf8')).toContain('step-fail');
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toContain(PASSWORD);
    expect(result.stderr + result.stdout).not.toContain(PASSWORD);
    expect((await cli('plan')).stdout).toContain('PGPASSWORD=***');
  });

  it('whatever the umask, what a run creates is private: directories 0700, files 0600', async () => {
    await cli('plan');
    const saved = process.umask(0); // the CLI child inherits it
    let result: Awaited<ReturnType<typeof cli>>;
    try {
      result = await cli('rehearse', '--yes');
    } finally {
      process.umask(saved);
    }
    expect(result.exitCode, result.stderr).toBe(0);
    const runDir = join(dir, 'runs', onlyRun());
    expect(readdirSync(join(runDir, 'stderr')).length).toBeGreaterThan(0);
    expect(readdirSync(runDir)).toEqual(
      expect.arrayContaining(['state.json', 'events.ndjson', 'summary.json', 'report.md', 'report.html']),
    );
    const modes: Record<string, string> = {};
    const walk = (path: string): void => {
      const stat = statSync(path);
      modes[path.slice(dir.length)] = (stat.mode & 0o777).toString(8);
      if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    };
    walk(join(dir, 'runs'));
    const expected = Object.fromEntries(Object.keys(modes).map((p) => [p, statSync(join(dir, p)).isDirectory() ? '700' : '600']));
    expect(modes).toEqual(expected);
  });

  it('a runsDir that is a regular file, or that this user may not write: a clear error, exit 4 (not an internal error)', async () => {
    await cli('plan'); // the world directory
    writeFileSync(join(dir, 'runs-file'), 'not a directory');
    writeFileSync(join(dir, 'hmsdr.yaml'), minimalConfigYaml({ drPasswordEnv: 'DR_DB_PASSWORD', runsDir: './runs-file' }));
    const asFile = await cli('rehearse', '--yes');
    expect(asFile.exitCode, asFile.stderr).toBe(4);
    expect(asFile.stderr).toContain(
      `the runs directory ${join(dir, 'runs-file')} cannot hold runs: it exists and is not a directory (EEXIST)`,
    );
    expect(asFile.stderr).not.toMatch(/internal error|a bug/);

    // Read-only for the user running hmsdr (root writes anywhere, so then the CLI runs as nobody).
    mkdirSync(join(dir, 'runs-ro'), { mode: 0o755 });
    writeFileSync(join(dir, 'hmsdr.yaml'), minimalConfigYaml({ drPasswordEnv: 'DR_DB_PASSWORD', runsDir: './runs-ro' }));
    const root = process.getuid?.() === 0;
    if (root) chmodSync(dir, 0o755);
    else chmodSync(join(dir, 'runs-ro'), 0o555);
    const args = [script, 'rehearse', '--yes', '--config', join(dir, 'hmsdr.yaml')];
    const readOnly = root
      ? await execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...args], {
          env: { ...env, NO_COLOR: '1' },
          cwd: dir,
          reject: false,
        })
      : await execa(process.execPath, args, { env: { ...env, NO_COLOR: '1' }, cwd: dir, reject: false });
    expect(readOnly.exitCode, readOnly.stderr).toBe(4);
    expect(readOnly.stderr).toMatch(/the runs directory .*runs-ro cannot hold runs: permission denied \(EACCES\)/);
    expect(readdirSync(join(dir, 'runs-ro'))).toEqual([]);
  });

  it('a SIGKILL mid-step leaves a state that status explains and resume completes', async () => {
    await cli('plan');
    writeFileSync(join(world, 'hang-s3'), '');
    const child = startHmsdr(['rehearse', '--yes', '--config', join(dir, 'hmsdr.yaml')], { script, env, cwd: dir });
    await waitFor(join(world, 's3.started'));
    child.kill('SIGKILL');
    await child;
    const runId = onlyRun();
    expect(state(runId).steps.s3.status).toBe('running');

    const status = await cli('status', runId);
    expect(status.exitCode).toBe(7);
    expect(status.stdout).toMatch(/stopped without recording an end/);
    // The next command of a run started with --yes carries --yes: typed as printed, it works.
    const next = /next: hmsdr (.*)/.exec(status.stdout)?.[1] ?? '';
    expect(next).toBe(`resume ${runId} --yes --config ${join(dir, 'hmsdr.yaml')}`);

    rmSync(join(world, 'hang-s3'));
    const resumed = await runHmsdr(next.split(' '), { script, env, cwd: dir }); // the dead holder's lock is stale and taken over
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(state(runId).steps.s4.status).toBe('done');
    expect(readFileSync(join(dir, 'runs', runId, 'events.ndjson'), 'utf8')).toContain('stale-lock-removed');
  });

  it('a second concurrent run exits 6 naming the holder; SIGINT marks the step interrupted and exits 130', async () => {
    await cli('plan');
    writeFileSync(join(world, 'hang-s3'), '');
    const child = startHmsdr(['rehearse', '--yes', '--config', join(dir, 'hmsdr.yaml')], { script, env, cwd: dir });
    await waitFor(join(world, 's3.started'));

    const second = await cli('rehearse', '--yes');
    expect(second.exitCode).toBe(6);
    expect(second.stderr).toContain(`pid ${child.pid}`);
    expect(second.stderr).toMatch(/locked by run \d{8}t\d{6}/);
    expect(readdirSync(join(dir, 'runs')).filter((n) => !n.startsWith('.'))).toHaveLength(1); // the refused run left nothing

    child.kill('SIGINT');
    const first = await child;
    expect(first.exitCode).toBe(130);
    const runId = readdirSync(join(dir, 'runs'))
      .filter((n) => !n.startsWith('.'))
      .sort()[0]!;
    expect(state(runId).steps.s3.status).toBe('interrupted');
    expect((await cli('status', runId)).stdout).toContain('s3 interrupted');
  });

  it('refuses destructive steps without a TTY unless --yes, and refuses to resume after a config change unless --force', async () => {
    const refused = await cli('run');
    expect(refused.exitCode).toBe(4);
    expect(refused.stderr).toContain('refusing to run destructive steps (s3)');
    expect(existsSync(join(world, 's1.started'))).toBe(false);
    expect(existsSync(join(dir, 'runs')) ? readdirSync(join(dir, 'runs')).filter((n) => !n.startsWith('.')) : []).toEqual([]); // a refusal leaves no run behind

    writeFileSync(join(world, 'fail-s3'), '');
    expect((await cli('rehearse', '--yes')).exitCode).toBe(1);
    const runId = onlyRun();
    writeFileSync(join(dir, 'hmsdr.yaml'), minimalConfigYaml({ drPasswordEnv: 'DR_DB_PASSWORD', drDatabase: 'hive_other' }));
    const changed = await cli('resume', runId, '--yes');
    expect(changed.exitCode).toBe(4);
    expect(changed.stderr).toContain('configuration changed');
    expect(changed.stderr).toContain('dr.metastore.database differs');
    expect((await cli('resume', runId, '--yes', '--force')).exitCode).toBe(0);
  });
});
