// report.html in a real headless Chromium (Debian's `chromium` + playwright-core): the page renders,
// logs no console error, loads nothing but itself, and shows the figures of the run.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeRun, dumpOutput, fabricateRun, failedAtCopyRun, verificationFailedRun, RUN_ID } from '../harness/report-runs.js';
import { formatDuration } from '../../src/util/format.js';
import { writeReports } from '../../src/report/write.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Screenshots land here: kept in HMSDR_REPORT_SHOTS when set (for a person to look at), else removed. */
const SHOTS = process.env['HMSDR_REPORT_SHOTS'] ?? mkdtempSync(join(tmpdir(), 'hmsdr-report-shots-'));

let browser: Browser;
const roots: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install the Debian package \`chromium\` (apt-get install chromium) to run the report HTML test`,
    );
  }
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

afterAll(async () => {
  await browser?.close();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
  if (process.env['HMSDR_REPORT_SHOTS'] === undefined) rmSync(SHOTS, { recursive: true, force: true });
});

interface Loaded {
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
  failed: string[];
  requests: string[];
  url: string;
}

async function load(htmlPath: string, viewport = { width: 1280, height: 900 }, keepAs?: string): Promise<Loaded> {
  if (keepAs) copyFileSync(htmlPath, join(SHOTS, keepAs));
  const page = await browser.newPage({ viewport });
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const failed: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('request', (r) => requests.push(r.url()));
  const url = pathToFileURL(htmlPath).href;
  const response = await page.goto(url, { waitUntil: 'load' });
  expect(response?.ok() ?? true).toBe(true);
  return { page, consoleErrors, pageErrors, failed, requests, url };
}

function expectClean(l: Loaded): void {
  expect(l.consoleErrors).toEqual([]);
  expect(l.pageErrors).toEqual([]);
  expect(l.failed).toEqual([]);
  expect(l.requests).toEqual([l.url]);
}

const NOW = new Date('2026-11-21T06:00:00.000Z');

describe('report.html in headless Chromium', () => {
  it('renders a complete run: title, ladder, RPO/RTO, rewrites, durations, no errors, no network', async () => {
    const run = completeRun();
    roots.push(join(run.dir, '..'));
    const { htmlPath, summary } = writeReports(run.dir, { now: NOW });
    const l = await load(htmlPath, undefined, 'complete.html');
    const { page } = l;
    expect(await page.title()).toBe(`hmsdr run ${RUN_ID}: OK`);
    // Ladder: seven visible rows, every rung passed.
    const rows = page.locator('table.ladder tbody tr');
    expect(await rows.count()).toBe(7);
    for (let i = 0; i < 7; i++) {
      await expect.poll(() => rows.nth(i).isVisible()).toBe(true);
      expect(await rows.nth(i).locator('td').first().innerText()).toBe(`L${i}`);
      expect(await rows.nth(i).locator('.badge').innerText()).toBe('passed');
    }
    // The figures of the run.
    expect(await page.locator('#rpo .v').innerText()).toBe(formatDuration(summary.rpo.rpoMs));
    expect(await page.locator('#rpo .v').innerText()).toBe('5 min 7 s');
    expect(await page.locator('#rto .v').innerText()).toBe('4 min 58 s');
    const rewrites = await page.locator('table.rewrites').innerText();
    expect(rewrites).toContain('SDS');
    expect(rewrites).toContain('LOCATION');
    expect(rewrites).toContain('18,590');
    expect(await page.locator('#rewrites .v').innerText()).toBe('18,646');
    // Step durations: copy-data took 2 min; the timeline bar is drawn and scaled.
    const copyRow = page.locator('.tl-row[data-step="copy-data"]');
    expect(await copyRow.locator('.tl-dur').innerText()).toBe('2 min 0 s');
    const bar = await copyRow.locator('.tl-bar').boundingBox();
    const track = await copyRow.locator('.tl-track').boundingBox();
    expect(bar && track).toBeTruthy();
    expect(bar!.width / track!.width).toBeCloseTo(120 / 310.2, 2);
    expect(await page.locator('#timeline').innerText()).toContain('42.0 s'); // dump-metastore
    // Copy figures and warnings.
    const copy = await page.locator('table.copy').innerText();
    expect(copy).toContain('/dr/landing');
    expect(copy).toContain('1,204');
    expect(copy).toContain('7.00 GiB');
    const warnings = await page.locator('#warnings').innerText();
    expect(warnings).toContain('Warnings (3)'); // the left-alone fact once, seen by dump-metastore and verify-staging
    expect(warnings).toContain('NOTIFICATION_LOG.MESSAGE');
    expect(warnings).toContain('dump-metastore, verify-staging');
    // Hive down on DR as a card, and the per-database table.
    expect(await page.locator('#downtime .k').innerText()).toMatch(/hive down on dr/i);
    expect(await page.locator('table.databases').innerText()).toContain('17,050');
    expect(warnings).toContain('hdfs-target-modified');
    expect(await page.locator('#metastore').innerText()).toContain(dumpOutput().sha256);
    await page.screenshot({ path: join(SHOTS, 'complete.png'), fullPage: true });
    expectClean(l);
    await page.close();
  });

  it('renders a failed run with the failing step, its error, hint and the resume command', async () => {
    const run = failedAtCopyRun();
    roots.push(join(run.dir, '..'));
    const { htmlPath } = writeReports(run.dir, { now: NOW });
    const l = await load(htmlPath, undefined, 'failed-copy.html');
    const { page } = l;
    expect(await page.title()).toBe(`hmsdr run ${RUN_ID}: FAILED`);
    const failure = await page.locator('#failure').innerText();
    expect(failure).toContain('FAILED at copy-data');
    expect(failure).toContain('E_DISTCP');
    expect(failure).toContain('Connection refused: dr-nn1:8020');
    expect(failure).toContain(`hmsdr resume ${RUN_ID} --yes --config prod-to-dr.yaml`);
    expect(await page.locator('#rto .v').innerText()).toBe('not reached');
    const badges = await page.locator('table.ladder .badge').allInnerTexts();
    expect(badges).toEqual(['passed', 'not run', 'not run', 'not run', 'not run', 'not run', 'not run']);
    expect(await page.locator('.tl-row[data-step="copy-data"] .tl-bar.s-failed').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'failed-copy.png'), fullPage: true });
    expectClean(l);
    await page.close();
  });

  it('renders a verification failure with the differences of the failed rung', async () => {
    const run = verificationFailedRun();
    roots.push(join(run.dir, '..'));
    const { htmlPath } = writeReports(run.dir, { now: NOW });
    const l = await load(htmlPath, undefined, 'verification-failed.html');
    const { page } = l;
    const l3 = page.locator('table.ladder tbody tr').nth(3);
    expect(await l3.locator('.badge').innerText()).toBe('FAILED');
    expect(await l3.innerText()).toContain('PARTITIONS: 18250 rows in the stream, 18249 restored');
    await page.screenshot({ path: join(SHOTS, 'verification-failed.png'), fullPage: true });
    expectClean(l);
    await page.close();
  });

  it('escapes hostile table names, messages and paths (no element, no script, no request)', async () => {
    const evil = '<img src="http://127.0.0.1:9/x.png" onerror="console.error(\'xss\')">';
    const run = fabricateRun({
      steps: {
        'dump-metastore': {
          status: 'done',
          attempts: 1,
          via: 'run',
          startedAt: '2026-11-21T05:30:03.500Z',
          finishedAt: '2026-11-21T05:30:45.500Z',
          output: dumpOutput({
            rewritesPerColumn: { [`${evil}.LOCATION`]: 5 },
            leftAlone: [{ table: '<script>console.error("xss")</script>', column: 'C', count: 1 }],
          }),
        },
        'snapshot-source': {
          status: 'failed',
          attempts: 1,
          startedAt: '2026-11-21T05:30:46.000Z',
          finishedAt: '2026-11-21T05:30:48.000Z',
          error: {
            code: 'E_SNAPSHOT',
            message: `snapshot of ${evil} failed`,
            hint: '</td></tr></table><iframe src="http://127.0.0.1:9/">',
            stderrTail: '<style>body{display:none}</style>',
          },
        },
      },
      events: [
        {
          level: 'warn',
          time: '2026-11-21T05:30:47.000Z',
          step: 'snapshot-source',
          event: 'odd',
          message: `<a href="javascript:alert(1)">${evil}</a>`,
        },
      ],
    });
    roots.push(join(run.dir, '..'));
    const { htmlPath } = writeReports(run.dir, { now: NOW });
    const html = readFileSync(htmlPath, 'utf8');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<iframe');
    const l = await load(htmlPath);
    const { page } = l;
    expect(await page.locator('img, script, iframe, a').count()).toBe(0);
    expect(await page.locator('style').count()).toBe(1);
    expect(await page.locator('table.rewrites').innerText()).toContain('<img src="http://127.0.0.1:9/x.png"');
    expect(await page.locator('#failure').innerText()).toContain('</td></tr></table><iframe');
    expect(await page.locator('body').isVisible()).toBe(true);
    expectClean(l);
    await page.close();
  });

  it('stays readable on a narrow screen', async () => {
    const run = completeRun();
    roots.push(join(run.dir, '..'));
    const { htmlPath } = writeReports(run.dir, { now: NOW });
    const l = await load(htmlPath, { width: 760, height: 900 });
    expect(await l.page.locator('table.ladder tbody tr').first().isVisible()).toBe(true);
    // Wide tables scroll inside their section; the page itself never scrolls sideways.
    expect(await l.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(760);
    await l.page.screenshot({ path: join(SHOTS, 'narrow.png'), fullPage: true });
    expectClean(l);
    await l.page.close();
    writeFileSync(join(SHOTS, 'README.txt'), `screenshots of the report HTML test (${new Date().toISOString()})\n`);
  });
});
