// The history page: self-contained (no script, no external reference), one chart per figure, bars
// over an objective drawn red, every run's values in the tooltips.
import { expect, it } from 'vitest';
import type { HistoryRow } from './history.js';
import { renderHistoryHtml } from './history-html.js';

const row = (runId: string, rpoH: number | null, rtoMin: number, bytes: number): HistoryRow => ({
  runId,
  mode: 'rehearse',
  outcome: 'ok',
  exitCode: 0,
  startedAt: '2026-12-01T03:00:00Z',
  elapsedMs: 600_000,
  rpoMs: rpoH === null ? null : rpoH * 3_600_000,
  rtoMs: rtoMin * 60_000,
  bytesShipped: 1000,
  bytesCopied: bytes,
  failedStep: null,
  steps: [
    { id: 'dump-metastore', durationMs: 60_000 },
    { id: 'copy-data', durationMs: 240_000 },
  ],
  attempts: 1,
  paths: [
    {
      source: '/data/landing',
      target: '/dr/landing',
      mode: 'incremental',
      filesExpected: 3,
      filesCopied: 3,
      filesSkipped: 0,
      filesFailed: 0,
      filesDeleted: null,
      bytesCopied: bytes,
      bytesSkipped: 0,
    },
  ],
});

it('plots RPO and RTO against the objectives, step durations and bytes per path; no script, nothing external', () => {
  const rows = [row('20261203t030000', 30, 5, 2048), row('20261202t030000', 20, 2, 1024), row('20261201t030000', null, 3, 0)];
  const html = renderHistoryHtml(rows, { rpoMs: 26 * 3_600_000, rtoMs: 4 * 60_000 });
  expect(html).not.toMatch(/<script|src=|href=|url\(/i);
  expect(html.match(/<svg /g)).toHaveLength(4);
  for (const caption of ['RPO per run', 'RTO per run', 'Step durations per run', 'Bytes copied per path']) expect(html).toContain(caption);
  // Oldest left; the 30 h RPO is over the 26 h objective (red), the 20 h one is not.
  expect(html.indexOf('<title>20261201t030000: 3 min 0 s</title>')).toBeGreaterThan(0);
  expect(html.indexOf('<title>20261201t030000: 3 min 0 s</title>')).toBeLessThan(html.indexOf('<title>20261203t030000: 5 min 0 s</title>'));
  expect(html).toMatch(/fill="#e15759"><title>20261203t030000: 30 h 0 min<\/title>/);
  expect(html).toMatch(/fill="#4e79a7"><title>20261202t030000: 20 h 0 min<\/title>/);
  expect(html).toContain('objective 26 h 0 min');
  expect(html).toContain('objective 4 min 0 s');
  expect(html).toContain('<title>20261202t030000 copy-data: 4 min 0 s</title>');
  expect(html).toContain('<title>/data/landing → /dr/landing</title>');
  expect(renderHistoryHtml([])).toContain('No runs yet.');
});
