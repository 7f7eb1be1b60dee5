// `hmsdr history --html FILE`: one self-contained page (inline SVG, no script) with the RPO and RTO
// of every run against the objectives, step durations, and bytes copied per path, oldest to newest.
import { formatBytes, formatDuration } from '../util/format.js';
import type { HistoryRow } from './history.js';
import { esc } from './html.js';

export interface Objectives {
  rpoMs?: number;
  rtoMs?: number;
}

const W = 720;
const H = 180;
const PAD = 40;
const COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#9c755f', '#bab0ac', '#ff9da7', '#86bcb6'];

/** One bar per run (oldest left); a dashed line at `objective`; bars over it drawn red. */
function barChart(
  title: string,
  runs: HistoryRow[],
  value: (r: HistoryRow) => number | null,
  label: (v: number) => string,
  objective?: number,
): string {
  const values = runs.map(value);
  const max = Math.max(1, objective ?? 0, ...values.map((v) => v ?? 0));
  const step = (W - 2 * PAD) / Math.max(1, runs.length);
  const y = (v: number): number => H - PAD - (v / max) * (H - 2 * PAD);
  const bars = runs.map((r, i) => {
    const v = values[i];
    if (v === null || v === undefined)
      return `<text x="${PAD + i * step + step / 2}" y="${H - PAD - 4}" font-size="10" text-anchor="middle">–</text>`;
    const over = objective !== undefined && v > objective;
    return `<rect x="${(PAD + i * step + step * 0.15).toFixed(1)}" y="${y(v).toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${(H - PAD - y(v)).toFixed(1)}" fill="${over ? '#e15759' : '#4e79a7'}"><title>${esc(`${r.runId}: ${label(v)}`)}</title></rect>`;
  });
  const line =
    objective === undefined
      ? ''
      : `<line x1="${PAD}" x2="${W - PAD}" y1="${y(objective).toFixed(1)}" y2="${y(objective).toFixed(1)}" stroke="#333" stroke-dasharray="6 4"/><text x="${W - PAD}" y="${(y(objective) - 4).toFixed(1)}" font-size="11" text-anchor="end">objective ${esc(label(objective))}</text>`;
  return svg(
    title,
    `${axis(runs, step)}${bars.join('')}${line}<text x="${PAD}" y="${PAD - 8}" font-size="11">max ${esc(label(max))}</text>`,
  );
}

function axis(runs: HistoryRow[], step: number): string {
  const ticks = runs.map((r, i) =>
    i % Math.ceil(runs.length / 8) === 0
      ? `<text x="${(PAD + i * step + step / 2).toFixed(1)}" y="${H - PAD + 14}" font-size="10" text-anchor="middle">${esc(r.runId.slice(0, 8))}</text>`
      : '',
  );
  return `<line x1="${PAD}" x2="${W - PAD}" y1="${H - PAD}" y2="${H - PAD}" stroke="#999"/>${ticks.join('')}`;
}

const svg = (title: string, body: string): string =>
  `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">${body}</svg></figure>`;

/** Stacked bars: each run's step durations, one colour per step. */
function stepChart(runs: HistoryRow[]): string {
  const ids = [...new Set(runs.flatMap((r) => r.steps.map((s) => s.id)))];
  const totals = runs.map((r) => r.steps.reduce((n, s) => n + s.durationMs, 0));
  const max = Math.max(1, ...totals);
  const step = (W - 2 * PAD) / Math.max(1, runs.length);
  const bars = runs.flatMap((r, i) => {
    let top = H - PAD;
    return r.steps.map((s) => {
      const h = (s.durationMs / max) * (H - 2 * PAD);
      top -= h;
      return `<rect x="${(PAD + i * step + step * 0.15).toFixed(1)}" y="${top.toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLOURS[ids.indexOf(s.id) % COLOURS.length]}"><title>${esc(`${r.runId} ${s.id}: ${formatDuration(s.durationMs)}`)}</title></rect>`;
    });
  });
  const legend = ids.map((id, i) => `<span><i style="background:${COLOURS[i % COLOURS.length]}"></i>${esc(id)}</span>`).join(' ');
  return `${svg('Step durations per run', `${axis(runs, step)}${bars.join('')}<text x="${PAD}" y="${PAD - 8}" font-size="11">max ${esc(formatDuration(max))}</text>`)}<p class="legend">${legend}</p>`;
}

/** One polyline per path: bytes copied per run. */
function bytesChart(runs: HistoryRow[]): string {
  const paths = [...new Set(runs.flatMap((r) => r.paths.map((p) => `${p.source} → ${p.target}`)))];
  const bytes = (r: HistoryRow, key: string): number | null => {
    const p = r.paths.find((x) => `${x.source} → ${x.target}` === key);
    return p ? (p.bytesCopied ?? 0) : null;
  };
  const max = Math.max(1, ...runs.flatMap((r) => paths.map((k) => bytes(r, k) ?? 0)));
  const step = (W - 2 * PAD) / Math.max(1, runs.length);
  const lines = paths.map((key, j) => {
    const points = runs.flatMap((r, i) => {
      const b = bytes(r, key);
      return b === null ? [] : [`${(PAD + i * step + step / 2).toFixed(1)},${(H - PAD - (b / max) * (H - 2 * PAD)).toFixed(1)}`];
    });
    return `<polyline fill="none" stroke-width="2" stroke="${COLOURS[j % COLOURS.length]}" points="${points.join(' ')}"><title>${esc(key)}</title></polyline>`;
  });
  const legend = paths.map((k, i) => `<span><i style="background:${COLOURS[i % COLOURS.length]}"></i>${esc(k)}</span>`).join(' ');
  return `${svg('Bytes copied per path', `${axis(runs, step)}${lines.join('')}<text x="${PAD}" y="${PAD - 8}" font-size="11">max ${esc(formatBytes(max))}</text>`)}<p class="legend">${legend}</p>`;
}

/** The page; `rows` newest first as historyRows gives them. */
export function renderHistoryHtml(rows: HistoryRow[], objectives: Objectives = {}, title = 'hmsdr history'): string {
  const runs = [...rows].reverse();
  const body =
    runs.length === 0
      ? '<p>No runs yet.</p>'
      : [
          barChart('RPO per run', runs, (r) => r.rpoMs, formatDuration, objectives.rpoMs),
          barChart('RTO per run', runs, (r) => r.rtoMs, formatDuration, objectives.rtoMs),
          stepChart(runs),
          bytesChart(runs),
        ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}figure{margin:1.5em 0}figcaption{font-weight:600}.legend span{margin-right:1em}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}</style>
</head><body><h1>${esc(title)}</h1>
<p>${runs.length} run(s), oldest left. Bars over an objective are red; hover a bar for its run and value.</p>
${body}
</body></html>
`;
}
