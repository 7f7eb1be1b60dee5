// Every report opens with what DR serves now, from runsDir/last-success.json.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { failedAtCopyRun } from '../../test/harness/report-runs.js';
import { servesBanner } from './banner.js';
import { writeLastSuccess, type LastSuccess } from './freshness.js';
import { writeReports } from './write.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

const record = (runId: string, t0: string | null): LastSuccess =>
  ({ version: 1, runId, succeededAt: '2026-12-01T03:10:00Z', t0, recoveryPoint: t0 }) as LastSuccess;

it('names the run DR serves and how old its T0 is; says so when there is none or it is unreadable', () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'hmsdr-banner-'));
  roots.push(runsDir);
  const runDir = join(runsDir, '20261202t030000');
  mkdirSync(runDir);
  const now = new Date('2026-12-02T03:31:00Z');
  expect(servesBanner(runDir, now)).toBe('DR serves no run verified by hmsdr yet (no last-success.json in the runs directory)');
  writeLastSuccess(runsDir, record('20261201t083000', '2026-12-01T08:31:00Z'));
  expect(servesBanner(runDir, now)).toBe('DR serves run 20261201t083000, T0 19 hours ago (2026-12-01 08:31 UTC)');
  writeLastSuccess(runsDir, record('20261202t010000', '2026-12-02T01:01:00Z'));
  expect(servesBanner(runDir, now)).toBe('DR serves run 20261202t010000, T0 2.5 hours ago (2026-12-02 01:01 UTC)');
  writeFileSync(join(runsDir, 'last-success.json'), 'garbage');
  expect(servesBanner(runDir, now)).toMatch(/^What DR serves is unknown/);
});

it("a failed run's report.md and report.html open with it", () => {
  const run = failedAtCopyRun();
  const runsDir = join(run.dir, '..');
  roots.push(runsDir);
  writeLastSuccess(runsDir, record('20261120t053000', '2026-11-20T05:30:00Z'));
  const written = writeReports(run.dir, { now: new Date('2026-11-21T06:00:00Z') });
  const md = readFileSync(written.markdownPath, 'utf8').split('\n');
  expect(md[0]).toMatch(/^# hmsdr run /);
  expect(md[2]).toBe('> **DR serves run 20261120t053000, T0 25 hours ago (2026-11-20 05:30 UTC)**');
  expect(readFileSync(written.htmlPath, 'utf8')).toContain(
    '<p class="banner" id="serves"><strong>DR serves run 20261120t053000, T0 25 hours ago (2026-11-20 05:30 UTC)</strong></p>',
  );
});
