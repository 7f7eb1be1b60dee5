// The same scenarios against both emulators, through the real clients and the stop-hive /
// start-hive steps, with a real private PostgreSQL server as the DR metastore.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceControlConfig } from '../../src/config/schema.js';
import { InterruptedError, PreconditionError } from '../../src/errors/errors.js';
import { startAmbariEmulator, type AmbariEmulator } from '../../src/lab/ambari-emulator.js';
import { startCmEmulator, type CmEmulator } from '../../src/lab/cm-emulator.js';
import { startHiveStep } from '../../src/steps/start-hive.js';
import { createStopHiveStep } from '../../src/steps/stop-hive.js';
import { within } from '../harness/deadline.js';
import { startTestPg, type PgCluster } from '../harness/postgres.js';
import {
  ambariConfig,
  cmConfig,
  controllerFor,
  createDrMetastore,
  PASSWORD,
  pgSessionLister,
  snapshotDatabase,
  stepContext,
} from './service-test-kit.js';

const TIMING = { pendingMs: 40, queuedMs: 20, inProgressMs: 60 };
const DB = 'metastore';

interface Backend {
  readonly name: string;
  config: ServiceControlConfig;
  /** "HOST component" words the failure must name. */
  failOneStop(): { host: string; component: string };
  setStuck(): void;
  loseAgent(): void;
  close(): Promise<void>;
  recordedWrites(): number;
  /** Whether hmsdr has asked for the stop and then polled it: it is waiting on the request. */
  pollingAfterWrite(): boolean;
}

const polledAfterWrite = (recorded: readonly { method: string }[]): boolean => {
  const write = recorded.findIndex((r) => r.method !== 'GET');
  return write >= 0 && recorded.slice(write + 1).some((r) => r.method === 'GET');
};

async function ambariBackend(initial: 'STARTED' | 'INSTALLED' = 'STARTED'): Promise<Backend> {
  const e: AmbariEmulator = await startAmbariEmulator({ password: PASSWORD, timing: TIMING, initialState: initial });
  return {
    name: 'ambari',
    config: ambariConfig(e.url),
    failOneStop: () => {
      e.failTask({ component: 'HIVE_METASTORE', host: 'm2.example', stderr: 'Fail: Hive Metastore pid 4242 still alive after kill -9' });
      return { host: 'm2.example', component: 'HIVE_METASTORE' };
    },
    setStuck: () => e.setStuckPending(true),
    loseAgent: () => e.loseAgent('m2.example'),
    close: () => e.close(),
    recordedWrites: () => e.recorded.filter((r) => r.method !== 'GET').length,
    pollingAfterWrite: () => polledAfterWrite(e.recorded),
  };
}

async function cmBackend(initial: 'STARTED' | 'STOPPED' = 'STARTED'): Promise<Backend> {
  const e: CmEmulator = await startCmEmulator({ password: PASSWORD, timing: { pendingMs: 40, inProgressMs: 60 }, initialState: initial });
  return {
    name: 'cloudera-manager',
    config: cmConfig(e.url),
    failOneStop: () => {
      e.failRole({ service: 'hive', roleType: 'HIVEMETASTORE', host: 'm2.example', message: 'Failed to stop process.' });
      return { host: 'm2.example', component: 'HIVEMETASTORE' };
    },
    setStuck: () => e.setStuck(true),
    loseAgent: () => e.setRoleState('hive', 'HIVEMETASTORE', 'm2.example', 'UNKNOWN'),
    close: () => e.close(),
    recordedWrites: () => e.recorded.filter((r) => r.method !== 'GET').length,
    pollingAfterWrite: () => polledAfterWrite(e.recorded),
  };
}

const backends = [
  { name: 'ambari', make: (stopped = false) => ambariBackend(stopped ? 'INSTALLED' : 'STARTED') },
  { name: 'cloudera-manager', make: (stopped = false) => cmBackend(stopped ? 'STOPPED' : 'STARTED') },
];

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startTestPg('service');
  await createDrMetastore(cluster, DB);
});
afterAll(() => cluster?.destroy());

describe.each(backends)('$name', ({ make }) => {
  const withBackend = async (fn: (b: Backend) => Promise<void>, stopped = false): Promise<void> => {
    const b = await make(stopped);
    try {
      await fn(b);
    } finally {
      await b.close();
    }
  };

  it('stop then start: probe todo → run → proven; progress reported; probe done afterwards', () =>
    withBackend(async (b) => {
      const controller = controllerFor(b.config);
      const ctx = stepContext({ controller, sessions: pgSessionLister(cluster), database: DB, serviceControl: b.config });
      const stop = createStopHiveStep({ sessionGraceMs: 500, sessionPollMs: 50 });
      expect((await stop.probe(ctx)).status).toBe('todo');
      const out = await stop.run(ctx);
      expect(out).toMatchObject({ controller: b.name, sessionsLeft: 0 });
      expect((out.actions as { result: string }[]).every((a) => a.result === 'requested')).toBe(true);
      expect((out.components as { state: string }[]).every((c) => c.state === 'INSTALLED' || c.state === 'STOPPED')).toBe(true);
      expect(ctx.progressLines.length).toBeGreaterThan(0);
      expect((await stop.probe(ctx)).status).toBe('done');

      const start = startHiveStep;
      expect((await start.probe(ctx)).status).toBe('todo');
      await start.run(ctx);
      expect((await start.probe(ctx)).status).toBe('done');
      expect(start.plan(ctx.config, ctx.run).some((a) => a.kind === 'http')).toBe(true);
    }));

  it('already stopped: probe done, and stop sends no write request', () =>
    withBackend(async (b) => {
      const controller = controllerFor(b.config);
      const ctx = stepContext({ controller, sessions: pgSessionLister(cluster), database: DB, serviceControl: b.config });
      const probe = await createStopHiveStep().probe(ctx);
      expect(probe.status).toBe('done');
      const outcome = await controller.stop({ signal: new AbortController().signal });
      expect(outcome.actions.every((a) => a.result === 'already')).toBe(true);
      expect(b.recordedWrites()).toBe(0);
    }, true));

  it('agent lost (component UNKNOWN): probe blocked with an explanation, nothing sent', () =>
    withBackend(async (b) => {
      b.loseAgent();
      const ctx = stepContext({ controller: controllerFor(b.config), sessions: pgSessionLister(cluster), database: DB });
      const probe = await createStopHiveStep().probe(ctx);
      expect(probe.status).toBe('blocked');
      if (probe.status !== 'blocked') return;
      expect(probe.reason).toMatch(/m2\.example/);
      expect(probe.hint).toMatch(/restart the agent on m2\.example/);
      expect(b.recordedWrites()).toBe(0);
    }));

  it('one component fails to stop: the step fails naming host and component; the DR database is untouched', () =>
    withBackend(async (b) => {
      const before = await snapshotDatabase(cluster, DB);
      const { host, component } = b.failOneStop();
      const ctx = stepContext({ controller: controllerFor(b.config), sessions: pgSessionLister(cluster), database: DB });
      const error = await createStopHiveStep()
        .run(ctx)
        .then(
          () => undefined,
          (e: unknown) => e as Error,
        );
      expect(error?.message).toContain(host);
      expect(error?.message).toContain(component);
      expect(await snapshotDatabase(cluster, DB)).toBe(before);
    }));

  it('wrong password: a clear auth error that does not contain the password', () =>
    withBackend(async (b) => {
      const wrong = 'not-the-Password-99';
      const controller = controllerFor(b.config, wrong);
      const error = await controller.getState(new AbortController().signal).then(
        () => undefined,
        (e: unknown) => e as Error & { code: string; hint?: string },
      );
      expect(error?.code).toMatch(/^E_(AMBARI|CM)_AUTH$/);
      expect(error?.message).toMatch(/rejected the credentials of user admin/);
      expect(`${error?.message} ${error?.hint}`).not.toContain(wrong);
      expect(error?.hint).toMatch(b.name === 'ambari' ? /AMBARI_PW/ : /CM_PW/);
    }));

  it('request/command stuck until the timeout: a timeout error naming the request', () =>
    withBackend(async (b) => {
      b.setStuck();
      const controller = controllerFor(b.config);
      // Stuck for ever: only the timeout ends the wait (a hang means it was ignored).
      const error = await within(
        'the stuck stop',
        controller.stop({ signal: new AbortController().signal, timeoutMs: 300 }).then(
          () => undefined,
          (e: unknown) => e as Error & { code: string; hint?: string },
        ),
      );
      expect(error?.code).toMatch(/^E_(AMBARI_REQUEST|CM_COMMAND)_TIMEOUT$/);
      expect(error?.message).toMatch(
        b.name === 'ambari' ? /still PENDING after 0 s; tasks: HIVE_\w+ on m\d\.example PENDING/ : /still active/,
      );
      expect(error?.hint).toMatch(/not aborted/);
    }));

  it('Ctrl-C while waiting: InterruptedError promptly, telling the request keeps running', () =>
    withBackend(async (b) => {
      b.setStuck();
      const abort = new AbortController();
      const ctx = stepContext({
        controller: controllerFor(b.config),
        sessions: pgSessionLister(cluster),
        database: DB,
        signal: abort.signal,
      });
      // Ctrl-C once the stop was accepted and hmsdr polls it (not at a fixed time: on a slow machine
      // 150 ms could fall before the request was made, an interruption with another message).
      const whenWaiting = setInterval(() => {
        if (!b.pollingAfterWrite()) return;
        clearInterval(whenWaiting);
        abort.abort();
      }, 10);
      // Stuck for ever: only the abort ends the wait (a hang means it was ignored).
      const error = await within(
        'the interrupted stop',
        createStopHiveStep()
          .run(ctx)
          .then(
            () => undefined,
            (e: unknown) => e,
          ),
      );
      clearInterval(whenWaiting);
      expect(error).toBeInstanceOf(InterruptedError);
      expect((error as InterruptedError).hint).toMatch(/keeps running/);
    }));

  it("sessions left on the DR metastore after the stop: the step fails listing them; hmsdr's own are ignored", () =>
    withBackend(async (b) => {
      const hive = new pg.Client({ connectionString: cluster.url(DB), application_name: 'hive-metastore-leftover' });
      const own = new pg.Client({ connectionString: cluster.url(DB), application_name: 'hmsdr' });
      await hive.connect();
      await own.connect();
      try {
        const pid = (await hive.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
        const ctx = stepContext({ controller: controllerFor(b.config), sessions: pgSessionLister(cluster), database: DB });
        const error = await createStopHiveStep({ sessionGraceMs: 200, sessionPollMs: 50 })
          .run(ctx)
          .then(
            () => undefined,
            (e: unknown) => e as Error & { code: string },
          );
        expect(error?.code).toBe('E_SESSIONS_REMAIN');
        expect(error?.message).toContain(`pid ${pid} user postgres application_name 'hive-metastore-leftover' from 127.0.0.1`);
        expect(error?.message).toContain('1 session(s)');
      } finally {
        await hive.end();
        await own.end();
      }
    }));
});

describe('ambari only', () => {
  it('maintenance mode: a metastore on a host in maintenance mode blocks the stop (it would be skipped)', async () => {
    const e = await startAmbariEmulator({ password: PASSWORD, timing: TIMING });
    try {
      e.setHostMaintenance('m2.example', 'ON');
      const config = ambariConfig(e.url);
      const controller = controllerFor(config);
      const ctx = stepContext({ controller, sessions: pgSessionLister(cluster), database: DB });
      const probe = await createStopHiveStep().probe(ctx);
      expect(probe).toMatchObject({ status: 'blocked' });
      if (probe.status === 'blocked') {
        expect(probe.reason).toContain('HIVE/HIVE_METASTORE on m2.example (STARTED, maintenance IMPLIED_FROM_HOST)');
        expect(probe.hint).toMatch(/maintenance mode off/);
      }
      await expect(controller.stop({ signal: new AbortController().signal })).rejects.toBeInstanceOf(PreconditionError);
      expect(e.requestIds()).toEqual([]);
    } finally {
      await e.close();
    }
  });

  it('service-level maintenance mode is operated (operation_level SERVICE), not skipped', async () => {
    const e = await startAmbariEmulator({ password: PASSWORD, timing: TIMING });
    try {
      e.setServiceMaintenance('HIVE', 'ON');
      const controller = controllerFor(ambariConfig(e.url));
      const outcome = await controller.stop({ signal: new AbortController().signal });
      expect(outcome.actions[0]).toMatchObject({ result: 'requested', requestId: 1 });
      const put = e.recorded.find((r) => r.method === 'PUT');
      expect(put?.headers['x-requested-by']).toBe('hmsdr');
      expect(put?.headers.authorization).toBe(`Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`);
      expect(put?.path).not.toContain(PASSWORD);
      expect(JSON.parse(put?.body ?? '{}')).toEqual({
        RequestInfo: { context: 'hmsdr: stop HIVE', operation_level: { level: 'SERVICE', cluster_name: 'dr', service_name: 'HIVE' } },
        Body: { ServiceInfo: { state: 'INSTALLED' } },
      });
    } finally {
      await e.close();
    }
  });

  it('missing X-Requested-By (raw request, as a copied curl line would send it) → 400 with the CSRF message', async () => {
    const e = await startAmbariEmulator({ password: PASSWORD });
    try {
      const response = await fetch(`${e.url}/api/v1/clusters/dr/services/HIVE`, {
        method: 'PUT',
        headers: { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` },
        body: '{"ServiceInfo":{"state":"INSTALLED"}}',
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('"message" : "CSRF protection is turned on. X-Requested-By HTTP header is required."');
      expect(e.requestIds()).toEqual([]);
    } finally {
      await e.close();
    }
  });

  it('the service summary says INSTALLED while a metastore still runs: hmsdr still stops it and proves it from host components', async () => {
    const e = await startAmbariEmulator({ password: PASSWORD, timing: TIMING });
    try {
      for (const [c, h] of [
        ['HIVE_METASTORE', 'm1.example'],
        ['HIVE_SERVER', 'm1.example'],
        ['HIVE_SERVER_INTERACTIVE', 'm2.example'],
      ] as const)
        e.setHostComponentState(c, h, 'INSTALLED');
      expect(e.serviceState('HIVE')).toBe('INSTALLED');
      const controller = controllerFor(ambariConfig(e.url));
      const outcome = await controller.stop({ signal: new AbortController().signal });
      expect(outcome.actions[0]).toMatchObject({ result: 'requested' }); // m2 metastore still STARTED: a real request
      expect(e.hostComponentState('HIVE_METASTORE', 'm2.example')).toBe('INSTALLED');
    } finally {
      await e.close();
    }
  });
});

describe('cloudera-manager only: commands CM refuses', () => {
  const withCm = async (
    initial: 'STARTED' | 'STOPPED',
    fn: (e: CmEmulator) => Promise<void>,
    timing = { pendingMs: 40, inProgressMs: 60 },
  ): Promise<void> => {
    const e = await startCmEmulator({ password: PASSWORD, timing, initialState: initial });
    try {
      await fn(e);
    } finally {
      await e.close();
    }
  };
  const posts = (e: CmEmulator): string[] => e.recorded.filter((r) => r.method === 'POST').map((r) => r.path);

  it('start-hive on a started service: the step is done and no command is sent', () =>
    withCm('STARTED', async (e) => {
      const controller = controllerFor(cmConfig(e.url));
      const ctx = stepContext({ controller, sessions: pgSessionLister(cluster), database: DB });
      expect((await startHiveStep.probe(ctx)).status).toBe('done');
      const outcome = await controller.start({ signal: new AbortController().signal });
      expect(outcome.actions.map((a) => a.result)).toEqual(['already', 'already']);
      expect(posts(e)).toEqual([]);
      expect(e.commandIds()).toEqual([]);
    }));

  it('a start refused while another start runs: roles re-read, done once they are started, at most 3 POSTs per service', () =>
    withCm(
      'STOPPED',
      async (e) => {
        // Someone else starts both services in CM just before hmsdr does.
        const authorization = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
        for (const s of ['hive', 'hive_on_tez'])
          await fetch(`${e.url}/api/v41/clusters/Cluster%201/services/${s}/commands/start`, { method: 'POST', headers: { authorization } });
        const outcome = await controllerFor(cmConfig(e.url)).start({ signal: new AbortController().signal });
        expect(outcome.actions.map((a) => a.result)).toEqual(['already', 'already']);
        const mine = posts(e).slice(2);
        // hive_on_tez is asked while the other start is still pending; hive may already be started by then (0 POSTs).
        expect(mine.length).toBeGreaterThanOrEqual(1);
        for (const s of ['hive', 'hive_on_tez'])
          expect(mine.filter((p) => p.endsWith(`/services/${s}/commands/start`)).length).toBeLessThanOrEqual(3);
        expect(
          e
            .roleStates('hive')
            .filter((r) => r.type !== 'GATEWAY')
            .every((r) => r.state === 'STARTED'),
        ).toBe(true);
      },
      { pendingMs: 150, inProgressMs: 150 },
    ));

  it('"not currently available" while the roles are still stopped: 3 POSTs with backoff, then a clear error naming CM\'s message', () =>
    withCm('STOPPED', async (e) => {
      e.refuseCommands(100);
      const progress: string[] = [];
      const started = Date.now();
      const error = await controllerFor(cmConfig(e.url))
        .start({ signal: new AbortController().signal, onProgress: (_p, text) => progress.push(text) })
        .then(
          () => undefined,
          (err: unknown) => err as Error & { code?: string },
        );
      expect(error?.code).toBe('E_CM_COMMAND_REFUSED');
      expect(error?.message).toContain(
        'Cloudera Manager refused to start hive_on_tez 3 time(s): "Command Start is not currently available for execution."',
      );
      expect(posts(e)).toEqual(Array(3).fill('/api/v41/clusters/Cluster%201/services/hive_on_tez/commands/start'));
      expect(e.commandIds()).toEqual([]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(20 * 4 + 20 * 16); // backoff: 4x, then 16x the poll interval
      expect(progress.filter((t) => t.includes('trying again'))).toHaveLength(2);
    }));

  it('refused once, then accepted: the command is sent again and runs', () =>
    withCm('STOPPED', async (e) => {
      e.refuseCommands(1);
      const outcome = await controllerFor(cmConfig(e.url)).start({ signal: new AbortController().signal });
      expect(outcome.actions.map((a) => a.result)).toEqual(['requested', 'requested']);
      expect(posts(e).map((p) => p.split('/')[6])).toEqual(['hive_on_tez', 'hive_on_tez', 'hive']);
    }));
});
