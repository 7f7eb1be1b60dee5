import { describe, expect, it } from 'vitest';
import { createHmac, randomBytes } from 'node:crypto';
import {
  algorithmsForKeyType,
  checkKnownHost,
  entryMatches,
  fingerprintOf,
  keyTypeOf,
  knownHostsLine,
  knownKeyTypes,
  parseKnownHosts,
} from './host-key.js';

/** A syntactically valid public key blob: string type + string payload. */
function blob(type: string, payload = randomBytes(32)): Buffer {
  const t = Buffer.from(type);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(t.length);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(payload.length);
  return Buffer.concat([head, t, len, payload]);
}
const b64 = (b: Buffer): string => b.toString('base64');
function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('fingerprints', () => {
  it('is SHA256 base64 without padding, like ssh-keygen -lf', () => {
    // `echo "ssh-ed25519 AAAAC3...GKJl" | ssh-keygen -lf -` prints SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU
    const key = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl', 'base64');
    expect(fingerprintOf(key)).toBe('SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU');
    expect(keyTypeOf(key)).toBe('ssh-ed25519');
  });
});

describe('known_hosts', () => {
  const ed = blob('ssh-ed25519');
  const other = blob('ssh-ed25519');
  const rsa = blob('ssh-rsa');

  it('matches plain names, [host]:port, lists, wildcards and negations', () => {
    const entries = parseKnownHosts(
      [
        `db1.example.com,10.0.0.5 ssh-ed25519 ${b64(ed)}`,
        `[db2.example.com]:2222 ssh-ed25519 ${b64(ed)}`,
        `*.lab,!bad.lab ssh-ed25519 ${b64(ed)}`,
      ].join('\n'),
    );
    expect(entries).toHaveLength(3);
    const [plain, bracket, wild] = entries as [(typeof entries)[0], (typeof entries)[0], (typeof entries)[0]];
    expect(entryMatches(plain, 'db1.example.com', 22)).toBe(true);
    expect(entryMatches(plain, 'DB1.example.com', 22)).toBe(true);
    expect(entryMatches(plain, '10.0.0.5', 22)).toBe(true);
    expect(entryMatches(plain, 'db1.example.com', 2222)).toBe(false); // non-standard port needs [host]:port
    expect(entryMatches(bracket, 'db2.example.com', 2222)).toBe(true);
    expect(entryMatches(bracket, 'db2.example.com', 22)).toBe(false);
    expect(entryMatches(wild, 'x.lab', 22)).toBe(true);
    expect(entryMatches(wild, 'bad.lab', 22)).toBe(false);
    expect(entryMatches(wild, 'x.lab.evil', 22)).toBe(false);
  });

  it('matches hashed names (|1|salt|hmac-sha1)', () => {
    const entries = parseKnownHosts(`${hashed('[10.1.1.1]:2200')} ssh-ed25519 ${b64(ed)}\n`);
    expect(checkKnownHost(entries, '10.1.1.1', 2200, ed)).toEqual({ status: 'known' });
    expect(checkKnownHost(entries, '10.1.1.1', 22, ed)).toEqual({ status: 'unknown' });
    expect(checkKnownHost(entries, '10.1.1.2', 2200, ed)).toEqual({ status: 'unknown' });
  });

  it('says known, unknown, changed (same or other type) and revoked', () => {
    const text = [
      '# comment',
      '',
      `h1 ssh-ed25519 ${b64(ed)}`,
      `h2 ssh-rsa ${b64(rsa)}`,
      `@revoked * ssh-ed25519 ${b64(other)}`,
      `@cert-authority *.ca ssh-ed25519 ${b64(other)}`,
      'garbage line',
      `h3 ssh-ed25519 not-base64-of-a-key`,
    ].join('\n');
    const entries = parseKnownHosts(text);
    expect(entries.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(checkKnownHost(entries, 'h1', 22, ed)).toEqual({ status: 'known' });
    expect(checkKnownHost(entries, 'h9', 22, ed)).toEqual({ status: 'unknown' });
    expect(checkKnownHost(entries, 'h1', 22, blob('ssh-ed25519'))).toMatchObject({
      status: 'changed',
      expected: [{ line: 3, fingerprint: fingerprintOf(ed) }],
    });
    expect(checkKnownHost(entries, 'h2', 22, ed)).toMatchObject({ status: 'changed', expected: [{ line: 4, keyType: 'ssh-rsa' }] });
    expect(checkKnownHost(entries, 'h1', 22, other)).toEqual({ status: 'revoked', line: 5 });
    expect(checkKnownHost(entries, 'x.ca', 22, other)).toEqual({ status: 'revoked', line: 5 });
  });

  it('writes lines it reads back, and prefers known key types', () => {
    const line = knownHostsLine('127.0.0.1', 2022, ed);
    expect(line).toBe(`[127.0.0.1]:2022 ssh-ed25519 ${b64(ed)}`);
    const entries = parseKnownHosts(`${line}\nh2 ssh-rsa ${b64(rsa)}`);
    expect(checkKnownHost(entries, '127.0.0.1', 2022, ed)).toEqual({ status: 'known' });
    expect(knownKeyTypes(entries, 'h2', 22)).toEqual(['ssh-rsa']);
    expect(algorithmsForKeyType('ssh-rsa')).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  });
});
