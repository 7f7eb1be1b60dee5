// What the shared reports show beyond the summary: databases, Hive downtime, the config by name;
// and `history` shows no RPO for a run whose recovery point never went live.
import { appendFileSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { completeRun, failedAtCopyRun } from '../../test/harness/report-runs.js';
import { historyRows } from './history.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { buildRunSummary } from './summary.js';

const NOW = new Date('2026-11-21T06:00:00.000Z');
const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});
const summaryOf = (run: { dir: string }) => {
  roots.push(join(run.dir, '..'));
  return buildRunSummary(run.dir, { now: NOW });
};

it('report.md and report.html have a per-database table, a Hive downtime figure, and the config by name and sha256 only', () => {
  const s = summaryOf(completeRun());
  const md = renderMarkdown(s);
  expect(md).toContain('## Hive databases live on DR');
  expect(md).toContain('| Database | Tables | external | managed | Partitions | Functions |');
  expect(md).toContain('| sales | 300 | 20 | 280 | 17,050 | 3 |');
  expect(md).toMatch(/\| Hive down on DR \| \d/);
  expect(md).toContain('| Config | prod-to-dr.yaml (sha256 c0ffee…) |');
  const html = renderHtml(s);
  expect(html).toContain('<section id="databases">');
  expect(html).toContain('<div class="card" id="downtime"><div class="k">Hive down on DR</div>');
  expect(html).toContain('config prod-to-dr.yaml (sha256 c0ffee…)');
  // Not even in the commands to type: they name the config, typed from its directory.
  for (const text of [md, html]) expect(text).not.toContain('/etc/hmsdr');
  expect(s.resumeCommand).toMatch(/--config prod-to-dr\.yaml$/);
});

it('history shows no RPO for a run that stopped before its recovery point went live', () => {
  const failed = failedAtCopyRun();
  const ok = completeRun();
  roots.push(join(failed.dir, '..'), join(ok.dir, '..'));
  const runs = join(failed.dir, '..', 'many');
  mkdirSync(runs);
  renameSync(failed.dir, join(runs, '20261121t053000'));
  renameSync(ok.dir, join(runs, '20261122t053000'));
  const [newest, older] = historyRows(runs, 10);
  expect(newest?.rpoMs).toBeGreaterThan(0);
  expect(older?.outcome).toBe('failed-step');
  expect(older?.rpoMs).toBeNull();
});

it("history keeps the copy engine's counters per path, and counts the automatic retries as attempts", () => {
  const ok = completeRun();
  roots.push(join(ok.dir, '..'));
  appendFileSync(
    join(ok.dir, 'events.ndjson'),
    `${JSON.stringify({ level: 'warn', event: 'run-retry', attempt: 1, code: 'E_SSH_DISCONNECTED' })}\n`,
  );
  const [row] = historyRows(join(ok.dir, '..'), 10);
  expect(row?.attempts).toBe(2);
  expect(row?.paths).toEqual([
    {
      source: '/warehouse/tablespace/managed/hive',
      target: '/warehouse/tablespace/managed/hive',
      mode: 'incremental',
      filesExpected: 1_212,
      filesCopied: 1_204,
      filesSkipped: 8,
      filesFailed: 0,
      filesDeleted: null,
      bytesCopied: 7_516_192_768,
      bytesSkipped: 52_428_800,
    },
    expect.objectContaining({
      source: '/data/landing',
      mode: 'bootstrap',
      filesExpected: 310,
      filesCopied: 310,
      filesSkipped: 0,
      filesFailed: 0,
    }),
  ]);
});
