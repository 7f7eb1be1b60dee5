// report.md: the run report a person reads in a terminal, a ticket or a merge request.
import { formatDuration } from '../util/format.js';
import { bytes, clock, count, OUTCOME_TEXT, rpoText, rtoText, RUNG_STATUS_TEXT, stepStatusText, viaText, when } from './format.js';
import type { RunSummary } from './model.js';

/** Text safe inside a Markdown table cell (pipes, newlines, HTML-looking text). */
export function cell(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replace(/\r?\n/g, ' ↵ ');
}

function table(header: string[], rows: string[][], align?: Array<'l' | 'r'>): string {
  const sep = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [header, sep, ...rows.map((r) => r.map(cell))].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** A fenced block whose fence is longer than any backtick run inside. */
function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}

const inline = (text: string): string => text.replace(/\r?\n/g, ' ').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

export function renderMarkdown(s: RunSummary): string {
  const out: string[] = [];
  const push = (...lines: string[]): void => {
    out.push(...lines);
  };
  push(`# hmsdr run ${inline(s.runId)}: ${OUTCOME_TEXT[s.outcome]}`, '');
  push(`**${inline(s.headline)}**`, '');
  push(
    table(
      ['', ''],
      [
        ['Outcome', `${s.outcome} (exit ${s.exitCode})`],
        ['Mode', s.mode],
        ['Started', when(s.startedAt)],
        ['Ended', `${when(s.endedAt)}${s.finishedAt ? '' : ' (last recorded step time)'}`],
        ['Elapsed', `${formatDuration(s.elapsedMs)} (steps active ${formatDuration(s.activeMs)})`],
        ['RPO', `${rpoText(s)}${s.rpo.applied || s.rpo.rpoMs === null ? '' : ' (not applied to DR)'}`],
        ['RTO', rtoText(s)],
        ...(s.host ? [['Host', s.host]] : []),
        ...(s.configFile ? [['Config', s.configFile]] : []),
      ],
    ),
    '',
  );

  push('## What to do next', '');
  const f0 = s.failure;
  // The failure section below carries the message and hint: do not say them twice.
  for (const line of s.next.filter((n) => !f0 || (n !== f0.hint && !n.includes(f0.message)))) push(`- ${inline(line)}`);
  push('');
  if (s.failure) {
    push(`### Failure: ${inline(s.failure.step)}`, '');
    push(`- Status: ${s.failure.status}`, `- Code: \`${s.failure.code}\``, `- Message: ${inline(s.failure.message)}`);
    if (s.failure.hint) push(`- Hint: ${inline(s.failure.hint)}`);
    push(`- Resume: \`${s.resumeCommand}\``, '');
    if (s.failure.stderrTail) push('Last lines of stderr:', '', fenced(s.failure.stderrTail), '');
  }

  push('## Recovery point and recovery time', '');
  push(
    table(
      ['Figure', 'Value', 'Meaning'],
      [
        ['T0 (metastore)', when(s.rpo.t0), 'pg_dump started; its snapshot is at or after T0'],
        ['T1 (data)', `${when(s.rpo.t1)}${s.rpo.t1Source === 'step-start' ? ' (approx.)' : ''}`, 'earliest source HDFS snapshot of the run'],
        ['Run end', when(s.rpo.endedAt), 'RPO is measured against this instant'],
        ['RPO', rpoText(s), 'run end − T0: changes after T0 are not on DR'],
        ['RPO, data side', formatDuration(s.rpo.dataMs), 'run end − T1'],
        ['T1 − T0', formatDuration(s.rpo.windowMs), s.rpo.orderOk === false ? 'NEGATIVE: T1 before T0' : 'data snapshot after the metastore snapshot'],
        ['RTO', rtoText(s), 'run start → Hive started on DR'],
        ['Hive down on DR', formatDuration(s.rto.downtimeMs), 'stop-hive start → start-hive end'],
      ],
    ),
    '',
    `RPO: ${inline(s.rpo.note)}. RTO: ${inline(s.rto.note)}.`,
    '',
  );

  push('## Verification ladder', '');
  push(
    table(
      ['Rung', 'Check', 'Result', 'By', 'Detail'],
      s.ladder.map((r) => [r.rung, r.name, RUNG_STATUS_TEXT[r.status], r.by.join(', ') || '—', r.detail]),
    ),
    '',
  );
  for (const r of s.ladder.filter((x) => x.differences.length > 0)) {
    push(`Differences found by ${r.rung} (${r.name}):`, '');
    for (const d of r.differences.slice(0, 50)) push(`- ${inline(d)}`);
    if (r.differences.length > 50) push(`- … and ${r.differences.length - 50} more (summary.json has them all)`);
    push('');
  }

  push('## Steps', '');
  push(
    table(
      ['#', 'Step', 'Status', 'Start', 'End', 'Duration', 'Attempts', 'Note'],
      s.steps.map((st, i) => [
        String(i + 1),
        st.id,
        stepStatusText(st),
        clock(st.startedAt),
        clock(st.finishedAt),
        formatDuration(st.durationMs),
        String(st.attempts),
        st.error ? `${st.error.code}: ${st.error.message}` : viaText(st.via) || (st.reason ?? ''),
      ]),
      ['r', 'l', 'l', 'l', 'l', 'r', 'r', 'l'],
    ),
    '',
  );

  if (s.preflight) {
    push('## Preflight', '');
    push(table(['Check', 'Status', 'Detail', 'Hint'], s.preflight.map((c) => [c.title, c.status, c.detail, c.hint ?? ''])), '');
  }

  const m = s.metastore;
  if (m) {
    push('## Metastore', '');
    push(
      table(
        ['', ''],
        [
          ['Hive schema version', `${m.hiveVersion ?? '—'}${m.schemaVersionRestored && m.schemaVersionRestored !== m.hiveVersion ? ` (restored: ${m.schemaVersionRestored})` : ''}`],
          ['Dump bytes (pg_dump → after rewrite)', `${bytes(m.bytesIn)} → ${bytes(m.bytesOut)}`],
          ['Bytes shipped (received on DR)', bytes(m.remoteBytes ?? m.bytesOut)],
          ['sha256 (sent)', m.sha256 ?? '—'],
          ['sha256 (received)', m.remoteSha256 ?? '—'],
          ['Transfer', m.transfer ?? '—'],
          ['Staged dump', m.stagedPath ?? '—'],
          ['Staging database', m.stagingDatabase ?? '—'],
          ['Live database', m.liveDatabase ?? '—'],
          ['Previous database (rollback)', m.previousDatabase ?? '—'],
          ['Rows', count(m.totalRows)],
          ['Values rewritten', count(m.totalRewrites)],
        ],
      ),
      '',
    );
    push('### URI rewrites per table.column', '');
    if (m.rewrites.length === 0) push('No value was rewritten.', '');
    else push(table(['Table', 'Column', 'Values rewritten'], m.rewrites.map((r) => [r.table, r.column, count(r.count)]), ['l', 'l', 'r']), '');
    if (m.rowsPerTable.length > 0) {
      push('### Rows per table (dump stream)', '');
      push(table(['Table', 'Rows'], m.rowsPerTable.map((r) => [r.table, count(r.rows)]), ['l', 'r']), '');
    }
  }

  if (s.data) {
    push('## HDFS data', '');
    push(s.data.copied ? `Snapshot ${inline(s.data.snapshot ?? '—')}: ${count(s.data.filesCopied)} files, ${bytes(s.data.bytesCopied)} copied.` : `Snapshot ${inline(s.data.snapshot ?? '—')} taken; copy-data did not finish, so no copy figures are recorded (the modes below are what snapshot-source planned).`, '');
    push(
      table(
        ['Source', 'Target', 'Mode', 'T1', 'Previous', 'Files', 'Bytes', 'Skipped', 'Duration', 'DistCp runs'],
        s.data.paths.map((p) => [
          p.source,
          p.target,
          p.mode ?? `${p.plannedMode ?? '—'} (planned)`,
          clock(p.takenAt),
          p.previous ?? '—',
          count(p.filesCopied),
          bytes(p.bytesCopied),
          bytes(p.bytesSkipped),
          formatDuration(p.durationMs),
          String(p.distcpRuns),
        ]),
        ['l', 'l', 'l', 'l', 'l', 'r', 'r', 'r', 'r', 'r'],
      ),
      '',
    );
  }

  push(`## Warnings (${s.warnings.length})`, '');
  if (s.warnings.length === 0) push('None.', '');
  else push(table(['Severity', 'Step', 'Source', 'Message'], s.warnings.map((w) => [w.severity, w.step ?? 'run', w.source, w.message])), '');

  push('---', '', `Generated ${when(s.generatedAt)} by hmsdr from runs/${inline(s.runId)}/ (summary.json schema version ${s.version}).`, '');
  return out.join('\n');
}
