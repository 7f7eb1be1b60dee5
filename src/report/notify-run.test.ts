// The run-end wiring: recovered after a failed run, and a failed notification landing in the run's
// warnings (events.ndjson → the report) instead of failing anything.
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { completeRun, failedAtCopyRun } from '../../test/harness/report-runs.js';
import { HISTORY_PAGE, monitorRunEnd, notifyRunEnd } from './notify-run.js';
import { buildRunSummary } from './summary.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function place(fabricated: { dir: string }, runsDir: string, runId: string): string {
  const target = join(runsDir, runId);
  renameSync(fabricated.dir, target);
  rmSync(join(fabricated.dir, '..'), { recursive: true, force: true });
  const state = JSON.parse(readFileSync(join(target, 'state.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(target, 'state.json'), JSON.stringify({ ...state, runId, finishedAt: state.updatedAt }));
  return target;
}

describe('notifyRunEnd', () => {
  it('a success after a failed run sends success and recovered; a failing receiver becomes a warning of the run', async () => {
    const runsDir = mkdtempSync(join(tmpdir(), 'hmsdr-notify-run-'));
    cleanups.push(() => rmSync(runsDir, { recursive: true, force: true }));
    place(failedAtCopyRun(), runsDir, '20261120t053000');
    const dir = place(completeRun(), runsDir, '20261121t053000');
    // The fabricated complete run's report step is still running: mark it done as the engine would.
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { steps: Record<string, Record<string, unknown>> };
    state.steps.report = { ...state.steps.report, status: 'done', finishedAt: '2026-11-21T05:35:11.000Z' };
    writeFileSync(join(dir, 'state.json'), JSON.stringify(state));

    const events: string[] = [];
    let status = 200;
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        events.push((JSON.parse(text) as { event: string }).event);
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => server.close());
    process.env.HMSDR_TEST_RUN_WEBHOOK = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    cleanups.push(() => delete process.env.HMSDR_TEST_RUN_WEBHOOK);
    const config = {
      runsDirAbs: runsDir,
      notify: {
        events: ['success', 'recovered', 'failure'] as const,
        webhook: { urlEnv: 'HMSDR_TEST_RUN_WEBHOOK', timeoutMs: 1000, retries: 0 },
      },
    };

    let rewritten = 0;
    expect(
      await notifyRunEnd({ ...config, notify: { ...config.notify, events: [...config.notify.events] } }, dir, [], () => (rewritten += 1)),
    ).toEqual([]);
    expect(events.sort()).toEqual(['recovered', 'success']);
    expect(rewritten).toBe(0);

    status = 503;
    const warnings = await notifyRunEnd(
      { ...config, notify: { ...config.notify, events: ['success'] } },
      dir,
      ['start notification failed: x'],
      () => (rewritten += 1),
    );
    expect(warnings).toEqual([
      'start notification failed: x',
      expect.stringMatching(/^success notification failed: webhook http:\/\/127\.0\.0\.1:\d+: HTTP 503/),
    ]);
    expect(rewritten).toBe(1);
    const messages = buildRunSummary(dir).warnings.map((w) => w.message);
    expect(messages).toEqual(expect.arrayContaining(['start notification failed: x', warnings[1]]));
    expect(buildRunSummary(dir).outcome).toBe('ok');
  });
});

describe('monitorRunEnd', () => {
  it('rewrites the history page next to the runs at every run end, failed runs included', async () => {
    const runsDir = mkdtempSync(join(tmpdir(), 'hmsdr-history-page-'));
    cleanups.push(() => rmSync(runsDir, { recursive: true, force: true }));
    const failed = place(failedAtCopyRun(), runsDir, '20261120t053000');
    const lines = await monitorRunEnd({ runsDirAbs: runsDir, file: join(runsDir, 'hmsdr.yaml') }, failed, Promise.resolve([]), () => {});
    expect(lines).toEqual([]);
    const page = readFileSync(join(runsDir, HISTORY_PAGE), 'utf8');
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain('20261120t053000');
    expect(page).not.toMatch(/<script/i);
    const second = place(completeRun(), runsDir, '20261121t053000');
    await monitorRunEnd({ runsDirAbs: runsDir, file: join(runsDir, 'hmsdr.yaml') }, second, Promise.resolve([]), () => {});
    const again = readFileSync(join(runsDir, HISTORY_PAGE), 'utf8');
    expect(again).toContain('20261121t053000');
    expect(again).toContain('20261120t053000');
  });
});
