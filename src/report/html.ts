// report.html: one self-contained page (inline CSS, no script, no font, no image, no network; a
// Content-Security-Policy forbids loading anything). Every value is escaped.
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
import type { RunSummary, RungStatus, StepSummary } from './model.js';

/** Escape text for HTML element content and double- or single-quoted attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#ffffff;--soft:#f6f8fa;--ok:#1a7f37;--okbg:#dafbe1;--bad:#cf222e;--badbg:#ffebe9;--warn:#9a6700;--warnbg:#fff8c5;--none:#6e7781;--nonebg:#eaeef2;--bar:#0969da}
*{box-sizing:border-box}
body{margin:0;background:var(--soft);color:var(--fg);font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:22px;margin:0 0 4px;font-weight:600}
h2{font-size:17px;margin:0 0 12px;font-weight:600}
h3{font-size:14px;margin:16px 0 8px;font-weight:600}
section{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:18px 20px;margin:16px 0;overflow-x:auto}
code,.mono{font-family:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12.5px}
.muted{color:var(--muted)}
header.top{display:flex;align-items:flex-start;justify-content:space-between;gap:16px;flex-wrap:wrap}
.headline{font-size:15px;margin:8px 0 0;max-width:860px}
.badge{display:inline-block;border-radius:999px;padding:1px 10px;font-size:12px;font-weight:600;border:1px solid transparent;white-space:nowrap}
.b-passed,.b-ok,.b-pass,.b-done{background:var(--okbg);color:var(--ok);border-color:#aceebb}
.b-failed,.b-fail,.b-error,.b-interrupted,.b-failed-step,.b-verification-failed{background:var(--badbg);color:var(--bad);border-color:#ffcecb}
.b-skipped,.b-warn,.b-blocked,.b-incomplete,.b-running{background:var(--warnbg);color:var(--warn);border-color:#f5e0a0}
.b-not-run,.b-pending{background:var(--nonebg);color:var(--none);border-color:#d0d7de}
.outcome{font-size:15px;padding:4px 14px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin-top:16px}
.card{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card .k{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.card .v{font-size:22px;font-weight:600;margin-top:2px;font-variant-numeric:tabular-nums}
.card .s{font-size:12px;color:var(--muted)}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600;background:var(--soft)}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr:last-child td,tr:last-child th{border-bottom:none}
.failure{border-color:#ffcecb;background:#fffafa}
.failure h2{color:var(--bad)}
.next li{margin:4px 0}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:10px;overflow:auto;white-space:pre-wrap;word-break:break-word;max-height:320px}
.ladder .rung{font-weight:700}
.ladder td:nth-child(2){white-space:nowrap}
.ladder td:nth-child(3),.ladder td:nth-child(4){white-space:nowrap}
ul.checks{margin:0;padding-left:16px}
.ladder td.detail{word-break:break-word}
details{margin-top:6px}
summary{cursor:pointer;color:var(--bar)}
ul.diffs{margin:6px 0 0;padding-left:18px}
.tl{position:relative;padding-top:22px}
.tl-row{display:grid;grid-template-columns:230px 1fr 96px;gap:12px;align-items:center;min-height:30px;border-bottom:1px dashed #e5e9ee}
.tl-row:last-of-type{border-bottom:none}
.tl-name{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.tl-name .id{font-weight:600}
.tl-track{position:relative;height:16px;background:var(--soft);border-radius:3px}
.tl-bar{position:absolute;top:2px;height:12px;border-radius:3px;min-width:3px;background:var(--bar)}
.tl-bar.s-failed,.tl-bar.s-interrupted{background:var(--bad)}
.tl-bar.s-running{background:var(--warn)}
.tl-tick{position:absolute;top:0;width:2px;height:16px;background:var(--ok)}
.tl-dur{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.tl-overlay{position:absolute;top:4px;bottom:24px;left:242px;right:108px;pointer-events:none}
.tl-mark{position:absolute;top:0;bottom:0;border-left:2px dotted}
.tl-mark span{position:absolute;top:-2px;left:4px;font-size:11px;font-weight:600;white-space:nowrap;background:var(--bg);padding:0 3px;line-height:14px}
.m-t0{border-color:#8250df;color:#8250df}.m-t1{border-color:#bf3989;color:#bf3989}.m-up{border-color:var(--ok);color:var(--ok)}
.tl-axis{display:grid;grid-template-columns:230px 1fr 96px;gap:12px;font-size:11px;color:var(--muted);margin-top:6px}
.tl-axis .ends{display:flex;justify-content:space-between}
.legend{font-size:12px;color:var(--muted);margin-top:8px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 4px 0 12px;vertical-align:-1px}
.kv{table-layout:fixed}
.kv th{width:46%;background:none}
.kv.short th{width:110px}
.kv td{overflow-wrap:anywhere}
.warnings td:nth-child(-n+3){white-space:nowrap}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:16px}
@media (max-width:900px){.grid2{grid-template-columns:1fr}.tl-row,.tl-axis{grid-template-columns:140px 1fr 80px}.tl-overlay{left:152px;right:92px}}
footer{color:var(--muted);font-size:12px;margin-top:24px}
`;

/** Escaped text where `backticked` parts become <code> (commands in hints and next steps). */
export function escCode(text: string): string {
  return text
    .split('`')
    .map((part, i) => (i % 2 === 1 ? `<code>${esc(part)}</code>` : esc(part)))
    .join('');
}

const badge = (cls: string, text: string): string => `<span class="badge b-${esc(cls)}">${esc(text)}</span>`;
const rungBadge = (status: RungStatus): string => badge(status, RUNG_STATUS_TEXT[status]);

function table(head: Array<string | [string, 'n']>, rows: string[][], cls = ''): string {
  const th = head.map((h) => (Array.isArray(h) ? `<th class="n">${esc(h[0])}</th>` : `<th>${esc(h)}</th>`)).join('');
  const numeric = head.map((h) => Array.isArray(h));
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="n"' : ''}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function card(key: string, value: string, sub: string, id: string): string {
  return `<div class="card" id="${esc(id)}"><div class="k">${esc(key)}</div><div class="v">${esc(value)}</div><div class="s">${esc(sub)}</div></div>`;
}

function timeline(s: RunSummary): string {
  const total = Math.max(1, s.elapsedMs);
  const pct = (v: number): string => `${Math.min(100, Math.max(0, (v / total) * 100)).toFixed(3)}%`;
  const offsetOf = (iso: string | null): number | null => {
    if (!iso) return null;
    const t = Date.parse(iso) - Date.parse(s.startedAt);
    return Number.isNaN(t) ? null : t;
  };
  const row = (st: StepSummary): string => {
    let graphic = '';
    if (st.offsetMs !== null && st.durationMs !== null) {
      graphic = `<div class="tl-bar s-${esc(st.status)}" style="left:${pct(st.offsetMs)};width:${pct(st.durationMs)}" title="${esc(`${st.id}: ${formatDuration(st.durationMs)}`)}"></div>`;
    } else if (st.offsetMs !== null && st.status === 'running') {
      graphic = `<div class="tl-bar s-running" style="left:${pct(st.offsetMs)};width:${pct(total - st.offsetMs)}"></div>`;
    } else if (st.finishedAt) {
      const at = offsetOf(st.finishedAt);
      if (at !== null)
        graphic = `<div class="tl-tick" style="left:${pct(at)}" title="${esc(`${st.id}: ${viaText(st.via) || st.status}`)}"></div>`;
    }
    const status = stepStatusText(st);
    const dur =
      st.durationMs !== null
        ? formatDuration(st.durationMs)
        : st.via === 'probe'
          ? 'already done'
          : st.via === 'operator'
            ? 'skipped'
            : status === 'pending'
              ? 'not run'
              : status;
    return `<div class="tl-row" data-step="${esc(st.id)}"><div class="tl-name"><span class="id">${esc(st.id)}</span> ${badge(status === 'writing' ? 'running' : status, status)}</div><div class="tl-track">${graphic}</div><div class="tl-dur">${esc(dur)}</div></div>`;
  };
  const marks: string[] = [];
  const mark = (cls: string, label: string, iso: string | null): void => {
    const at = offsetOf(iso);
    if (at !== null && at >= 0 && at <= total)
      marks.push(
        `<div class="tl-mark ${cls}" style="left:${pct(at)}" title="${esc(`${label} ${when(iso)}`)}"><span>${esc(label)}</span></div>`,
      );
  };
  mark('m-t0', 'T0', s.rpo.t0);
  mark('m-t1', 'T1', s.rpo.t1);
  mark('m-up', 'Hive up', s.rto.hiveStartedAt);
  return `<div class="tl">${s.steps.map(row).join('\n')}<div class="tl-overlay">${marks.join('')}</div>
<div class="tl-axis"><div></div><div class="ends"><span>start ${esc(clock(s.startedAt))}</span><span>elapsed ${esc(formatDuration(s.elapsedMs))}</span><span>end ${esc(clock(s.endedAt))}</span></div><div></div></div></div>
<div class="legend">Bars: each step's last attempt, scaled to the run's ${esc(formatDuration(s.elapsedMs))}.<i style="background:#8250df"></i>T0 metastore snapshot<i style="background:#bf3989"></i>T1 data snapshot<i style="background:#1a7f37"></i>Hive started on DR (RTO)</div>`;
}

function differences(list: string[], limit = 200): string {
  if (list.length === 0) return '';
  const items = list
    .slice(0, limit)
    .map((d) => `<li>${esc(d)}</li>`)
    .join('');
  const more = list.length > limit ? `<li>… and ${list.length - limit} more (see summary.json)</li>` : '';
  return `<details${list.length <= 5 ? ' open' : ''}><summary>${list.length} difference(s)</summary><ul class="diffs">${items}${more}</ul></details>`;
}

function header(s: RunSummary): string {
  return `<header class="top"><div><h1>hmsdr run <span class="mono">${esc(s.runId)}</span></h1>
<div class="muted">${esc(s.mode)} · started ${esc(when(s.startedAt))} · ended ${esc(when(s.endedAt))}${s.host ? ` · host ${esc(s.host)}` : ''}</div>
<p class="headline" id="headline">${esc(s.headline)}</p></div>
<div>${badge(s.outcome, `${OUTCOME_TEXT[s.outcome]} · exit ${s.exitCode}`).replace('class="badge', 'class="badge outcome')}</div></header>`;
}

function cards(s: RunSummary): string {
  const m = s.metastore;
  const passed = s.ladder.filter((r) => r.status === 'passed').length;
  return `<div class="cards">
${card('RPO', rpoText(s), s.rpo.rpoMs === null ? 'no recovery point measured' : s.rpo.applied ? 'run end − T0' : 'run end − T0 · not applied: DR keeps its previous recovery point', 'rpo')}
${card('RTO', rtoText(s), s.rto.reached ? 'run start → Hive started on DR' : 'Hive not started on DR by this run', 'rto')}
${card('Hive down on DR', formatDuration(s.rto.downtimeMs), s.rto.downtimeMs === null ? 'Hive was not stopped by this run' : 'stop-hive → start-hive: what DR users feel', 'downtime')}
${card('Elapsed', formatDuration(s.elapsedMs), `steps active ${formatDuration(s.activeMs)}`, 'elapsed')}
${card('Ladder', `${passed} / 7`, 'rungs passed', 'ladder-score')}
${card('URI rewrites', m ? count(m.totalRewrites) : '—', m ? `in ${m.rewrites.length} column(s)` : 'dump did not run', 'rewrites')}
${card('Data copied', s.data?.copied ? bytes(s.data.bytesCopied).replace(/ \(.*\)$/, '') : '—', s.data?.copied ? `${count(s.data.filesCopied)} files, ${s.data.paths.length} path(s)` : 'copy-data did not finish', 'copied')}
</div>`;
}

/** The failure (with what to do next) of a run that did not end ok; what to do next otherwise. */
function failureOrNext(s: RunSummary): string {
  if (!s.failure && s.outcome === 'ok') {
    return `<section id="next"><h2>What to do next</h2><ul class="next">${s.next.map((n) => `<li>${escCode(n)}</li>`).join('')}</ul></section>`;
  }
  const f = s.failure;
  return `<section class="failure" id="failure"><h2>${esc(OUTCOME_TEXT[s.outcome])}${f ? ` at ${esc(f.step)}` : ''}</h2>
${
  f
    ? `<table class="kv short">${[
        ['Code', `<code>${esc(f.code)}</code>`],
        ['Message', esc(f.message)],
        ...(f.hint ? [['Hint', escCode(f.hint)]] : []),
        ['Resume', `<code>${esc(s.resumeCommand)}</code>`],
      ]
        .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`)
        .join('')}</table>`
    : ''
}
${f?.stderrTail ? `<h3>Last lines of stderr</h3><pre>${esc(f.stderrTail)}</pre>` : ''}
<h3>What to do next</h3><ul class="next">${s.next
    .filter((n) => !f || (n !== f.hint && !n.includes(f.message)))
    .map((n) => `<li>${escCode(n)}</li>`)
    .join('')}</ul></section>`;
}

function ladder(s: RunSummary): string {
  return `<section id="ladder"><h2>Verification ladder</h2>
${table(
  ['Rung', 'Check', 'Result', 'By', 'Detail'],
  s.ladder.map((r) => [
    `<span class="rung">${esc(r.rung)}</span>`,
    esc(r.name),
    rungBadge(r.status),
    esc(r.by.join(', ') || '—'),
    `${r.checks.length > 1 ? `<ul class="checks">${r.checks.map((c) => `<li><b>${esc(c.by)}</b>: ${esc(c.detail)}</li>`).join('')}</ul>` : /^\d+ difference\(s\)$/.test(r.detail) && r.differences.length > 0 ? '' : `<div class="detail">${esc(r.detail)}</div>`}${differences(r.differences)}`,
  ]),
  'ladder',
)}</section>`;
}

function recoveryFigures(s: RunSummary): string {
  return `<section id="rpo-rto"><h2>Recovery point and recovery time</h2><div class="grid2"><div>
<table class="kv">
<tr><th>T0 · metastore snapshot (pg_dump start)</th><td>${esc(when(s.rpo.t0))}</td></tr>
<tr><th>T1 · data snapshot (earliest path)</th><td>${esc(when(s.rpo.t1))}${s.rpo.t1Source === 'step-start' ? ' <span class="muted">(approx.)</span>' : ''}</td></tr>
<tr><th>Run end</th><td>${esc(when(s.rpo.endedAt))}</td></tr>
<tr><th>RPO · run end − T0</th><td><b>${esc(rpoText(s))}</b></td></tr>
<tr><th>RPO, data side · run end − T1</th><td>${esc(formatDuration(s.rpo.dataMs))}</td></tr>
<tr><th>T1 − T0</th><td>${esc(formatDuration(s.rpo.windowMs))}${s.rpo.orderOk === false ? ' ' + badge('failed', 'T1 before T0') : ''}</td></tr>
</table><p class="muted">${esc(s.rpo.note)}.</p></div><div>
<table class="kv">
<tr><th>Run start</th><td>${esc(when(s.rto.startedAt))}</td></tr>
<tr><th>Hive started on DR</th><td>${esc(when(s.rto.hiveStartedAt))}</td></tr>
<tr><th>RTO · start → Hive started</th><td><b>${esc(rtoText(s))}</b></td></tr>
<tr><th>Hive down on DR</th><td>${esc(formatDuration(s.rto.downtimeMs))}</td></tr>
</table><p class="muted">${esc(s.rto.note)}.</p></div></div>
${
  s.rpo.t1PerPath.length > 0
    ? `<h3>T1 per path</h3>${table(
        ['Source', 'Snapshot', 'Taken at'],
        s.rpo.t1PerPath.map((p) => [esc(p.source), `<code>${esc(p.snapshot)}</code>`, esc(when(p.takenAt))]),
      )}`
    : ''
}</section>`;
}

function steps(s: RunSummary): string {
  return `<section id="timeline"><h2>Timeline</h2>${timeline(s)}
<h3>Steps</h3>${table(
    ['#', 'Step', 'Status', 'Start', 'End', ['Duration', 'n'], ['Attempts', 'n'], 'Note'],
    s.steps.map((st, i) => [
      String(i + 1),
      `<code>${esc(st.id)}</code><div class="muted">${esc(st.label)}</div>`,
      badge(stepStatusText(st) === 'writing' ? 'running' : stepStatusText(st), stepStatusText(st)),
      esc(clock(st.startedAt)),
      esc(clock(st.finishedAt)),
      esc(formatDuration(st.durationMs)),
      esc(st.attempts),
      st.error ? `<code>${esc(st.error.code)}</code> ${esc(st.error.message)}` : esc(viaText(st.via) || (st.reason ?? '')),
    ]),
  )}</section>`;
}

function preflight(s: RunSummary): string {
  if (!s.preflight) return '';
  return `<section id="preflight"><h2>Preflight</h2>${table(
    ['Check', 'Status', 'Detail', 'Hint'],
    s.preflight.map((c) => [esc(c.title), badge(c.status, c.status), esc(c.detail), esc(c.hint ?? '')]),
  )}</section>`;
}

function metastore(s: RunSummary): string {
  const m = s.metastore;
  if (!m) return '';
  return `<section id="metastore"><h2>Metastore</h2><div class="grid2"><div>
<table class="kv">
<tr><th>Hive schema version</th><td>${esc(m.hiveVersion ?? '—')}${m.schemaVersionRestored && m.schemaVersionRestored !== m.hiveVersion ? ` (restored ${esc(m.schemaVersionRestored)})` : ''}</td></tr>
<tr><th>pg_dump bytes → after rewrite</th><td>${esc(bytes(m.bytesIn))} → ${esc(bytes(m.bytesOut))}</td></tr>
<tr><th>Bytes shipped (received on DR)</th><td>${esc(bytes(m.remoteBytes ?? m.bytesOut))}</td></tr>
<tr><th>sha256 sent</th><td class="mono">${esc(m.sha256 ?? '—')}</td></tr>
<tr><th>sha256 received</th><td class="mono">${esc(m.remoteSha256 ?? '—')}</td></tr>
<tr><th>Dump duration</th><td>${esc(formatDuration(m.dumpDurationMs))}</td></tr>
</table></div><div>
<table class="kv">
<tr><th>Transfer</th><td>${esc(m.transfer ?? '—')}</td></tr>
<tr><th>Staged dump</th><td class="mono">${esc(m.stagedPath ?? '—')}</td></tr>
<tr><th>Staging database</th><td class="mono">${esc(m.stagingDatabase ?? '—')}</td></tr>
<tr><th>Live database</th><td class="mono">${esc(m.liveDatabase ?? '—')}</td></tr>
<tr><th>Previous database (rollback)</th><td class="mono">${esc(m.previousDatabase ?? '—')}</td></tr>
<tr><th>Rows in the dump</th><td>${esc(count(m.totalRows))} in ${esc(m.rowsPerTable.length)} tables</td></tr>
</table></div></div>
<h3>URI rewrites per table.column (${esc(count(m.totalRewrites))} values)</h3>
${
  m.rewrites.length === 0
    ? '<p class="muted">No value was rewritten.</p>'
    : table(
        ['Table', 'Column', ['Values rewritten', 'n']],
        m.rewrites.map((r) => [`<code>${esc(r.table)}</code>`, `<code>${esc(r.column)}</code>`, esc(count(r.count))]),
        'rewrites',
      )
}
${
  m.rowsPerTable.length > 0
    ? `<details><summary>Rows per table (${esc(m.rowsPerTable.length)} tables)</summary>${table(
        ['Table', ['Rows', 'n']],
        m.rowsPerTable.map((r) => [`<code>${esc(r.table)}</code>`, esc(count(r.rows))]),
      )}</details>`
    : ''
}
</section>`;
}

/** Per path, what the table's columns do not say (engine detail, newer than T1, why copied in full). */
function facts(paths: NonNullable<RunSummary['data']>['paths']): string {
  const items = paths.flatMap((p) => pathFacts(p).map((f) => `<li><code>${esc(p.source)}</code>: ${esc(f)}</li>`));
  return items.length > 0 ? `<ul class="path-facts">${items.join('')}</ul>` : '';
}

function data(s: RunSummary): string {
  const d = s.data;
  if (!d) return '';
  return `<section id="data"><h2>HDFS data</h2><p>Snapshot <code>${esc(d.snapshot ?? '—')}</code> · ${esc(count(d.filesCopied))} files · ${esc(bytes(d.bytesCopied))} copied${d.copied ? '' : ' · <span class="muted">copy-data did not finish: modes are as planned by snapshot-source</span>'}</p>
${table(
  [
    'Source → target',
    'Mode',
    'T1',
    'Previous',
    ['Files', 'n'],
    ['Bytes copied', 'n'],
    ['Bytes skipped', 'n'],
    ['Duration', 'n'],
    ['Passes', 'n'],
  ],
  d.paths.map((p) => [
    `<code>${esc(p.source)}</code><br><span class="muted">→</span> <code>${esc(p.target)}</code>`,
    p.mode ? esc(p.mode) : `<span class="muted">${esc(p.plannedMode ?? '—')} (planned)</span>`,
    esc(clock(p.takenAt)),
    `<code>${esc(p.previous ?? '—')}</code>`,
    esc(count(p.filesCopied)),
    esc(bytes(p.bytesCopied).replace(/ \(.*\)$/, '')),
    esc(p.bytesSkipped === null ? '—' : bytes(p.bytesSkipped).replace(/ \(.*\)$/, '')),
    esc(formatDuration(p.durationMs)),
    esc(p.passes),
  ]),
  'copy',
)}${facts(d.paths)}</section>`;
}

function warnings(s: RunSummary): string {
  return `<section id="warnings"><h2>Warnings (${esc(s.warnings.length)})</h2>${
    s.warnings.length === 0
      ? '<p class="muted">None.</p>'
      : table(
          ['Severity', 'Seen by', 'Source', 'Message'],
          s.warnings.map((w) => [badge(w.severity, w.severity), esc(seenBy(w)), `<code>${esc(w.source)}</code>`, esc(w.message)]),
          'warnings',
        )
  }</section>`;
}

const footer = (s: RunSummary): string =>
  `<footer>Generated ${esc(when(s.generatedAt))} by hmsdr from <code>runs/${esc(s.runId)}/</code> · summary.json schema version ${esc(s.version)} · config ${esc(configText(s))}</footer>`;

/** report.html: one page, the sections in reading order. */
function databases(s: RunSummary): string {
  const t = databaseTable(s);
  if (!t) return '';
  const rows = t.rows.map((r) => [esc(r.database), count(r.tables), ...r.byType.map(count), count(r.partitions), count(r.functions)]);
  return `<section id="databases"><h2>Hive databases live on DR</h2>${table(['Database', ['Tables', 'n'], ...t.types.map((x): [string, 'n'] => [typeTitle(x), 'n']), ['Partitions', 'n'], ['Functions', 'n']], rows, 'databases')}</section>`;
}

export function renderHtml(s: RunSummary, banner?: string): string {
  const parts = [header, cards, failureOrNext, ladder, recoveryFigures, steps, preflight, metastore, databases, data, warnings, footer]
    .map((section) => section(s))
    .filter((part) => part !== '');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>hmsdr run ${esc(s.runId)}: ${esc(OUTCOME_TEXT[s.outcome])}</title>
<style>${CSS}</style></head>
<body><main>
${banner ? `<p class="banner" id="serves"><strong>${esc(banner)}</strong></p>\n` : ''}${parts.join('\n')}
</main></body></html>
`;
}
