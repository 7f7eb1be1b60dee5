// What each step records in the ledger, by step id: its output type and the zod schema it is checked
// against when read back (from state.json on resume, or by the report). A ledger written by another
// version of hmsdr then fails with a message naming the file and the field, not with `undefined`.
// Schemas check the facts readers use and accept extra ones: steps may record more than is checked.
// Only types are imported from the step modules, so the report can use this module without them.
import { z } from 'zod';
import { PreconditionError } from '../errors/errors.js';
import type { StepContext } from './step.js';
import { describeIssues } from '../util/zod-issues.js';
import type { Rung, RungResult } from '../verify/ladder.js';
import type { MetastoreInspection } from '../verify/metastore/inspect.js';
import type { CopyDataOutput } from './copy-data.js';
import type { DumpOutput } from './dump-metastore.js';
import type { PreflightOutput } from './preflight.js';
import type { RollbackOutput } from './rollback-metastore.js';
import type { SnapshotSourceOutput } from './snapshot-source.js';
import type { SwapOutput } from './swap-metastore.js';
import { ONE_SHOT } from '../util/one-shot-parse.js';

// Outputs of the steps that read this registry themselves (defined here, so the registry imports no step that imports it).
export interface RestoreOutput extends Record<string, unknown> {
  database: string;
  owner: string;
  restoredFrom: string;
  sha256: string;
  durationMs: number;
  /** psql, or the parallel transfer's parts (pre-data, COPY workers, post-data): 0 each. */
  exitStatus: Record<string, number>;
}

export interface VerifyLiveOutput extends Record<string, unknown> {
  database: string;
  rungs: RungResult[];
  warnings: string[];
  /** Per Hive database: tables by type and partitions, as live now. */
  perDatabase: MetastoreInspection['databases'];
}

export interface VerifyStagingOutput extends Record<string, unknown> {
  database: string;
  schemaVersion: string;
  rungs: RungResult[];
  /** Old authorities the rewriter left alone on purpose (parameter keys not configured, event history). */
  warnings: string[];
  tables: number;
  rows: number;
  /** The run's manifest (written once the checks hold): run-directory file, staged copy, seal. */
  manifest?: { file: string; stagedOn: string; sha256: string };
}

/** The report step's output (defined here: the report reads this module, and the report step imports the report). */
export interface ReportOutput extends Record<string, unknown> {
  summary: string;
  markdown: string;
  html: string;
  prunedDumps: string[];
  /** Run directories removed by retention.runs. */
  prunedRuns?: string[];
  /** runsDir/last-success.json, when verify-live passed (docs/monitoring.md). */
  lastSuccess?: string;
  /** `_HMSDR_SUCCESS` markers written on DR HDFS (freshness.hdfsMarker). */
  markers?: string[];
  /** The Prometheus textfile (metrics.textfile). */
  metrics?: string;
  /** Freshness or metrics files that could not be written: the DR side is complete all the same. */
  warnings?: string[];
}

const str = z.string();
const num = z.number();
const strings = z.array(z.string());
const counts = z.record(z.string(), z.number());
// z.object accepts keys it does not name (it leaves them out of its parse result, which is not used:
// the value is returned as recorded), so steps may record more than their schema checks.
const obj = z.object;

const RUNG_IDS = ['L0', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6'] as const satisfies readonly Rung[];
/** A rung as steps record it (`RungResult`); `skipped` (or `status: 'skipped'`) marks a check switched off. */
export const rungResultSchema = obj({
  rung: z.enum(RUNG_IDS),
  ok: z.boolean(),
  by: str,
  detail: str,
  differences: strings.optional(),
  skipped: z.boolean().optional(),
  status: str.optional(),
});

const preflight = obj({
  checks: z.array(obj({ id: str, title: str, status: z.enum(['pass', 'warn', 'fail']), detail: str, hint: str.optional() })),
});

export const leftAloneSchema = obj({
  table: str,
  column: str,
  count: num,
  sampleKey: str.optional(),
  note: str.optional(),
  kind: z.enum(['occurrences', 'unreadable']).optional(),
});
const dumpEvidence = {
  t0: str,
  finishedAt: str,
  durationMs: num,
  bytesIn: num,
  bytesOut: num,
  sha256: str,
  hiveVersion: str.nullable(),
  rowsPerTable: counts,
  rewritesPerColumn: counts,
  leftAlone: z.array(leftAloneSchema),
};
const stagedDump = obj({
  ...dumpEvidence,
  transfer: z.enum(['staged', 'streamed']).optional(),
  stagedPath: str,
  stagedOn: str,
  remoteSha256: str,
  remoteBytes: num,
  exitStatus: obj({ pg_dump: num, rewriter: z.literal('ok'), upload: num, psql: num.optional() }),
});
const parallelDump = obj({
  ...dumpEvidence,
  transfer: z.literal('parallel'),
  database: str,
  snapshot: str,
  workers: num,
  tables: z.array(
    obj({ table: str, parts: num, rowsSource: num, rowsStream: num, rowsRestored: num, bytesIn: num, bytesOut: num, sha256: str }),
  ),
  sequences: num,
  timings: obj({ schemaMs: num, copyMs: num, postDataMs: num }),
  postDataEntries: num,
  exitStatus: obj({ 'pg_dump pre-data': num, 'pg_dump post-data': num, rewriter: z.literal('ok'), workers: num }),
});

const pathSnapshot = obj({
  source: str,
  target: str,
  snapshot: str,
  mode: z.enum(['bootstrap', 'incremental']),
  previous: str.nullable(),
  takenAt: str.nullable(),
});
const copyPass = obj({
  kind: str,
  exitCode: num,
  durationMs: num,
  filesCopied: num,
  bytesCopied: num,
  bytesSkipped: num,
  id: str.optional(),
});
const pathCopy = obj({
  source: str,
  target: str,
  mode: z.enum(['bootstrap', 'incremental', 'rdiff-recovered', 'full-copy', 'already-done']),
  snapshot: str,
  previous: str.nullable(),
  filesCopied: num,
  bytesCopied: num,
  bytesSkipped: num,
  durationMs: num,
  safetySnapshot: str.nullable(),
  // `passes` since copy engines; `distcpRuns` in ledgers recorded before (same shape).
  passes: z.array(copyPass).optional(),
  distcpRuns: z.array(copyPass).optional(),
  filesExpected: num.nullable().optional(),
  bytesExpected: num.nullable().optional(),
  filesSkipped: num.optional(),
  filesFailed: num.optional(),
  filesDeleted: num.nullable().optional(),
  pruned: obj({ source: strings, target: strings }),
  newerThanT1: strings.optional(),
  detail: str.optional(),
  failedFiles: strings.optional(),
  fullCopyReason: str.optional(),
  notes: strings.optional(),
});

const serviceControl = obj({
  controller: str,
  actions: z.array(obj({ service: str, result: str, detail: str })),
  components: z.array(z.record(z.string(), z.unknown())),
});

export const STEP_OUTPUT_SCHEMAS = {
  preflight,
  'dump-metastore': z.union([parallelDump, stagedDump]),
  'snapshot-source': obj({ snapshot: str, paths: z.array(pathSnapshot) }),
  'copy-data': obj({ engine: z.enum(['distcp', 'cloudera-manager']).optional(), snapshot: str, paths: z.array(pathCopy) }),
  'restore-staging': obj({ database: str, owner: str, restoredFrom: str, sha256: str, durationMs: num, exitStatus: counts }),
  'verify-staging': obj({
    database: str,
    schemaVersion: str,
    rungs: z.array(rungResultSchema),
    warnings: strings,
    tables: num,
    rows: num,
    manifest: obj({ file: str, stagedOn: str, sha256: str }).optional(),
  }),
  'stop-hive': serviceControl.extend({ sessionsOn: str.optional(), sessionsLeft: num.optional() }),
  'swap-metastore': obj({
    live: str,
    previous: str.nullable(),
    swappedAt: str,
    terminatedSessions: num,
    prunedPrevious: strings,
    warnings: strings.optional(),
  }),
  'start-hive': serviceControl,
  'verify-live': obj({
    database: str,
    rungs: z.array(rungResultSchema),
    warnings: strings,
    perDatabase: z.record(z.string(), obj({ tablesByType: counts, partitions: num, functions: num })),
  }),
  report: obj({
    summary: str,
    markdown: str,
    html: str,
    prunedDumps: strings,
    lastSuccess: str.optional(),
    markers: strings.optional(),
    metrics: str.optional(),
    warnings: strings.optional(),
  }),
  'rollback-check': obj({
    checked: str,
    // What rollback-data rewinds (absent in ledgers of older versions: nothing).
    data: obj({
      previousRun: str.nullable(),
      locations: num,
      rewind: z.array(obj({ target: str, snapshot: str, missing: num })),
    }).optional(),
  }),
  'rollback-metastore': obj({ rolledBack: str, live: str, restoredMovedTo: str }),
} as const;

/** rewrite-report.json, which dump-metastore leaves in the run directory (the rewriter's report). */
export const rewriteReportSchema = obj({
  hiveVersion: str.nullable().optional(),
  bytesIn: num,
  bytesOut: num,
  rowsPerTable: counts,
  rewritesPerColumn: counts,
  leftAlone: z.array(leftAloneSchema),
});
export type RewriteReportFile = z.infer<typeof rewriteReportSchema>;

/** Facts any step may record, whatever its id: verification rungs and warnings for the report. */
export const stepFactsSchema = obj({ rungs: z.array(rungResultSchema).optional(), warnings: strings.optional() });
export type StepFacts = z.infer<typeof stepFactsSchema>;

export type ServiceControlOutput = z.infer<typeof serviceControl>;
export type StopHiveOutput = z.infer<(typeof STEP_OUTPUT_SCHEMAS)['stop-hive']>;
export type RollbackCheckOutput = z.infer<(typeof STEP_OUTPUT_SCHEMAS)['rollback-check']>;

/** The output type of each canonical step id. */
export interface StepOutputs {
  preflight: PreflightOutput;
  'dump-metastore': DumpOutput;
  'snapshot-source': SnapshotSourceOutput;
  'copy-data': CopyDataOutput;
  'restore-staging': RestoreOutput;
  'verify-staging': VerifyStagingOutput;
  'stop-hive': StopHiveOutput;
  'swap-metastore': SwapOutput;
  'start-hive': ServiceControlOutput;
  'verify-live': VerifyLiveOutput;
  report: ReportOutput;
  'rollback-check': RollbackCheckOutput;
  'rollback-metastore': RollbackOutput;
}

export type StepId = keyof StepOutputs;

// Compile-time: every output a step can write passes its schema (a schema stricter than its type fails here).
type Accepts<K extends StepId> = StepOutputs[K] extends z.input<(typeof STEP_OUTPUT_SCHEMAS)[K]> ? true : never;
const _everyOutputPasses: { [K in StepId]: Accepts<K> } = {
  preflight: true,
  'dump-metastore': true,
  'snapshot-source': true,
  'copy-data': true,
  'restore-staging': true,
  'verify-staging': true,
  'stop-hive': true,
  'swap-metastore': true,
  'start-hive': true,
  'verify-live': true,
  report: true,
  'rollback-check': true,
  'rollback-metastore': true,
};
void _everyOutputPasses;

export const isStepId = (id: string): id is StepId => Object.hasOwn(STEP_OUTPUT_SCHEMAS, id);

const HINT = 'the run was recorded by another version of hmsdr: finish or roll it back with that version, or start a new run';

/** `value` checked as the output of `stepId`; a PreconditionError naming `file` when it is not. */
export function parseStepOutput<K extends StepId>(stepId: K, value: unknown, file: string): StepOutputs[K] {
  const result = STEP_OUTPUT_SCHEMAS[stepId].safeParse(value, ONE_SHOT);
  if (!result.success) {
    throw new PreconditionError(
      `${file}: the output recorded for ${stepId} is not what this version of hmsdr reads (${describeIssues(result.error)})`,
      { hint: HINT },
    );
  }
  // The schema checked every field readers use; the step's own type names the rest it wrote.
  return value as StepOutputs[K];
}

/** The rungs and warnings a step's output carries (any step id). */
export function parseStepFacts(stepId: string, value: unknown, file: string): StepFacts {
  const result = stepFactsSchema.safeParse(value, ONE_SHOT);
  if (!result.success) {
    throw new PreconditionError(
      `${file}: the output recorded for ${stepId} is not what this version of hmsdr reads (${describeIssues(result.error)})`,
      { hint: HINT },
    );
  }
  return result.data;
}

type OutputsView = Pick<StepContext, 'outputs'> & { readonly run?: { readonly dir: string } };

const ledgerFile = (ctx: OutputsView): string => (ctx.run ? `${ctx.run.dir}/state.json` : 'the run state');

/** The recorded output of `stepId`, checked against its schema; undefined when it has not run. */
export function outputOf<K extends StepId>(ctx: OutputsView, stepId: K): StepOutputs[K] | undefined {
  const output = ctx.outputs[stepId];
  return output === undefined ? undefined : parseStepOutput(stepId, output, ledgerFile(ctx));
}

/** The recorded output of `stepId`; blocked (exit 4, nothing changed) when it has not run or is not readable. */
export function requireOutput<K extends StepId>(ctx: OutputsView, stepId: K, by: string): StepOutputs[K] {
  const output = outputOf(ctx, stepId);
  if (!output)
    throw new PreconditionError(`${by} needs the output of ${stepId}, which has not run`, {
      hint: 'resume the run: the missing step runs first',
    });
  return output;
}
