// The warnings section: every warning of the run once — preflight checks that warned, values the
// rewriter left alone, the `warnings` of every step output, and warn/error events of events.ndjson.
// One fact seen by several steps (the rewriter leaves NOTIFICATION_LOG alone, both verifications
// find it) is one entry that names every step that saw it.
import type { StepFacts } from '../steps/outputs.js';
import type { MetastoreSummary, PreflightCheck, WarningEntry } from './model.js';
import type { RunEvent } from './run-dir.js';

/** Event names represented elsewhere in the report (the failing step's error). */
const EVENTS_SHOWN_ELSEWHERE = new Set(['step-fail', 'step-blocked']);
const EVENT_META = new Set(['event', 'level', 'time', 'pid', 'hostname', 'step', 'msg', 'v']);

/** pino levels: labels (our formatter) or numbers (40 warn, 50 error, 60 fatal). */
function severityOf(level: unknown): 'warn' | 'error' | null {
  if (level === 'warn' || level === 40) return 'warn';
  if (level === 'error' || level === 'fatal' || level === 50 || level === 60) return 'error';
  return null;
}

export function leftAloneMessage(l: {
  table?: unknown;
  column?: unknown;
  count?: unknown;
  sampleKey?: unknown;
  note?: unknown;
  kind?: unknown;
}): string {
  const what = l.kind === 'unreadable' ? 'value(s) could not be read' : 'value(s) still hold an old authority';
  const parts = [`${String(l.table)}.${String(l.column)}: ${String(l.count)} ${what}`];
  if (typeof l.sampleKey === 'string' && l.sampleKey) parts.push(`first row ${l.sampleKey}`);
  if (typeof l.note === 'string' && l.note) parts.push(l.note);
  return parts.join(' — ');
}

function eventMessage(e: RunEvent): string {
  if (typeof e['warning'] === 'string') return e['warning'];
  if (e.event === 'old-authority-left-alone' && 'table' in e)
    return leftAloneMessage({
      table: e['table'],
      column: e['column'],
      count: e['count'],
      sampleKey: e['sampleKey'],
      note: e['note'],
      kind: e['kind'],
    });
  if (typeof e['message'] === 'string') return e['message'];
  const fields = Object.entries(e).filter(([k]) => !EVENT_META.has(k));
  const rendered = fields.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
  return rendered.length > 600 ? `${rendered.slice(0, 600)}…` : rendered;
}

/**
 * What a warning is about, so that one fact worded differently by different steps is listed once:
 * values of one `TABLE.COLUMN` (left alone, still holding an old authority); else the message itself.
 */
export function factKey(message: string): string {
  const column = /^([A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*): \d+ value\(s\)/.exec(message);
  return column ? `values:${column[1]}` : `message:${message}`;
}

export function collectWarnings(
  order: readonly string[],
  factsOf: (stepId: string) => StepFacts,
  metastore: MetastoreSummary | null,
  preflight: PreflightCheck[] | null,
  events: RunEvent[],
): WarningEntry[] {
  const out: WarningEntry[] = [];
  const seen = new Map<string, WarningEntry>();
  const add = (w: Omit<WarningEntry, 'steps'>): void => {
    const earlier = seen.get(factKey(w.message));
    if (!earlier) {
      const entry = { ...w, steps: w.step ? [w.step] : [] };
      seen.set(factKey(w.message), entry);
      out.push(entry);
      return;
    }
    if (w.step && !earlier.steps.includes(w.step)) earlier.steps.push(w.step);
    if (w.severity === 'error') earlier.severity = 'error';
  };
  for (const check of preflight ?? []) {
    if (check.status === 'warn')
      add({
        step: 'preflight',
        severity: 'warn',
        source: 'preflight',
        message: `${check.title}: ${check.detail}${check.hint ? ` (hint: ${check.hint})` : ''}`,
        time: null,
      });
  }
  for (const l of metastore?.leftAlone ?? [])
    add({ step: 'dump-metastore', severity: 'warn', source: 'left-alone', message: leftAloneMessage(l), time: null });
  for (const id of order) {
    for (const w of factsOf(id).warnings ?? []) add({ step: id, severity: 'warn', source: 'output', message: w, time: null });
  }
  for (const e of events) {
    const severity = severityOf(e.level);
    if (!severity || (e.event && EVENTS_SHOWN_ELSEWHERE.has(e.event))) continue;
    add({
      step: typeof e.step === 'string' ? e.step : null,
      severity,
      source: e.event ?? 'event',
      message: eventMessage(e),
      time: typeof e.time === 'string' ? e.time : null,
    });
  }
  return out;
}
