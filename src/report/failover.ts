// The failover record (runs/<run-id>/failover.json) and its report (failover.md, failover.html):
// what DR serves, its T0 and T1, RPO at the moment of failover (now − T0), RTO (how long the
// failover took), what was repaired and, when DR was NOT-SAFE, that the operator accepted it.
import { formatDuration } from '../util/format.js';
import { esc } from './html.js';
import { cell } from './markdown.js';

export interface FailoverRecord {
  version: 1;
  runId: string;
  startedAt: string;
  finishedAt: string;
  serving: {
    database: string;
    runId: string | null;
    t0: string | null;
    t1: string | null;
    manifest: string | null;
    manifestSha256: string | null;
  };
  verdict: 'SAFE-TO-START' | 'NOT-SAFE';
  /** Started although NOT-SAFE (--accept-not-safe), with the differences the operator accepted. */
  acceptedNotSafe: boolean;
  acceptedReasons: string[];
  /** What the failover repaired before starting Hive. */
  swapped: { staging: string; runId: string; previous: string | null } | null;
  declinedSwap: { staging: string; runId: string } | null;
  rewound: { target: string; snapshot: string; safetySnapshot: string | null }[];
  hive: { controller: string; started: boolean };
  /** now − T0 at the end of the failover: the writes of production after T0 are not on DR. */
  rpoMs: number | null;
  /** Duration of the failover, from its start to Hive started on DR. */
  rtoMs: number;
}

function facts(r: FailoverRecord): [string, string][] {
  return [
    ['DR serves', `${r.serving.database} — run ${r.serving.runId ?? '—'}'s metastore`],
    ['T0 (metastore read)', r.serving.t0 ?? '—'],
    ['T1 (data snapshot)', r.serving.t1 ?? '—'],
    ['RPO at failover (now − T0)', r.rpoMs === null ? '—' : formatDuration(r.rpoMs)],
    ['RTO (failover duration)', formatDuration(r.rtoMs)],
    ['verdict', `${r.verdict}${r.acceptedNotSafe ? ' — started anyway: --accept-not-safe' : ''}`],
    ['manifest', `${r.serving.manifest ?? '—'}${r.serving.manifestSha256 ? ` (sha256 ${r.serving.manifestSha256})` : ''}`],
    [
      'swapped in',
      r.swapped ? `${r.swapped.staging} (run ${r.swapped.runId}); the old metastore kept as ${r.swapped.previous}` : 'nothing',
    ],
    ...(r.declinedSwap
      ? [['not swapped in (operator)', `${r.declinedSwap.staging} (run ${r.declinedSwap.runId})`] as [string, string]]
      : []),
    [
      'data rewound',
      r.rewound.length === 0
        ? 'nothing'
        : r.rewound.map((w) => `${w.target} → .snapshot/${w.snapshot} (what was there kept in .snapshot/${w.safetySnapshot})`).join('; '),
    ],
    ['Hive on DR', r.hive.started ? `started (${r.hive.controller})` : `not proven started (${r.hive.controller})`],
    ['failover', `run ${r.runId}, ${r.startedAt} → ${r.finishedAt}`],
  ];
}

const TELL_USERS =
  'Tell users: Hive now runs on the DR cluster; data and tables are as of T0 above — anything written on production after T0 is not there.';

export function renderFailoverMarkdown(r: FailoverRecord): string {
  const lines = [`# hmsdr failover ${r.runId}`, '', '| | |', '|---|---|', ...facts(r).map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`), ''];
  if (r.acceptedNotSafe) {
    lines.push('## Accepted differences (NOT-SAFE, --accept-not-safe)', '', ...r.acceptedReasons.map((x) => `- ${cell(x)}`), '');
  }
  lines.push(TELL_USERS, '');
  return lines.join('\n');
}

export function renderFailoverHtml(r: FailoverRecord): string {
  const rows = facts(r)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('\n');
  const accepted = r.acceptedNotSafe
    ? `<h2>Accepted differences (NOT-SAFE, --accept-not-safe)</h2><ul>${r.acceptedReasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>hmsdr failover ${esc(r.runId)}</title>
<style>body{font-family:sans-serif;margin:2em}th{text-align:left;padding-right:1em;vertical-align:top}</style></head>
<body><h1>hmsdr failover ${esc(r.runId)}</h1>
<table>
${rows}
</table>
${accepted}<p>${esc(TELL_USERS)}</p>
</body></html>
`;
}
