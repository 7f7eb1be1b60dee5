// Test harness: a private real OpenSSH sshd per test file (see src/lab/sshd.ts).
import { startSshd, type Sshd, type StartSshdOptions } from '../../src/lab/sshd.js';
import type { SshHostConfig } from '../../src/config/schema.js';
import { makeTempDir, removeTempDir } from './temp.js';

export type { Sshd };

/** Start a fresh sshd in a temp dir; call `destroy()` in afterAll (it removes the dir). */
export async function startTestSshd(label = 'sshd', options: Omit<StartSshdOptions, 'dir'> = {}): Promise<Sshd> {
  const dir = makeTempDir(label);
  try {
    return await startSshd({ ...options, dir });
  } catch (error) {
    removeTempDir(dir);
    throw error;
  }
}

/** A config block for `sshd` with key auth and its known_hosts file; `overrides` win. */
export function sshConfigFor(sshd: Sshd, overrides: Partial<SshHostConfig> = {}): SshHostConfig {
  return {
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    keyFile: sshd.clientKeyFile,
    knownHostsFile: sshd.knownHostsFile,
    acceptNewHostKey: false,
    keepaliveIntervalMs: 5000,
    readyTimeoutMs: 10_000,
    ...overrides,
  };
}
