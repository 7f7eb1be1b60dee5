// Streaming uploads through a real sshd: sha256 checked on both ends, `.part` then rename, and the
// failures that must never leave a file named like a complete one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { connectSsh, type SshConnection } from '../../src/adapters/ssh/index.js';
import { localStaging } from '../../src/transfer/staging.js';
import { sshConfigFor, startTestSshd, type Sshd } from '../harness/sshd.js';

let sshd: Sshd;
let ssh: SshConnection;
let dir: string;

beforeAll(async () => {
  sshd = await startTestSshd('ssh-upload');
  ssh = await connectSsh(sshConfigFor(sshd), { where: 'dr.ssh' });
  dir = join(sshd.dir, 'staging');
  mkdirSync(dir);
});

afterAll(async () => {
  ssh?.close();
  await sshd?.destroy();
});

/** `total` bytes of pseudo-random data in 1 MiB chunks, generated lazily (constant memory). */
function generated(total: number, onChunk?: (sent: number) => void): Readable {
  const block = randomBytes(1024 * 1024);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return this.push(null);
      const size = Math.min(block.length, total - sent);
      block[0] = sent & 0xff; // vary the blocks a little
      sent += size;
      onChunk?.(sent);
      this.push(Buffer.from(block.subarray(0, size)));
    },
  });
}

describe('streaming upload', () => {
  it("the staged dump is private (0600) on the DR host whatever the umask (the login's is 022)", async () => {
    const target = join(dir, 'private.sql');
    const upload = ssh.upload(target);
    await pipeline(generated(64 * 1024), upload.stream);
    await expect(upload.done).resolves.toMatchObject({ bytes: 64 * 1024 });
    expect((statSync(target).mode & 0o777).toString(8)).toBe('600');
    rmSync(target);

    // The local staging area (dr.stagingDir without SSH) under umask 000.
    const saved = process.umask(0);
    try {
      const local = localStaging(join(dir, 'local', 'staging'));
      const file = join(local.dir, 'private.sql');
      const written = local.upload(file);
      await pipeline(generated(64 * 1024), written.stream);
      await written.done;
      expect((statSync(local.dir).mode & 0o777).toString(8)).toBe('700');
      expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
    } finally {
      process.umask(saved);
      rmSync(join(dir, 'local'), { recursive: true, force: true });
    }
  });

  it('uploads ~200 MB, sha256 equal on both ends, .part renamed; reports MB/s', async () => {
    const total = 200 * 1024 * 1024;
    const target = join(dir, 'dump.sql');
    const local = createHash('sha256');
    let progress = 0;
    const upload = ssh.upload(target, {
      onProgress: (b) => {
        progress = b;
      },
    });
    const source = generated(total);
    source.on('data', (b: Buffer) => local.update(b));
    const started = performance.now();
    await pipeline(source, upload.stream);
    const result = await upload.done;
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `upload of ${total / 1024 / 1024} MiB over ssh exec: ${(total / 1024 / 1024 / seconds).toFixed(1)} MiB/s (${seconds.toFixed(2)} s)`,
    );
    expect(result).toMatchObject({ remotePath: target, bytes: total, remoteBytes: total, sha256: local.digest('hex') });
    expect(result.remoteSha256).toBe(result.sha256);
    expect(progress).toBe(total);
    expect(statSync(target).size).toBe(total);
    expect(existsSync(`${target}.part`)).toBe(false);
    expect(createHash('sha256').update(readFileSync(target)).digest('hex')).toBe(result.sha256);
    rmSync(target);
  });

  it('an upload that fails mid-stream (source error) leaves neither the final file nor the .part', async () => {
    const target = join(dir, 'cut.sql');
    const upload = ssh.upload(target);
    const source = generated(50 * 1024 * 1024, (sent) => {
      if (sent > 10 * 1024 * 1024) source.destroy(new Error('pg_dump died'));
    });
    await expect(pipeline(source, upload.stream)).rejects.toThrow(/pg_dump died/);
    await expect(upload.done).rejects.toThrow(/stopped: pg_dump died/);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}.part`)).toBe(false);
  });

  it('an abort signal cancels the upload: rejected, no final file', async () => {
    const target = join(dir, 'aborted.sql');
    const controller = new AbortController();
    const upload = ssh.upload(target, {
      signal: controller.signal,
      onProgress: (b) => {
        if (b > 5 * 1024 * 1024) controller.abort();
      },
    });
    await expect(pipeline(generated(100 * 1024 * 1024), upload.stream)).rejects.toThrow(/cancelled/);
    await expect(upload.done).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}.part`)).toBe(false);
  });

  it('a full disk is a clear error (the .part is /dev/full)', async () => {
    const target = join(dir, 'full.sql');
    symlinkSync('/dev/full', `${target}.part`);
    const upload = ssh.upload(target);
    await expect(pipeline(generated(8 * 1024 * 1024), upload.stream)).rejects.toMatchObject({ code: 'E_SSH_UPLOAD_NO_SPACE' });
    const error = (await upload.done.catch((e: unknown) => e)) as Error & { hint?: string };
    expect(error).toMatchObject({ code: 'E_SSH_UPLOAD_NO_SPACE', message: expect.stringContaining('no space left') });
    expect(error.hint).toContain(`df -h ${dir}`);
    expect(existsSync(target)).toBe(false);
  });

  it('an upload into a directory that refuses writes is a clear error', async () => {
    // root ignores directory permissions: as root, log in as the non-root user the lab creates.
    const user = sshd.testUser?.name ?? sshd.user;
    const refusing = join(sshd.dir, 'readonly');
    mkdirSync(refusing);
    chmodSync(refusing, 0o555);
    const asUser = await connectSsh(sshConfigFor(sshd, { user }), { where: 'dr.ssh' });
    try {
      const upload = asUser.upload(join(refusing, 'dump.sql'));
      await expect(pipeline(generated(4 * 1024 * 1024), upload.stream)).rejects.toMatchObject({ code: 'E_SSH_UPLOAD_DENIED' });
      const error = (await upload.done.catch((e: unknown) => e)) as Error & { hint?: string };
      expect(error.message).toMatch(/refuses writes/);
      expect(error.hint).toContain(`ls -ld ${refusing}`);
      expect(existsSync(join(refusing, 'dump.sql'))).toBe(false);
      // Control: the same user can write where allowed, so the refusal came from the directory.
      const open = join(sshd.dir, 'writable');
      mkdirSync(open);
      const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
      chownSync(open, uid, uid);
      const ok = asUser.upload(join(open, 'ok.sql'));
      await pipeline(generated(1024 * 1024), ok.stream);
      await expect(ok.done).resolves.toMatchObject({ bytes: 1024 * 1024 });
    } finally {
      asUser.close();
    }
  });

  it('a connection dropped mid-upload is an error; no final file; the .part never has the final name', async () => {
    const target = join(dir, 'dropped.sql');
    const conn = await connectSsh(sshConfigFor(sshd), { where: 'dr.ssh' });
    const upload = conn.upload(target, {
      onProgress: (b) => {
        if (b > 20 * 1024 * 1024) conn.destroy();
      },
    });
    await expect(pipeline(generated(100 * 1024 * 1024), upload.stream)).rejects.toMatchObject({ code: 'E_SSH_DISCONNECTED' });
    await expect(upload.done).rejects.toThrow(/connection was lost/);
    await new Promise((r) => setTimeout(r, 300)); // let sshd notice and the remote cat finish
    expect(existsSync(target)).toBe(false);
    // With the link gone nobody could remove it: the partial data stays under the .part name.
    expect(existsSync(`${target}.part`)).toBe(true);
    expect(statSync(`${target}.part`).size).toBeLessThan(100 * 1024 * 1024);
  });

  it('sshd killed mid-upload (sessions included): an error, no final file; sshd restarts for the next upload', async () => {
    const target = join(dir, 'killed.sql');
    const conn = await connectSsh(sshConfigFor(sshd), { where: 'dr.ssh' });
    let killing: Promise<void> | undefined;
    const upload = conn.upload(target, {
      onProgress: (b) => {
        if (b > 20 * 1024 * 1024 && !killing) killing = sshd.kill();
      },
    });
    await expect(pipeline(generated(200 * 1024 * 1024), upload.stream)).rejects.toMatchObject({ code: 'E_SSH_DISCONNECTED' });
    await expect(upload.done).rejects.toThrow(/connection was lost/);
    await killing;
    expect(existsSync(target)).toBe(false);
    await sshd.start();
    ssh.close();
    ssh = await connectSsh(sshConfigFor(sshd), { where: 'dr.ssh' });
    const again = ssh.upload(target);
    await pipeline(generated(2 * 1024 * 1024), again.stream);
    await expect(again.done).resolves.toMatchObject({ bytes: 2 * 1024 * 1024 });
    expect(existsSync(`${target}.part`)).toBe(false); // the retry replaced the left-over .part
  });

  it('a server that stops reading mid-upload (its sessions paused, the link open): the keepalive ends it with an error, no final file', async () => {
    const target = join(dir, 'paused.sql');
    const conn = await connectSsh(sshConfigFor(sshd, { keepaliveIntervalMs: 500 }), { where: 'dr.ssh' });
    let resume: (() => void) | undefined;
    const upload = conn.upload(target, {
      onProgress: (b) => {
        if (b > 20 * 1024 * 1024 && !resume) resume = sshd.pauseSessions();
      },
    });
    try {
      await expect(pipeline(generated(200 * 1024 * 1024), upload.stream)).rejects.toMatchObject({ code: 'E_SSH_DISCONNECTED' });
      await expect(upload.done).rejects.toThrow(/connection was lost/);
    } finally {
      resume?.();
      conn.close();
    }
    expect(existsSync(target)).toBe(false);
  });
});
