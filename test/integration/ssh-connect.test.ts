// Connecting to a real sshd: every authentication method, the host key policy (known_hosts plain
// and hashed, unknown, accept-new, changed, pinned), a jump host, tunnels and mapped errors.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Client } from 'ssh2';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { connectSsh } from '../../src/adapters/ssh/index.js';
import { freePort } from '../../src/lab/pg-cluster.js';
import { clearSecretsForTests } from '../../src/util/secrets.js';
import { eventually } from '../harness/deadline.js';
import { sshConfigFor, startTestSshd, type Sshd } from '../harness/sshd.js';

let sshd: Sshd;
const errorOf = (p: Promise<unknown>): Promise<Error & { code?: string; hint?: string }> =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error & { code?: string; hint?: string },
  );

beforeAll(async () => {
  sshd = await startTestSshd('ssh-connect');
});
afterAll(async () => {
  await sshd?.destroy();
  clearSecretsForTests();
});

async function whoami(config: Parameters<typeof connectSsh>[0]): Promise<string> {
  const ssh = await connectSsh(config, { where: 'dr.ssh' });
  try {
    return (await ssh.executor().run({ file: 'id', args: ['-un'] })).stdout.trim();
  } finally {
    ssh.close();
  }
}

describe('authentication', () => {
  it('key file', async () => {
    expect(await whoami(sshConfigFor(sshd))).toBe(sshd.user);
  });

  it('key file with a passphrase from the environment; a wrong passphrase is a clear error without the secret', async () => {
    const keyFile = join(sshd.dir, 'client_with_passphrase');
    copyFileSync(sshd.clientKeyFile, keyFile);
    const passphrase = 'correct horse battery staple';
    const changed = spawnSync('ssh-keygen', ['-p', '-q', '-f', keyFile, '-P', '', '-N', passphrase]);
    expect(changed.status).toBe(0);
    process.env.HMSDR_TEST_KEY_PASS = passphrase;
    expect(await whoami(sshConfigFor(sshd, { keyFile, keyPassphraseEnv: 'HMSDR_TEST_KEY_PASS' }))).toBe(sshd.user);
    process.env.HMSDR_TEST_KEY_PASS = 'wrong-passphrase-value';
    const error = await errorOf(whoami(sshConfigFor(sshd, { keyFile, keyPassphraseEnv: 'HMSDR_TEST_KEY_PASS' })));
    expect(error).toMatchObject({ code: 'E_SSH_KEY', message: expect.stringContaining('wrong passphrase') });
    expect(`${error.message} ${error.hint}`).not.toContain('wrong-passphrase-value');
    delete process.env.HMSDR_TEST_KEY_PASS;
  });

  it('password from env and from file (needs root: sshd checks OS passwords)', async () => {
    if (!sshd.testUser) throw new Error('password authentication test needs root: it creates the OS user hmsdr-ssh-test with a password');
    const { name, password } = sshd.testUser;
    process.env.HMSDR_TEST_SSH_PASSWORD = password;
    expect(await whoami(sshConfigFor(sshd, { user: name, keyFile: undefined, passwordEnv: 'HMSDR_TEST_SSH_PASSWORD' }))).toBe(name);
    const passwordFile = join(sshd.dir, 'password.txt');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    expect(await whoami(sshConfigFor(sshd, { user: name, keyFile: undefined, passwordFile }))).toBe(name);
    delete process.env.HMSDR_TEST_SSH_PASSWORD;
  });

  it('a wrong password is E_SSH_AUTH and the message never holds the password', async () => {
    const name = sshd.testUser?.name ?? sshd.user;
    process.env.HMSDR_TEST_SSH_PASSWORD = 'not-the-password-123';
    const error = await errorOf(whoami(sshConfigFor(sshd, { user: name, keyFile: undefined, passwordEnv: 'HMSDR_TEST_SSH_PASSWORD' })));
    expect(error).toMatchObject({ code: 'E_SSH_AUTH', message: expect.stringContaining(`${name}@127.0.0.1:${sshd.port}`) });
    expect(error.message).toContain('tried: password');
    expect(JSON.stringify({ m: error.message, h: error.hint })).not.toContain('not-the-password-123');
    delete process.env.HMSDR_TEST_SSH_PASSWORD;
  });

  it('a key that is not authorized is E_SSH_AUTH with a hint', async () => {
    const other = join(sshd.dir, 'unauthorized_key');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const error = await errorOf(whoami(sshConfigFor(sshd, { keyFile: other })));
    expect(error.code).toBe('E_SSH_AUTH');
    expect(error.hint).toContain('authorized_keys');
  });

  it('the SSH agent when neither key nor password is configured', async () => {
    const socket = join(sshd.dir, 'agent.sock');
    const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      await eventually('the ssh-agent socket', () => existsSync(socket));
      const added = spawnSync('ssh-add', [sshd.clientKeyFile], { env: { ...process.env, SSH_AUTH_SOCK: socket }, encoding: 'utf8' });
      expect(added.status, added.stderr).toBe(0);
      const saved = process.env.SSH_AUTH_SOCK;
      process.env.SSH_AUTH_SOCK = socket;
      try {
        expect(await whoami(sshConfigFor(sshd, { keyFile: undefined }))).toBe(sshd.user);
      } finally {
        if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
        else process.env.SSH_AUTH_SOCK = saved;
      }
    } finally {
      agent.kill();
    }
  });
});

describe('host key policy', () => {
  it('an unknown host key is refused with the presented fingerprint and how to pin it', async () => {
    const knownHostsFile = join(sshd.dir, 'empty_known_hosts');
    writeFileSync(knownHostsFile, '');
    const error = await errorOf(whoami(sshConfigFor(sshd, { knownHostsFile })));
    expect(error.code).toBe('E_SSH_HOST_KEY_UNKNOWN');
    expect(error.message).toContain(sshd.hostKeyFingerprint);
    expect(error.hint).toContain(`dr.ssh.hostKeyFingerprint: ${sshd.hostKeyFingerprint}`);
    expect(error.hint).toContain('ssh-keyscan');
    expect(readFileSync(knownHostsFile, 'utf8')).toBe('');
  });

  it('accept-new records the key (ssh-keygen -F finds it) and the next connection is verified against it', async () => {
    const knownHostsFile = join(sshd.dir, 'sub', 'accept_new_known_hosts');
    expect(await whoami(sshConfigFor(sshd, { knownHostsFile, acceptNewHostKey: true }))).toBe(sshd.user);
    const found = spawnSync('ssh-keygen', ['-F', `[127.0.0.1]:${sshd.port}`, '-f', knownHostsFile], { encoding: 'utf8' });
    expect(found.status).toBe(0);
    expect(found.stdout).toContain(sshd.knownHostsLine.split(' ')[2]);
    expect(await whoami(sshConfigFor(sshd, { knownHostsFile }))).toBe(sshd.user);
  });

  it('a changed host key is refused loudly, even with acceptNewHostKey', async () => {
    const knownHostsFile = join(sshd.dir, 'changed_known_hosts');
    const impostor = join(sshd.dir, 'impostor_host_key');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', impostor]);
    const [type, blob] = readFileSync(`${impostor}.pub`, 'utf8').split(' ');
    writeFileSync(knownHostsFile, `# a comment\n[127.0.0.1]:${sshd.port} ${type} ${blob}\n`);
    const error = await errorOf(whoami(sshConfigFor(sshd, { knownHostsFile, acceptNewHostKey: true })));
    expect(error.code).toBe('E_SSH_HOST_KEY_CHANGED');
    expect(error.message).toMatch(/HAS CHANGED/);
    expect(error.message).toContain(sshd.hostKeyFingerprint);
    expect(error.message).toContain(`${knownHostsFile}:2`);
    expect(error.hint).toContain('ssh-keygen -R');
  });

  it('hashed known_hosts entries (ssh-keygen -H) are understood', async () => {
    const knownHostsFile = join(sshd.dir, 'hashed_known_hosts');
    writeFileSync(knownHostsFile, `${sshd.knownHostsLine}\n`);
    expect(spawnSync('ssh-keygen', ['-H', '-f', knownHostsFile]).status).toBe(0);
    expect(readFileSync(knownHostsFile, 'utf8')).toMatch(/^\|1\|/);
    expect(await whoami(sshConfigFor(sshd, { knownHostsFile }))).toBe(sshd.user);
  });

  it('a pinned fingerprint is used instead of known_hosts; a different pin is refused', async () => {
    const missing = join(sshd.dir, 'no_such_known_hosts');
    expect(await whoami(sshConfigFor(sshd, { knownHostsFile: missing, hostKeyFingerprint: sshd.hostKeyFingerprint }))).toBe(sshd.user);
    const wrong = `SHA256:${'A'.repeat(43)}`;
    const error = await errorOf(whoami(sshConfigFor(sshd, { hostKeyFingerprint: wrong })));
    expect(error.code).toBe('E_SSH_HOST_KEY_CHANGED');
    expect(error.message).toContain(sshd.hostKeyFingerprint);
    expect(error.message).toContain(wrong);
  });
});

describe('jump host, tunnels and connection errors', () => {
  it('connects through a jump host (the same sshd as bastion and target), verifying both host keys', async () => {
    const config = sshConfigFor(sshd, {
      jump: {
        host: sshd.host,
        port: sshd.port,
        user: sshd.user,
        keyFile: sshd.clientKeyFile,
        knownHostsFile: sshd.knownHostsFile,
        acceptNewHostKey: false,
      },
    });
    expect(await whoami(config)).toBe(sshd.user);
    const badJump = sshConfigFor(sshd, {
      jump: {
        host: sshd.host,
        port: sshd.port,
        user: sshd.user,
        keyFile: sshd.clientKeyFile,
        knownHostsFile: join(sshd.dir, 'empty_known_hosts'),
        acceptNewHostKey: false,
      },
    });
    const error = await errorOf(whoami(badJump));
    expect(error.code).toBe('E_SSH_HOST_KEY_UNKNOWN');
    expect(error.hint).toContain('dr.ssh.jump.hostKeyFingerprint');
  });

  it("turns Nagle's algorithm off on the SSH socket (else every query through a tunnel waits for a delayed ACK)", async () => {
    const setNoDelay = vi.spyOn(Client.prototype, 'setNoDelay');
    try {
      const ssh = await connectSsh(sshConfigFor(sshd), { where: 'dr.ssh' });
      ssh.close();
      expect(setNoDelay).toHaveBeenCalledWith(true);
    } finally {
      setNoDelay.mockRestore();
    }
  });

  it("sends a tick's SSH packets to the socket in one write (ssh2 writes each packet in pieces)", async () => {
    const sink: Server = createServer((socket) => socket.resume());
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
    const ssh = await connectSsh(sshConfigFor(sshd), { where: 'dr.ssh' });
    try {
      const channel = await ssh.forwardOut('127.0.0.1', (sink.address() as { port: number }).port);
      const socket = (ssh as unknown as { client: { _sock: Socket } }).client._sock;
      const writes = vi.spyOn(socket, 'write');
      const sent = [
        vi.spyOn(socket as unknown as { _write: () => void }, '_write'),
        vi.spyOn(socket as unknown as { _writev: () => void }, '_writev'),
      ];
      channel.write(Buffer.alloc(512 * 1024, 1)); // 16 packets of 32 KiB within the channel's first window
      await new Promise((resolve) => setImmediate(resolve));
      expect(writes.mock.calls.length).toBeGreaterThanOrEqual(32);
      expect(sent.reduce((n, spy) => n + spy.mock.calls.length, 0)).toBeLessThanOrEqual(2);
      channel.destroy();
    } finally {
      ssh.close();
      sink.close();
    }
  });

  it('socketTo is a socket to a TCP service behind the SSH host, its writes of one tick one SSH write; a refused service is E_SSH_FORWARD', async () => {
    const echo: Server = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
    const echoPort = (echo.address() as { port: number }).port;
    const ssh = await connectSsh(sshConfigFor(sshd), { where: 'dr.ssh' });
    const forwardOut = ssh.forwardOut.bind(ssh);
    const channelWrites: number[] = [];
    vi.spyOn(ssh, 'forwardOut').mockImplementation(async (host, port) => {
      const channel = await forwardOut(host, port);
      const write = channel.write.bind(channel) as (chunk: Buffer, cb?: () => void) => boolean;
      channel.write = ((chunk: Buffer, cb?: () => void) => {
        channelWrites.push(chunk.length);
        return write(chunk, cb);
      }) as typeof channel.write;
      return channel;
    });
    try {
      const socket = ssh.socketTo('127.0.0.1', echoPort);
      const reply = await new Promise<string>((resolve, reject) => {
        socket.connect().once('connect', () =>
          setImmediate(() => {
            // As pg-copy-streams sends a chunk: a 5-byte header, then the data, in one tick.
            socket.write(Buffer.from('head:'));
            socket.write(Buffer.from(' ping through ssh'));
            socket.end();
          }),
        );
        let data = '';
        socket.on('data', (b: Buffer) => {
          data += b.toString();
        });
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      expect(reply).toBe('head: ping through ssh');
      expect(channelWrites).toEqual([22]); // one SSH packet, not a 5-byte one and another
      const refused = ssh.socketTo('127.0.0.1', await freePort());
      const error = await new Promise<unknown>((resolve) => refused.connect().on('error', resolve));
      expect(error).toMatchObject({ code: 'E_SSH_FORWARD' });
    } finally {
      ssh.close();
      echo.close();
    }
  });

  it('a refused connection is E_SSH_CONNECT with a hint', async () => {
    const port = await freePort();
    const error = await errorOf(whoami(sshConfigFor(sshd, { port })));
    expect(error).toMatchObject({ code: 'E_SSH_CONNECT', message: expect.stringContaining('refused') });
    expect(error.hint).toContain(`port ${port}`);
  });

  it('a server that never completes the handshake is E_SSH_TIMEOUT', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    try {
      const error = await errorOf(whoami(sshConfigFor(sshd, { port, readyTimeoutMs: 1000 })));
      expect(error.code).toBe('E_SSH_TIMEOUT');
    } finally {
      silent.close();
    }
  });
});
