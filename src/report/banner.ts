// The line every report opens with: what DR serves now (runsDir/last-success.json), so a reader of
// any report — a failed one above all — knows at once how old the DR copy is.
import { dirname } from 'node:path';
import { readLastSuccess } from './freshness.js';

/** `DR serves run X, T0 N hours ago (2026-11-21 05:30 UTC)`; the run directory's runsDir is its parent. */
export function servesBanner(runDir: string, now: Date = new Date()): string {
  let record: ReturnType<typeof readLastSuccess>;
  try {
    record = readLastSuccess(dirname(runDir));
  } catch {
    return 'What DR serves is unknown: last-success.json in the runs directory cannot be read';
  }
  if (!record) return 'DR serves no run verified by hmsdr yet (no last-success.json in the runs directory)';
  const t0 = record.t0 ?? record.recoveryPoint;
  if (!t0) return `DR serves run ${record.runId} (its T0 was not recorded)`;
  const hours = Math.max(0, (now.getTime() - Date.parse(t0)) / 3_600_000);
  const ago = hours < 10 ? hours.toFixed(1) : String(Math.round(hours));
  const at = `${t0.slice(0, 16).replace('T', ' ')} UTC`;
  return `DR serves run ${record.runId}, T0 ${ago} hours ago (${at})`;
}
