// The PUT that starts an Ambari request is never repeated blindly. A real local HTTP proxy in front
// of the Ambari emulator loses the first PUT on the way: either before Ambari saw it (a 503 from
// the "gateway") or after Ambari took it (the connection reset before the answer). The client reads
// the host components again and sends again only in the first case. Polling GETs that meet a 502
// or a reset are retried.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startAmbariEmulator, type AmbariEmulator } from '../../src/lab/ambari-emulator.js';
import { ambariConfig, controllerFor, PASSWORD } from './service-test-kit.js';

const FAST = { pendingMs: 60, queuedMs: 40, inProgressMs: 80 };
let emulator: AmbariEmulator | undefined;
let proxy: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (proxy ? proxy.close(r) : r(undefined)));
  await emulator?.close();
  emulator = proxy = undefined;
});

type Fault = 'gateway-503' | 'answer-lost' | 'get-502' | 'get-reset';

/** A proxy that applies `faults` (each once, in order of the matching requests) and forwards everything else. */
async function proxyWith(target: AmbariEmulator, faults: Fault[]): Promise<{ url: string; puts: () => number }> {
  const pending = [...faults];
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const next = pending[0];
      const isPut = req.method === 'PUT';
      if (isPut && next === 'gateway-503') {
        pending.shift();
        res.writeHead(503, { 'content-type': 'text/html' });
        res.end('<html><h1>503 Service Unavailable</h1></html>');
        return;
      }
      if (!isPut && req.url?.includes('/requests/') && (next === 'get-502' || next === 'get-reset')) {
        pending.shift();
        if (next === 'get-reset') req.socket.destroy();
        else {
          res.writeHead(502);
          res.end('Bad Gateway');
        }
        return;
      }
      const loseAnswer = isPut && next === 'answer-lost';
      if (loseAnswer) pending.shift();
      const upstream = httpRequest(`${target.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        const body: Buffer[] = [];
        answer.on('data', (c: Buffer) => body.push(c));
        answer.on('end', () => {
          if (loseAnswer) {
            req.socket.destroy(); // Ambari took the request; its answer never arrives
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(body));
        });
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(proxy!.address() as AddressInfo).port}`;
  return { url, puts: () => target.recorded.filter((r) => r.method === 'PUT').length };
}

const signal = new AbortController().signal;

describe('Ambari stop when the PUT is lost on the way', () => {
  it('before Ambari saw it (a gateway 503): the components are read again, unchanged, and the PUT is sent again once', async () => {
    emulator = await startAmbariEmulator({ timing: FAST, password: PASSWORD });
    const { url, puts } = await proxyWith(emulator, ['gateway-503']);
    const outcome = await controllerFor(ambariConfig(url)).stop({ signal });
    expect(outcome.actions[0]).toMatchObject({ service: 'HIVE', result: 'requested' });
    expect(puts()).toBe(1); // the emulator saw exactly one PUT: the one re-sent
    expect(emulator.serviceState('HIVE')).toBe('INSTALLED');
  });

  it('after Ambari took it (the answer lost): the components are moving or stopped, so nothing is sent again', async () => {
    emulator = await startAmbariEmulator({ timing: FAST, password: PASSWORD });
    const { url, puts } = await proxyWith(emulator, ['answer-lost']);
    const outcome = await controllerFor(ambariConfig(url)).stop({ signal });
    expect(outcome.actions[0]?.service).toBe('HIVE');
    expect(outcome.actions[0]?.detail).toMatch(/lost|ECONNRESET|other side closed|socket/i);
    expect(puts()).toBe(1);
    expect(emulator.requestIds()).toHaveLength(1);
    expect(emulator.serviceState('HIVE')).toBe('INSTALLED');
  });

  it('polling the request through a 502 and a reset connection: the GETs are retried and the stop completes', async () => {
    emulator = await startAmbariEmulator({ timing: FAST, password: PASSWORD });
    const { url, puts } = await proxyWith(emulator, ['get-502', 'get-reset']);
    const outcome = await controllerFor(ambariConfig(url)).stop({ signal });
    expect(outcome.actions[0]).toMatchObject({ service: 'HIVE', result: 'requested' });
    expect(puts()).toBe(1);
    expect(emulator.serviceState('HIVE')).toBe('INSTALLED');
  });
});
