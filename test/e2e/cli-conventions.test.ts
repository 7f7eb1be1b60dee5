// The conventions operators expect of a command-line tool, through the built CLI.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHmsdr } from '../harness/cli.js';

describe('CLI conventions', () => {
  it('hmsdr completion prints a bash script, and a zsh one under zsh', async () => {
    const bash = await runHmsdr(['completion'], { env: { SHELL: '/bin/bash' } });
    expect(bash.exitCode).toBe(0);
    expect(bash.stdout).toContain('###-begin-hmsdr-completions-###');
    expect(bash.stdout).toContain('complete -o bashdefault -o default -F _hmsdr_yargs_completions hmsdr');
    const zsh = await runHmsdr(['completion'], { env: { SHELL: '/usr/bin/zsh' } });
    expect(zsh.stdout).toMatch(/^#compdef hmsdr/m);
    expect(zsh.stdout).toContain('compdef _hmsdr_yargs_completions hmsdr');
  });

  it('completes command names', async () => {
    const r = await runHmsdr(['--get-yargs-completions', 'hmsdr', 'reh']);
    expect(r.stdout.split('\n')).toContain('rehearse');
  });

  it('with --json, an error is a JSON object on stdout and the exit code is unchanged', async () => {
    const r = await runHmsdr(['status', '--json', '--config', '/nonexistent/hmsdr.yaml']);
    expect(r.exitCode).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({
      error: { code: 'E_CONFIG', exitCode: 3, message: expect.stringContaining('/nonexistent/hmsdr.yaml'), hint: expect.any(String) },
    });
    expect(r.stderr).toContain('E_CONFIG');
  });

  it('numeric options are validated: history --limit abc is a usage error (exit 2), also as JSON', async () => {
    const r = await runHmsdr(['history', '--limit', 'abc', '--json']);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'E_USAGE', exitCode: 2, message: '--limit abc: expected a whole number ≥ 1' });
    expect((await runHmsdr(['rewrite', '--map', 'hdfs://a=hdfs://b', '--max-value-length', '0'])).exitCode).toBe(2);
  });

  it('hmsdr docs lists the pages and prints one; an unknown page is a usage error', async () => {
    const list = await runHmsdr(['docs']);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(/^runbook\s+\S/m);
    expect(list.stdout).toMatch(/^troubleshooting\s+\S/m);
    const page = await runHmsdr(['docs', 'exit-codes']);
    expect(page.exitCode).toBe(0);
    expect(page.stdout).toMatch(/^# Exit codes/);
    const missing = await runHmsdr(['docs', 'nope']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('one of: ');
  });

  it('--help points at hmsdr docs, not at repository paths', async () => {
    const r = await runHmsdr(['--help']);
    expect(r.stdout).toContain('hmsdr docs runbook');
    expect(r.stdout).not.toMatch(/docs\/\w+\.md/);
  });

  it('rehearse --json with an unreachable source: stdout is one JSON object with the error, exit 4', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmsdr-json-'));
    try {
      // Nothing listens on ports 1 and 2 of the loopback: both metastores are unreachable.
      writeFileSync(
        join(dir, 'hmsdr.yaml'),
        `version: 1
source:
  name: prod
  nameNode: hdfs://nn1.prod:8020
  metastore: { host: 127.0.0.1, port: 1, database: hive, user: hive, passwordEnv: HMSDR_TEST_PW }
dr:
  name: dr
  nameNode: hdfs://drns
  stagingDir: ${join(dir, 'staging')}
  metastore: { host: 127.0.0.1, port: 2, database: hive, user: hive, passwordEnv: HMSDR_TEST_PW }
  serviceControl: { type: none }
`,
      );
      const r = await runHmsdr(['rehearse', '--yes', '--json', '--config', join(dir, 'hmsdr.yaml')], { env: { HMSDR_TEST_PW: 'pw' } });
      expect(r.exitCode).toBe(4);
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toEqual({
        error: {
          code: 'E_PRECONDITION',
          exitCode: 4,
          message: expect.stringMatching(/cannot reach PostgreSQL at 127\.0\.0\.1:1/),
          hint: expect.any(String),
        },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
