// Bounded retry: which failures are retried, and the engine resuming the same run (real ledger and
// events in a temp runs directory; the steps are test steps, the failures real hmsdr error classes).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { minimalConfigYaml } from '../../test/harness/config.js';
import { parseConfigText } from '../config/load.js';
import { AdapterError, ConfigError, LockedError, PreconditionError, StepFailedError, VerifyError } from '../errors/errors.js';
import { ExitCode } from '../errors/exit-codes.js';
import { classifyForRetry, runWithRetries, type RetryRecord } from './retry.js';
import type { Step } from './step.js';

const adapterError = (code: `E_${string}`, message = 'x', exitCode: ExitCode = ExitCode.STEP_FAILED) =>
  new AdapterError(code, message, { exitCode });

describe('classifyForRetry', () => {
  it('retries the far side being away: SSH dropped, servers unreachable or restarting, a failed DistCp job', () => {
    expect(classifyForRetry(new StepFailedError('s', 's failed', { cause: adapterError('E_SSH_DISCONNECTED') }))).toMatchObject({
      transient: true,
      code: 'E_SSH_DISCONNECTED',
    });
    const unreachable = new PreconditionError('s failed', { cause: adapterError('E_PG_UNREACHABLE', 'x', ExitCode.PRECONDITION) });
    expect(classifyForRetry(unreachable)).toMatchObject({ transient: true, code: 'E_PG_UNREACHABLE' });
    expect(classifyForRetry(new StepFailedError('c', 'c', { cause: adapterError('E_DISTCP') })).transient).toBe(true);
    expect(classifyForRetry(new StepFailedError('c', 'c', { cause: adapterError('E_HTTP_UNREACHABLE') })).transient).toBe(true);
    const restarting = adapterError(
      'E_PG',
      'PostgreSQL error on u@h:5432/hive: terminating connection due to administrator command (SQLSTATE 57P01)',
    );
    expect(classifyForRetry(new StepFailedError('r', 'r', { cause: restarting })).transient).toBe(true);
  });

  it('never retries a blocked step, a verification failure, a config error, a lock, a refusal of substance', () => {
    expect(classifyForRetry(new PreconditionError('copy-data is blocked: the target changed', { stepId: 'copy-data' }))).toMatchObject({
      transient: false,
      code: 'E_PRECONDITION',
    });
    expect(classifyForRetry(new VerifyError('verify-live: 3 differences', [])).transient).toBe(false);
    // A verification failure wrapping a transient-looking cause is still a verification failure.
    expect(classifyForRetry(new VerifyError('v', [], { cause: adapterError('E_SSH_DISCONNECTED') })).transient).toBe(false);
    expect(classifyForRetry(new ConfigError('bad', [])).transient).toBe(false);
    expect(classifyForRetry(new LockedError('locked', undefined)).transient).toBe(false);
    expect(
      classifyForRetry(new StepFailedError('s', 's', { cause: adapterError('E_PG_AUTH', 'x', ExitCode.PRECONDITION) })).transient,
    ).toBe(false);
    expect(classifyForRetry(new StepFailedError('s', 's', { cause: adapterError('E_SSH_UPLOAD_NO_SPACE') })).transient).toBe(false);
    expect(classifyForRetry(new Error('a bug')).transient).toBe(false);
  });
});

describe('runWithRetries', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hmsdr-retry-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const config = () => parseConfigText(minimalConfigYaml({ runsDir: join(dir, 'runs') }), join(dir, 'hmsdr.yaml'), {});
  const step = (id: string, run: () => Promise<Record<string, unknown>>): Step => ({
    id,
    title: id,
    destructive: false,
    recovery: 'resume',
    plan: () => [],
    probe: async () => ({ status: 'todo', reason: 'not yet' }),
    run,
  });
  const engine = (steps: Step[]) =>
    ({
      config: config(),
      steps,
      adapters: () => ({}),
      mode: 'rehearse',
      interactive: false,
      yes: true,
      renderer: 'silent',
      commandLine: 'hmsdr rehearse --retries 2',
    }) as const;
  const events = (runId: string) =>
    readFileSync(join(dir, 'runs', runId, 'events.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('resumes the same run after a transient failure: two attempts recorded, the done step not run again', async () => {
    const calls = { a: 0, b: 0 };
    const steps = [
      step('a', async () => ({ n: ++calls.a })),
      step('b', async () => {
        calls.b += 1;
        if (calls.b === 1) throw new AdapterError('E_SSH_DISCONNECTED', 'the SSH connection was lost (ECONNRESET)');
        return { n: calls.b };
      }),
    ];
    const retries: RetryRecord[] = [];
    const slept: number[] = [];
    const result = await runWithRetries(engine(steps), {
      retries: 2,
      delayMs: 300_000,
      sleep: async (ms) => void slept.push(ms),
      onRetry: (r) => retries.push(r),
    });
    expect(result.complete).toBe(true);
    expect(calls).toEqual({ a: 1, b: 2 });
    expect(retries).toEqual([
      expect.objectContaining({ runId: result.runId, attempt: 1, of: 3, code: 'E_SSH_DISCONNECTED', delayMs: 300_000 }),
    ]);
    expect(slept).toEqual([300_000]);
    const state = JSON.parse(readFileSync(join(dir, 'runs', result.runId, 'state.json'), 'utf8'));
    expect(state.steps.b.attempts).toBe(2);
    const names = events(result.runId).map((e) => e['event']);
    expect(names.filter((n) => n === 'run-started')).toHaveLength(1);
    expect(names.filter((n) => n === 'run-resumed')).toHaveLength(1);
    const retry = events(result.runId).find((e) => e['event'] === 'run-retry');
    expect(retry).toMatchObject({ level: 'warn', attempt: 1, of: 3, code: 'E_SSH_DISCONNECTED' });
    expect(retry?.['warning']).toMatch(/^attempt 1 of 3 failed \(E_SSH_DISCONNECTED: .*\); resuming in 5 min/);
  });

  it('backs off (doubling) and gives up after N retries with the last error', async () => {
    const slept: number[] = [];
    const steps = [
      step('a', async () => {
        throw new AdapterError('E_HTTP_UNREACHABLE', 'Ambari at https://amb:8443 is unreachable (ECONNREFUSED)');
      }),
    ];
    const error = await runWithRetries(engine(steps), { retries: 2, delayMs: 1000, sleep: async (ms) => void slept.push(ms) }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(StepFailedError);
    expect(slept).toEqual([1000, 2000]);
  });

  it('a verification failure is not retried', async () => {
    let calls = 0;
    const steps = [
      step('verify-live', async () => {
        calls += 1;
        throw new VerifyError('2 tables differ', []);
      }),
    ];
    const slept: number[] = [];
    const error = await runWithRetries(engine(steps), { retries: 2, delayMs: 10, sleep: async (ms) => void slept.push(ms) }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(VerifyError);
    expect(calls).toBe(1);
    expect(slept).toEqual([]);
  });
});
