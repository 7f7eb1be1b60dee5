import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  completeRun,
  dumpOutput,
  fabricateRun,
  failedAtCopyRun,
  interruptedRun,
  RUN_ID,
  verificationFailedRun,
} from '../../test/harness/report-runs.js';
import { esc, escCode, renderHtml } from './html.js';
import { cell, renderMarkdown } from './markdown.js';
import { buildRunSummary } from './summary.js';
import { writeReports } from './write.js';

const NOW = new Date('2026-11-21T06:00:00.000Z');
const roots: string[] = [];
const track = <T extends { dir: string }>(run: T): T => {
  roots.push(join(run.dir, '..'));
  return run;
};
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

describe('renderMarkdown', () => {
  it('has the headline, RPO/RTO, ladder, timeline, rewrites, copy figures and warnings of a complete run', () => {
    const md = renderMarkdown(buildRunSummary(track(completeRun()).dir, { now: NOW }));
    expect(md).toMatch(new RegExp(`^# hmsdr run ${RUN_ID}: OK\n`));
    expect(md).toContain('| Outcome | ok (exit 0) |');
    expect(md).toContain('| RPO | 5 min 7 s | run end − T0: changes after T0 are not on DR |');
    expect(md).toContain('| RTO | 4 min 58 s | run start → Hive started on DR |');
    expect(md).toContain('| L4 | data presence | passed | verify-live |');
    expect(md).toContain('| 4 | copy-data | done | 05:30:48 | 05:32:48 | 2 min 0 s | 1 |');
    expect(md).toContain('| 11 | report | writing |');
    expect(md).toContain('| SDS | LOCATION | 18,590 |');
    expect(md).toContain(
      '| /data/landing | /dr/landing | bootstrap | 05:30:47 | — | 310 | 1.00 GiB (1,073,741,824 B) | 0 B | 35.0 s | 1 |',
    );
    expect(md).toContain('## Warnings (3)');
    expect(md).toContain('| warn | dump-metastore, verify-staging | left-alone | NOTIFICATION_LOG.MESSAGE');
    expect(md).toContain(dumpOutput().sha256);
    expect(md).toContain(`hmsdr rollback ${RUN_ID}`);
  });

  it('leads a failed run with the failing step, its error, hint, stderr and the resume command', () => {
    const md = renderMarkdown(buildRunSummary(track(failedAtCopyRun()).dir, { now: NOW }));
    expect(md).toContain(`# hmsdr run ${RUN_ID}: FAILED`);
    const next = md.indexOf('## What to do next');
    expect(next).toBeGreaterThan(0);
    expect(next).toBeLessThan(md.indexOf('## Verification ladder'));
    expect(md).toContain('### Failure: copy-data');
    expect(md).toContain('- Code: `E_DISTCP`');
    expect(md).toContain(`- Resume: \`hmsdr resume ${RUN_ID} --yes --config prod-to-dr.yaml\``);
    expect(md).toContain('```\nERROR tools.DistCp: Exception encountered\njava.io.IOException: Connection refused: dr-nn1:8020\n```');
    expect(md).toContain('| RTO | not reached |');
    expect(md).toContain('| L1 | stream integrity | not run | — | not checked: the run stopped at copy-data |');
    expect(md).toContain('incremental (planned)');
  });

  it('lists the differences of a failed rung', () => {
    const md = renderMarkdown(buildRunSummary(track(verificationFailedRun()).dir, { now: NOW }));
    expect(md).toContain('# hmsdr run 20261121t053000: VERIFICATION FAILED');
    expect(md).toContain('| L3 | metadata parity | FAILED | verify-staging | 2 difference(s) |');
    expect(md).toContain(
      'Differences found by L3 (metadata parity):\n\n- PARTITIONS: 18250 rows in the stream, 18249 restored\n- SDS.LOCATION: 1 value(s) still under hdfs://nn1.prod:8020',
    );
  });

  it('keeps table cells intact whatever the text holds', () => {
    expect(cell('a|b\nc <x>')).toBe('a\\|b ↵ c &lt;x&gt;');
    const run = track(
      fabricateRun({
        steps: {
          'dump-metastore': {
            status: 'done',
            attempts: 1,
            startedAt: '2026-11-21T05:30:03.500Z',
            finishedAt: '2026-11-21T05:30:45.500Z',
            output: dumpOutput({ rewritesPerColumn: { 'T|X.C': 1 } }),
          },
        },
      }),
    );
    const md = renderMarkdown(buildRunSummary(run.dir, { now: NOW }));
    expect(md).toContain('| T\\|X | C | 1 |');
  });
});

describe('renderHtml', () => {
  it('escapes text and attributes', () => {
    expect(esc(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escCode('run `hmsdr resume <id>` now')).toBe('run <code>hmsdr resume &lt;id&gt;</code> now');
  });

  it('is one self-contained page: no script, no external reference, a CSP that forbids loading anything', () => {
    const html = renderHtml(buildRunSummary(track(completeRun()).dir, { now: NOW }));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|https?:\/\//i);
    expect(html).toContain('<table class="ladder">');
    expect((html.match(/<span class="rung">L\d<\/span>/g) ?? []).length).toBe(7);
  });

  it('renders the interrupted run with its badge and exit code', () => {
    const html = renderHtml(buildRunSummary(track(interruptedRun()).dir, { now: NOW }));
    expect(html).toContain('INTERRUPTED · exit 130');
    expect(html).toContain('INTERRUPTED at restore-staging');
  });
});

describe('writeReports', () => {
  it('writes summary.json, report.md and report.html into the run directory, without temp files', () => {
    const run = track(completeRun());
    const written = writeReports(run.dir, { now: NOW });
    expect(written.summaryPath).toBe(join(run.dir, 'summary.json'));
    expect(written.markdownPath).toBe(join(run.dir, 'report.md'));
    expect(written.htmlPath).toBe(join(run.dir, 'report.html'));
    for (const p of [written.summaryPath, written.markdownPath, written.htmlPath]) expect(existsSync(p)).toBe(true);
    const json = JSON.parse(readFileSync(written.summaryPath, 'utf8'));
    expect(json).toEqual(JSON.parse(JSON.stringify(buildRunSummary(run.dir, { now: NOW }))));
    expect(json.version).toBe(1);
    expect(readdirSync(run.dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(statSync(written.htmlPath).mode & 0o777).toBe(0o600);
    // The rendering of the summary, opened by the banner of what DR serves (no last-success.json here).
    expect(readFileSync(written.markdownPath, 'utf8')).toBe(
      renderMarkdown(written.summary, 'DR serves no run verified by hmsdr yet (no last-success.json in the runs directory)'),
    );
  });

  it('writes again over earlier reports (resume, then report again)', () => {
    const run = track(failedAtCopyRun());
    writeReports(run.dir, { now: NOW });
    const second = writeReports(run.dir, { now: new Date('2026-11-21T07:00:00.000Z') });
    expect(JSON.parse(readFileSync(second.summaryPath, 'utf8')).generatedAt).toBe('2026-11-21T07:00:00.000Z');
  });
});
