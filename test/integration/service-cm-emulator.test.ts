// The Cloudera Manager emulator against reference/ambari-and-cm-api.md §2.6 (items 1-4; item 5,
// replication, belongs to the BDR feature): exact statuses, headers and bodies on the wire.
import { afterEach, describe, expect, it } from 'vitest';
import { startCmEmulator, type CmEmulator, type CmEmulatorOptions } from '../../src/lab/cm-emulator.js';

const auth = (password = 'admin'): string => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
const BASE = '/api/v41/clusters/Cluster%201';

let emulator: CmEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(options: CmEmulatorOptions = {}): Promise<CmEmulator> {
  emulator = await startCmEmulator({ timing: { pendingMs: 60, inProgressMs: 120 }, firstCommandId: 1242, ...options });
  return emulator;
}

async function call(
  e: CmEmulator,
  method: string,
  path: string,
  authorization = auth(),
): Promise<{ status: number; type: string | null; text: string; headers: Headers }> {
  const response = await fetch(`${e.url}${path}`, { method, headers: { authorization } });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text(), headers: response.headers };
}
const json = <T>(text: string): T => JSON.parse(text) as T;
const until = async (check: () => Promise<boolean>, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('2.6.1 /api/version, /api/vNN, Basic auth, application/json, {"message"} errors', () => {
  it('GET /api/version returns the highest version as a plain string', async () => {
    const e = await start({ apiVersion: 'v19' });
    const r = await call(e, 'GET', '/api/version');
    expect(r).toMatchObject({ status: 200, text: 'v19' });
  });
  it('older versions work, newer ones do not', async () => {
    const e = await start({ apiVersion: 'v19' });
    expect((await call(e, 'GET', '/api/v11/clusters/Cluster%201/services')).status).toBe(200);
    const newer = await call(e, 'GET', '/api/v41/clusters/Cluster%201/services');
    expect(newer.status).toBe(404);
    expect(json<{ message: string }>(newer.text).message).toMatch(/v41/);
  });
  it('wrong credentials → 401 JSON with a message and a Basic challenge', async () => {
    const e = await start();
    const r = await call(e, 'GET', `${BASE}/services`, auth('nope'));
    expect(r.status).toBe(401);
    expect(r.type).toBe('application/json');
    expect(r.headers.get('www-authenticate')).toBe('Basic realm="Cloudera Manager"');
    expect(r.text).toBe('{\n  "message" : "Bad credentials"\n}');
  });
  it('unknown cluster → 404 {"message" : "Cluster \'x\' not found."}', async () => {
    const e = await start();
    const r = await call(e, 'GET', '/api/v41/clusters/thiagoabb/services');
    expect(r.status).toBe(404);
    expect(r.type).toBe('application/json');
    expect(r.text).toBe('{\n  "message" : "Cluster \'thiagoabb\' not found."\n}');
  });
  it('service list in Jackson style with application/json', async () => {
    const e = await start();
    const r = await call(e, 'GET', `${BASE}/services`);
    expect(r.type).toBe('application/json');
    expect(r.text.startsWith('{\n  "items" : [ {\n    "name" : "hive",\n    "type" : "HIVE",')).toBe(true);
  });
});

describe('2.6.2 commands/stop|start', () => {
  it('POST stop → 200 ApiCommand active:true without success/children; finishing sets endTime, success, resultMessage', async () => {
    const e = await start();
    const r = await call(e, 'POST', `${BASE}/services/hive/commands/stop`);
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/json');
    const command = json<Record<string, unknown>>(r.text);
    expect(command).toMatchObject({ id: 1242, name: 'Stop', active: true, serviceRef: { clusterName: 'Cluster 1', serviceName: 'hive' } });
    expect(Object.keys(command)).not.toContain('success');
    expect(Object.keys(command)).not.toContain('children');
    expect(Object.keys(command)).not.toContain('endTime');
    expect(command.startTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await until(async () => json<{ children?: unknown }>((await call(e, 'GET', '/api/v41/commands/1242')).text).children !== undefined);
    const running = json<{ active: boolean; children: { items: { roleRef: { roleName: string }; active: boolean }[] } }>(
      (await call(e, 'GET', '/api/v41/commands/1242')).text,
    );
    expect(running.active).toBe(true);
    expect(running.children.items).toHaveLength(2); // one per HIVEMETASTORE role, none for the gateway
    await until(async () => json<{ active: boolean }>((await call(e, 'GET', '/api/v41/commands/1242')).text).active === false);
    const done = json<Record<string, unknown> & { children: { items: Record<string, unknown>[] } }>(
      (await call(e, 'GET', '/api/v41/commands/1242')).text,
    );
    expect(done).toMatchObject({ active: false, success: true, resultMessage: 'Successfully stopped service.' });
    expect(done.endTime).toEqual(expect.any(String));
    expect(done.children.items[0]).toMatchObject({ active: false, success: true, resultMessage: 'Successfully stopped process.' });
  });
  it('start ends with "Successfully started service."', async () => {
    const e = await start({ initialState: 'STOPPED' });
    const id = json<{ id: number }>((await call(e, 'POST', `${BASE}/services/hive_on_tez/commands/start`)).text).id;
    await until(async () => json<{ active: boolean }>((await call(e, 'GET', `/api/v41/commands/${id}`)).text).active === false);
    expect(json<Record<string, unknown>>((await call(e, 'GET', `/api/v41/commands/${id}`)).text)).toMatchObject({
      success: true,
      resultMessage: 'Successfully started service.',
    });
  });
  it('stop with no started role → immediate active:false, success:false, "At least one role must be started."', async () => {
    const e = await start({ initialState: 'STOPPED' });
    const r = await call(e, 'POST', `${BASE}/services/hive/commands/stop`);
    expect(r.status).toBe(200);
    const c = json<Record<string, unknown>>(r.text);
    expect(c).toMatchObject({ name: 'Stop', active: false, success: false, resultMessage: 'At least one role must be started.' });
    expect(c.endTime).toBe(c.startTime);
  });
  it('start of an already started service → 400 {"message" : "Command Start is not currently available for execution."}, no command', async () => {
    const e = await start();
    const r = await call(e, 'POST', `${BASE}/services/hive/commands/start`);
    expect(r.status).toBe(400);
    expect(r.type).toBe('application/json');
    expect(r.text).toBe('{\n  "message" : "Command Start is not currently available for execution."\n}');
    expect(e.commandIds()).toEqual([]);
    expect(e.recorded.at(-1)).toMatchObject({ method: 'POST', status: 400 });
  });
  it('refuseCommands(n): the next n commands get the same 400 and create nothing; then commands run again', async () => {
    const e = await start();
    e.refuseCommands(1);
    const refused = await call(e, 'POST', `${BASE}/services/hive/commands/stop`);
    expect(refused).toMatchObject({ status: 400, text: '{\n  "message" : "Command Stop is not currently available for execution."\n}' });
    expect(e.commandIds()).toEqual([]);
    const accepted = await call(e, 'POST', `${BASE}/services/hive/commands/stop`);
    expect(json<Record<string, unknown>>(accepted.text)).toMatchObject({ id: 1242, name: 'Stop', active: true });
  });
  it('a second command while one is active → failed command "There is already a pending command on this entity"', async () => {
    const e = await start();
    await call(e, 'POST', `${BASE}/services/hive/commands/stop`);
    const second = json<Record<string, unknown>>((await call(e, 'POST', `${BASE}/services/hive/commands/stop`)).text);
    expect(second).toMatchObject({ active: false, success: false });
    expect(second.resultMessage).toMatch(/There is already a pending command on this entity/);
  });
  it('a role that refuses → child success:false with its message; the parent fails', async () => {
    const e = await start();
    e.failRole({ service: 'hive', roleType: 'HIVEMETASTORE', host: 'm2.example', message: 'Process did not stop in time.' });
    const id = json<{ id: number }>((await call(e, 'POST', `${BASE}/services/hive/commands/stop`)).text).id;
    await until(async () => json<{ active: boolean }>((await call(e, 'GET', `/api/v41/commands/${id}`)).text).active === false);
    const done = json<{
      success: boolean;
      children: { items: { success: boolean; resultMessage: string; hostRef: { hostname: string } }[] };
    }>((await call(e, 'GET', `/api/v41/commands/${id}`)).text);
    expect(done.success).toBe(false);
    expect(done.children.items.find((c) => !c.success)).toMatchObject({
      resultMessage: 'Process did not stop in time.',
      hostRef: { hostname: 'm2.example' },
    });
  });
});

describe('2.6.3 serviceState and roleState: STARTED → STOPPING → STOPPED and back; HIVE + HIVE_ON_TEZ', () => {
  it('follows the command', async () => {
    const e = await start();
    const state = async (): Promise<string> =>
      json<{ serviceState: string }>((await call(e, 'GET', `${BASE}/services/hive`)).text).serviceState;
    expect(await state()).toBe('STARTED');
    await call(e, 'POST', `${BASE}/services/hive/commands/stop`);
    await until(async () => (await state()) === 'STOPPING');
    const roles = json<{ items: { type: string; roleState: string }[] }>((await call(e, 'GET', `${BASE}/services/hive/roles`)).text).items;
    expect(roles.map((r) => `${r.type}:${r.roleState}`)).toEqual(['HIVEMETASTORE:STOPPING', 'HIVEMETASTORE:STOPPING', 'GATEWAY:NA']);
    await until(async () => (await state()) === 'STOPPED');
    const stopped = json<Record<string, unknown>>((await call(e, 'GET', `${BASE}/services/hive`)).text);
    expect(stopped).toMatchObject({ serviceState: 'STOPPED', healthSummary: 'DISABLED', entityStatus: 'STOPPED' });
    await call(e, 'POST', `${BASE}/services/hive/commands/start`);
    await until(async () => (await state()) === 'STARTING');
    await until(async () => (await state()) === 'STARTED');
    const services = json<{ items: { name: string; type: string }[] }>((await call(e, 'GET', `${BASE}/services`)).text).items;
    expect(services.map((s) => s.type)).toEqual(['HIVE', 'HIVE_ON_TEZ']);
  });
});

describe('2.6.4 /commands/{id}', () => {
  it('unknown id → 404 JSON', async () => {
    const e = await start();
    const r = await call(e, 'GET', '/api/v41/commands/99999');
    expect(r.status).toBe(404);
    expect(r.type).toBe('application/json');
    expect(json<{ message: string }>(r.text).message).toBe("Command '99999' not found.");
  });
});
