// Refusals with the engine fixture: a rollback refused before anything ran leaves no run directory,
// and a resume after a config change names the keys that changed and accepts the safe ones.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, runHmsdr } from '../harness/cli.js';
import { minimalConfigYaml } from '../harness/config.js';

const script = join(repoRoot, 'test/fixtures/engine-cli.mjs');
let dir: string;
let world: string;
let env: Record<string, string>;
const cli = (...args: string[]) => runHmsdr([...args, '--config', join(dir, 'hmsdr.yaml')], { script, env, cwd: dir });
// Run directories only (runsDir also holds history.html and last-success.json).
const runs = () =>
  existsSync(join(dir, 'runs'))
    ? readdirSync(join(dir, 'runs'), { withFileTypes: true })
        .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
        .map((e) => e.name)
    : [];
const state = (runId: string) => JSON.parse(readFileSync(join(dir, 'runs', runId, 'state.json'), 'utf8'));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmsdr-refusals-'));
  world = join(dir, 'world');
  env = { ENGINE_WORLD: world, DR_DB_PASSWORD: 'pw-one', PATH: process.env.PATH ?? '' };
  writeFileSync(join(dir, 'hmsdr.yaml'), minimalConfigYaml({ drPasswordEnv: 'DR_DB_PASSWORD' }));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('a rollback refused by its first check leaves no run directory; status still points at the run it would undo', async () => {
  expect((await cli('rehearse', '--yes')).exitCode).toBe(0);
  const [runId] = runs();
  writeFileSync(join(world, 'block-s1'), '');
  const refused = await cli('rollback', runId!, '--yes');
  expect(refused.exitCode, refused.stderr).toBe(4);
  expect(refused.stderr).toContain('s1 is blocked');
  expect(runs()).toEqual([runId]);
  const status = await cli('status');
  expect(status.exitCode).toBe(0);
  expect(status.stdout).toContain(`run ${runId}`);
});

it('a blocked step after one that ran keeps its run directory (something ran: resume continues it)', async () => {
  await cli('plan', '--offline');
  writeFileSync(join(world, 'block-s2'), '');
  expect((await cli('rehearse', '--yes')).exitCode).toBe(4);
  const [runId] = runs();
  expect(state(runId!).steps.s1.status).toBe('done');
});

describe('resume after the config changed', () => {
  async function failedRun(): Promise<string> {
    await cli('plan', '--offline');
    writeFileSync(join(world, 'fail-s3'), '');
    expect((await cli('rehearse', '--yes')).exitCode).toBe(1);
    return runs()[0]!;
  }

  it('accepts connection details, secret sources and timeouts without --force, and names them', async () => {
    const runId = await failedRun();
    env.DR_DB_PASSWORD_NEW = 'pw-two';
    writeFileSync(join(dir, 'hmsdr.yaml'), minimalConfigYaml({ drPasswordEnv: 'DR_DB_PASSWORD_NEW', drPort: 5499 }));
    const resumed = await cli('resume', runId, '--yes');
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('resuming with: dr.metastore.passwordEnv, dr.metastore.port');
    expect(state(runId).configValues.dr.metastore.port).toBe(5499); // the next resume compares with this
  });

  it('refuses a change of databases, naming the key, and says which changes would have been safe', async () => {
    const runId = await failedRun();
    writeFileSync(join(dir, 'hmsdr.yaml'), minimalConfigYaml({ drPasswordEnv: 'DR_DB_PASSWORD', drPort: 5499, drDatabase: 'hive_two' }));
    const refused = await cli('resume', runId, '--yes');
    expect(refused.exitCode).toBe(4);
    expect(refused.stderr).toContain('dr.metastore.database differs');
    expect(refused.stderr).toContain('safe to change in a run: dr.metastore.port');
    expect((await cli('resume', runId, '--yes', '--force')).exitCode).toBe(0);
  });

  it('an older ledger without the stored config keeps refusing any change without --force', async () => {
    const runId = await failedRun();
    const path = join(dir, 'runs', runId, 'state.json');
    const old = JSON.parse(readFileSync(path, 'utf8'));
    delete old.configValues;
    writeFileSync(path, JSON.stringify(old));
    writeFileSync(join(dir, 'hmsdr.yaml'), minimalConfigYaml({ drPasswordEnv: 'DR_DB_PASSWORD', drPort: 5499 }));
    const refused = await cli('resume', runId, '--yes');
    expect(refused.exitCode).toBe(4);
    expect(refused.stderr).toContain(`the configuration changed since run ${runId} started`);
  });
});

it('the end of a run shows the headline, its figures and the report paths; each step its result', async () => {
  const ok = await cli('rehearse', '--yes');
  expect(ok.exitCode).toBe(0);
  const [runId] = runs();
  expect(ok.stdout).toContain(`Run ${runId} completed`);
  expect(ok.stdout).toContain('outcome   OK (exit 0)');
  expect(ok.stdout).toMatch(/RPO .* · RTO .* · Hive down on DR/);
  expect(ok.stdout).toContain(`report    ${join(dir, 'runs', runId!, 'report.html')}`);
  expect(ok.stdout + ok.stderr).toContain('result of s3: s3 done');

  writeFileSync(join(world, 'fail-s2'), '');
  rmSync(join(world, 's2.done'));
  const failed = await cli('rehearse', '--yes');
  expect(failed.exitCode).toBe(1);
  expect(failed.stderr).toContain('outcome   FAILED (exit 1)');
  expect(failed.stderr).toContain('RPO — (not applied)');
});
