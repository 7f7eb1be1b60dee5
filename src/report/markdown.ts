// report.md: the run report a person reads in a terminal, a ticket or a merge request.
import { formatDuration } from '../util/format.js';
import { databaseTable, typeTitle } from './databases.js';
import {
  bytes,
  clock,
  configText,
  count,
  OUTCOME_TEXT,
  pathFacts,
  rpoText,
  rtoText,
  RUNG_STATUS_TEXT,
  seenBy,
  stepStatusText,
  viaText,
  when,
} from './format.js';
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

type Lines = string[];

function header(s: RunSummary): Lines {
  return [
    `# hmsdr run ${inline(s.runId)}: ${OUTCOME_TEXT[s.outcome]}`,
    '',
    `**${inline(s.headline)}**`,
    '',
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
        ['Hive down on DR', formatDuration(s.rto.downtimeMs)],
        ...(s.host ? [['Host', s.host]] : []),
        ...(s.configFile ? [['Config', configText(s)]] : []),
      ],
    ),
    '',
  ];
}

function nextAndFailure(s: RunSummary): Lines {
  const out: Lines = ['## What to do next', ''];
  const f = s.failure;
  // The failure section below carries the message and hint: do not say them twice.
  for (const line of s.next.filter((n) => !f || (n !== f.hint && !n.includes(f.message)))) out.push(`- ${inline(line)}`);
  out.push('');
  if (!f) return out;
  out.push(`### Failure: ${inline(f.step)}`, '', `- Status: ${f.status}`, `- Code: \`${f.code}\``, `- Message: ${inline(f.message)}`);
  if (f.hint) out.push(`- Hint: ${inline(f.hint)}`);
  out.push(`- Resume: \`${s.resumeCommand}\``, '');
  if (f.stderrTail) out.push('Last lines of stderr:', '', fenced(f.stderrTail), '');
  return out;
}

function recoveryFigures(s: RunSummary): Lines {
  return [
    '## Recovery point and recovery time',
    '',
    table(
      ['Figure', 'Value', 'Meaning'],
      [
        ['T0 (metastore)', when(s.rpo.t0), 'pg_dump started; its snapshot is at or after T0'],
        [
          'T1 (data)',
          `${when(s.rpo.t1)}${s.rpo.t1Source === 'step-start' ? ' (approx.)' : ''}`,
          'earliest source HDFS snapshot of the run',
        ],
        ['Run end', when(s.rpo.endedAt), 'RPO is measured against this instant'],
        ['RPO', rpoText(s), 'run end − T0: changes after T0 are not on DR'],
        ['RPO, data side', formatDuration(s.rpo.dataMs), 'run end − T1'],
        [
          'T1 − T0',
          formatDuration(s.rpo.windowMs),
          s.rpo.orderOk === false ? 'NEGATIVE: T1 before T0' : 'data snapshot after the metastore snapshot',
        ],
        ['RTO', rtoText(s), 'run start → Hive started on DR'],
        ['Hive down on DR', formatDuration(s.rto.downtimeMs), 'stop-hive start → start-hive end'],
      ],
    ),
    '',
    `RPO: ${inline(s.rpo.note)}. RTO: ${inline(s.rto.note)}.`,
    '',
  ];
}

function ladder(s: RunSummary): Lines {
  const out: Lines = ['## Verification ladder', ''];
  out.push(
    table(
      ['Rung', 'Check', 'Result', 'By', 'Detail'],
      s.ladder.map((r) => [r.rung, r.name, RUNG_STATUS_TEXT[r.status], r.by.join(', ') || '—', r.detail]),
    ),
    '',
  );
  for (const r of s.ladder.filter((x) => x.differences.length > 0)) {
    out.push(`Differences found by ${r.rung} (${r.name}):`, '');
    for (const d of r.differences.slice(0, 50)) out.push(`- ${inline(d)}`);
    if (r.differences.length > 50) out.push(`- … and ${r.differences.length - 50} more (summary.json has them all)`);
    out.push('');
  }
  return out;
}

function steps(s: RunSummary): Lines {
  const rows = s.steps.map((st, i) => [
    String(i + 1),
    st.id,
    stepStatusText(st),
    clock(st.startedAt),
    clock(st.finishedAt),
    formatDuration(st.durationMs),
    String(st.attempts),
    st.error ? `${st.error.code}: ${st.error.message}` : viaText(st.via) || (st.reason ?? ''),
  ]);
  return [
    '## Steps',
    '',
    table(['#', 'Step', 'Status', 'Start', 'End', 'Duration', 'Attempts', 'Note'], rows, ['r', 'l', 'l', 'l', 'l', 'r', 'r', 'l']),
    '',
  ];
}

function preflight(s: RunSummary): Lines {
  if (!s.preflight) return [];
  return [
    '## Preflight',
    '',
    table(
      ['Check', 'Status', 'Detail', 'Hint'],
      s.preflight.map((c) => [c.title, c.status, c.detail, c.hint ?? '']),
    ),
    '',
  ];
}

function metastore(s: RunSummary): Lines {
  const m = s.metastore;
  if (!m) return [];
  const out: Lines = ['## Metastore', ''];
  out.push(
    table(
      ['', ''],
      [
        [
          'Hive schema version',
          `${m.hiveVersion ?? '—'}${m.schemaVersionRestored && m.schemaVersionRestored !== m.hiveVersion ? ` (restored: ${m.schemaVersionRestored})` : ''}`,
        ],
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
  out.push('### URI rewrites per table.column', '');
  if (m.rewrites.length === 0) out.push('No value was rewritten.', '');
  else
    out.push(
      table(
        ['Table', 'Column', 'Values rewritten'],
        m.rewrites.map((r) => [r.table, r.column, count(r.count)]),
        ['l', 'l', 'r'],
      ),
      '',
    );
  if (m.rowsPerTable.length > 0)
    out.push(
      '### Rows per table (dump stream)',
      '',
      table(
        ['Table', 'Rows'],
        m.rowsPerTable.map((r) => [r.table, count(r.rows)]),
        ['l', 'r'],
      ),
      '',
    );
  return out;
}

function data(s: RunSummary): Lines {
  const d = s.data;
  if (!d) return [];
  const intro = d.copied
    ? `Snapshot ${inline(d.snapshot ?? '—')}: ${count(d.filesCopied)} files, ${bytes(d.bytesCopied)} copied.`
    : `Snapshot ${inline(d.snapshot ?? '—')} taken; copy-data did not finish, so no copy figures are recorded (the modes below are what snapshot-source planned).`;
  const rows = d.paths.map((p) => [
    p.source,
    p.target,
    p.mode ?? `${p.plannedMode ?? '—'} (planned)`,
    clock(p.takenAt),
    p.previous ?? '—',
    count(p.filesCopied),
    bytes(p.bytesCopied),
    bytes(p.bytesSkipped),
    formatDuration(p.durationMs),
    String(p.passes),
  ]);
  const head = ['Source', 'Target', 'Mode', 'T1', 'Previous', 'Files', 'Bytes', 'Skipped', 'Duration', 'Passes'];
  const details = d.paths
    .map((p) => ({ p, facts: pathFacts(p) }))
    .filter(({ facts }) => facts.length > 0)
    .map(({ p, facts }) => `- ${inline(p.source)}: ${facts.join('; ')}`);
  return [
    '## HDFS data',
    '',
    intro,
    '',
    table(head, rows, ['l', 'l', 'l', 'l', 'l', 'r', 'r', 'r', 'r', 'r']),
    '',
    ...(details.length > 0 ? [...details, ''] : []),
  ];
}

function databases(s: RunSummary): Lines {
  const t = databaseTable(s);
  if (!t) return [];
  const rows = t.rows.map((r) => [r.database, count(r.tables), ...r.byType.map(count), count(r.partitions), count(r.functions)]);
  const head = ['Database', 'Tables', ...t.types.map(typeTitle), 'Partitions', 'Functions'];
  return ['## Hive databases live on DR', '', table(head, rows, ['l', ...head.slice(1).map(() => 'r' as const)]), ''];
}

function warnings(s: RunSummary): Lines {
  const out: Lines = [`## Warnings (${s.warnings.length})`, ''];
  if (s.warnings.length === 0) out.push('None.', '');
  else
    out.push(
      table(
        ['Severity', 'Seen by', 'Source', 'Message'],
        s.warnings.map((w) => [w.severity, seenBy(w), w.source, w.message]),
      ),
      '',
    );
  return out;
}

const footer = (s: RunSummary): Lines => [
  '---',
  '',
  `Generated ${when(s.generatedAt)} by hmsdr from runs/${inline(s.runId)}/ (summary.json schema version ${s.version}).`,
  '',
];

/** report.md: the sections in reading order. */
export function renderMarkdown(s: RunSummary, banner?: string): string {
  const lines = [header, nextAndFailure, recoveryFigures, ladder, steps, preflight, metastore, databases, data, warnings, footer].flatMap(
    (section) => section(s),
  );
  // The banner (what DR serves now) right under the title.
  if (banner) lines.splice(1, 0, '', `> **${inline(banner)}**`);
  return lines.join('\n');
}
