// Refusals with the engine fixture: a rollback refused before anything ran leaves no run directory,
// and a resume after a config change names the keys that changed and accepts the safe ones.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { repoRoot, runHmsdr } from '../harness/cli.js';
import { minimalConfigYaml } from '../harness/config.js';

const script = join(repoRoot, 'test/fixtures/engine-cli.mjs');
let dir: string;
let world: string;
let env: Record<string, string>;
const cli = (...args: string[]) => runHmsdr([...args, '--config', join(dir, 'hmsdr.yaml')], { script, env, cwd: dir });
const runs = () => (existsSync(join(dir, 'runs')) ? readdirSync(join(dir, 'runs')).filter((n) => !n.startsWith('.')) : []);
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
