// What the terminal shows when `run`, `rehearse` or `resume` ends: the headline, the figures an
// on-call engineer reports upwards (outcome, RPO, RTO, Hive downtime, ladder, bytes) and where the
// full report is. Built from the same summary as the reports, so the three never disagree.
import { formatBytes, formatDuration } from '../util/format.js';
import { OUTCOME_TEXT, rpoText, rtoText } from './format.js';
import type { RunSummary } from './model.js';

const RUNG_MARK = { passed: '✔', failed: '✖', skipped: '↓', 'not-run': '·' } as const;

export function formatRunEnd(s: RunSummary, reports: { htmlPath: string; markdownPath: string }): string {
  const lines = ['', s.headline, `  outcome   ${OUTCOME_TEXT[s.outcome]} (exit ${s.exitCode})`];
  if (s.mode !== 'rollback') {
    // A blocked or failed run's recovery point was never applied: no RPO to report.
    const applied = s.rpo.applied;
    lines.push(
      `  RPO ${applied ? rpoText(s) : '— (not applied)'} · RTO ${rtoText(s)} · Hive down on DR ${formatDuration(s.rto.downtimeMs)}`,
    );
  } else if (s.rto.downtimeMs !== null) lines.push(`  Hive down on DR ${formatDuration(s.rto.downtimeMs)}`);
  if (s.ladder.length > 0) lines.push(`  ladder    ${s.ladder.map((r) => `${r.rung} ${RUNG_MARK[r.status]}`).join('  ')}`);
  const bytes: string[] = [];
  if (s.metastore?.bytesOut !== null && s.metastore?.bytesOut !== undefined)
    bytes.push(`metastore ${formatBytes(s.metastore.bytesOut)} shipped`);
  if (s.data?.copied) bytes.push(`data ${formatBytes(s.data.bytesCopied)} copied (${s.data.filesCopied.toLocaleString('en-US')} files)`);
  if (bytes.length > 0) lines.push(`  bytes     ${bytes.join(' · ')}`);
  lines.push(`  report    ${reports.htmlPath}`, `            ${reports.markdownPath}`);
  return `${lines.join('\n')}\n`;
}
