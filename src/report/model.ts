// The machine-readable model of a run (runs/<run-id>/summary.json): types only, plus the titles the
// caller hands in. The schema is documented in docs/reports.md; bump SUMMARY_VERSION on incompatible changes.
import type { StepStatus } from '../runbook/ledger.js';
import type { Rung } from '../verify/ladder.js';

export const SUMMARY_VERSION = 1 as const;

/** Each step's operator-facing title by id, from the Step objects of the runbook that ran (unknown ids show as they are). */
export type StepTitles = Readonly<Record<string, string>>;

export const titlesOf = (steps: ReadonlyArray<{ readonly id: string; readonly title: string }>): StepTitles =>
  Object.fromEntries(steps.map((s) => [s.id, s.title]));

export type Outcome = 'ok' | 'failed-step' | 'verification-failed' | 'blocked' | 'interrupted' | 'incomplete';

export interface StepError {
  code: string;
  message: string;
  hint?: string;
  stderrTail?: string;
}

export interface StepSummary {
  id: string;
  /** The step's title (its id when the caller did not say). */
  label: string;
  status: StepStatus;
  attempts: number;
  /** How it became done: ran, found done by its probe, or skipped by the operator. */
  via: 'run' | 'probe' | 'operator' | null;
  reason: string | null;
  /** Time its probe took (read-only checks before it ran), over all attempts; null before this was recorded. */
  probeMs: number | null;
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
  /** Bytes DistCp found already equal on the target (-update). */
  bytesSkipped: number | null;
  /** The copy engine's counters (absent in summaries written before they were kept; null when the engine does not say). */
  filesExpected?: number | null;
  filesSkipped?: number | null;
  filesFailed?: number | null;
  filesDeleted?: number | null;
  durationMs: number | null;
  /** Passes of the copy engine over the path (DistCp jobs). */
  passes: number;
  safetySnapshot: string | null;
  pruned: { source: string[]; target: string[] };
  /** Engine specifics, when the engine gives them (Cloudera Manager: schedule, command id, job, throughput). */
  detail?: string;
  /** Files on DR added on the source after T1 (engines that copy the live source). */
  newerThanT1?: number;
  /** Why the path was copied in full (a copy policy or the exclusions changed, files failed last time). */
  fullCopyReason?: string;
  /** Files the engine went on past (DistCp -i, abortOnError false): the copy ended "copied with failures". */
  failedFiles?: string[];
  /** An earlier attempt of the run copied the path; the figures are that attempt's. */
  earlierAttempt?: boolean;
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
  /** Step that raised it first, null for run-level events. */
  step: string | null;
  /** Every step that saw the same fact, in run order of first sight (empty for run-level events). */
  steps: string[];
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
  /** sha256 of the normalised config the run used (state.json configHash): reports show it with the file's name only. */
  configSha256: string | null;
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
