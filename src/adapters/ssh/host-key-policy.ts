// The host key policy of one connection: pinned fingerprint, else known_hosts; unknown keys are
// refused unless accept-new is configured; a changed key is always refused.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { AdapterError } from '../../errors/errors.js';
import { ExitCode } from '../../errors/exit-codes.js';
import {
  algorithmsForKeyType,
  checkKnownHost,
  fingerprintOf,
  keyTypeOf,
  knownHostsLine,
  knownHostsName,
  knownKeyTypes,
  parseKnownHosts,
} from './host-key.js';

export interface HostKeySettings {
  readonly host: string;
  readonly port: number;
  readonly knownHostsFile: string;
  readonly hostKeyFingerprint?: string | undefined;
  readonly acceptNewHostKey: boolean;
}

export interface HostKeyPolicy {
  /** For ssh2's `hostVerifier`: true accepts the presented key blob. */
  verify(keyBlob: Buffer): boolean;
  /** Host key algorithms to prefer (those already known for this host). */
  readonly preferredAlgorithms: string[];
  /** Why the key was refused, when it was. */
  failure(): AdapterError | undefined;
}

/** `~/x` → home-relative path. */
export function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

function readKnownHosts(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return '';
    throw new AdapterError('E_SSH_KNOWN_HOSTS', `cannot read the known_hosts file ${file} (${code ?? 'unreadable'})`, {
      cause: error,
      hint: 'make it readable, or pin the host key with hostKeyFingerprint',
    });
  }
}

/** Build the policy for `settings`; `where` is the dotted config path used in messages. */
export function hostKeyPolicy(settings: HostKeySettings, where: string): HostKeyPolicy {
  const name = knownHostsName(settings.host, settings.port);
  const file = expandHome(settings.knownHostsFile);
  const entries = settings.hostKeyFingerprint ? [] : parseKnownHosts(readKnownHosts(file));
  const preferredAlgorithms = knownKeyTypes(entries, settings.host, settings.port).flatMap(algorithmsForKeyType);
  let refused: AdapterError | undefined;

  const changed = (presented: string, expected: string): AdapterError =>
    new AdapterError(
      'E_SSH_HOST_KEY_CHANGED',
      `HOST KEY OF ${name} HAS CHANGED: the server presented ${presented}, expected ${expected}. ` +
        'Someone could be intercepting the connection (man-in-the-middle), or the host was reinstalled. Refusing to connect.',
      {
        exitCode: ExitCode.PRECONDITION,
        hint: settings.hostKeyFingerprint
          ? `verify the new key out of band (on the host: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub); only then update ${where}.hostKeyFingerprint`
          : `verify the new key out of band (on the host: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub); only then remove the old entry with: ssh-keygen -R '${name}' -f ${file}`,
      },
    );

  const verify = (keyBlob: Buffer): boolean => {
    const presented = `${keyTypeOf(keyBlob)} ${fingerprintOf(keyBlob)}`;
    if (settings.hostKeyFingerprint) {
      if (fingerprintOf(keyBlob) === settings.hostKeyFingerprint.replace(/=+$/, '')) return true;
      refused = changed(presented, `${settings.hostKeyFingerprint} (${where}.hostKeyFingerprint)`);
      return false;
    }
    const verdict = checkKnownHost(entries, settings.host, settings.port, keyBlob);
    switch (verdict.status) {
      case 'known':
        return true;
      case 'changed':
        refused = changed(presented, verdict.expected.map((e) => `${e.keyType} ${e.fingerprint} (${file}:${e.line})`).join(' or '));
        return false;
      case 'revoked':
        refused = new AdapterError(
          'E_SSH_HOST_KEY_REVOKED',
          `host key of ${name} (${presented}) is marked @revoked in ${file}:${verdict.line}; refusing to connect`,
          {
            exitCode: ExitCode.PRECONDITION,
            hint: 'the host must get a new host key; verify it out of band and add it to known_hosts',
          },
        );
        return false;
      case 'unknown':
        if (settings.acceptNewHostKey) {
          try {
            mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
            const prefix = existsSync(file) && !/(^|\n)$/.test(readKnownHosts(file)) ? '\n' : '';
            appendFileSync(file, `${prefix}${knownHostsLine(settings.host, settings.port, keyBlob)}\n`, { mode: 0o600 });
          } catch (error) {
            refused = new AdapterError(
              'E_SSH_KNOWN_HOSTS',
              `cannot record the new host key of ${name} in ${file}: ${(error as Error).message}`,
              {
                cause: error,
                hint: `make ${file} writable, or pin the key with ${where}.hostKeyFingerprint: ${fingerprintOf(keyBlob)}`,
              },
            );
            return false;
          }
          return true;
        }
        refused = new AdapterError(
          'E_SSH_HOST_KEY_UNKNOWN',
          `host key of ${name} is not known (${file} has no entry): the server presented ${presented}`,
          {
            exitCode: ExitCode.PRECONDITION,
            hint:
              `compare it with the key on the host (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then either pin it with ` +
              `${where}.hostKeyFingerprint: ${fingerprintOf(keyBlob)}, or add it to known_hosts ` +
              `(ssh-keyscan -p ${settings.port} ${settings.host} >> ${file}), or set ${where}.acceptNewHostKey: true to trust it on first use`,
          },
        );
        return false;
    }
  };
  return { verify, preferredAlgorithms, failure: () => refused };
}
