// Remote commands through a real OpenSSH sshd: quoting round-trips, exit codes, stderr, secrets on
// stdin (never in any process' argv), streaming stdout, cancellation, the Executor contract.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { text } from 'node:stream/consumers';
import { connectSsh, type SshConnection } from '../../src/adapters/ssh/index.js';
import { CommandFailedError } from '../../src/adapters/process/run-command.js';
import { eventually, within } from '../harness/deadline.js';
import { sshConfigFor, startTestSshd, type Sshd } from '../harness/sshd.js';

let sshd: Sshd;
let ssh: SshConnection;

beforeAll(async () => {
  sshd = await startTestSshd('ssh-exec');
  ssh = await connectSsh(sshConfigFor(sshd), { where: 'dr.ssh' });
});

afterAll(async () => {
  ssh?.close();
  await sshd?.destroy();
});

const TRICKY_WORDS = [
  'plain',
  '',
  ' ',
  'two words',
  '  leading and trailing  ',
  "it's",
  "''",
  '"double"',
  '\\back\\slash\\',
  '$HOME',
  '${HOME}',
  '$(id)',
  '`id`',
  '!bang',
  'a;b',
  'a&&b',
  'a|b',
  '>out',
  '<in',
  '*',
  '?',
  '[a-z]',
  '~',
  '~root',
  '#comment',
  'tab\there',
  'new\nline',
  '\r\n',
  'ünïcödé ✓ 日本語',
  'emoji 🙂',
  '-n',
  '--',
  '%s%d',
  '{a,b}',
  'mixed \'q\' "q" $x `y`',
];

describe('remote quoting', () => {
  it('round-trips every argument byte for byte through the remote shell', async () => {
    const result = await ssh.executor().run({ file: 'printf', args: ['%s\\0', ...TRICKY_WORDS] });
    const received = result.stdout.split('\0').slice(0, -1);
    expect(received).toEqual(TRICKY_WORDS);
  });

  it('round-trips env values and the working directory', async () => {
    const result = await ssh.executor().run({
      file: 'sh',
      args: ['-c', 'printf "%s\\0%s\\0" "$HMSDR_X" "$PWD"'],
      env: { HMSDR_X: "a 'b' $c `d`\nz" },
      cwd: '/tmp',
    });
    expect(result.stdout.split('\0').slice(0, 2)).toEqual(["a 'b' $c `d`\nz", '/tmp']);
  });
});

describe('exit codes and stderr', () => {
  it('run resolves on exit 0 and rejects with CommandFailedError and the stderr tail otherwise', async () => {
    await expect(ssh.executor().run({ file: 'true', args: [] })).resolves.toMatchObject({ exitCode: 0 });
    const error = await ssh
      .executor()
      .run({ file: 'sh', args: ['-c', 'echo oops-on-stderr >&2; exit 7'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandFailedError);
    const failed = error as CommandFailedError;
    expect(failed.exitCode_).toBe(7);
    expect(failed.message).toContain(`exited with code 7 on ${sshd.host}`);
    expect(failed.stderrTail).toContain('oops-on-stderr');
  });

  it('runAnyExit and exec return the exit code and both outputs', async () => {
    const result = await ssh.exec({ file: 'sh', args: ['-c', 'echo out; echo err >&2; exit 3'] });
    expect(result).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    await expect(ssh.executor().runAnyExit({ file: 'sh', args: ['-c', 'exit 1'] })).resolves.toMatchObject({ exitCode: 1 });
  });

  it('a missing program is exit 127 with the shell message', async () => {
    const result = await ssh.exec({ file: 'hmsdr-no-such-program', args: [] });
    expect(result.exitCode).toBe(127);
    expect(result.stderr).toMatch(/not found/);
  });

  it('passes input on stdin', async () => {
    const result = await ssh.executor().run({ file: 'wc', args: ['-c'] }, { input: 'x'.repeat(100_000) });
    expect(result.stdout.trim()).toBe('100000');
  });
});

describe('secret environment values', () => {
  it('reach the program through stdin and appear in no process argv on the host', async () => {
    const secret = `s3cr3t-${Date.now()}-'quoted' $x`;
    // The remote program looks at every process' command line while the session runs.
    const script =
      'for f in /proc/[0-9]*/cmdline; do tr "\\0" " " < "$f" 2>/dev/null; echo; done > "$1"; printf %s "$HMSDR_TEST_SECRET"; cat';
    const scan = `${sshd.dir}/cmdlines.txt`;
    const result = await ssh
      .executor()
      .run(
        { file: 'sh', args: ['-c', script, 'scan', scan], env: { HMSDR_TEST_SECRET: secret }, secretEnv: ['HMSDR_TEST_SECRET'] },
        { input: '|and-the-real-input' },
      );
    expect(result.stdout).toBe(`${secret}|and-the-real-input`);
    const cmdlines = readFileSync(scan, 'utf8');
    expect(cmdlines).toContain('HMSDR_TEST_SECRET'); // the scan did see our session's command lines
    expect(cmdlines).not.toContain('s3cr3t-');
    expect(readdirSync('/proc').length).toBeGreaterThan(0);
  });
});

describe('streaming and cancellation', () => {
  it('stream ends after a zero exit with all bytes', async () => {
    const child = ssh.executor().stream({ file: 'sh', args: ['-c', 'head -c 3000000 /dev/zero | tr "\\0" a'] });
    const body = await text(child.stdout);
    expect(body.length).toBe(3_000_000);
    await expect(child.done).resolves.toMatchObject({ exitCode: 0 });
  });

  it('stream errors when the remote command exits non-zero, so a cut output never looks complete', async () => {
    const child = ssh.executor().stream({ file: 'sh', args: ['-c', 'echo partial; echo dump failed >&2; exit 2'] });
    await expect(text(child.stdout)).rejects.toBeInstanceOf(CommandFailedError);
    await expect(child.done).rejects.toMatchObject({ exitCode_: 2 });
  });

  /** Whether a process whose command line contains `pattern` runs on the sshd host. */
  const remoteRuns = async (pattern: string): Promise<boolean> => (await ssh.exec({ file: 'pgrep', args: ['-f', pattern] })).exitCode === 0;

  it('an abort signal stops the remote program (TERM over the channel) and rejects', async () => {
    const marker = `987.${process.pid}`;
    const controller = new AbortController();
    const running = ssh.executor().run({ file: 'sleep', args: [marker] }, { signal: controller.signal });
    running.catch(() => undefined);
    await eventually('the remote sleep to start', () => remoteRuns(`sleep ${marker}`));
    controller.abort();
    // A hang here means the abort was ignored (the sleep lasts 987 s).
    await expect(within('the cancelled run', running)).rejects.toThrow(/cancelled/);
    await eventually('the remote sleep to be gone', async () => !(await remoteRuns(`sleep ${marker}`)));
  });

  it('timeoutMs stops a command that runs too long', async () => {
    const marker = `654.${process.pid}`;
    // Only the timeout ends this run early: the sleep lasts 654 s.
    await expect(within('the timed-out run', ssh.executor().run({ file: 'sleep', args: [marker] }, { timeoutMs: 300 }))).rejects.toThrow(
      /timed out after 300 ms/,
    );
    await eventually('the remote sleep to be gone', async () => !(await remoteRuns(`sleep ${marker}`)));
  });
});
