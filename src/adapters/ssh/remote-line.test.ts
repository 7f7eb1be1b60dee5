import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { JOB_ENV, killJobCommand, remoteInvocation } from './remote-line.js';

describe('remoteInvocation', () => {
  it('quotes with shellQuote and execs the program last', () => {
    const { line, stdinPrefix } = remoteInvocation({ file: 'pg_dump', args: ['-d', 'hive metastore', "it's"] });
    expect(line).toBe(`exec pg_dump -d 'hive metastore' 'it'\\''s'`);
    expect(stdinPrefix).toBe('');
  });

  it('puts secret values on stdin, never in the line; other env and cwd go in the line', () => {
    const secret = 'p@ss w0rd $HOME `id`';
    const { line, stdinPrefix } = remoteInvocation(
      {
        file: 'psql',
        args: ['-X'],
        env: { PGPASSWORD: secret, PGHOST: 'db 1' },
        secretEnv: ['PGPASSWORD'],
        cwd: '/var/tmp/x y',
      },
      'job1',
    );
    expect(line).not.toContain('p@ss');
    expect(line).toBe(
      `export ${JOB_ENV}=job1 && cd '/var/tmp/x y' && IFS= read -r PGPASSWORD && export PGPASSWORD && export PGHOST='db 1' && exec psql -X`,
    );
    expect(stdinPrefix).toBe(`${secret}\n`);
  });

  it('the line, run by a local sh with the prefix on stdin, gives the program the exact values', () => {
    const secret = "  spaces, 'quotes', \\backslash, $dollar  ";
    const { line, stdinPrefix } = remoteInvocation({
      file: 'sh',
      args: ['-c', 'printf "%s|%s|" "$S" "$P"; cat'],
      env: { S: secret, P: 'plain' },
      secretEnv: ['S'],
    });
    const out = execFileSync('sh', ['-c', line], { input: `${stdinPrefix}rest of stdin`, encoding: 'utf8' });
    expect(out).toBe(`${secret}|plain|rest of stdin`);
  });

  it('refuses secrets that a line-based read cannot carry, and bad env names, without echoing the secret', () => {
    expect(() => remoteInvocation({ file: 'x', args: [], env: { S: 'a\nb-secret' }, secretEnv: ['S'] })).toThrow(/S contains a line break/);
    try {
      remoteInvocation({ file: 'x', args: [], env: { S: 'a\nb-secret' }, secretEnv: ['S'] });
    } catch (e) {
      expect(String(e)).not.toContain('b-secret');
    }
    expect(() => remoteInvocation({ file: 'x', args: [], env: { 'A;rm -rf /': '1' } })).toThrow(/invalid environment variable name/);
  });
});

describe('killJobCommand', () => {
  it('names the job tag as an argument, so the killer itself never matches', () => {
    const command = killJobCommand('abc');
    expect(command.args).toContain(`${JOB_ENV}=abc`);
    expect(command.env).toBeUndefined();
  });
});
