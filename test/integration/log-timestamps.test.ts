// Non-TTY step lines (cron mail, journald) carry an ISO-8601 UTC time; the terminal view does not
// (test/integration/interactive.test.ts asserts the TTY side).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { repoRoot, runHmsdr } from '../harness/cli.js';
import { minimalConfigYaml } from '../harness/config.js';

const script = join(repoRoot, 'test/fixtures/engine-cli.mjs');
let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmsdr-logtime-'));
  writeFileSync(join(dir, 'hmsdr.yaml'), minimalConfigYaml({ drPasswordEnv: 'DR_DB_PASSWORD' }));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('a rehearsal with stdout in a file: every step line carries, after its mark, the ISO time it was logged', async () => {
  const env = { ENGINE_WORLD: join(dir, 'world'), DR_DB_PASSWORD: 'x', PATH: process.env.PATH ?? '' };
  const before = Date.now();
  const r = await runHmsdr(['rehearse', '--yes', '--config', join(dir, 'hmsdr.yaml')], { script, env, cwd: dir });
  const after = Date.now();
  expect(r.exitCode, r.stderr).toBe(0);
  const stepLines = r.stdout.split('\n').filter((line) => /Test step s\d/.test(line));
  expect(stepLines.length).toBeGreaterThanOrEqual(4);
  for (const line of stepLines) {
    const m = /^\S+ \[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\] /.exec(line);
    expect(m, line).not.toBeNull();
    const t = Date.parse(m![1]!);
    expect(t).toBeGreaterThanOrEqual(before - 1000);
    expect(t).toBeLessThanOrEqual(after + 1000);
  }
});
