// Write summary.json, report.md and report.html into the run directory, each atomically.
import { join } from 'node:path';
import { writeFileAtomic } from '../runbook/ledger.js';
import { redactDeep } from '../util/secrets.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { servesBanner } from './banner.js';
import { buildRunSummary, type BuildOptions, type RunSummary } from './summary.js';

export const SUMMARY_FILE = 'summary.json';
export const MARKDOWN_FILE = 'report.md';
export const HTML_FILE = 'report.html';

export interface WrittenReports {
  summaryPath: string;
  markdownPath: string;
  htmlPath: string;
  summary: RunSummary;
}

export function writeReports(runDir: string, options: BuildOptions = {}): WrittenReports {
  // The run directory is redacted already; this is the last line of defence for what we render.
  const summary = redactDeep(buildRunSummary(runDir, options));
  const summaryPath = join(runDir, SUMMARY_FILE);
  const markdownPath = join(runDir, MARKDOWN_FILE);
  const htmlPath = join(runDir, HTML_FILE);
  writeFileAtomic(summaryPath, JSON.stringify(summary, null, 2) + '\n');
  // Every report opens with what DR serves now (which may be an older run than this one).
  const banner = servesBanner(runDir, options.now);
  writeFileAtomic(markdownPath, renderMarkdown(summary, banner));
  writeFileAtomic(htmlPath, renderHtml(summary, banner));
  return { summaryPath, markdownPath, htmlPath, summary };
}
