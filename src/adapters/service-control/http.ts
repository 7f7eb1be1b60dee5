// The small HTTP client shared by the Ambari and Cloudera Manager adapters: basic auth in a header
// (never in the URL), a custom CA, per-call timeouts, AbortSignal, and network errors with hints.
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, fetch } from 'undici';
import { AdapterError, ConfigError, InterruptedError } from '../../errors/errors.js';
import { redact, registerSecret } from '../../util/secrets.js';

export interface HttpClientOptions {
  /** Base URL without trailing slash, e.g. https://ambari.dr:8443 */
  readonly baseUrl: string;
  readonly user: string;
  readonly password: string;
  readonly caFile?: string | undefined;
  /** Extra headers sent on every call (e.g. X-Requested-By). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Time allowed for one HTTP exchange (not for a whole request lifecycle). */
  readonly callTimeoutMs?: number;
  /** Name of the system for messages ("Ambari", "Cloudera Manager"). */
  readonly system: string;
  /** Content-Type of request bodies (default text/plain, which Ambari takes; CM's JSON resources want application/json). */
  readonly contentType?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export interface HttpClient {
  request(method: string, path: string, init: { body?: string; signal: AbortSignal }): Promise<HttpResponse>;
  close(): Promise<void>;
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS/;

export function createHttpClient(options: HttpClientOptions): HttpClient {
  let ca: string | undefined;
  if (options.caFile) {
    try {
      ca = readFileSync(options.caFile, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read CA file ${options.caFile} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  }
  const dispatcher = new Agent(ca === undefined ? {} : { connect: { ca } });
  // `user:password` is a secret of its own: a gateway page that echoes the request carries its base64.
  registerSecret(`${options.user}:${options.password}`);
  const authorization = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`;
  const base = options.baseUrl.replace(/\/+$/, '');

  return {
    async request(method, path, init) {
      const callTimeout = AbortSignal.timeout(options.callTimeoutMs ?? 30_000);
      const signal = AbortSignal.any([init.signal, callTimeout]);
      const headers: Record<string, string> = { authorization, accept: 'application/json', ...options.headers };
      if (init.body !== undefined) headers['content-type'] = options.contentType ?? 'text/plain';
      try {
        const response = await fetch(`${base}${path}`, { method, headers, body: init.body, signal, dispatcher });
        const text = await response.text();
        return { status: response.status, headers: response.headers, text };
      } catch (error) {
        if (init.signal.aborted) throw new InterruptedError(`interrupted while talking to ${options.system}`, { cause: error });
        if (callTimeout.aborted) {
          throw new AdapterError(
            'E_HTTP_TIMEOUT',
            `${options.system} did not answer ${method} ${path} within ${options.callTimeoutMs ?? 30_000} ms`,
            {
              cause: error,
              hint: `check that ${base} is reachable from this machine and not overloaded`,
            },
          );
        }
        throw networkError(options.system, base, error);
      }
    },
    async close() {
      await dispatcher.close();
    },
  };
}

function networkError(system: string, base: string, error: unknown): AdapterError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code ?? 'unknown';
  if (TLS_CODES.test(code)) {
    return new AdapterError('E_HTTP_TLS', `TLS handshake with ${system} at ${base} failed: ${code}`, {
      cause: error,
      hint:
        code === 'ERR_TLS_CERT_ALTNAME_INVALID'
          ? `the server certificate does not name the host of dr.serviceControl.url: use the name the certificate was issued for`
          : 'set caFile in dr.serviceControl to the CA certificate (PEM) that signed the server certificate',
    });
  }
  return new AdapterError(
    'E_HTTP_UNREACHABLE',
    `cannot reach ${system} at ${base}: ${code}${cause?.message ? ` (${cause.message})` : ''}`,
    {
      cause: error,
      hint: `check the url in dr.serviceControl, DNS, firewalls and that ${system} is running`,
    },
  );
}

/** Parse a JSON body whatever the Content-Type says (Ambari sends text/plain); undefined for an empty body. */
export function parseJsonBody(text: string, what: string, system: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AdapterError('E_HTTP_BODY', `${system} answered ${what} with a body that is not JSON: ${bodyExcerpt(text, 200)}`, {
      cause: error,
    });
  }
}

const ANSI_ESCAPE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b[@-_]/g;
// C0 and C1 controls, DEL, and the bidirectional overrides that can disguise what a line says.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/**
 * A peer's body as it may appear in a message: terminal escapes and control characters gone,
 * whitespace collapsed, at most `max` characters, secrets and credential headers redacted (a
 * gateway error page can echo the request's Authorization header).
 */
export function bodyExcerpt(text: string, max = 500): string {
  const clean = text.replace(ANSI_ESCAPE, '').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  const cut = clean.length > max ? `${clean.slice(0, max)}… (${clean.length - max} more characters)` : clean;
  return redact(cut);
}

/** The `message` of an Ambari/CM error body, or the start of the raw text; sanitised either way. */
export function errorMessageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') return bodyExcerpt(parsed.message);
  } catch {
    // not JSON: fall through
  }
  return bodyExcerpt(text) || '(empty body)';
}

/** Sleep that ends early (InterruptedError) when `signal` aborts. */
export async function sleep(ms: number, signal: AbortSignal, what: string): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    throw new InterruptedError(`interrupted while ${what}`, { cause: error });
  }
}
