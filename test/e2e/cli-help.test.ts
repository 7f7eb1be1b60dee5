// The built CLI explains itself: --help for every command, usage errors exit 2, config errors 3.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHmsdr } from '../harness/cli.js';

const dirs: string[] = [];
const track = (dir: string): string => (dirs.push(dir), dir);
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const COMMANDS = [
  'run',
  'rehearse',
  'resume',
  'status',
  'plan',
  'rollback',
  'failover',
  'init',
  'rewrite',
  'verify',
  'lab',
  'history',
  'check',
  'bundle',
];

describe('hmsdr --help', () => {
  it('lists every command and the exit codes', async () => {
    const result = await runHmsdr(['--help']);
    expect(result.exitCode).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toMatch(new RegExp(`hmsdr ${command}\\b`));
    expect(result.stdout).toContain('130  INTERRUPTED');
  });

  it.each(COMMANDS)('%s --help explains the command', async (command) => {
    const result = await runHmsdr([command, '--help']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`hmsdr ${command}`));
    expect(result.stdout.split('\n').length).toBeGreaterThan(5);
  });

  it('an unknown command or flag is a usage error (exit 2)', async () => {
    expect((await runHmsdr(['rehears'])).exitCode).toBe(2);
    const flag = await runHmsdr(['plan', '--no-such-flag']);
    expect(flag.exitCode).toBe(2);
    expect(flag.stderr).toMatch(/Unknown argument/);
  });

  it('a missing or broken config is exit 3 with every problem', async () => {
    const dir = track(mkdtempSync(join(tmpdir(), 'hmsdr-cli-')));
    const missing = await runHmsdr(['plan', '--config', join(dir, 'nope.yaml')]);
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toContain('hmsdr init');
    writeFileSync(join(dir, 'bad.yaml'), 'version: 2\nsource: {}\n');
    const bad = await runHmsdr(['plan', '--config', join(dir, 'bad.yaml')]);
    expect(bad.exitCode).toBe(3);
    expect(bad.stderr).toMatch(/line 1: version/);
    expect(bad.stderr).toMatch(/source.name/);
  });

  it('init writes an example that plan then reads (after its secrets exist)', async () => {
    const dir = track(mkdtempSync(join(tmpdir(), 'hmsdr-init-')));
    const init = await runHmsdr(['init', '-o', join(dir, 'hmsdr.yaml')]);
    expect(init.exitCode).toBe(0);
    expect((await runHmsdr(['init', '-o', join(dir, 'hmsdr.yaml')])).exitCode).toBe(4);
    const plan = await runHmsdr(['plan', '--config', join(dir, 'hmsdr.yaml')]);
    expect(plan.exitCode).toBe(3); // the example names env variables and key files that do not exist here
    expect(plan.stderr).toContain('HMSDR_SOURCE_DB_PASSWORD is not set');
  });
});
