// The failback record (runs/<run-id>/failback.json) and its report (failback.md, failback.html):
// what production serves now, what production had written that never reached DR (kept in
// snapshots, for the operator to decide about), and whether the normal direction is ready to
// continue incrementally.
import type { SnapshotDiffEntry } from '../adapters/hdfs/parse.js';
import { formatDuration } from '../util/format.js';
import { esc } from './html.js';
import { cell } from './markdown.js';

export interface FailbackPathRecord {
  /** DR's path (the failback's source) and production's (its target). */
  source: string;
  target: string;
  common: string | null;
  kept: string | null;
  renamed: { from: string; to: string }[];
  unreplicated: SnapshotDiffEntry[];
  unreplicatedCount: number;
  rewound: boolean;
  /** This run's snapshot, on both sides when the copy finished: the next normal run's <from>. */
  snapshot: string;
  copyMode: string | null;
  nextIncremental: boolean;
}

export interface FailbackRecord {
  version: 1;
  runId: string;
  startedAt: string;
  finishedAt: string;
  metastore: { database: string; restoredFromRun: string; previous: string | null };
  paths: FailbackPathRecord[];
  durationMs: number;
}

const entryText = (e: SnapshotDiffEntry): string => `${e.label} ${e.path === '' ? '.' : e.path}${e.target ? ` -> ${e.target}` : ''}`;

function facts(r: FailbackRecord): [string, string][] {
  return [
    ['production serves', `${r.metastore.database} — DR's metastore restored by run ${r.metastore.restoredFromRun}`],
    [
      'production’s old metastore',
      r.metastore.previous ? `kept as ${r.metastore.previous} (Hive changes production made after its last replication are there)` : '—',
    ],
    ['failback', `run ${r.runId}, ${r.startedAt} → ${r.finishedAt} (${formatDuration(r.durationMs)})`],
    [
      'next normal rehearsal',
      r.paths.every((p) => p.nextIncremental)
        ? `incremental from ${r.paths[0]?.snapshot ?? '—'} on every path`
        : `not incremental on ${r.paths
            .filter((p) => !p.nextIncremental)
            .map((p) => p.target)
            .join(', ')}`,
    ],
  ];
}

function pathRows(r: FailbackRecord): string[][] {
  return r.paths.map((p) => [
    p.target,
    p.common === null ? '—' : p.rewound ? p.common : `${p.common} (already there)`,
    p.kept ? `${p.kept} (${p.unreplicatedCount} change(s))` : 'nothing: production was at the common snapshot',
    p.renamed.length === 0 ? '—' : p.renamed.map((x) => `${x.from} → ${x.to}`).join(', '),
    p.copyMode ?? '—',
  ]);
}

const PATH_HEAD = ['production path', 'rewound to', 'kept as found', 'snapshots DR never received', 'copy'];
const DECIDE =
  'Decide about every write listed under "Never replicated": it was made on production after its last replication and is not in what production serves now. It stays in the kept snapshot (hdfs dfs -ls <path>/.snapshot/<kept>) until you delete that snapshot; retention never does.';

export function renderFailbackMarkdown(r: FailbackRecord): string {
  const lines = [`# hmsdr failback ${r.runId}`, '', '| | |', '|---|---|', ...facts(r).map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`), ''];
  lines.push('## Data paths', '', `| ${PATH_HEAD.join(' | ')} |`, `|${PATH_HEAD.map(() => '---').join('|')}|`);
  for (const row of pathRows(r)) lines.push(`| ${row.map(cell).join(' | ')} |`);
  lines.push('', '## Never replicated: production’s writes after its last replication', '');
  const changed = r.paths.filter((p) => p.unreplicatedCount > 0);
  if (changed.length === 0) lines.push('None: production had written nothing after its last replication.');
  for (const p of changed) {
    lines.push(`### ${p.target} (kept in .snapshot/${p.kept})`, '', '```', ...p.unreplicated.map(entryText));
    if (p.unreplicatedCount > p.unreplicated.length)
      lines.push(`… ${p.unreplicatedCount - p.unreplicated.length} more (failback-paths.json)`);
    lines.push('```', '');
  }
  lines.push('', DECIDE, '');
  return lines.join('\n');
}

export function renderFailbackHtml(r: FailbackRecord): string {
  const rows = facts(r)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('\n');
  const paths = pathRows(r)
    .map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('\n');
  const changed = r.paths.filter((p) => p.unreplicatedCount > 0);
  const never =
    changed.length === 0
      ? '<p>None: production had written nothing after its last replication.</p>'
      : changed
          .map((p) => {
            const more = p.unreplicatedCount > p.unreplicated.length ? `\n… ${p.unreplicatedCount - p.unreplicated.length} more` : '';
            return `<h3>${esc(p.target)} (kept in .snapshot/${esc(p.kept ?? '')})</h3><pre>${esc(p.unreplicated.map(entryText).join('\n') + more)}</pre>`;
          })
          .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>hmsdr failback ${esc(r.runId)}</title>
<style>body{font-family:sans-serif;margin:2em}th{text-align:left;padding-right:1em;vertical-align:top}td{padding-right:1em}</style></head>
<body><h1>hmsdr failback ${esc(r.runId)}</h1>
<table>
${rows}
</table>
<h2>Data paths</h2>
<table><tr>${PATH_HEAD.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>
${paths}
</table>
<h2>Never replicated: production’s writes after its last replication</h2>
${never}
<p>${esc(DECIDE)}</p>
</body></html>
`;
}
