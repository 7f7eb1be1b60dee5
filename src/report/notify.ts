// Alerts (`notify:` in the config): a run's start and end sent to a webhook (JSON POST, Slack and
// Teams incoming webhooks read its `text`), a command (fields in the environment, the JSON on stdin)
// or sendmail. A notification that fails is a warning, never a failed run (docs/monitoring.md).
import { spawn } from 'node:child_process';
import { redact, redactDeep, registerSecret } from '../util/secrets.js';
import type { RunSummary } from './model.js';

export type NotifyEvent = 'start' | 'success' | 'failure' | 'verification-failed' | 'blocked' | 'recovered';
export const NOTIFY_EVENTS: readonly NotifyEvent[] = ['start', 'success', 'failure', 'verification-failed', 'blocked', 'recovered'];

export interface NotifySettings {
  events: readonly NotifyEvent[];
  webhook?: { urlEnv: string; timeoutMs: number; retries: number } | undefined;
  command?: string | undefined;
  sendmail?: { to: readonly string[]; from?: string | undefined; binary: string } | undefined;
}

export interface Notification {
  event: NotifyEvent;
  runId: string;
  mode: string;
  host: string | null;
  outcome: string | null;
  exitCode: number | null;
  headline: string;
  failureCode: string | null;
  failedStep: string | null;
  hint: string | null;
  resumeCommand: string | null;
  reportPath: string | null;
  rpoSeconds: number | null;
  rtoSeconds: number | null;
  /** One line for chat webhooks (Slack, Teams). */
  text: string;
}

const seconds = (ms: number | null | undefined): number | null => (ms === null || ms === undefined ? null : Math.round(ms / 1000));

/** The events a finished run raises: its outcome, and `recovered` when it is a success after a failure. */
export function endEvents(summary: Pick<RunSummary, 'outcome'>, previousOutcome: string | null): NotifyEvent[] {
  if (summary.outcome === 'ok') return previousOutcome !== null && previousOutcome !== 'ok' ? ['success', 'recovered'] : ['success'];
  if (summary.outcome === 'verification-failed') return ['verification-failed'];
  if (summary.outcome === 'blocked') return ['blocked'];
  return ['failure'];
}

export function endNotification(event: NotifyEvent, summary: RunSummary, reportPath: string | null): Notification {
  const base = {
    event,
    runId: summary.runId,
    mode: summary.mode,
    host: summary.host,
    outcome: summary.outcome,
    exitCode: summary.exitCode,
    headline: summary.headline,
    failureCode: summary.failure?.code ?? null,
    failedStep: summary.failure?.step ?? null,
    hint: summary.failure?.hint ?? null,
    resumeCommand: summary.outcome === 'ok' ? null : summary.resumeCommand,
    reportPath,
    rpoSeconds: seconds(summary.rpo.rpoMs),
    rtoSeconds: seconds(summary.rto.rtoMs),
  };
  const next = base.resumeCommand ? ` — next: ${base.resumeCommand}` : '';
  return redactDeep({
    ...base,
    text: `hmsdr ${summary.mode} ${summary.runId} on ${summary.host ?? '?'}: ${event} — ${summary.headline}${next}`,
  });
}

export function startNotification(runId: string, mode: string, host: string): Notification {
  return {
    event: 'start',
    runId,
    mode,
    host,
    outcome: null,
    exitCode: null,
    headline: 'started',
    failureCode: null,
    failedStep: null,
    hint: null,
    resumeCommand: null,
    reportPath: null,
    rpoSeconds: null,
    rtoSeconds: null,
    text: `hmsdr ${mode} ${runId} on ${host}: started`,
  };
}

/** `https://hooks.slack.com/…` → `https://hooks.slack.com`: a webhook URL's path is its secret. */
const originOf = (url: string): string => {
  try {
    return new URL(url).origin;
  } catch {
    return 'an invalid URL';
  }
};

async function postWebhook(settings: NonNullable<NotifySettings['webhook']>, body: Notification, env: NodeJS.ProcessEnv): Promise<void> {
  const url = env[settings.urlEnv];
  if (!url) throw new Error(`webhook: $${settings.urlEnv} is not set`);
  registerSecret(url); // its path is the credential: never in a message or a report
  let last = '';
  for (let attempt = 0; attempt <= settings.retries; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(5000, 500 * 2 ** (attempt - 1))));
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
      if (response.status < 500 && response.status !== 429) break; // a client error does not heal by retrying
    } catch (error) {
      last = (error as Error).name === 'TimeoutError' ? `no answer within ${settings.timeoutMs} ms` : (error as Error).message;
    }
  }
  throw new Error(`webhook ${originOf(url)}: ${last} after ${settings.retries + 1} attempt(s)`);
}

/** Run `file args…` with `input` on stdin and `env` added; rejects on a non-zero exit or after 60 s. */
function runWithInput(file: string, args: string[], input: string, env: Record<string, string>, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'ignore', 'pipe'], timeout: 60_000 });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-500)));
    child.on('error', (error) => reject(new Error(`${label}: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(`${label} exited ${code ?? signal}${stderr.trim() ? `: ${redact(stderr.trim().split('\n').slice(-1)[0] ?? '')}` : ''}`),
        );
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** HMSDR_EVENT, HMSDR_RUN_ID, …: every field in the environment of the command channel. */
export function notificationEnv(body: Notification): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    env[`HMSDR_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`] = value === null ? '' : String(value);
  }
  return env;
}

function mailText(settings: NonNullable<NotifySettings['sendmail']>, body: Notification): string {
  const headers = [
    `To: ${settings.to.join(', ')}`,
    ...(settings.from ? [`From: ${settings.from}`] : []),
    `Subject: [hmsdr] ${body.event}: ${body.runId} ${body.outcome ?? ''}`.trim(),
    'Content-Type: text/plain; charset=utf-8',
  ];
  const lines = Object.entries(body)
    .filter(([k, v]) => k !== 'text' && v !== null)
    .map(([k, v]) => `${k}: ${String(v)}`);
  return `${headers.join('\n')}\n\n${body.text}\n\n${lines.join('\n')}\n`;
}

/** Send `body` on every configured channel when its event is subscribed; the warnings of those that failed. */
export async function sendNotification(
  settings: NotifySettings | undefined,
  body: Notification,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string[]> {
  if (!settings?.events.includes(body.event)) return [];
  const safe = redactDeep(body);
  const channels: Array<Promise<void>> = [];
  if (settings.webhook) channels.push(postWebhook(settings.webhook, safe, env));
  if (settings.command)
    channels.push(
      runWithInput(settings.command, [], JSON.stringify(safe) + '\n', notificationEnv(safe), `notify command ${settings.command}`),
    );
  if (settings.sendmail)
    channels.push(
      runWithInput(settings.sendmail.binary, ['-t'], mailText(settings.sendmail, safe), {}, `sendmail ${settings.sendmail.binary}`),
    );
  const results = await Promise.allSettled(channels);
  return results.flatMap((r) =>
    r.status === 'rejected' ? [`${body.event} notification failed: ${redact((r.reason as Error).message)}`] : [],
  );
}
