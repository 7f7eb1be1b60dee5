// When a run starts and ends, send the notifications `notify:` asks for; the ones that fail become
// warnings of the run (events.ndjson, so the report lists them) and a line on stderr.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { listRuns, writeFileAtomic } from '../runbook/ledger.js';
import { historyRows } from './history.js';
import { renderHistoryHtml } from './history-html.js';
import type { RunSummary } from './model.js';
import { endEvents, endNotification, sendNotification, startNotification, type NotifySettings } from './notify.js';
import { buildRunSummary } from './summary.js';
import { writeRunMetrics } from './metrics.js';
import { HTML_FILE } from './write.js';

interface NotifyConfig {
  readonly runsDirAbs: string;
  readonly notify?: NotifySettings | undefined;
}

/** The history page kept next to the runs (hmsdr history --html, rewritten at every run end). */
export const HISTORY_PAGE = 'history.html';
const HISTORY_PAGE_RUNS = 60;

/** Rewrite `<runsDir>/history.html` from the newest runs, atomically; returns its path. */
export function writeHistoryPage(runsDir: string): string {
  const path = join(runsDir, HISTORY_PAGE);
  writeFileAtomic(path, renderHistoryHtml(historyRows(runsDir, HISTORY_PAGE_RUNS)));
  return path;
}

/**
 * What the CLI does at every run end after the report: the Prometheus textfile, the history page
 * next to the runs and the end notifications. Never throws; returns the lines to print on stderr.
 */
export async function monitorRunEnd(
  config: NotifyConfig & Parameters<typeof writeRunMetrics>[0],
  runDir: string,
  startWarnings: Promise<string[]>,
  rewriteReports: () => void,
): Promise<string[]> {
  const lines: string[] = [];
  try {
    if (config.metrics) writeRunMetrics(config, config.runsDirAbs, buildRunSummary(runDir));
  } catch (error) {
    lines.push(`(metrics.textfile could not be written: ${(error as Error).message})`);
  }
  try {
    writeHistoryPage(config.runsDirAbs);
  } catch (error) {
    lines.push(`(${HISTORY_PAGE} could not be written: ${(error as Error).message})`);
  }
  const warnings = await notifyRunEnd(config, runDir, await startWarnings, rewriteReports).catch((error: unknown) => [
    (error as Error).message,
  ]);
  return [...lines, ...warnings.map((w) => `(warning: ${w})`)];
}

export function notifyRunStart(config: NotifyConfig, runId: string, mode: string): Promise<string[]> {
  return sendNotification(config.notify, startNotification(runId, mode, hostname())).catch((error: unknown) => [
    `start notification failed: ${(error as Error).message}`,
  ]);
}

/** The outcome of the run listed before `runId` (null when there is none or it cannot be read). */
function previousOutcome(runsDir: string, runId: string): string | null {
  const runs = listRuns(runsDir);
  const previous = runs[runs.indexOf(runId) + 1];
  if (runs.indexOf(runId) < 0 || previous === undefined) return null;
  try {
    const file = join(runsDir, previous, 'summary.json');
    return (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RunSummary) : buildRunSummary(join(runsDir, previous))).outcome;
  } catch {
    return null;
  }
}

/**
 * Send the end events of the run in `runDir` (with any warnings of its start notification);
 * `rewriteReports` refreshes the report when a notification failed, so the warning shows there.
 */
export async function notifyRunEnd(
  config: NotifyConfig,
  runDir: string,
  startWarnings: readonly string[],
  rewriteReports: () => void,
): Promise<string[]> {
  if (!config.notify) return [];
  const summary = buildRunSummary(runDir);
  const report = join(runDir, HTML_FILE);
  const events = endEvents(summary, previousOutcome(config.runsDirAbs, summary.runId));
  const sent = await Promise.all(
    events.map((event) => sendNotification(config.notify, endNotification(event, summary, existsSync(report) ? report : null))),
  );
  const warnings = [...startWarnings, ...sent.flat()];
  if (warnings.length > 0) {
    const lines = warnings.map((message) =>
      JSON.stringify({ level: 'warn', time: new Date().toISOString(), pid: process.pid, event: 'notification-failed', message }),
    );
    appendFileSync(join(runDir, 'events.ndjson'), lines.join('\n') + '\n');
    rewriteReports();
  }
  return warnings;
}
