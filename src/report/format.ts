// Shared wording of the Markdown and HTML reports (figures, badges, times).
import { formatBytes, formatDuration } from '../util/format.js';
import type { CopyPathSummary, Outcome, RungStatus, RunSummary, StepSummary, WarningEntry } from './model.js';

export const bytes = (value: number | null | undefined): string =>
  value === null || value === undefined ? '—' : `${formatBytes(value)}${value >= 1024 ? ` (${value.toLocaleString('en-US')} B)` : ''}`;
export const count = (value: number | null | undefined): string =>
  value === null || value === undefined ? '—' : value.toLocaleString('en-US');

/** `2026-11-21T05:30:12.345Z` → `2026-11-21 05:30:12 UTC`. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Time of day only, for timelines within one run. */
export function clock(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(11, 19);
}

export const OUTCOME_TEXT: Record<Outcome, string> = {
  ok: 'OK',
  'failed-step': 'FAILED',
  'verification-failed': 'VERIFICATION FAILED',
  blocked: 'BLOCKED',
  interrupted: 'INTERRUPTED',
  incomplete: 'INCOMPLETE',
};

export const RUNG_STATUS_TEXT: Record<RungStatus, string> = {
  passed: 'passed',
  failed: 'FAILED',
  skipped: 'skipped',
  'not-run': 'not run',
};

export function rpoText(s: RunSummary): string {
  return s.rpo.rpoMs === null ? 'not measured' : formatDuration(s.rpo.rpoMs);
}

export function rtoText(s: RunSummary): string {
  return s.rto.reached ? formatDuration(s.rto.rtoMs) : 'not reached';
}

export function viaText(via: string | null): string {
  return via === 'probe' ? 'already done (probe)' : via === 'operator' ? 'skipped by the operator' : '';
}

/** The status word of a step: `blocked` for a precondition, `writing` for the report step writing this very report. */
export function stepStatusText(st: StepSummary): string {
  if (st.blocked) return 'blocked';
  if (st.id === 'report' && st.status === 'running') return 'writing';
  return st.status;
}

/** The steps that saw a warning (older summaries have only `step`); `run` for run-level events. */
export const seenBy = (w: Pick<WarningEntry, 'step'> & { steps?: string[] }): string =>
  w.steps && w.steps.length > 0 ? w.steps.join(', ') : (w.step ?? 'run');

/** The config as a shared report shows it: its name and the sha256 of its normalised content, never its absolute path. */
export function configText(s: Pick<RunSummary, 'configFile'> & { configSha256?: string | null }): string {
  if (!s.configFile) return '—';
  const name = s.configFile.split('/').at(-1) ?? s.configFile;
  return s.configSha256 ? `${name} (sha256 ${s.configSha256.slice(0, 16)}…)` : name;
}

/** The facts about one data path's copy beyond the table's columns (both reports list them under it). */
export function pathFacts(p: CopyPathSummary): string[] {
  return [
    ...(p.detail ? [p.detail] : []),
    ...(p.earlierAttempt ? ['copied by an earlier attempt of this run (these are its figures)'] : []),
    ...(p.newerThanT1 ? [`${count(p.newerThanT1)} file(s) newer than T1 on DR`] : []),
    ...(p.fullCopyReason ? [`copied in full: ${p.fullCopyReason}`] : []),
    ...(p.failedFiles?.length ? [failedFilesText(p.failedFiles)] : []),
  ];
}

/** The files a copy went on past, named (the first 20, then how many more). */
function failedFilesText(files: readonly string[]): string {
  const shown = files.slice(0, 20).join(', ');
  return `${files.length} file(s) failed to copy: ${shown}${files.length > 20 ? ` and ${files.length - 20} more` : ''}`;
}
