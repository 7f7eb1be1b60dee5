// Ambari answers of the wrong shape (a proxy page that happens to be JSON, another API version):
// a clear E_AMBARI_PROTOCOL naming the request and the field, never a TypeError.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { serviceControlSchema } from '../../config/schema.js';
import { createAmbariController, type AmbariConfig } from './client.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** An "Ambari" that answers every GET with `bodies[<last path segment>]` (default: a valid empty answer). */
async function ambariAnswering(bodies: Record<string, string>): Promise<AmbariConfig> {
  server = createServer((req, res) => {
    const key = (req.url ?? '').split('?')[0]!.split('/').filter(Boolean).at(-1) ?? '';
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(bodies[key] ?? '{}');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const port = (server!.address() as AddressInfo).port;
  return serviceControlSchema.parse({
    type: 'ambari',
    url: `http://127.0.0.1:${port}`,
    cluster: 'dr',
    user: 'admin',
    passwordEnv: 'HMSDR_TEST_AMBARI_PASSWORD',
    services: ['HIVE'],
  }) as AmbariConfig;
}

describe('Ambari answers of an unexpected shape', () => {
  it.each([
    ['components', '{"items": {"not": "an array"}}', 'items'],
    ['components', '{"items": [{"host_components": "m1"}]}', 'items.0.host_components'],
    ['hosts', '{"items": [{"Hosts": {"host_state": 7}}]}', 'items.0.Hosts.host_state'],
    ['HIVE', '{"ServiceInfo": "STARTED"}', 'ServiceInfo'],
  ])('%s answering %s → E_AMBARI_PROTOCOL naming %s', async (endpoint, body, field) => {
    const controller = createAmbariController(await ambariAnswering({ [endpoint]: body }), 'secret-password');
    const error = await controller.getState(AbortSignal.timeout(10_000)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'E_AMBARI_PROTOCOL' });
    expect(error).not.toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain(`${field}:`);
    expect((error as Error).message).not.toContain('secret-password');
  });

  it('well-shaped answers with fields missing are read as unknown, not refused', async () => {
    const controller = createAmbariController(
      await ambariAnswering({
        components: '{"items": [{"ServiceComponentInfo": {"component_name": "HIVE_SERVER"}, "host_components": [{}]}]}',
      }),
      'secret-password',
    );
    const state = await controller.getState(AbortSignal.timeout(10_000));
    expect(state.services[0]!.components).toEqual([
      expect.objectContaining({ component: 'HIVE_SERVER', host: '?', state: 'UNKNOWN', agent: 'lost' }),
    ]);
  });
});
