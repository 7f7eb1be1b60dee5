// A private real OpenSSH sshd for the lab and the tests: generated host and client keys, bound to
// 127.0.0.1 on a free port, config and authorized_keys in its own directory.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './pg-cluster.js';

export const SSHD_BIN = '/usr/sbin/sshd';
/** The OS user the lab creates (as root only) for password logins and non-root permission checks. */
export const TEST_USER = 'hmsdr-ssh-test';

export class SshdNotInstalledError extends Error {}

export interface TestUser {
  readonly name: string;
  /** Random, created once per machine; kept in a root-only file. */
  readonly password: string;
  readonly home: string;
}

export interface Sshd {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The user the client logs in as (the current OS user). */
  readonly user: string;
  /** ed25519 private key without passphrase, authorized for `user` (and for `testUser`). */
  readonly clientKeyFile: string;
  /** `SHA256:...` of the host key, as `ssh-keygen -lf` prints it. */
  readonly hostKeyFingerprint: string;
  /** A known_hosts file holding the host key for `[127.0.0.1]:port`. */
  readonly knownHostsFile: string;
  /** The known_hosts line of the host key (for tests that build their own files). */
  readonly knownHostsLine: string;
  /** Set when running as root: a non-root account that accepts passwords. */
  readonly testUser: TestUser | undefined;
  readonly dir: string;
  /** The last lines sshd wrote to stderr (for failure messages). */
  log(): string;
  /** Stop gracefully (SIGTERM) and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL the daemon and every session process it forked (simulates a dropped link / crashed host). */
  kill(): Promise<void>;
  /** Start it again on the same port with the same keys. */
  start(): Promise<void>;
  /** SIGSTOP every session process (a server that stops reading, the TCP link still open); returns the SIGCONT. */
  pauseSessions(): () => void;
  /** Kill and delete the directory. */
  destroy(): Promise<void>;
}

export interface StartSshdOptions {
  /** Directory for keys, config, logs (created). */
  dir: string;
  port?: number;
  /** Also allow password logins for the test user (root only). */
  passwordAuthentication?: boolean;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

function keygen(args: string[]): string {
  const result = spawnSync('ssh-keygen', args, { encoding: 'utf8' });
  if (result.error) throw new SshdNotInstalledError('ssh-keygen not found: install the Debian package `openssh-client`');
  if (result.status !== 0) throw new Error(`ssh-keygen ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

/** Create (once) the non-root test account and its password; idempotent and race-safe. */
export function ensureTestUser(): TestUser {
  if (!isRoot()) throw new Error(`creating the OS user ${TEST_USER} needs root`);
  const home = `/home/${TEST_USER}`;
  if (spawnSync('id', ['-u', TEST_USER]).status !== 0) {
    const made = spawnSync('useradd', ['-m', '-d', home, '-s', '/bin/sh', TEST_USER], { encoding: 'utf8' });
    if (made.status !== 0 && !/already exists/.test(made.stderr)) throw new Error(`useradd ${TEST_USER} failed: ${made.stderr.trim()}`);
  }
  // Shared by every test run on this host, like the OS user (the test suite's own TMPDIR is private).
  const stateDir = join(process.env.HMSDR_SHARED_TMPDIR ?? tmpdir(), 'hmsdr-ssh-test-user');
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const passwordFile = join(stateDir, 'password');
  let password: string;
  try {
    password = randomBytes(18).toString('base64url');
    writeFileSync(passwordFile, password, { flag: 'wx', mode: 0o600 });
    // The password travels on chpasswd's stdin, never in argv.
    execFileSync('chpasswd', [], { input: `${TEST_USER}:${password}\n` });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    password = readFileSync(passwordFile, 'utf8').trim();
  }
  return { name: TEST_USER, password, home };
}

function sshdConfig(dir: string, port: number, passwordAuthentication: boolean): string {
  return (
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_ed25519_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      `PermitRootLogin ${isRoot() ? 'prohibit-password' : 'no'}`,
      'PubkeyAuthentication yes',
      `PasswordAuthentication ${passwordAuthentication ? 'yes' : 'no'}`,
      'KbdInteractiveAuthentication no',
      'AllowTcpForwarding yes',
      'AllowAgentForwarding no',
      'X11Forwarding no',
      'PrintMotd no',
      'MaxSessions 50',
      'MaxStartups 50:30:100',
      `LogLevel ${process.env.HMSDR_SSHD_LOGLEVEL ?? 'INFO'}`,
      `Subsystem sftp internal-sftp`,
      // sshd runs every command through the login shell, and bash sources ~/.bashrc for it: a
      // developer's root .bashrc (pyenv init, conda…) costs ~0.7 s of CPU per remote command.
      // The lab's root sessions get a home of their own, without one. The password test user
      // (shell /bin/sh) keeps its own.
      ...(isRoot() ? ['Match User root', `  SetEnv HOME=${sessionHome(dir)}`] : []),
    ].join('\n') + '\n'
  );
}

/** HOME of the lab's root sessions (an empty directory in the sshd directory). */
const sessionHome = (dir: string): string => join(dir, 'home');

/** Every descendant pid of `root` (from /proc), children first found, for killing a session tree. */
function descendantsOf(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      /* exited meanwhile */
    }
  }
  const found: number[] = [];
  const wanted = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parentOf) {
      if (wanted.has(ppid) && !wanted.has(pid)) {
        wanted.add(pid);
        found.push(pid);
        grew = true;
      }
    }
  }
  return found;
}

async function waitForPort(port: number, child: ChildProcess, log: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sshd exited with code ${child.exitCode}: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`sshd did not listen on 127.0.0.1:${port} within ${timeoutMs} ms: ${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Start a private sshd; resolves when the port accepts connections. */
export async function startSshd(options: StartSshdOptions): Promise<Sshd> {
  if (!existsSync(SSHD_BIN)) {
    throw new SshdNotInstalledError(
      `${SSHD_BIN} not found: install the Debian package \`openssh-server\` (apt-get install openssh-server)`,
    );
  }
  const dir = options.dir;
  const port = options.port ?? (await freePort());
  const passwordAuthentication = options.passwordAuthentication ?? isRoot();
  mkdirSync(dir, { recursive: true });
  mkdirSync(sessionHome(dir), { recursive: true, mode: 0o700 });
  // Traversable by the test user: sshd reads authorized_keys with the target user's uid.
  chmodSync(dir, 0o755);
  if (isRoot()) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation dir
  const hostKey = join(dir, 'host_ed25519_key');
  const clientKeyFile = join(dir, 'client_ed25519');
  if (!existsSync(hostKey)) keygen(['-q', '-t', 'ed25519', '-N', '', '-C', 'hmsdr-lab-host', '-f', hostKey]);
  if (!existsSync(clientKeyFile)) keygen(['-q', '-t', 'ed25519', '-N', '', '-C', 'hmsdr-lab-client', '-f', clientKeyFile]);
  const authorizedKeys = join(dir, 'authorized_keys');
  writeFileSync(authorizedKeys, readFileSync(`${clientKeyFile}.pub`, 'utf8'), { mode: 0o644 });
  chmodSync(authorizedKeys, 0o644);
  const hostPub = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/);
  const knownHostsLine = `[127.0.0.1]:${port} ${hostPub[0]} ${hostPub[1]}`;
  const knownHostsFile = join(dir, 'known_hosts');
  writeFileSync(knownHostsFile, knownHostsLine + '\n');
  const hostKeyFingerprint = keygen(['-l', '-E', 'sha256', '-f', `${hostKey}.pub`]).split(/\s+/)[1] ?? '';
  const testUser = isRoot() ? ensureTestUser() : undefined;
  const configFile = join(dir, 'sshd_config');
  writeFileSync(configFile, sshdConfig(dir, port, passwordAuthentication));
  const check = spawnSync(SSHD_BIN, ['-t', '-f', configFile], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`sshd -t rejected ${configFile}: ${check.stderr.trim()}`);

  let child: ChildProcess | undefined;
  let logText = '';
  const start = async (): Promise<void> => {
    logText = '';
    const proc = spawn(SSHD_BIN, ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr?.on('data', (b: Buffer) => {
      logText = (logText + b.toString('utf8')).slice(-8000);
    });
    child = proc;
    await waitForPort(port, proc, () => logText);
  };
  const exited = (proc: ChildProcess): Promise<void> =>
    proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise((r) => proc.once('exit', () => r()));
  const signalSessions = (pids: readonly number[], signal: NodeJS.Signals): void => {
    for (const pid of pids) {
      try {
        process.kill(pid, signal);
      } catch {
        /* already gone */
      }
    }
  };
  const killSessions = (): void => {
    if (child?.pid !== undefined) signalSessions(descendantsOf(child.pid), 'SIGKILL');
  };
  const pauseSessions = (): (() => void) => {
    const pids = child?.pid === undefined ? [] : descendantsOf(child.pid);
    signalSessions(pids, 'SIGSTOP');
    return () => signalSessions(pids, 'SIGCONT');
  };
  const stop = async (): Promise<void> => {
    if (!child) return;
    const proc = child;
    proc.kill('SIGTERM');
    await exited(proc);
    child = undefined;
  };
  const kill = async (): Promise<void> => {
    if (!child) return;
    const proc = child;
    killSessions();
    proc.kill('SIGKILL');
    await exited(proc);
    child = undefined;
  };
  await start();
  return {
    host: '127.0.0.1',
    port,
    user: userInfo().username,
    clientKeyFile,
    hostKeyFingerprint,
    knownHostsFile,
    knownHostsLine,
    testUser,
    dir,
    log: () => logText,
    stop,
    kill,
    start,
    pauseSessions,
    destroy: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
