// Alerts against a real local HTTP receiver and a real command: each event's body, retries on 500,
// a receiver that hangs, the command channel's environment and stdin, and no secret anywhere.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { completeRun, failedAtCopyRun, RUN_ID, verificationFailedRun } from '../../test/harness/report-runs.js';
import { clearSecretsForTests, registerSecret } from '../util/secrets.js';
import { endEvents, endNotification, sendNotification, startNotification, type Notification, type NotifySettings } from './notify.js';
import { buildRunSummary } from './summary.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
  clearSecretsForTests();
});

interface Receiver {
  url: string;
  bodies: Notification[];
  requests: number;
}

async function receiver(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<Receiver> {
  const state: Receiver = { url: '', bodies: [], requests: 0 };
  const server: Server = createServer((req, res) => {
    state.requests += 1;
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      state.bodies.push(JSON.parse(text) as Notification);
      answer(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    server.closeAllConnections();
    server.close();
  });
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/s3cr3tT0ken`;
  return state;
}

const summaryOf = (run: { dir: string }) => {
  cleanups.push(() => rmSync(join(run.dir, '..'), { recursive: true, force: true }));
  return buildRunSummary(run.dir);
};
const webhook = (urlEnv = 'HMSDR_TEST_WEBHOOK'): NotifySettings['webhook'] => ({ urlEnv, timeoutMs: 500, retries: 2 });
const ALL: NotifySettings['events'] = ['start', 'success', 'failure', 'verification-failed', 'blocked', 'recovered'];

describe('notifications', () => {
  it('end events: the outcome, and recovered for the first success after a run that was not ok', () => {
    expect(endEvents({ outcome: 'ok' }, null)).toEqual(['success']);
    expect(endEvents({ outcome: 'ok' }, 'failed-step')).toEqual(['success', 'recovered']);
    expect(endEvents({ outcome: 'failed-step' }, 'ok')).toEqual(['failure']);
    expect(endEvents({ outcome: 'interrupted' }, 'ok')).toEqual(['failure']);
    expect(endEvents({ outcome: 'verification-failed' }, 'ok')).toEqual(['verification-failed']);
    expect(endEvents({ outcome: 'blocked' }, 'ok')).toEqual(['blocked']);
  });

  it('webhook: one JSON POST per event with the run, outcome, failure code, hint, resume command, RPO and RTO', async () => {
    const hook = await receiver((_req, res) => res.end('ok'));
    const env = { HMSDR_TEST_WEBHOOK: hook.url };
    const failed = summaryOf(failedAtCopyRun());
    const settings: NotifySettings = { events: ALL, webhook: webhook() };
    expect(await sendNotification(settings, startNotification(RUN_ID, 'rehearse', 'edge1'), env)).toEqual([]);
    expect(await sendNotification(settings, endNotification('failure', failed, '/runs/x/report.html'), env)).toEqual([]);
    const verify = summaryOf(verificationFailedRun());
    expect(await sendNotification(settings, endNotification('verification-failed', verify, null), env)).toEqual([]);
    const ok = summaryOf(completeRun());
    expect(await sendNotification(settings, endNotification('recovered', ok, null), env)).toEqual([]);
    expect(hook.bodies.map((b) => b.event)).toEqual(['start', 'failure', 'verification-failed', 'recovered']);
    expect(hook.bodies[1]).toMatchObject({
      runId: RUN_ID,
      mode: 'rehearse',
      outcome: 'failed-step',
      exitCode: 1,
      failedStep: 'copy-data',
      reportPath: '/runs/x/report.html',
      resumeCommand: expect.stringContaining(`hmsdr resume ${RUN_ID}`),
      hint: expect.stringContaining('resume'),
      failureCode: expect.any(String),
    });
    expect(hook.bodies[1]!.text).toContain('failure');
    expect(hook.bodies[2]).toMatchObject({ outcome: 'verification-failed', exitCode: 5, failedStep: 'verify-staging' });
    expect(hook.bodies[3]).toMatchObject({ outcome: 'ok', resumeCommand: null, rtoSeconds: 298 });
    expect(typeof hook.bodies[3]!.rpoSeconds).toBe('number');
  });

  it('only subscribed events are sent', async () => {
    const hook = await receiver((_req, res) => res.end());
    const settings: NotifySettings = { events: ['failure'], webhook: webhook() };
    await sendNotification(settings, startNotification(RUN_ID, 'rehearse', 'edge1'), { HMSDR_TEST_WEBHOOK: hook.url });
    expect(hook.requests).toBe(0);
  });

  it('a receiver answering 500 is retried, then a warning that does not show the URL path', async () => {
    const hook = await receiver((_req, res) => {
      res.statusCode = 500;
      res.end('boom');
    });
    const warnings = await sendNotification({ events: ALL, webhook: webhook() }, startNotification(RUN_ID, 'rehearse', 'edge1'), {
      HMSDR_TEST_WEBHOOK: hook.url,
    });
    expect(hook.requests).toBe(3);
    expect(warnings).toEqual([
      expect.stringMatching(/^start notification failed: webhook http:\/\/127\.0\.0\.1:\d+: HTTP 500 after 3 attempt\(s\)$/),
    ]);
    expect(warnings.join()).not.toContain('s3cr3tT0ken');
  });

  it('a receiver that hangs: a warning after the timeout, not a hang', async () => {
    const hook = await receiver(() => undefined);
    const started = Date.now();
    const warnings = await sendNotification(
      { events: ALL, webhook: { urlEnv: 'HMSDR_TEST_WEBHOOK', timeoutMs: 300, retries: 1 } },
      startNotification(RUN_ID, 'rehearse', 'edge1'),
      { HMSDR_TEST_WEBHOOK: hook.url },
    );
    expect(warnings[0]).toMatch(/no answer within 300 ms after 2 attempt\(s\)/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('command channel: the fields in HMSDR_* variables and the JSON on stdin; sendmail -t gets a mail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmsdr-notify-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const script = join(dir, 'alert.sh');
    writeFileSync(script, `#!/bin/sh\nenv | grep ^HMSDR_ | sort > "${dir}/env"\ncat > "${dir}/stdin"\n[ "$1" = "-t" ] && exit 0\nexit 0\n`);
    chmodSync(script, 0o755);
    const failed = summaryOf(failedAtCopyRun());
    const body = endNotification('failure', failed, null);
    expect(await sendNotification({ events: ALL, command: script }, body)).toEqual([]);
    const env = readFileSync(join(dir, 'env'), 'utf8');
    expect(env).toContain(`HMSDR_RUN_ID=${RUN_ID}`);
    expect(env).toContain('HMSDR_EVENT=failure');
    expect(env).toContain('HMSDR_FAILED_STEP=copy-data');
    expect(env).toContain('HMSDR_OUTCOME=failed-step');
    expect(JSON.parse(readFileSync(join(dir, 'stdin'), 'utf8'))).toEqual(body);
    expect(await sendNotification({ events: ALL, sendmail: { to: ['oncall@example.com'], binary: script } }, body)).toEqual([]);
    expect(readFileSync(join(dir, 'stdin'), 'utf8')).toMatch(
      /^To: oncall@example.com\nSubject: \[hmsdr\] failure: 20261121t053000 failed-step\n/,
    );
    writeFileSync(script, '#!/bin/sh\necho nope >&2\nexit 3\n');
    expect(await sendNotification({ events: ALL, command: script }, body)).toEqual([
      `failure notification failed: notify command ${script} exited 3: nope`,
    ]);
  });

  it('no registered secret reaches a body, the command or a warning', async () => {
    registerSecret('hunter2-db-password');
    const hook = await receiver((_req, res) => res.end());
    const failed = summaryOf(failedAtCopyRun());
    const body = endNotification('failure', { ...failed, headline: 'psql: password hunter2-db-password rejected' }, null);
    await sendNotification({ events: ALL, webhook: webhook() }, body, { HMSDR_TEST_WEBHOOK: hook.url });
    expect(JSON.stringify(hook.bodies)).not.toContain('hunter2-db-password');
    expect(hook.bodies[0]!.headline).toBe('psql: password *** rejected');
  });
});
