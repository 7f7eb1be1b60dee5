// The machine-readable model of a run (runs/<run-id>/summary.json), built from the run directory
// alone: state.json, events.ndjson and the JSON files steps leave behind. Tolerant by design: a
// report must render whatever subset of steps ran, and a failed run's report matters most.
// The schema is documented in docs/reports.md; bump SUMMARY_VERSION on incompatible changes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunState, StepRecord, StepStatus } from '../runbook/ledger.js';
import { RUNG_TITLES, type Rung } from '../verify/ladder.js';

export const SUMMARY_VERSION = 1 as const;

export type Outcome = 'ok' | 'failed-step' | 'verification-failed' | 'blocked' | 'interrupted' | 'incomplete';

/** The exit code each outcome maps to (the table of src/errors/exit-codes.ts). */
export const OUTCOME_EXIT_CODES: Record<Outcome, 0 | 1 | 4 | 5 | 7 | 130> = {
  ok: 0,
  'failed-step': 1,
  blocked: 4,
  'verification-failed': 5,
  incomplete: 7,
  interrupted: 130,
};

export const RUNGS: readonly Rung[] = ['L0', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6'];

/** Rung names, as the verification ladder defines them. */
export const RUNG_NAMES: Record<Rung, string> = RUNG_TITLES;

/** Short operator-facing labels of the canonical steps (unknown step ids are shown as they are). */
export const STEP_LABELS: Record<string, string> = {
  preflight: 'Preflight checks',
  'dump-metastore': 'Dump, rewrite and stage the metastore',
  'snapshot-source': 'Snapshot the source HDFS paths (T1)',
  'copy-data': 'Copy HDFS data to DR (DistCp)',
  'restore-staging': 'Restore into the staging database',
  'verify-staging': 'Verify the staging database',
  'stop-hive': 'Stop Hive on DR',
  'swap-metastore': 'Swap the metastore databases',
  'start-hive': 'Start Hive on DR',
  'verify-live': 'Verify the live DR metastore',
  report: 'Write the report',
};

export interface StepError {
  code: string;
  message: string;
  hint?: string;
  stderrTail?: string;
}

export interface StepSummary {
  id: string;
  label: string;
  status: StepStatus;
  attempts: number;
  /** How it became done: ran, found done by its probe, or skipped by the operator. */
  via: 'run' | 'probe' | 'operator' | null;
  reason: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** finishedAt − startedAt of the last attempt; null when either is unknown. */
  durationMs: number | null;
  /** Milliseconds from the run's start to startedAt (for timelines). */
  offsetMs: number | null;
  /** A step blocked by a precondition stays `pending` but carries its error. */
  blocked: boolean;
  error: StepError | null;
}

export type RungStatus = 'passed' | 'failed' | 'skipped' | 'not-run';

export interface RungCheck {
  /** The step that checked it. */
  by: string;
  ok: boolean;
  skipped: boolean;
  detail: string;
  differences: string[];
}

export interface RungSummary {
  rung: Rung;
  name: string;
  /** passed: every check ran and held; failed: at least one check failed; not-run: no step checked it. */
  status: RungStatus;
  ran: boolean;
  passed: boolean;
  /** Step ids that checked it, in run order. */
  by: string[];
  detail: string;
  differences: string[];
  checks: RungCheck[];
}

export interface PathT1 {
  source: string;
  target: string;
  snapshot: string;
  takenAt: string | null;
}

export interface RpoSummary {
  /** Metastore recovery point: when pg_dump started (its snapshot is at or after T0). */
  t0: string | null;
  /** Data recovery point: the earliest source HDFS snapshot of the run. */
  t1: string | null;
  /** Where t1 comes from: the snapshots' creation times, or the snapshot-source step start (approximate). */
  t1Source: 'snapshot' | 'step-start' | null;
  t1PerPath: PathT1[];
  /** The instant the RPO is measured against: the run's end. */
  endedAt: string;
  /** endedAt − T0. */
  metadataMs: number | null;
  /** endedAt − T1. */
  dataMs: number | null;
  /** The RPO of this run: endedAt − min(T0, T1) — the older recovery point bounds the whole DR copy. */
  rpoMs: number | null;
  /** T1 − T0 (≥ 0 when the order held: metadata never points at data taken before it). */
  windowMs: number | null;
  /** T0 ≤ T1, null when either is unknown. */
  orderOk: boolean | null;
  /** True when this run's metastore went live on DR (swap-metastore done). */
  applied: boolean;
  note: string;
}

export interface RtoSummary {
  startedAt: string;
  /** start-hive finishedAt: Hive serving on DR with this run's metastore. */
  hiveStartedAt: string | null;
  reached: boolean;
  /** hiveStartedAt − startedAt. */
  rtoMs: number | null;
  /** Hive down on DR: stop-hive startedAt → start-hive finishedAt (or → the run's end when not restarted). */
  downtimeMs: number | null;
  note: string;
}

export interface LeftAloneEntry {
  table: string;
  column: string;
  count: number;
  sampleKey?: string;
  note?: string;
  kind?: string;
}

export interface MetastoreSummary {
  hiveVersion: string | null;
  schemaVersionRestored: string | null;
  bytesIn: number | null;
  bytesOut: number | null;
  sha256: string | null;
  remoteSha256: string | null;
  remoteBytes: number | null;
  stagedPath: string | null;
  /** How the metastore travelled: `staged dump file`, or `parallel: 2 workers, 74 table streams, snapshot …`. */
  transfer: string | null;
  dumpDurationMs: number | null;
  /** `TABLE.COLUMN` → values rewritten, sorted by table.column. */
  rewrites: Array<{ table: string; column: string; count: number }>;
  totalRewrites: number;
  rowsPerTable: Array<{ table: string; rows: number }>;
  totalRows: number;
  leftAlone: LeftAloneEntry[];
  stagingDatabase: string | null;
  liveDatabase: string | null;
  previousDatabase: string | null;
  swappedAt: string | null;
  terminatedSessions: number | null;
}

export interface CopyPathSummary {
  source: string;
  target: string;
  snapshot: string | null;
  previous: string | null;
  /** Decided by snapshot-source. */
  plannedMode: string | null;
  /** What copy-data did (bootstrap, incremental, rdiff-recovered, full-copy, already-done); null when it did not run. */
  mode: string | null;
  takenAt: string | null;
  filesCopied: number | null;
  bytesCopied: number | null;
  /** Bytes the copy engine found already equal on the target (not copied again). */
  bytesSkipped: number | null;
  durationMs: number | null;
  /** Passes of the copy engine over the path (DistCp jobs). */
  passes: number;
  safetySnapshot: string | null;
  pruned: { source: string[]; target: string[] };
}

export interface DataSummary {
  snapshot: string | null;
  paths: CopyPathSummary[];
  filesCopied: number;
  bytesCopied: number;
  copied: boolean;
}

export interface PreflightCheck {
  id: string;
  title: string;
  status: 'pass' | 'warn' | 'fail';
  detail: string;
  hint?: string;
}

export interface WarningEntry {
  /** Step that raised it, null for run-level events. */
  step: string | null;
  severity: 'warn' | 'error';
  /** Where it was found: an events.ndjson event name, `output`, `left-alone`, `preflight`. */
  source: string;
  message: string;
  time: string | null;
}

export interface FailureSummary {
  step: string;
  status: StepStatus;
  code: string;
  message: string;
  hint: string | null;
  stderrTail: string | null;
}

export interface RunSummary {
  version: typeof SUMMARY_VERSION;
  generatedAt: string;
  runId: string;
  mode: string;
  host: string | null;
  configFile: string | null;
  outcome: Outcome;
  exitCode: number;
  headline: string;
  startedAt: string;
  /** state.finishedAt: set by the engine when it ran to the end; null otherwise. */
  finishedAt: string | null;
  /** The run's end used for RPO and the timeline: finishedAt, else the latest step time recorded. */
  endedAt: string;
  elapsedMs: number;
  /** Sum of the step durations (excludes waiting between a failure and a resume). */
  activeMs: number;
  steps: StepSummary[];
  failure: FailureSummary | null;
  ladder: RungSummary[];
  rpo: RpoSummary;
  rto: RtoSummary;
  metastore: MetastoreSummary | null;
  data: DataSummary | null;
  preflight: PreflightCheck[] | null;
  /** verify-live's perDatabase figures, passed through as recorded. */
  perDatabase: unknown;
  warnings: WarningEntry[];
  resumeCommand: string;
  rollbackCommand: string;
  next: string[];
}

// ---------------------------------------------------------------- tolerant readers

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === 'string');
const ms = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};
const diff = (later: string | null, earlier: string | null): number | null => {
  const a = ms(later);
  const b = ms(earlier);
  return a === null || b === null ? null : a - b;
};

function readJson(path: string): unknown {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export interface RunEvent extends Obj {
  event?: string;
  level?: string | number;
  time?: string;
  step?: string;
}

/** events.ndjson lines; malformed lines (a torn last line after a crash) are ignored. */
export function readEvents(runDir: string): RunEvent[] {
  const path = join(runDir, 'events.ndjson');
  if (!existsSync(path)) return [];
  const out: RunEvent[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (isObj(value)) out.push(value as RunEvent);
    } catch {
      // torn line
    }
  }
  return out;
}

/** pino levels: labels (our formatter) or numbers (40 warn, 50 error, 60 fatal). */
function severityOf(level: unknown): 'warn' | 'error' | null {
  if (level === 'warn' || level === 40) return 'warn';
  if (level === 'error' || level === 'fatal' || level === 50 || level === 60) return 'error';
  return null;
}

// ---------------------------------------------------------------- build

export interface BuildOptions {
  /** The clock (tests). */
  now?: Date;
}

/** Read `runs/<run-id>/` and build the summary. Throws only when state.json is missing or unreadable. */
export function buildRunSummary(runDir: string, options: BuildOptions = {}): RunSummary {
  const statePath = join(runDir, 'state.json');
  const raw = readJson(statePath);
  if (!isObj(raw) || typeof raw['runId'] !== 'string') throw new Error(`cannot read the run state ${statePath}`);
  const state = raw as unknown as RunState;
  const events = readEvents(runDir);
  const now = options.now ?? new Date();
  return summarize(state, events, (name) => readJson(join(runDir, name)), now);
}

/** The pure part: from a run state, its events and a reader of the run's JSON files. */
export function summarize(state: RunState, events: RunEvent[], readRunFile: (name: string) => unknown, now: Date): RunSummary {
  const order = state.order?.length ? state.order : Object.keys(state.steps ?? {});
  const records: Record<string, StepRecord | undefined> = state.steps ?? {};
  /** A step's output, or the JSON file it writes before it throws (verify-staging.json, ...). */
  const outputOf = (id: string): Obj | undefined => {
    const out = records[id]?.output;
    if (isObj(out)) return out;
    const file = readRunFile(`${id}.json`);
    return isObj(file) ? file : undefined;
  };

  const startedAt = state.createdAt;
  const startMs = ms(startedAt) ?? now.getTime();
  const times: number[] = [];
  for (const id of order) {
    for (const t of [records[id]?.startedAt, records[id]?.finishedAt]) {
      const v = ms(t);
      if (v !== null) times.push(v);
    }
  }
  const finishedAt = state.finishedAt ?? null;
  const endMs = ms(finishedAt) ?? (times.length > 0 ? Math.max(...times) : (ms(state.updatedAt) ?? startMs));
  const endedAt = new Date(endMs).toISOString();

  const steps: StepSummary[] = order.map((id) => stepSummary(id, records[id], startMs));
  const failure = findFailure(steps);
  const ladder = buildLadder(order, outputOf, steps);
  const outcome = decideOutcome(steps, ladder);
  const resumeCommand = `hmsdr resume ${state.runId}${state.configFile ? ` --config ${state.configFile}` : ''}`;
  const rollbackCommand = `hmsdr rollback ${state.runId}${state.configFile ? ` --config ${state.configFile}` : ''}`;

  const dump = outputOf('dump-metastore');
  const snap = outputOf('snapshot-source');
  const swapped = records['swap-metastore']?.status === 'done';
  const rpo = buildRpo(dump, snap, records['snapshot-source'], endedAt, swapped);
  const rto = buildRto(startedAt, records, endedAt);
  const metastore = buildMetastore(dump, outputOf('restore-staging'), outputOf('verify-staging'), outputOf('swap-metastore'), readRunFile('rewrite-report.json'));
  const data = buildData(snap, outputOf('copy-data'));
  const preflight = buildPreflight(outputOf('preflight'));
  const warnings = collectWarnings(order, outputOf, metastore, preflight, events);

  const summary: RunSummary = {
    version: SUMMARY_VERSION,
    generatedAt: now.toISOString(),
    runId: state.runId,
    mode: state.mode ?? 'run',
    host: state.host ?? null,
    configFile: state.configFile ?? null,
    outcome,
    exitCode: OUTCOME_EXIT_CODES[outcome],
    headline: '',
    startedAt,
    finishedAt,
    endedAt,
    elapsedMs: endMs - startMs,
    activeMs: steps.reduce((n, s) => n + (s.durationMs ?? 0), 0),
    steps,
    failure,
    ladder,
    rpo,
    rto,
    metastore,
    data,
    preflight,
    perDatabase: outputOf('verify-live')?.['perDatabase'] ?? null,
    warnings,
    resumeCommand,
    rollbackCommand,
    next: [],
  };
  summary.headline = headlineOf(summary);
  summary.next = nextSteps(summary);
  return summary;
}

function stepSummary(id: string, record: StepRecord | undefined, startMs: number): StepSummary {
  const r = record ?? { status: 'pending' as const, attempts: 0 };
  const startedAt = r.startedAt ?? null;
  const finishedAt = r.finishedAt ?? null;
  const durationMs = startedAt && finishedAt ? diff(finishedAt, startedAt) : null;
  const startedMs = ms(startedAt);
  const error = r.error && typeof r.error.message === 'string'
    ? { code: r.error.code ?? 'E_UNKNOWN', message: r.error.message, ...(r.error.hint ? { hint: r.error.hint } : {}), ...(r.error.stderrTail ? { stderrTail: r.error.stderrTail } : {}) }
    : null;
  return {
    id,
    label: STEP_LABELS[id] ?? id,
    status: r.status,
    attempts: r.attempts ?? 0,
    via: r.via ?? null,
    reason: r.reason ?? null,
    startedAt,
    finishedAt,
    durationMs: durationMs !== null && durationMs >= 0 ? durationMs : null,
    offsetMs: startedMs === null ? null : Math.max(0, startedMs - startMs),
    blocked: r.status === 'pending' && error !== null,
    error,
  };
}

function findFailure(steps: StepSummary[]): FailureSummary | null {
  const s = steps.find((x) => x.status === 'failed' || x.status === 'interrupted' || x.blocked)
    ?? steps.find((x) => x.status === 'running' && x.id !== 'report');
  if (!s) return null;
  const error = s.error ?? (s.status === 'interrupted'
    ? { code: 'E_INTERRUPTED', message: `interrupted during ${s.id}` }
    : s.status === 'running'
      ? { code: 'E_INCOMPLETE', message: `${s.id} was still running when the run's process stopped (killed or crashed)` }
      : { code: 'E_UNKNOWN', message: `${s.id} ${s.status}` });
  return { step: s.id, status: s.status, code: error.code, message: error.message, hint: error.hint ?? null, stderrTail: error.stderrTail ?? null };
}

/**
 * Outcome, most serious first: interrupted › verification-failed (a step failed with E_VERIFY, or a
 * rung L1–L6 recorded a failure) › failed-step › blocked (a precondition stopped a step before it changed
 * anything) › incomplete (steps still pending or running) › ok. The `report` step counts as done
 * while it is the one writing the report.
 */
function decideOutcome(steps: StepSummary[], ladder: RungSummary[]): Outcome {
  if (steps.some((s) => s.status === 'interrupted')) return 'interrupted';
  // L0 is preflight: its failure is a precondition (blocked / failed step), not a verification result.
  if (steps.some((s) => s.status === 'failed' && s.error?.code === 'E_VERIFY') || ladder.some((r) => r.rung !== 'L0' && r.status === 'failed')) return 'verification-failed';
  if (steps.some((s) => s.status === 'failed')) return 'failed-step';
  if (steps.some((s) => s.blocked)) return 'blocked';
  const open = steps.filter((s) => s.status !== 'done' && s.status !== 'skipped');
  const last = steps.at(-1);
  const onlyReportOpen = open.length === 1 && open[0]?.id === 'report' && last?.id === 'report';
  if (open.length > 0 && !onlyReportOpen) return 'incomplete';
  return 'ok';
}

// ---------------------------------------------------------------- ladder

function rungChecks(stepId: string, output: Obj | undefined): Array<{ rung: Rung } & RungCheck> {
  const out: Array<{ rung: Rung } & RungCheck> = [];
  for (const item of arr(output?.['rungs'])) {
    if (!isObj(item)) continue;
    const rung = item['rung'];
    if (typeof rung !== 'string' || !(RUNGS as readonly string[]).includes(rung)) continue;
    const skipped = item['skipped'] === true || item['status'] === 'skipped';
    out.push({
      rung: rung as Rung,
      by: str(item['by']) ?? stepId,
      ok: item['ok'] === true,
      skipped,
      detail: str(item['detail']) ?? '',
      differences: strings(item['differences']),
    });
  }
  return out;
}

/** L0 from preflight's checks when no step recorded an L0 rung itself. */
function preflightRung(output: Obj | undefined, record: StepSummary | undefined): RungCheck | undefined {
  const checks = arr(output?.['checks']).filter(isObj);
  if (checks.length > 0) {
    const count = (status: string): number => checks.filter((c) => c['status'] === status).length;
    const failed = checks.filter((c) => c['status'] === 'fail');
    return {
      by: 'preflight',
      ok: failed.length === 0,
      skipped: false,
      detail: `${checks.length} checks: ${count('pass')} pass, ${count('warn')} warn, ${count('fail')} fail`,
      differences: failed.map((c) => `${str(c['title']) ?? str(c['id']) ?? 'check'}: ${str(c['detail']) ?? 'failed'}`),
    };
  }
  if (record && (record.status === 'failed' || record.blocked) && record.error) {
    return { by: 'preflight', ok: false, skipped: false, detail: record.error.message, differences: [record.error.message] };
  }
  if (record?.status === 'done') return { by: 'preflight', ok: true, skipped: false, detail: record.reason ?? 'preflight passed', differences: [] };
  if (record?.status === 'skipped') return { by: 'preflight', ok: false, skipped: true, detail: 'skipped by the operator', differences: [] };
  return undefined;
}

function buildLadder(order: string[], outputOf: (id: string) => Obj | undefined, steps: StepSummary[]): RungSummary[] {
  const all: Array<{ rung: Rung } & RungCheck> = [];
  for (const id of order) all.push(...rungChecks(id, outputOf(id)));
  if (!all.some((c) => c.rung === 'L0')) {
    const l0 = preflightRung(outputOf('preflight'), steps.find((s) => s.id === 'preflight'));
    if (l0) all.unshift({ rung: 'L0', ...l0 });
  }
  const stoppedAt = steps.find((s) => s.status === 'failed' || s.status === 'interrupted' || s.blocked || (s.status === 'running' && s.id !== 'report'));
  return RUNGS.map((rung): RungSummary => {
    const checks = all.filter((c) => c.rung === rung).map(({ rung: _r, ...c }) => c);
    const ran = checks.filter((c) => !c.skipped);
    const failed = ran.filter((c) => !c.ok);
    const status: RungStatus = ran.length === 0 ? (checks.length > 0 ? 'skipped' : 'not-run') : failed.length > 0 ? 'failed' : 'passed';
    const detail =
      status === 'not-run'
        ? stoppedAt ? `not checked: the run stopped at ${stoppedAt.id}` : 'not checked in this run'
        : checks.map((c) => (checks.length > 1 ? `${c.by}: ${c.detail}` : c.detail)).join('; ');
    return {
      rung,
      name: RUNG_NAMES[rung],
      status,
      ran: ran.length > 0,
      passed: status === 'passed',
      by: [...new Set(checks.map((c) => c.by))],
      detail,
      differences: checks.flatMap((c) => c.differences),
      checks,
    };
  });
}

// ---------------------------------------------------------------- RPO / RTO

function buildRpo(dump: Obj | undefined, snap: Obj | undefined, snapRecord: StepRecord | undefined, endedAt: string, applied: boolean): RpoSummary {
  const t0 = str(dump?.['t0']);
  const t1PerPath: PathT1[] = arr(snap?.['paths']).filter(isObj).map((p) => ({
    source: str(p['source']) ?? '?',
    target: str(p['target']) ?? str(p['source']) ?? '?',
    snapshot: str(p['snapshot']) ?? str(snap?.['snapshot']) ?? '?',
    takenAt: str(p['takenAt']),
  }));
  const taken = t1PerPath.map((p) => ms(p.takenAt)).filter((t): t is number => t !== null);
  let t1: string | null = null;
  let t1Source: RpoSummary['t1Source'] = null;
  if (taken.length > 0) {
    t1 = new Date(Math.min(...taken)).toISOString();
    t1Source = 'snapshot';
  } else if (snapRecord?.status === 'done' && snapRecord.startedAt) {
    t1 = snapRecord.startedAt;
    t1Source = 'step-start';
  }
  const metadataMs = diff(endedAt, t0);
  const dataMs = diff(endedAt, t1);
  const known = [metadataMs, dataMs].filter((x): x is number => x !== null);
  const windowMs = diff(t1, t0);
  const notes: string[] = [];
  if (t0 === null) notes.push('T0 not recorded: dump-metastore did not complete, so this run measured no recovery point');
  else if (!applied) notes.push('this run\'s recovery point did not go live: the run stopped before swap-metastore, so DR still serves the previous one');
  if (t0 !== null && t1 === null) notes.push('T1 not recorded (no data snapshot): the data side of the RPO is unknown');
  if (windowMs !== null && windowMs < 0) notes.push('T1 is before T0: the metastore may point at data the DR copy does not have');
  if (t1Source === 'step-start') notes.push('T1 approximated by the start of snapshot-source (the snapshots carry no creation time)');
  return {
    t0,
    t1,
    t1Source,
    t1PerPath,
    endedAt,
    metadataMs,
    dataMs,
    rpoMs: known.length > 0 ? Math.max(...known) : null,
    windowMs,
    orderOk: windowMs === null ? null : windowMs >= 0,
    applied,
    note: notes.join('; ') || 'RPO = run end − T0 (the metastore snapshot, the older of the two recovery points)',
  };
}

function buildRto(startedAt: string, records: Record<string, StepRecord | undefined>, endedAt: string): RtoSummary {
  const start = records['start-hive'];
  const reached = start?.status === 'done' && typeof start.finishedAt === 'string';
  const hiveStartedAt = reached ? (start.finishedAt ?? null) : null;
  const stop = records['stop-hive'];
  const stopFrom = stop?.startedAt ?? (stop?.status === 'done' ? stop.finishedAt : undefined) ?? null;
  const downtimeMs = stopFrom ? diff(hiveStartedAt ?? endedAt, stopFrom) : null;
  return {
    startedAt,
    hiveStartedAt,
    reached,
    rtoMs: reached ? diff(hiveStartedAt, startedAt) : null,
    downtimeMs: downtimeMs !== null && downtimeMs >= 0 ? downtimeMs : null,
    note: reached
      ? 'RTO = Hive started on DR (start-hive finished) − run start'
      : stopFrom
        ? 'not reached: Hive was stopped on DR and not started again by this run'
        : 'not reached: the run did not get as far as starting Hive on DR',
  };
}

// ---------------------------------------------------------------- metastore, data, preflight

function splitColumn(key: string): { table: string; column: string } {
  const at = key.lastIndexOf('.');
  return at < 0 ? { table: key, column: '' } : { table: key.slice(0, at), column: key.slice(at + 1) };
}

function buildMetastore(dump: Obj | undefined, restore: Obj | undefined, verify: Obj | undefined, swap: Obj | undefined, rewriteFile: unknown): MetastoreSummary | null {
  const report = dump ?? (isObj(rewriteFile) ? rewriteFile : undefined);
  if (!report && !restore && !swap) return null;
  const rewritesObj = isObj(report?.['rewritesPerColumn']) ? (report['rewritesPerColumn'] as Obj) : {};
  const rows = isObj(report?.['rowsPerTable']) ? (report['rowsPerTable'] as Obj) : {};
  const rewrites = Object.entries(rewritesObj)
    .map(([key, n]) => ({ ...splitColumn(key), count: num(n) ?? 0 }))
    .sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));
  const rowsPerTable = Object.entries(rows).map(([table, n]) => ({ table, rows: num(n) ?? 0 })).sort((a, b) => a.table.localeCompare(b.table));
  const leftAlone: LeftAloneEntry[] = arr(report?.['leftAlone']).filter(isObj).map((l) => ({
    table: str(l['table']) ?? '?',
    column: str(l['column']) ?? '?',
    count: num(l['count']) ?? 0,
    ...(str(l['sampleKey']) ? { sampleKey: str(l['sampleKey']) as string } : {}),
    ...(str(l['note']) ? { note: str(l['note']) as string } : {}),
    ...(str(l['kind']) ? { kind: str(l['kind']) as string } : {}),
  }));
  return {
    hiveVersion: str(report?.['hiveVersion']),
    schemaVersionRestored: str(verify?.['schemaVersion']),
    bytesIn: num(report?.['bytesIn']),
    bytesOut: num(report?.['bytesOut']),
    sha256: str(dump?.['sha256']),
    remoteSha256: str(dump?.['remoteSha256']),
    remoteBytes: num(dump?.['remoteBytes']),
    stagedPath: str(dump?.['stagedPath']),
    transfer: transferText(dump),
    dumpDurationMs: num(dump?.['durationMs']),
    rewrites,
    totalRewrites: rewrites.reduce((n, r) => n + r.count, 0),
    rowsPerTable,
    totalRows: rowsPerTable.reduce((n, r) => n + r.rows, 0),
    leftAlone,
    stagingDatabase: str(restore?.['database']) ?? str(verify?.['database']),
    liveDatabase: str(swap?.['live']),
    previousDatabase: str(swap?.['previous']),
    swappedAt: str(swap?.['swappedAt']),
    terminatedSessions: num(swap?.['terminatedSessions']),
  };
}

function transferText(dump: Obj | undefined): string | null {
  if (!dump) return null;
  if (dump['transfer'] !== 'parallel') return 'staged dump file, restored by psql in one transaction';
  return `parallel: ${num(dump['workers']) ?? '?'} workers, ${arr(dump['tables']).length} table streams, snapshot ${str(dump['snapshot']) ?? '?'}`;
}

function buildData(snap: Obj | undefined, copy: Obj | undefined): DataSummary | null {
  if (!snap && !copy) return null;
  const planned = arr(snap?.['paths']).filter(isObj);
  const copied = arr(copy?.['paths']).filter(isObj);
  const key = (p: Obj): string => `${str(p['source']) ?? ''}\u0000${str(p['target']) ?? ''}`;
  const byKey = new Map(copied.map((p) => [key(p), p]));
  const rows: CopyPathSummary[] = [];
  const pruned = (p: Obj | undefined): { source: string[]; target: string[] } => {
    const v = isObj(p?.['pruned']) ? (p['pruned'] as Obj) : {};
    return { source: strings(v['source']), target: strings(v['target']) };
  };
  const row = (plan: Obj | undefined, done: Obj | undefined): CopyPathSummary => ({
    source: str(done?.['source']) ?? str(plan?.['source']) ?? '?',
    target: str(done?.['target']) ?? str(plan?.['target']) ?? '?',
    snapshot: str(done?.['snapshot']) ?? str(plan?.['snapshot']) ?? str(snap?.['snapshot']),
    previous: str(done?.['previous']) ?? str(plan?.['previous']),
    plannedMode: str(plan?.['mode']),
    mode: str(done?.['mode']),
    takenAt: str(plan?.['takenAt']),
    filesCopied: num(done?.['filesCopied']),
    bytesCopied: num(done?.['bytesCopied']),
    bytesSkipped: num(done?.['bytesSkipped']),
    durationMs: num(done?.['durationMs']),
    passes: arr(done?.['passes'] ?? done?.['distcpRuns']).length, // distcpRuns: outputs recorded before copy engines
    safetySnapshot: str(done?.['safetySnapshot']),
    pruned: pruned(done),
  });
  for (const plan of planned) {
    rows.push(row(plan, byKey.get(key(plan))));
    byKey.delete(key(plan));
  }
  for (const done of byKey.values()) rows.push(row(undefined, done));
  return {
    snapshot: str(copy?.['snapshot']) ?? str(snap?.['snapshot']),
    paths: rows,
    filesCopied: rows.reduce((n, r) => n + (r.filesCopied ?? 0), 0),
    bytesCopied: rows.reduce((n, r) => n + (r.bytesCopied ?? 0), 0),
    copied: copy !== undefined,
  };
}

function buildPreflight(output: Obj | undefined): PreflightCheck[] | null {
  const checks = arr(output?.['checks']).filter(isObj);
  if (checks.length === 0) return null;
  return checks.map((c) => {
    const status = c['status'] === 'fail' || c['status'] === 'warn' ? c['status'] : 'pass';
    return { id: str(c['id']) ?? '?', title: str(c['title']) ?? str(c['id']) ?? '?', status, detail: str(c['detail']) ?? '', ...(str(c['hint']) ? { hint: str(c['hint']) as string } : {}) };
  });
}

// ---------------------------------------------------------------- warnings

/** Event names represented elsewhere in the report (the failing step's error). */
const EVENTS_SHOWN_ELSEWHERE = new Set(['step-fail', 'step-blocked']);
const EVENT_META = new Set(['event', 'level', 'time', 'pid', 'hostname', 'step', 'msg', 'v']);

export function leftAloneMessage(l: { table?: unknown; column?: unknown; count?: unknown; sampleKey?: unknown; note?: unknown; kind?: unknown }): string {
  const what = l.kind === 'unreadable' ? 'value(s) could not be read' : 'value(s) still hold an old authority';
  const parts = [`${String(l.table)}.${String(l.column)}: ${String(l.count)} ${what}`];
  if (typeof l.sampleKey === 'string' && l.sampleKey) parts.push(`first row ${l.sampleKey}`);
  if (typeof l.note === 'string' && l.note) parts.push(l.note);
  return parts.join(' — ');
}

function eventMessage(e: RunEvent): string {
  if (typeof e['warning'] === 'string') return e['warning'];
  if (e.event === 'old-authority-left-alone' && 'table' in e) return leftAloneMessage({ table: e['table'], column: e['column'], count: e['count'], sampleKey: e['sampleKey'], note: e['note'], kind: e['kind'] });
  if (typeof e['message'] === 'string') return e['message'];
  const fields = Object.entries(e).filter(([k]) => !EVENT_META.has(k));
  const rendered = fields.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
  return rendered.length > 600 ? `${rendered.slice(0, 600)}…` : rendered;
}

function collectWarnings(order: string[], outputOf: (id: string) => Obj | undefined, metastore: MetastoreSummary | null, preflight: PreflightCheck[] | null, events: RunEvent[]): WarningEntry[] {
  const out: WarningEntry[] = [];
  const seen = new Set<string>();
  const add = (w: WarningEntry): void => {
    const k = `${w.step ?? ''}\u0000${w.message}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push(w);
  };
  for (const check of preflight ?? []) {
    if (check.status === 'warn') add({ step: 'preflight', severity: 'warn', source: 'preflight', message: `${check.title}: ${check.detail}${check.hint ? ` (hint: ${check.hint})` : ''}`, time: null });
  }
  for (const l of metastore?.leftAlone ?? []) add({ step: 'dump-metastore', severity: 'warn', source: 'left-alone', message: leftAloneMessage(l), time: null });
  for (const id of order) {
    for (const w of strings(outputOf(id)?.['warnings'])) add({ step: id, severity: 'warn', source: 'output', message: w, time: null });
  }
  for (const e of events) {
    const severity = severityOf(e.level);
    if (!severity || (e.event && EVENTS_SHOWN_ELSEWHERE.has(e.event))) continue;
    add({ step: typeof e.step === 'string' ? e.step : null, severity, source: e.event ?? 'event', message: eventMessage(e), time: typeof e.time === 'string' ? e.time : null });
  }
  return out;
}

// ---------------------------------------------------------------- words

export function formatMs(value: number | null): string {
  if (value === null) return '—';
  const v = Math.max(0, value);
  if (v < 1000) return `${Math.round(v)} ms`;
  const s = v / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const totalS = Math.round(s);
  const m = Math.floor(totalS / 60);
  if (m < 60) return `${m} min ${totalS % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

function headlineOf(s: RunSummary): string {
  const passed = s.ladder.filter((r) => r.status === 'passed').map((r) => r.rung);
  const f = s.failure;
  switch (s.outcome) {
    case 'ok':
      return `Run ${s.runId} completed: every step done${passed.length > 0 ? `, rungs ${passed.join(' ')} passed` : ''}; RPO ${formatMs(s.rpo.rpoMs)}, RTO ${s.rto.reached ? formatMs(s.rto.rtoMs) : 'not reached'}.`;
    case 'verification-failed': {
      const failed = s.ladder.filter((r) => r.status === 'failed').map((r) => r.rung);
      return `Run ${s.runId}: verification failed${failed.length > 0 ? ` (${failed.join(', ')})` : ''}${f ? ` at ${f.step}` : ''}; the result is not trusted.`;
    }
    case 'failed-step':
      return `Run ${s.runId} failed at ${f?.step ?? '?'}: ${f?.message ?? 'no message recorded'}`;
    case 'blocked':
      return `Run ${s.runId} was blocked at ${f?.step ?? '?'} before changing anything there: ${f?.message ?? ''}`;
    case 'interrupted':
      return `Run ${s.runId} was interrupted during ${f?.step ?? '?'}.`;
    case 'incomplete': {
      const open = s.steps.filter((x) => x.status !== 'done' && x.status !== 'skipped' && x.id !== 'report').map((x) => x.id);
      return `Run ${s.runId} is incomplete: ${open.length} step(s) not done (${open.join(', ')}).`;
    }
  }
}

function nextSteps(s: RunSummary): string[] {
  const out: string[] = [];
  const f = s.failure;
  const swapped = s.steps.find((x) => x.id === 'swap-metastore')?.status === 'done';
  switch (s.outcome) {
    case 'ok':
      out.push('Nothing to do: DR serves this run\'s metastore' + (s.rpo.t0 ? ` as of T0 ${s.rpo.t0}` : '') + '.');
      if (s.metastore?.previousDatabase) out.push(`The previous DR metastore is kept as ${s.metastore.previousDatabase}; \`${s.rollbackCommand}\` puts it back.`);
      break;
    case 'verification-failed': {
      const failed = s.ladder.filter((r) => r.status === 'failed');
      out.push(`Read the differences of ${failed.map((r) => `${r.rung} (${r.name})`).join(', ') || 'the failing step'} below: the result of this run is not trusted.`);
      if (f?.hint) out.push(f.hint);
      out.push(swapped ? `The new metastore is already live on DR: if it is wrong, stop Hive and run \`${s.rollbackCommand}\`.` : 'Nothing live changed on DR: the staging database is kept for inspection. Fix the cause and start a new run.');
      break;
    }
    case 'failed-step':
    case 'blocked':
    case 'interrupted':
    case 'incomplete':
      if (f) {
        out.push(`${s.outcome === 'blocked' ? 'Blocked' : s.outcome === 'interrupted' ? 'Interrupted' : s.outcome === 'incomplete' ? 'Stopped' : 'Failed'} at ${f.step} (${f.code}): ${f.message}`);
        if (f.hint) out.push(f.hint);
      }
      if (swapped && s.outcome !== 'incomplete') out.push(`The new metastore is already live on DR; \`${s.rollbackCommand}\` puts the previous one back if needed.`);
      out.push(`Continue the run with: \`${s.resumeCommand}\``);
      break;
  }
  return out;
}
