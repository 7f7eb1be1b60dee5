// Host key checks the way OpenSSH does them: SHA256 fingerprints, and known_hosts files with plain,
// wildcard, `[host]:port` and hashed (`|1|salt|hash`) entries, plus @revoked markers.
import { createHash, createHmac } from 'node:crypto';

export interface KnownHostEntry {
  /** 1-based line in the file. */
  readonly line: number;
  readonly marker: 'revoked' | 'cert-authority' | undefined;
  /** Comma-separated patterns, or a hashed name. */
  readonly hosts: { kind: 'patterns'; patterns: readonly string[] } | { kind: 'hashed'; salt: Buffer; hash: Buffer };
  readonly keyType: string;
  readonly keyBlob: Buffer;
}

/** `SHA256:<base64 without padding>` of a public key blob, as `ssh-keygen -lf` prints it. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type name at the start of an SSH public key blob (`ssh-ed25519`, `ssh-rsa`, ...). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const length = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + length).toString('latin1');
}

/** The name known_hosts uses for host:port (`host` on port 22, `[host]:port` otherwise). */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** A known_hosts line for a key (plain, not hashed: readable and what `ssh-keygen -F` finds). */
export function knownHostsLine(host: string, port: number, keyBlob: Buffer): string {
  return `${knownHostsName(host, port)} ${keyTypeOf(keyBlob)} ${keyBlob.toString('base64')}`;
}

/** Parse a known_hosts file; malformed lines are skipped, as OpenSSH does. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields[0] === '@revoked' ? 'revoked' : 'cert-authority';
      fields.shift();
    }
    const [hostField, keyType, keyBase64] = fields;
    if (!hostField || !keyType || !keyBase64) return;
    const keyBlob = Buffer.from(keyBase64, 'base64');
    if (keyBlob.length === 0 || keyTypeOf(keyBlob) !== keyType) return;
    let hosts: KnownHostEntry['hosts'];
    if (hostField.startsWith('|1|')) {
      const [, , salt, hash] = hostField.split('|');
      if (!salt || !hash) return;
      hosts = { kind: 'hashed', salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
    } else {
      hosts = { kind: 'patterns', patterns: hostField.split(',') };
    }
    entries.push({ line: index + 1, marker, hosts, keyType, keyBlob });
  });
  return entries;
}

function wildcardMatch(pattern: string, name: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(name);
}

/** Does `entry` name this host:port? Negated patterns (`!x`) veto a match, like OpenSSH. */
export function entryMatches(entry: KnownHostEntry, host: string, port: number): boolean {
  const name = knownHostsName(host, port);
  if (entry.hosts.kind === 'hashed') {
    const hash = createHmac('sha1', entry.hosts.salt).update(name).digest();
    return hash.equals(entry.hosts.hash);
  }
  let matched = false;
  for (const pattern of entry.hosts.patterns) {
    const negated = pattern.startsWith('!');
    if (wildcardMatch(negated ? pattern.slice(1) : pattern, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

export type HostKeyVerdict =
  | { status: 'known' }
  | { status: 'unknown' }
  | { status: 'revoked'; line: number }
  /** The host is known with other keys: the key changed (or its type did). */
  | { status: 'changed'; expected: ReadonlyArray<{ line: number; keyType: string; fingerprint: string }> };

/** Check a presented key against known_hosts entries. */
export function checkKnownHost(entries: readonly KnownHostEntry[], host: string, port: number, keyBlob: Buffer): HostKeyVerdict {
  const mine = entries.filter((e) => e.marker !== 'cert-authority' && entryMatches(e, host, port));
  const revoked = entries.find((e) => e.marker === 'revoked' && e.keyBlob.equals(keyBlob));
  if (revoked) return { status: 'revoked', line: revoked.line };
  const plain = mine.filter((e) => e.marker === undefined);
  if (plain.some((e) => e.keyBlob.equals(keyBlob))) return { status: 'known' };
  if (plain.length === 0) return { status: 'unknown' };
  return {
    status: 'changed',
    expected: plain.map((e) => ({ line: e.line, keyType: e.keyType, fingerprint: fingerprintOf(e.keyBlob) })),
  };
}

/** Key types known for host:port, to ask the server for those first (as OpenSSH does). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const types = entries.filter((e) => e.marker === undefined && entryMatches(e, host, port)).map((e) => e.keyType);
  return [...new Set(types)];
}

/** ssh2 host key algorithm names for a known_hosts key type (RSA keys sign with rsa-sha2-*). */
export function algorithmsForKeyType(keyType: string): string[] {
  return keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [keyType];
}
