// The Ambari emulator against reference/ambari-and-cm-api.md §1.8, item by item: exact status
// codes, headers and bodies on the wire (raw fetch, no hmsdr client in between).
import { afterEach, describe, expect, it } from 'vitest';
import { HDP26_HIVE, startAmbariEmulator, type AmbariEmulator, type AmbariEmulatorOptions } from '../../src/lab/ambari-emulator.js';

const auth = (user = 'admin', password = 'admin'): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const FAST = { pendingMs: 60, queuedMs: 40, inProgressMs: 80 };
const stopBody = (extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    RequestInfo: { context: 'DR: stop Hive', operation_level: { level: 'SERVICE', cluster_name: 'dr', service_name: 'HIVE' } },
    Body: { ServiceInfo: { state: 'INSTALLED' } },
    ...extra,
  });

let emulator: AmbariEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(options: AmbariEmulatorOptions = {}): Promise<AmbariEmulator> {
  emulator = await startAmbariEmulator({ timing: FAST, ...options });
  return emulator;
}

async function call(
  e: AmbariEmulator,
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; type: string | null; text: string; headers: Headers }> {
  const response = await fetch(`${e.url}${path}`, {
    method,
    headers: init.headers ?? { authorization: auth(), 'X-Requested-By': 'ambari' },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text(), headers: response.headers };
}

const until = async (check: () => Promise<boolean>, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('1.8.1 Basic auth: 403 with Gson bodies (401 Negotiate in Kerberos mode)', () => {
  it('no Authorization header → 403 Missing authentication token', async () => {
    const e = await start();
    const r = await call(e, 'GET', '/api/v1/clusters/dr/services/HIVE', { headers: {} });
    expect(r.status).toBe(403);
    expect(r.type).toBe('text/plain');
    expect(r.text).toBe('{\n  "status": 403,\n  "message": "Missing authentication token"\n}');
  });
  it('wrong password → 403 Invalid username/password combination', async () => {
    const e = await start();
    const r = await call(e, 'GET', '/api/v1/clusters/dr/services/HIVE', { headers: { authorization: auth('admin', 'wrong') } });
    expect(r.status).toBe(403);
    expect(r.text).toBe('{\n  "status": 403,\n  "message": "Unable to sign in. Invalid username/password combination."\n}');
  });
  it('Kerberos mode → 401 with WWW-Authenticate: Negotiate', async () => {
    const e = await start({ kerberos: true });
    const r = await call(e, 'GET', '/api/v1/clusters/dr', { headers: { authorization: auth('admin', 'wrong') } });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Negotiate');
    expect(r.text).toBe('{\n  "status": 401,\n  "message": "Authentication requested"\n}');
  });
});

describe('1.8.2 X-Requested-By on non-GET, checked after auth', () => {
  it('authenticated PUT without the header → 400 with the exact CSRF body; nothing changes', async () => {
    const e = await start();
    const r = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', { headers: { authorization: auth() }, body: stopBody() });
    expect(r.status).toBe(400);
    expect(r.type).toBe('text/plain');
    expect(r.text).toBe('{\n  "status" : 400,\n  "message" : "CSRF protection is turned on. X-Requested-By HTTP header is required."\n}');
    expect(e.requestIds()).toEqual([]);
  });
  it('no credentials and no header → the auth error (403), not 400', async () => {
    const e = await start();
    const r = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', { headers: {}, body: stopBody() });
    expect(r.status).toBe(403);
  });
  it('any value passes, and GET needs no header', async () => {
    const e = await start();
    expect((await call(e, 'GET', '/api/v1/clusters/dr/services/HIVE', { headers: { authorization: auth() } })).status).toBe(200);
    expect(
      (
        await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', {
          headers: { authorization: auth(), 'X-Requested-By': 'x' },
          body: stopBody(),
        })
      ).status,
    ).toBe(202);
  });
});

describe('1.8.3 text/plain with Jackson-style pretty JSON', () => {
  it('service GET', async () => {
    const e = await start();
    const r = await call(e, 'GET', '/api/v1/clusters/dr/services/HIVE?fields=ServiceInfo/state');
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/plain');
    expect(r.headers.get('set-cookie')).toMatch(/^AMBARISESSIONID=/);
    expect(r.text).toBe(
      `{\n  "href" : "${e.url}/api/v1/clusters/dr/services/HIVE?fields=ServiceInfo/state",\n  "ServiceInfo" : {\n    "cluster_name" : "dr",\n    "maintenance_state" : "OFF",\n    "service_name" : "HIVE",\n    "state" : "STARTED"\n  }\n}`,
    );
  });
  it('components list has categories and live host component states', async () => {
    const e = await start();
    const r = await call(
      e,
      'GET',
      '/api/v1/clusters/dr/services/HIVE/components?fields=ServiceComponentInfo/category,host_components/HostRoles/state',
    );
    const body = JSON.parse(r.text) as {
      items: {
        ServiceComponentInfo: { component_name: string; category: string };
        host_components: { HostRoles: { state: string; host_name: string } }[];
      }[];
    };
    expect(r.text).toContain('"items" : [\n    {');
    expect(body.items.map((i) => `${i.ServiceComponentInfo.component_name}:${i.ServiceComponentInfo.category}`)).toEqual([
      'HIVE_METASTORE:MASTER',
      'HIVE_SERVER:MASTER',
      'HIVE_SERVER_INTERACTIVE:MASTER',
      'HIVE_CLIENT:CLIENT',
    ]);
    expect(body.items[0]?.host_components.map((h) => `${h.HostRoles.host_name}=${h.HostRoles.state}`)).toEqual([
      'm1.example=STARTED',
      'm2.example=STARTED',
    ]);
  });
});

describe('1.8.4 PUT service state', () => {
  it('an unknown state → 400 No enum constant', async () => {
    const e = await start();
    const r = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', { body: JSON.stringify({ ServiceInfo: { state: 'STOPPED' } }) });
    expect(r.status).toBe(400);
    expect(r.text).toBe('{\n  "status" : 400,\n  "message" : "No enum constant org.apache.ambari.server.state.State.STOPPED"\n}');
  });
  it('a wrong operation level and a missing cluster_name → 400', async () => {
    const e = await start();
    const wrong = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', {
      body: JSON.stringify({
        RequestInfo: { operation_level: { level: 'RACK', cluster_name: 'dr' } },
        Body: { ServiceInfo: { state: 'INSTALLED' } },
      }),
    });
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.text)).toEqual({ status: 400, message: 'Wrong operation level value: RACK' });
    const missing = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', {
      body: JSON.stringify({ RequestInfo: { operation_level: { level: 'service' } }, Body: { ServiceInfo: { state: 'INSTALLED' } } }),
    });
    expect(JSON.parse(missing.text)).toEqual({
      status: 400,
      message: 'Mandatory key operation_level/cluster_name for operation level is not specified',
    });
  });
  it('a malformed body → 400 Malformed Request Body', async () => {
    const e = await start();
    const r = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', { body: '{"ServiceInfo":' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).message).toMatch(
      /^Invalid Request: Malformed Request Body\. {2}An exception occurred parsing the request body: /,
    );
  });
  it('work to do → 202 {href, Requests:{id, status: Accepted}}', async () => {
    const e = await start({ firstRequestId: 57 });
    const r = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', { body: stopBody() });
    expect(r.status).toBe(202);
    expect(r.type).toBe('text/plain');
    expect(r.text).toBe(
      `{\n  "href" : "${e.url}/api/v1/clusters/dr/requests/57",\n  "Requests" : {\n    "id" : 57,\n    "status" : "Accepted"\n  }\n}`,
    );
  });
  it('nothing to do (already INSTALLED) → 200 with an empty body and no request', async () => {
    const e = await start({ initialState: 'INSTALLED' });
    const r = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', { body: stopBody() });
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    expect(e.requestIds()).toEqual([]);
  });
  it('unknown service and unknown cluster → 404 with Ambari wording', async () => {
    const e = await start();
    const service = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVEX', { body: stopBody() });
    expect(service.status).toBe(404);
    expect(service.text).toBe(
      '{\n  "status" : 404,\n  "message" : "The specified resource doesn\'t exist: Service not found, clusterName=dr, serviceName=HIVEX"\n}',
    );
    const cluster = await call(e, 'GET', '/api/v1/clusters/someInvalidCluster/services/HIVE');
    expect(JSON.parse(cluster.text)).toEqual({
      status: 404,
      message: "The requested resource doesn't exist: Cluster not found, clusterName=someInvalidCluster",
    });
  });
  it('START while a master is STOPPING → 400 Invalid transition', async () => {
    const e = await start();
    e.setHostComponentState('HIVE_METASTORE', 'm1.example', 'STOPPING');
    e.setHostComponentState('HIVE_SERVER', 'm1.example', 'INSTALLED');
    const r = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', {
      body: JSON.stringify({ Body: { ServiceInfo: { state: 'STARTED' } } }),
    });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).message).toBe(
      'Invalid transition for servicecomponenthost, clusterName=dr, clusterId=2, serviceName=HIVE, componentName=HIVE_METASTORE, hostname=m1.example, currentState=STOPPING, newDesiredState=STARTED',
    );
  });
});

describe('1.8.5 request lifecycle', () => {
  it('PENDING (times -1) → QUEUED (9%) → IN_PROGRESS (components STOPPING, 35%) → COMPLETED (INSTALLED, 100%)', async () => {
    // Stages long enough that a poll on a loaded machine still lands inside each one.
    const e = await start({ timing: { pendingMs: 2000, queuedMs: 1500, inProgressMs: 2500 } });
    const { text } = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', { body: stopBody() });
    const id = (JSON.parse(text) as { Requests: { id: number } }).Requests.id;
    const poll = async (): Promise<Record<string, unknown>> =>
      (
        JSON.parse((await call(e, 'GET', `/api/v1/clusters/dr/requests/${id}?fields=Requests/*`)).text) as {
          Requests: Record<string, unknown>;
        }
      ).Requests;
    const first = await poll();
    expect(first).toMatchObject({
      request_status: 'PENDING',
      progress_percent: 0,
      start_time: -1,
      end_time: -1,
      task_count: 4,
      type: 'INTERNAL_REQUEST',
      request_context: 'DR: stop Hive',
    });
    expect(first.operation_level).toEqual({ level: 'SERVICE', cluster_name: 'dr', service_name: 'HIVE' });
    await until(async () => (await poll()).request_status === 'IN_PROGRESS', 15_000);
    const queued = await poll();
    expect(queued.progress_percent).toBeCloseTo(9, 5); // all tasks QUEUED: 0.09 each, already IN_PROGRESS at request level
    await until(async () => (await poll()).progress_percent !== 9, 15_000);
    const running = await poll();
    expect(running).toMatchObject({ request_status: 'IN_PROGRESS' });
    expect(running.progress_percent).toBeCloseTo(35, 5);
    expect(running.start_time).toBeGreaterThan(0);
    expect(e.hostComponentState('HIVE_METASTORE', 'm2.example')).toBe('STOPPING');
    await until(async () => (await poll()).request_status === 'COMPLETED', 15_000);
    const done = await poll();
    expect(done).toMatchObject({ progress_percent: 100, completed_task_count: 4, failed_task_count: 0 });
    expect(done.end_time).toBeGreaterThan(0);
    expect(e.hostComponentState('HIVE_METASTORE', 'm2.example')).toBe('INSTALLED');
    expect(e.hostComponentState('HIVE_CLIENT', 'e1.example')).toBe('INSTALLED');
  });
  it('a failed task → request FAILED below 100%, later stages ABORTED, task names host, role and stderr', async () => {
    const e = await start({ services: { HIVE: HDP26_HIVE }, initialState: 'INSTALLED' });
    e.failTask({ component: 'HIVE_SERVER', host: 'm1.example', command: 'START', stderr: 'HiveServer2 did not come up' });
    const { text } = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', {
      body: JSON.stringify({ Body: { ServiceInfo: { state: 'STARTED' } } }),
    });
    const id = (JSON.parse(text) as { Requests: { id: number } }).Requests.id;
    await until(async () =>
      ['FAILED', 'COMPLETED'].includes(
        (JSON.parse((await call(e, 'GET', `/api/v1/clusters/dr/requests/${id}`)).text) as { Requests: { request_status: string } }).Requests
          .request_status,
      ),
    );
    const request = JSON.parse((await call(e, 'GET', `/api/v1/clusters/dr/requests/${id}?fields=Requests/*,tasks/Tasks/*`)).text) as {
      Requests: Record<string, number | string>;
      tasks: { Tasks: Record<string, unknown> }[];
    };
    expect(request.Requests).toMatchObject({ request_status: 'FAILED', failed_task_count: 1, aborted_task_count: 1 });
    expect(request.Requests.progress_percent).toBeLessThan(100);
    const byRole = Object.fromEntries(request.tasks.map((t) => [t.Tasks.role as string, t.Tasks]));
    expect(byRole.HIVE_SERVER).toMatchObject({
      status: 'FAILED',
      host_name: 'm1.example',
      command: 'START',
      stderr: 'HiveServer2 did not come up',
      exit_code: 1,
    });
    expect(byRole.WEBHCAT_SERVER).toMatchObject({ status: 'ABORTED' });
    expect(e.hostComponentState('HIVE_SERVER', 'm1.example')).toBe('INSTALLED');
    const tasks = await call(e, 'GET', `/api/v1/clusters/dr/requests/${id}/tasks?fields=Tasks/*`);
    expect((JSON.parse(tasks.text) as { items: unknown[] }).items).toHaveLength(4); // 2 HMS, HS2, WebHCat; clients never
  });
  it("an unknown request id → 404 Request resource doesn't exist.", async () => {
    const e = await start();
    const r = await call(e, 'GET', '/api/v1/clusters/dr/requests/999');
    expect(r.status).toBe(404);
    expect(r.text).toBe('{\n  "status" : 404,\n  "message" : "Request resource doesn\'t exist."\n}');
  });
});

describe('1.8.6 ServiceInfo/state follows the Hive calculator', () => {
  it('says INSTALLED while a second metastore is still STARTED (HDP 3)', async () => {
    const e = await start();
    e.setHostComponentState('HIVE_METASTORE', 'm1.example', 'INSTALLED');
    e.setHostComponentState('HIVE_SERVER', 'm1.example', 'INSTALLED');
    e.setHostComponentState('HIVE_SERVER_INTERACTIVE', 'm2.example', 'INSTALLED');
    const r = await call(e, 'GET', '/api/v1/clusters/dr/services/HIVE');
    expect((JSON.parse(r.text) as { ServiceInfo: { state: string } }).ServiceInfo.state).toBe('INSTALLED');
    expect(e.hostComponentState('HIVE_METASTORE', 'm2.example')).toBe('STARTED');
  });
  it('says STARTED on HDP 2.6 when HS2, WebHCat and one metastore run although another is down', async () => {
    const e = await start({ services: { HIVE: HDP26_HIVE } });
    e.setHostComponentState('HIVE_METASTORE', 'm2.example', 'INSTALLED');
    expect(e.serviceState('HIVE')).toBe('STARTED');
  });
});

describe('1.8.7 fault knobs', () => {
  it('stuck PENDING: the request never leaves PENDING', async () => {
    const e = await start();
    e.setStuckPending(true);
    const { text } = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', { body: stopBody() });
    const id = (JSON.parse(text) as { Requests: { id: number } }).Requests.id;
    await new Promise((r) => setTimeout(r, 400));
    const r = JSON.parse((await call(e, 'GET', `/api/v1/clusters/dr/requests/${id}`)).text) as {
      Requests: { request_status: string; progress_percent: number };
    };
    expect(r.Requests).toMatchObject({ request_status: 'PENDING', progress_percent: 0 });
  });
  it('TIMEDOUT task → request TIMEDOUT', async () => {
    const e = await start();
    e.failTask({ component: 'HIVE_METASTORE', host: 'm2.example', status: 'TIMEDOUT' });
    const { text } = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', { body: stopBody() });
    const id = (JSON.parse(text) as { Requests: { id: number } }).Requests.id;
    await until(
      async () =>
        (JSON.parse((await call(e, 'GET', `/api/v1/clusters/dr/requests/${id}`)).text) as { Requests: { request_status: string } }).Requests
          .request_status === 'TIMEDOUT',
    );
  });
  it('agent lost: host HEARTBEAT_LOST, its components UNKNOWN and silently skipped', async () => {
    const e = await start();
    e.loseAgent('m2.example');
    const hosts = JSON.parse((await call(e, 'GET', '/api/v1/clusters/dr/hosts?fields=Hosts/host_state')).text) as {
      items: { Hosts: { host_name: string; host_state: string } }[];
    };
    expect(hosts.items.find((h) => h.Hosts.host_name === 'm2.example')?.Hosts.host_state).toBe('HEARTBEAT_LOST');
    const { status, text } = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', { body: stopBody() });
    expect(status).toBe(202);
    const id = (JSON.parse(text) as { Requests: { id: number } }).Requests.id;
    const tasks = JSON.parse((await call(e, 'GET', `/api/v1/clusters/dr/requests/${id}/tasks`)).text) as {
      items: { Tasks: { host_name: string } }[];
    };
    expect(tasks.items.map((t) => t.Tasks.host_name)).toEqual(['m1.example', 'm1.example']);
  });
  it('host in maintenance mode: skipped at SERVICE level; CLUSTER level with the service in MM → 200 empty', async () => {
    const e = await start();
    e.setHostMaintenance('m2.example', 'ON');
    const hc = JSON.parse((await call(e, 'GET', '/api/v1/clusters/dr/host_components?HostRoles/service_name=HIVE')).text) as {
      items: { HostRoles: { host_name: string; component_name: string; maintenance_state: string } }[];
    };
    expect(
      hc.items.find((h) => h.HostRoles.host_name === 'm2.example' && h.HostRoles.component_name === 'HIVE_METASTORE')?.HostRoles
        .maintenance_state,
    ).toBe('IMPLIED_FROM_HOST');
    const { text } = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', { body: stopBody() });
    const id = (JSON.parse(text) as { Requests: { id: number } }).Requests.id;
    const tasks = JSON.parse((await call(e, 'GET', `/api/v1/clusters/dr/requests/${id}/tasks`)).text) as {
      items: { Tasks: { host_name: string } }[];
    };
    expect(new Set(tasks.items.map((t) => t.Tasks.host_name))).toEqual(new Set(['m1.example']));

    const mm = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', {
      body: JSON.stringify({ Body: { ServiceInfo: { maintenance_state: 'ON' } } }),
    });
    expect(mm).toMatchObject({ status: 200, text: '' });
    const bad = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', {
      body: JSON.stringify({ Body: { ServiceInfo: { maintenance_state: 'IMPLIED_FROM_HOST' } } }),
    });
    expect(bad.status).toBe(400);
    const clusterLevel = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', {
      body: JSON.stringify({ ServiceInfo: { state: 'INSTALLED' } }),
    });
    expect(clusterLevel).toMatchObject({ status: 200, text: '' });
  });
  it('a duplicate stop while components are STOPPING → a second 202 that waits behind the first', async () => {
    const e = await start({ timing: { pendingMs: 20, queuedMs: 20, inProgressMs: 300 } });
    const first = JSON.parse((await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', { body: stopBody() })).text) as {
      Requests: { id: number };
    };
    await until(async () => e.hostComponentState('HIVE_SERVER', 'm1.example') === 'STOPPING');
    const second = await call(e, 'PUT', '/api/v1/clusters/dr/services/HIVE', { body: stopBody() });
    expect(second.status).toBe(202);
    const id = (JSON.parse(second.text) as { Requests: { id: number } }).Requests.id;
    expect(id).toBe(first.Requests.id + 1);
    const r = JSON.parse((await call(e, 'GET', `/api/v1/clusters/dr/requests/${id}`)).text) as { Requests: { request_status: string } };
    expect(r.Requests.request_status).toBe('PENDING');
  });
});
