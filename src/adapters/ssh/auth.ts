// Which SSH authentication methods a host config asks for: key file (optionally with a passphrase
// from the environment), password from env/file, else the SSH agent. Secrets are registered for redaction.
import { readFileSync } from 'node:fs';
// ssh2 is CommonJS: under Node's ESM loader only its default export is reliable.
import ssh2, { type AnyAuthMethod, type ParsedKey } from 'ssh2';
const { utils } = ssh2;
import { AdapterError, ConfigError } from '../../errors/errors.js';
import { readSecret } from '../../config/secrets.js';
import { registerSecret } from '../../util/secrets.js';
import { expandHome } from './host-key-policy.js';

export interface AuthSettings {
  readonly user: string;
  readonly keyFile?: string | undefined;
  readonly keyPassphraseEnv?: string | undefined;
  readonly passwordEnv?: string | undefined;
  readonly passwordFile?: string | undefined;
}

export interface AuthPlan {
  readonly methods: AnyAuthMethod[];
  /** Method names for messages, e.g. `publickey (/home/u/.ssh/id_ed25519)`. */
  readonly described: string[];
}

function loadKey(settings: AuthSettings, where: string, env: NodeJS.ProcessEnv): ParsedKey {
  const file = expandHome(settings.keyFile ?? '');
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`${where}.keyFile: cannot read ${file} (${code})`, [
      { path: `${where}.keyFile`, message: `cannot read ${file} (${code})` },
    ]);
  }
  let passphrase: string | undefined;
  if (settings.keyPassphraseEnv) {
    passphrase = env[settings.keyPassphraseEnv];
    if (passphrase === undefined || passphrase === '') {
      throw new ConfigError(`${where}.keyPassphraseEnv: environment variable ${settings.keyPassphraseEnv} is not set`, [
        { path: `${where}.keyPassphraseEnv`, message: `environment variable ${settings.keyPassphraseEnv} is not set` },
      ]);
    }
    registerSecret(passphrase);
  }
  const parsed = utils.parseKey(data, passphrase);
  if (parsed instanceof Error) {
    const encrypted = /encrypted|passphrase|decrypt/i.test(parsed.message);
    throw new AdapterError(
      'E_SSH_KEY',
      `cannot use the private key ${file}: ${encrypted ? (passphrase ? 'wrong passphrase' : 'it is encrypted and no passphrase was given') : 'not a supported private key'}`,
      {
        hint: encrypted
          ? `set ${where}.keyPassphraseEnv to the name of an environment variable holding the passphrase`
          : 'use an OpenSSH or PEM private key (ed25519, ecdsa or rsa)',
      },
    );
  }
  return parsed;
}

/** The methods to try, in order: key file, then password; the agent only when neither is configured. */
export function authPlan(settings: AuthSettings, where: string, env: NodeJS.ProcessEnv = process.env): AuthPlan {
  const username = settings.user;
  const methods: AnyAuthMethod[] = [];
  const described: string[] = [];
  if (settings.keyFile) {
    methods.push({ type: 'publickey', username, key: loadKey(settings, where, env) });
    described.push(`publickey (${settings.keyFile})`);
  }
  const password = readSecret(settings, where, env);
  if (password !== undefined) {
    methods.push({ type: 'password', username, password });
    methods.push({
      type: 'keyboard-interactive',
      username,
      prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)),
    });
    described.push('password');
  }
  if (methods.length === 0) {
    const agent = env.SSH_AUTH_SOCK;
    if (!agent) {
      throw new ConfigError(
        `${where}: no way to authenticate: set keyFile, passwordEnv or passwordFile, or run an SSH agent (SSH_AUTH_SOCK)`,
        [{ path: where, message: 'no keyFile, no password and no SSH agent (SSH_AUTH_SOCK is not set)' }],
      );
    }
    methods.push({ type: 'agent', username, agent });
    described.push(`agent (${agent})`);
  }
  return { methods, described };
}
