import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { completeRun, failedAtCopyRun, RUN_ID } from '../../test/harness/report-runs.js';
import { buildRunSummary } from './summary.js';
import { formatRunEnd } from './terminal.js';
import { readRunDirectory } from './run-dir.js';
import { summarizeOutput } from '../steps/summaries.js';

const NOW = new Date('2026-11-21T06:00:00.000Z');
const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});
const paths = { htmlPath: '/runs/x/report.html', markdownPath: '/runs/x/report.md' };

it('the end of a complete run: headline, outcome, RPO, RTO, Hive downtime, ladder, bytes and the report', () => {
  const run = completeRun();
  roots.push(join(run.dir, '..'));
  const text = formatRunEnd(buildRunSummary(run.dir, { now: NOW }), paths);
  expect(text).toContain(`Run ${RUN_ID} completed`);
  expect(text).toContain('outcome   OK (exit 0)');
  expect(text).toMatch(/RPO 5 min 7 s · RTO 4 min 58 s · Hive down on DR \d/);
  expect(text).toMatch(/ladder {4}L0 . {2}L1 ✔/);
  expect(text).toMatch(/bytes {5}metastore .* shipped · data .* copied \([\d,]+ files\)/);
  expect(text).toContain('report    /runs/x/report.html\n            /runs/x/report.md');
});

it('a failed run shows no RPO (its recovery point was not applied)', () => {
  const run = failedAtCopyRun();
  roots.push(join(run.dir, '..'));
  const text = formatRunEnd(buildRunSummary(run.dir, { now: NOW }), paths);
  expect(text).toContain('outcome   FAILED (exit 1)');
  expect(text).toContain('RPO — (not applied)');
});

it('each step of a complete run has a one-line result; a malformed output has none', () => {
  const run = completeRun();
  roots.push(join(run.dir, '..'));
  const { outputs } = readRunDirectory(run.dir);
  expect(summarizeOutput('dump-metastore', outputs['dump-metastore'] as Record<string, unknown>)).toMatch(
    /rows, .* staged; [\d,]+ values rewritten in \d+ columns/,
  );
  expect(summarizeOutput('copy-data', outputs['copy-data'] as Record<string, unknown>)).toMatch(
    /files, .* copied \(.* already equal\) on 2 path\(s\)/,
  );
  expect(summarizeOutput('copy-data', { nonsense: true })).toBeUndefined();
  expect(summarizeOutput('not-a-step', {})).toBeUndefined();
});
