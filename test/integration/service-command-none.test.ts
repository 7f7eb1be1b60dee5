// The `command` controller (shell lines through an Executor, systemctl is-active exit codes) and
// the manual `none` controller, through the stop-hive / start-hive steps.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localExecutor, type Executor } from '../../src/adapters/executor.js';
import { CommandFailedError } from '../../src/adapters/process/run-command.js';
import { createCommandController, type CommandControlConfig } from '../../src/adapters/service-control/command-controller.js';
import { createServiceController, planServiceControl } from '../../src/adapters/service-control/factory.js';
import { createNoneController } from '../../src/adapters/service-control/none-controller.js';
import type { SessionLister } from '../../src/adapters/service-control/sessions.js';
import { ConfigError, PreconditionError } from '../../src/errors/errors.js';
import { startHiveStep } from '../../src/steps/start-hive.js';
import { createStopHiveStep } from '../../src/steps/stop-hive.js';
import { stepContext } from './service-test-kit.js';

/**
 * localExecutor, except runAnyExit: the shared runCommandAnyExit reads `error.cause.stdout` but
 * runCommand throws a plain non-zero exit without a cause (TypeError; reported to the foundation
 * owner). Remove this wrapper once that is fixed.
 */
const executor: Executor = {
  ...localExecutor,
  runAnyExit: async (command, options) => {
    try {
      return await localExecutor.run(command, options);
    } catch (error) {
      if (error instanceof CommandFailedError && error.exitCode_ !== undefined && error.signalName === undefined) {
        return { exitCode: error.exitCode_, stdout: '', stderr: error.stderr };
      }
      throw error;
    }
  },
};

const noSessions: SessionLister = { listSessions: async () => [] };
let dir: string;
let config: CommandControlConfig;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmsdr-svc-'));
  const running = join(dir, 'running');
  writeFileSync(running, '');
  // A tiny systemctl stand-in: the file exists while "Hive" runs.
  config = {
    type: 'command',
    stop: `rm -f '${running}' && echo stopped >> '${join(dir, 'log')}'`,
    start: `touch '${running}'`,
    status: `test -f '${running}' && exit 0 || exit 3`,
    timeoutMs: 5000,
  };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('command controller', () => {
  it('stops, proves exit 3, and is a no-op when already stopped; start proves exit 0', async () => {
    const controller = createCommandController(config, executor);
    const ctx = stepContext({ controller, sessions: noSessions });
    const stop = createStopHiveStep({ sessionGraceMs: 0 });
    expect((await stop.probe(ctx)).status).toBe('todo');
    const out = await stop.run(ctx);
    expect(out.actions).toEqual([
      { service: 'hive', result: 'requested', detail: 'ran the stop command on localhost; status reports stopped' },
    ]);
    expect((await stop.probe(ctx)).status).toBe('done');
    const again = await controller.stop({ signal: new AbortController().signal });
    expect(again.actions[0]?.result).toBe('already');
    await startHiveStep.run(ctx);
    expect((await controller.getState(new AbortController().signal)).services[0]?.components[0]?.state).toBe('running (exit 0)');
  });

  it('a status exit code other than 0 or 3 is an error with a hint', async () => {
    const controller = createCommandController({ ...config, status: 'echo boom >&2; exit 4' }, executor);
    await expect(controller.getState(new AbortController().signal)).rejects.toMatchObject({
      code: 'E_SERVICE_STATUS',
      message: expect.stringContaining('exited with 4'),
      stderrTail: 'boom',
    });
  });

  it('a stop command that does not stop anything fails as not proven', async () => {
    const controller = createCommandController({ ...config, stop: 'true' }, executor);
    await expect(controller.stop({ signal: new AbortController().signal })).rejects.toMatchObject({ code: 'E_SERVICE_NOT_PROVEN' });
  });

  it('plans sh -c commands on the DR SSH host', () => {
    const actions = planServiceControl(config, { host: 'dr-edge.example' }, 'stopped');
    expect(actions[1]).toMatchObject({
      kind: 'exec',
      where: { host: 'dr-edge.example' },
      command: { file: 'sh', args: ['-c', config.stop] },
    });
  });

  it('the factory refuses the command controller without a DR executor', () => {
    expect(() => createServiceController(config)).toThrow(ConfigError);
    expect(createServiceController(config, { drExecutor: localExecutor }).kind).toBe('command');
  });
});

describe('none controller', () => {
  it('interactive: asks the operator to stop Hive, then checks sessions', async () => {
    const ctx = stepContext({ controller: createNoneController(), sessions: noSessions, confirmAnswer: true });
    const stop = createStopHiveStep({ sessionGraceMs: 0 });
    expect((await stop.probe(ctx)).status).toBe('todo');
    const out = await stop.run(ctx);
    expect(ctx.questions).toEqual([
      'Stop Hive on the DR cluster now (every Hive Metastore and HiveServer2 process), then confirm: is Hive stopped?',
    ]);
    expect(out.actions).toEqual([{ service: 'hive', result: 'manual', detail: 'the operator confirmed' }]);
  });

  it('unattended (confirm answers no): a PreconditionError with a hint', async () => {
    const ctx = stepContext({ controller: createNoneController(), sessions: noSessions, confirmAnswer: false });
    const error = await createStopHiveStep()
      .run(ctx)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(PreconditionError);
    expect((error as PreconditionError).hint).toMatch(/interactively.*or configure dr\.serviceControl/);
  });

  it('sessions still open after the operator confirmed: the step fails listing them', async () => {
    const sessions: SessionLister = {
      listSessions: async () => [
        { pid: 4711, user: 'hive', applicationName: 'PostgreSQL JDBC Driver', clientAddr: '10.0.0.7' },
        { pid: 1, user: 'hmsdr', applicationName: 'hmsdr', clientAddr: null },
      ],
    };
    const ctx = stepContext({ controller: createNoneController(), sessions, confirmAnswer: true });
    await expect(createStopHiveStep({ sessionGraceMs: 0 }).run(ctx)).rejects.toMatchObject({
      code: 'E_SESSIONS_REMAIN',
      message: expect.stringContaining(
        "1 session(s) remain on the DR metastore database metastore: pid 4711 user hive application_name 'PostgreSQL JDBC Driver' from 10.0.0.7",
      ),
    });
  });
});

describe('factory', () => {
  it('reads the Ambari password from the environment at creation and plans without it', () => {
    const ambari = {
      type: 'ambari' as const,
      url: 'https://ambari.dr:8443',
      cluster: 'dr',
      services: ['HIVE'],
      user: 'admin',
      passwordEnv: 'HMSDR_TEST_AMBARI_PW',
      requestTimeoutMs: 900_000,
      pollIntervalMs: 2000,
    };
    expect(() => createServiceController(ambari, { env: {} })).toThrow(/HMSDR_TEST_AMBARI_PW is not set/);
    expect(createServiceController(ambari, { env: { HMSDR_TEST_AMBARI_PW: 'Secret-For-Test' } }).describe()).toBe(
      'Ambari https://ambari.dr:8443 cluster dr (HIVE)',
    );
    const plan = planServiceControl(ambari, 'local', 'stopped');
    expect(plan[0]).toMatchObject({ kind: 'http', method: 'PUT', url: 'https://ambari.dr:8443/api/v1/clusters/dr/services/HIVE' });
    expect(JSON.stringify(plan)).not.toContain('Secret-For-Test');
  });
});
