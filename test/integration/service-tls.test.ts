// TLS with a private CA (issue 6): both emulators serve HTTPS with a server certificate for
// 127.0.0.1 signed by a throw-away CA made with the real openssl CLI; the real clients, built by
// the factory from config, trust it through `caFile` and refuse the server without it or with an
// unrelated CA (before any credentials are sent).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServiceController } from '../../src/adapters/service-control/factory.js';
import type { ControllerState } from '../../src/adapters/service-control/controller.js';
import type { ServiceControlConfig } from '../../src/config/schema.js';
import { startAmbariEmulator } from '../../src/lab/ambari-emulator.js';
import { startCmEmulator } from '../../src/lab/cm-emulator.js';
import { ambariConfig, cmConfig, PASSWORD } from './service-test-kit.js';

interface Pki {
  readonly dir: string;
  /** The CA that signed the server certificate. */
  readonly caFile: string;
  /** A second, unrelated CA. */
  readonly otherCaFile: string;
  readonly tls: { key: string; cert: string };
}

function openssl(args: readonly string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') {
      throw new Error(
        'the openssl CLI is required by this test and was not found on PATH: install the Debian package `openssl` (apt-get install openssl)',
      );
    }
    throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr?.toString() ?? e.message}`);
  }
}

const CA_CONF = `[req]
distinguished_name = dn
prompt = no
x509_extensions = v3_ca
[dn]
CN = placeholder
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
`;

const SERVER_EXT = `basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

function makeCa(dir: string, name: string): void {
  openssl(
    [
      'req',
      '-x509',
      '-config',
      'ca.cnf',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-subj',
      `/CN=hmsdr test ${name}`,
    ],
    dir,
  );
}

function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'hmsdr-tls-'));
  writeFileSync(join(dir, 'ca.cnf'), CA_CONF);
  writeFileSync(join(dir, 'server.ext'), SERVER_EXT);
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  openssl(
    [
      'req',
      '-new',
      '-config',
      'ca.cnf',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=127.0.0.1',
    ],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-set_serial',
      '0x4242',
      '-days',
      '2',
      '-extfile',
      'server.ext',
      '-out',
      'server.pem',
    ],
    dir,
  );
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    otherCaFile: join(dir, 'other-ca.pem'),
    tls: { key: readFileSync(join(dir, 'server.key'), 'utf8'), cert: readFileSync(join(dir, 'server.pem'), 'utf8') },
  };
}

interface TlsBackend {
  readonly url: string;
  config(overrides: { caFile?: string }): ServiceControlConfig;
  readonly env: NodeJS.ProcessEnv;
  /** Requests the emulator received (a refused handshake must leave it at 0). */
  received(): number;
  close(): Promise<void>;
}

let pki: Pki;
beforeAll(() => {
  pki = makePki();
});
afterAll(() => {
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
});

const backends: { name: string; start: () => Promise<TlsBackend> }[] = [
  {
    name: 'ambari',
    start: async () => {
      const e = await startAmbariEmulator({ password: PASSWORD, tls: pki.tls, timing: { pendingMs: 30, queuedMs: 20, inProgressMs: 40 } });
      return {
        url: e.url,
        env: { AMBARI_PW: PASSWORD },
        received: () => e.recorded.length,
        close: () => e.close(),
        config: (o) => ambariConfig(e.url, o),
      };
    },
  },
  {
    name: 'cloudera-manager',
    start: async () => {
      const e = await startCmEmulator({ password: PASSWORD, tls: pki.tls, timing: { pendingMs: 30, inProgressMs: 40 } });
      return {
        url: e.url,
        env: { CM_PW: PASSWORD },
        received: () => e.recorded.length,
        close: () => e.close(),
        config: (o) => cmConfig(e.url, o),
      };
    },
  },
];

const phases = (state: ControllerState): string[] => [...new Set(state.services.flatMap((s) => s.components.map((c) => c.phase)))];

describe.each(backends)('$name over HTTPS with a private CA', ({ start }) => {
  let backend: TlsBackend | undefined;
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
  });

  it('the emulator serves https:// only', async () => {
    backend = await start();
    expect(backend.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('with caFile: reads the Hive state, stops and starts it', async () => {
    backend = await start();
    const controller = createServiceController(backend.config({ caFile: pki.caFile }), { env: backend.env });
    const signal = new AbortController().signal;

    const before = await controller.getState(signal);
    expect(before.observable).toBe(true);
    expect(before.services.length).toBeGreaterThan(0);
    expect(before.services.every((s) => s.components.length > 0)).toBe(true);
    expect(phases(before)).toEqual(['started']);

    const stopped = await controller.stop({ signal });
    expect(stopped.actions.map((a) => a.result)).toEqual(stopped.actions.map(() => 'requested'));
    expect(phases(await controller.getState(signal))).toEqual(['stopped']);

    const started = await controller.start({ signal });
    expect(started.actions.map((a) => a.result)).toEqual(started.actions.map(() => 'requested'));
    expect(phases(await controller.getState(signal))).toEqual(['started']);
    expect(backend.received()).toBeGreaterThan(0);
  });

  const refusals: { case: string; caFile: () => string | undefined }[] = [
    { case: 'without caFile (system trust store only)', caFile: () => undefined },
    { case: 'with an unrelated CA in caFile', caFile: () => pki.otherCaFile },
  ];

  it.each(refusals)('$case: refuses the server with a TLS error that names the fix and not the password', async ({ caFile }) => {
    backend = await start();
    const file = caFile();
    const controller = createServiceController(backend.config(file === undefined ? {} : { caFile: file }), { env: backend.env });
    const error = await controller.getState(new AbortController().signal).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string; hint?: string },
    );
    expect(error).toBeInstanceOf(Error);
    expect(error?.code).toBe('E_HTTP_TLS');
    expect(error?.message).toMatch(/^TLS handshake with (Ambari|Cloudera Manager) at https:\/\/127\.0\.0\.1:\d+ failed: /);
    expect(error?.message).toMatch(/CERT|VERIFY|SIGNATURE|ISSUER/);
    expect(error?.hint).toMatch(/caFile/);
    const shown = `${error?.message ?? ''}\n${error?.hint ?? ''}`;
    expect(shown).not.toContain(PASSWORD);
    expect(shown).not.toContain(Buffer.from(`admin:${PASSWORD}`).toString('base64'));
    // The handshake failed before any HTTP request (and its Authorization header) was sent.
    expect(backend.received()).toBe(0);
  });

  it('an unreadable caFile is a config error naming the file', async () => {
    backend = await start();
    const missing = join(pki.dir, 'no-such-ca.pem');
    expect(() => createServiceController(backend!.config({ caFile: missing }), { env: backend!.env })).toThrow(
      expect.objectContaining({ code: 'E_CONFIG', message: expect.stringContaining(missing) }),
    );
  });
});
