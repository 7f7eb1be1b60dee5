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
  /**
   * How long a GET may keep being retried after a transient failure (connection reset or refused,
   * 502/503/504, honouring Retry-After). Default 60 s; 0 turns it off. A PUT/POST is never retried here.
   */
  readonly getRetryBudgetMs?: number;
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

  const once = async (method: string, path: string, init: { body?: string; signal: AbortSignal }): Promise<HttpResponse> => {
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
  };
  return {
    request: (method, path, init) =>
      method === 'GET'
        ? retryingGet(() => once(method, path, init), init.signal, options.getRetryBudgetMs ?? 60_000)
        : once(method, path, init),
    async close() {
      await dispatcher.close();
    },
  };
}

const TRANSIENT_STATUS = new Set([502, 503, 504]);
const TRANSIENT_NETWORK = /ECONNRESET|EPIPE|UND_ERR_SOCKET|ECONNABORTED|other side closed/;

/** Seconds or an HTTP date, as milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * A GET (it changes nothing) repeated after a transient failure (a reset, a 502/503/504, no answer
 * within the call timeout) until `budgetMs` is spent: waits
 * Retry-After when the server sends one, else 0.5 s doubling to 8 s. The last answer or error is
 * returned or thrown when the budget would be exceeded.
 */
async function retryingGet(get: () => Promise<HttpResponse>, signal: AbortSignal, budgetMs: number): Promise<HttpResponse> {
  const until = Date.now() + budgetMs;
  for (let backoff = 500; ; backoff = Math.min(backoff * 2, 8000)) {
    let wait: number;
    try {
      const response = await get();
      if (!TRANSIENT_STATUS.has(response.status)) return response;
      wait = retryAfterMs(response.headers.get('retry-after')) ?? backoff;
      if (Date.now() + wait > until) return response;
    } catch (error) {
      // A GET that got no answer in time is asked again too: it changes nothing, and a hung server may recover.
      const transient =
        error instanceof AdapterError &&
        (error.code === 'E_HTTP_TIMEOUT' || (error.code === 'E_HTTP_UNREACHABLE' && TRANSIENT_NETWORK.test(error.message)));
      if (!transient || Date.now() + backoff > until) throw error;
      wait = backoff;
    }
    try {
      await delay(wait, undefined, { signal });
    } catch (error) {
      throw new InterruptedError('interrupted while waiting to retry', { cause: error });
    }
  }
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
