// Test harness: a private real OpenSSH sshd per test file (see src/lab/sshd.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshd, type Sshd, type StartSshdOptions } from '../../src/lab/sshd.js';
import type { SshHostConfig } from '../../src/config/schema.js';

export type { Sshd };

/** Start a fresh sshd in a temp dir; call `destroy()` in afterAll. */
export async function startTestSshd(label = 'sshd', options: Omit<StartSshdOptions, 'dir'> = {}): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), `hmsdr-${label}-`));
  return startSshd({ ...options, dir });
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
