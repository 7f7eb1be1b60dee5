// The upload's remote commands are plain sh: run them here, as sshd would run them on the DR host.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Command } from '../../actions/command.js';
import { receivedSha256, uploadCommands } from './upload.js';

const dir = mkdtempSync(join(tmpdir(), 'hmsdr-upload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (command: Command, input?: Buffer) => spawnSync(command.file, command.args, { input, encoding: 'buffer' });

describe('upload commands', () => {
  it('write: the file is private and whole, and the receiver prints the sha256 of what it wrote', () => {
    const path = join(dir, 'dump.sql');
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const result = run(uploadCommands(path).write, data);
    expect(result.status).toBe(0);
    expect(readFileSync(`${path}.part`).equals(data)).toBe(true);
    expect(statSync(`${path}.part`).mode & 0o777).toBe(0o600);
    expect(receivedSha256(result.stdout.toString())).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('write: a failed write is the exit status of the whole command (no pipefail in sh), with the reason', () => {
    const path = join(dir, 'full.sql');
    symlinkSync('/dev/full', `${path}.part`);
    const result = run(uploadCommands(path).write, randomBytes(1024 * 1024));
    expect(result.status).not.toBe(0);
    expect(result.stderr.toString()).toMatch(/No space left on device/);
  });

  it('verify: renames only when the size on disk is the size sent', () => {
    const path = join(dir, 'sized.sql');
    run(uploadCommands(path).write, Buffer.from('0123456789'));
    const wrong = run(uploadCommands(path, 11).verify);
    expect(wrong.status).toBe(3);
    expect(wrong.stderr.toString()).toContain('holds 10 bytes, 11 were sent');
    expect(existsSync(path)).toBe(false);
    const right = run(uploadCommands(path, 10).verify);
    expect(right.status).toBe(0);
    expect(right.stdout.toString().trim()).toBe('10');
    expect(existsSync(path)).toBe(true);
    expect(existsSync(`${path}.part`)).toBe(false);
  });

  // The DR host's tools: sh and tee, with or without a working openssl (a PATH of links to them).
  const hostWith = (tools: Record<string, string>): NodeJS.ProcessEnv => {
    const bin = mkdtempSync(join(dir, 'bin-'));
    for (const [name, target] of Object.entries({ sh: '/bin/sh', tee: '/usr/bin/tee', ...tools })) symlinkSync(target, join(bin, name));
    return { PATH: bin };
  };

  it.each<[string, Record<string, string>, RegExp]>([
    ['OpenSSL where it works', { openssl: '/usr/bin/openssl', sha256sum: '/usr/bin/sha256sum' }, / \*stdin\n$/],
    ['sha256sum without openssl', { sha256sum: '/usr/bin/sha256sum' }, / {2}-\n$/],
    ['sha256sum when openssl fails', { openssl: '/bin/false', sha256sum: '/usr/bin/sha256sum' }, / {2}-\n$/],
  ])('write hashes with %s', (_how, tools, line) => {
    for (const tool of Object.values(tools)) expect(existsSync(tool), `${tool} (Debian packages openssl, coreutils)`).toBe(true);
    const path = join(mkdtempSync(join(dir, 'hashed-')), 'dump.sql');
    const data = randomBytes(2 * 1024 * 1024 + 5);
    const result = spawnSync('sh', uploadCommands(path).write.args, { input: data, env: hostWith(tools) });
    expect(result.status, result.stderr.toString()).toBe(0);
    expect(result.stdout.toString()).toMatch(line);
    expect(receivedSha256(result.stdout.toString())).toBe(createHash('sha256').update(data).digest('hex'));
    expect(readFileSync(`${path}.part`).equals(data)).toBe(true);
  });

  it("receivedSha256 reads sha256sum's and OpenSSL's line and nothing else", () => {
    const hex = 'a'.repeat(64);
    expect(receivedSha256(`${hex}  -\n`)).toBe(hex);
    expect(receivedSha256(`${hex} *stdin\n`)).toBe(hex);
    expect(receivedSha256('')).toBeUndefined();
    expect(receivedSha256(`${hex.slice(1)}  -\n`)).toBeUndefined();
  });
});
