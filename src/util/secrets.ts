// Every secret value hmsdr reads is registered here, so logs, state files, reports and error
// messages can be scrubbed in one place whatever path the value took — also the forms a peer may
// echo back (base64 in an Authorization header, URL-encoded in a query, JSON-escaped), and the
// values of credential headers whatever they hold.
const registered = new Set<string>();
/** Longest first: a whole encoded value goes before the fragments it contains. */
let byLength: string[] = [];

export const REDACTED = '***';

/** Shorter encoded fragments would scrub ordinary text. */
const MIN_FRAGMENT = 6;

/**
 * The base64 characters that encode `secret` alone when it sits at byte offset 0, 1 or 2 of a
 * longer encoded value (e.g. the password inside base64("user:password")): the characters that
 * share bits with the neighbouring bytes are left out.
 */
function base64Cores(secret: Buffer): string[] {
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), secret]).toString('base64');
    cores.push(encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + secret.length)) / 6)));
  }
  // The whole value when it is encoded alone (with its last, partial character and padding).
  cores.push(secret.toString('base64'));
  return cores;
}

/** The forms of `value` that can show up in text: raw, base64, base64url, URL- and JSON-encoded. */
function encodedForms(value: string): string[] {
  const forms = [value];
  for (const core of base64Cores(Buffer.from(value, 'utf8'))) {
    forms.push(core, core.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, ''));
  }
  const url = encodeURIComponent(value);
  forms.push(
    url,
    url.replaceAll('%20', '+'),
    url.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
  );
  forms.push(JSON.stringify(value).slice(1, -1));
  return forms.filter((form, i) => (i === 0 || form.length >= MIN_FRAGMENT) && form !== '');
}

/** Remember a secret so that `redact` hides it (and its encoded forms) from anything written or printed. */
export function registerSecret(value: string | undefined): void {
  // Very short values would scrub ordinary words; config rules reject them as passwords anyway.
  if (value === undefined || value.length < 4) return;
  for (const form of encodedForms(value)) registered.add(form);
  byLength = [...registered].sort((a, b) => b.length - a.length);
}

/** Credential headers, as a peer may echo them (`Name: value`, `"name": "value"`, `name=value`); the
 * value stops at a quote or backslash, so a JSON line stays valid JSON. */
const HEADER_VALUE =
  /(^|[^\w-])((?:proxy-)?authorization|(?:set-)?cookie|x-[\w-]*(?:key|token|secret|auth)|api[-_]key)(["']?[ \t]*[:=][ \t]*["']?)([^\r\n"'<>\\]+)/gi;
/** An HTTP auth scheme followed by its credentials, wherever it stands (e.g. an HTML table cell). */
const AUTH_SCHEME = /\b(Basic|Bearer|Digest|Negotiate)([ \t]+)([A-Za-z0-9+/=._~-]{8,})/g;
/** Credentials look encoded: a digit, +, / or =, or a capital letter past the first character. */
const looksEncoded = (token: string): boolean => /[0-9+/=]/.test(token) || /[A-Z]/.test(token.slice(1));

/** Replace every registered secret (in any of its encoded forms) and every credential header value inside `text` by `***`. */
export function redact(text: string): string {
  let out = text;
  for (const secret of byLength) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out
    .replace(HEADER_VALUE, (_all, before: string, name: string, separator: string) => `${before}${name}${separator}${REDACTED}`)
    .replace(AUTH_SCHEME, (all, scheme: string, space: string, token: string) =>
      looksEncoded(token) ? `${scheme}${space}${REDACTED}` : all,
    );
}

/** Deep-redact a JSON-serialisable value: every string in it, one by one (the JSON stays valid). */
export function redactDeep<T>(value: T): T {
  const json = JSON.stringify(value);
  if (json === undefined) return value;
  return JSON.parse(json, (_key, v: unknown) => (typeof v === 'string' ? redact(v) : v)) as T;
}

/** Environment names of external tools that never hold a secret (shown in plans and logs). */
export const PUBLIC_TOOL_ENV: readonly string[] = [
  'HADOOP_CONF_DIR',
  'HADOOP_HOME',
  'HADOOP_USER_NAME',
  'HADOOP_CLIENT_OPTS',
  'JAVA_HOME',
  'PATH',
  'TZ',
  'LANG',
  'LC_ALL',
  'KRB5CCNAME',
  'KRB5_CONFIG',
];

/**
 * The names in `env` whose values are secrets: environment for external tools is secret unless
 * the name is always public (PUBLIC_TOOL_ENV) or declared public (`publicNames`).
 */
export function secretEnvNames(env: Readonly<Record<string, string>>, publicNames: readonly string[] = []): string[] {
  const open = new Set([...PUBLIC_TOOL_ENV, ...publicNames]);
  return Object.keys(env).filter((name) => !open.has(name));
}

/** For tests: forget every registered secret. */
export function clearSecretsForTests(): void {
  registered.clear();
  byLength = [];
}
