// GETs retried after transient failures (connection reset, 502/503/504, Retry-After) within their
// budget, against a real local HTTP server; a PUT/POST is sent once whatever happens.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AdapterError } from '../../errors/errors.js';
import { createHttpClient, retryAfterMs, type HttpClient } from './http.js';

let server: Server | undefined;
let client: HttpClient | undefined;
afterEach(async () => {
  await client?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = client = undefined;
});

/** A server answering each request with the next of `script` (the last one repeats); returns the hits. */
async function serve(script: Array<(req: IncomingMessage, res: ServerResponse) => void>): Promise<{ url: string; hits: string[] }> {
  const hits: string[] = [];
  server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    const handler = script[Math.min(hits.length - 1, script.length - 1)]!;
    handler(req, res);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, hits };
}

const status =
  (code: number, headers: Record<string, string> = {}, body = '') =>
  (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(code, headers);
    res.end(body);
  };
const reset = (req: IncomingMessage) => req.socket.destroy();
const ok = status(200, { 'content-type': 'application/json' }, '{"ok":true}');
const signal = new AbortController().signal;

function clientFor(url: string, getRetryBudgetMs?: number, callTimeoutMs?: number): HttpClient {
  client = createHttpClient({
    baseUrl: url,
    user: 'admin',
    password: 'pw-http-retry',
    system: 'Ambari',
    ...(getRetryBudgetMs === undefined ? {} : { getRetryBudgetMs }),
    ...(callTimeoutMs === undefined ? {} : { callTimeoutMs }),
  });
  return client;
}

describe('GET retry', () => {
  it('a reset connection and a 503 with Retry-After: 1 are retried; the GET then succeeds', async () => {
    const { url, hits } = await serve([reset, status(503, { 'retry-after': '1' }), ok]);
    const started = Date.now();
    const response = await clientFor(url).request('GET', '/api/v1/clusters/dr/requests/5', { signal });
    expect(response.status).toBe(200);
    expect(hits).toEqual(Array(3).fill('GET /api/v1/clusters/dr/requests/5'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // Retry-After honoured (a lower bound only)
  });

  it('502 and 504 are retried too; a 500 or a 404 is answered at once', async () => {
    const gateway = await serve([status(502), status(504), ok]);
    expect((await clientFor(gateway.url).request('GET', '/x', { signal })).status).toBe(200);
    expect(gateway.hits).toHaveLength(3);
    await client!.close();
    await new Promise((r) => server!.close(r));
    const broken = await serve([status(500, {}, 'boom'), ok]);
    expect((await clientFor(broken.url).request('GET', '/x', { signal })).status).toBe(500);
    expect(broken.hits).toHaveLength(1);
  });

  it('gives the last answer when Retry-After is beyond the budget, and the last error when resets outlast it', async () => {
    const later = await serve([status(503, { 'retry-after': '120' }), ok]);
    expect((await clientFor(later.url, 5_000).request('GET', '/x', { signal })).status).toBe(503);
    expect(later.hits).toHaveLength(1);
    await client!.close();
    await new Promise((r) => server!.close(r));
    const resets = await serve([reset]);
    const error = await clientFor(resets.url, 1_200)
      .request('GET', '/x', { signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect((error as AdapterError).code).toBe('E_HTTP_UNREACHABLE');
    expect(resets.hits.length).toBeGreaterThanOrEqual(2);
  });

  it('a PUT or POST is never repeated: a 503 or a reset is returned or thrown after one try', async () => {
    const { url, hits } = await serve([status(503, { 'retry-after': '0' }), ok]);
    expect((await clientFor(url).request('PUT', '/api/v1/clusters/dr/services/HIVE', { signal, body: '{}' })).status).toBe(503);
    expect(hits).toEqual(['PUT /api/v1/clusters/dr/services/HIVE']);
    await client!.close();
    await new Promise((r) => server!.close(r));
    const dropped = await serve([reset, ok]);
    const error = await clientFor(dropped.url)
      .request('POST', '/api/v41/clusters/dr/services/hive/commands/stop', { signal, body: '' })
      .catch((e: unknown) => e);
    expect((error as AdapterError).code).toBe('E_HTTP_UNREACHABLE');
    expect(dropped.hits).toHaveLength(1);
  });

  it('Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-12-02T03:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Wed, 02 Dec 2026 03:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 02 Dec 2026 02:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

describe('a stuck peer ends in a bounded time', () => {
  const silent = () => undefined; // accepts the request, never answers
  const headersOnly = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    res.write('{"Requests":'); // then nothing: the body never completes
  };

  it('a server that accepts the connection and never answers: the PUT fails with E_HTTP_TIMEOUT naming the call, sent once', async () => {
    const { url, hits } = await serve([silent]);
    const error = await clientFor(url, undefined, 300)
      .request('PUT', '/api/v1/clusters/dr/services/HIVE', { body: '{}', signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect(error).toMatchObject({ code: 'E_HTTP_TIMEOUT' });
    expect((error as Error).message).toBe('Ambari did not answer PUT /api/v1/clusters/dr/services/HIVE within 300 ms');
    expect(hits).toEqual(['PUT /api/v1/clusters/dr/services/HIVE']);
  });

  it('a body that stops half-way: the same timeout, not a hang', async () => {
    const { url } = await serve([headersOnly]);
    const error = await clientFor(url, undefined, 300)
      .request('POST', '/api/v1/clusters/dr/requests', { body: '{}', signal })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_HTTP_TIMEOUT' });
  });

  it('a GET to a silent server is retried within its budget, then fails with the timeout', async () => {
    const { url, hits } = await serve([silent]);
    const error = await clientFor(url, 1_500, 300)
      .request('GET', '/api/v1/clusters/dr/requests/7', { signal })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_HTTP_TIMEOUT' });
    expect(hits.length).toBeGreaterThan(1);
  });
});
