// The data-copy seam: how the copy-data step, `hmsdr plan` and the report see an engine that brings
// the DR copy of every configured path to the source snapshot T1. DistCp (snapshot-diff) is the
// first engine; names here must stay engine-neutral so a second one (Cloudera Manager replication)
// fits without changing the step, the dry run or the report.
import type { HdfsPorts } from '../adapters/hdfs/hdfs.js';
import type { ResolvedConfig } from '../config/load.js';
import type { Action } from '../actions/action.js';
import type { Adapters } from '../adapters/index.js';
import type * as Engine from '../runbook/step.js';
import type { ProbeResult, RunInfo, StepOutput } from '../runbook/step.js';

/** What an engine is handed: the step context with hmsdr's adapters. */
export type StepContext = Engine.StepContext<Adapters>;

/** Engines the config can name (`data.engine`). */
export type CopyEngineId = 'distcp' | 'cloudera-manager';

/**
 * What an engine did for one path: a first full copy (`bootstrap`), a copy of the changes since the
 * previous snapshot (`incremental`), the same after rewinding a modified target (`rdiff-recovered`),
 * a full copy because the incremental one was impossible (`full-copy`), or nothing because the
 * target already holds T1 (`already-done`).
 */
export type CopyMode = 'bootstrap' | 'incremental' | 'rdiff-recovered' | 'full-copy' | 'already-done';

/** One pass of the engine over a path (a DistCp job, a replication run …). */
export interface CopyPass {
  /** Engine-specific kind of pass (DistCp: `full`, `diff`, `rdiff`). */
  kind: string;
  exitCode: number;
  durationMs: number;
  filesCopied: number;
  bytesCopied: number;
  bytesSkipped: number;
  /** The engine's own id of the pass, when it has one (Cloudera Manager: the replication command id). */
  id?: string;
}

/** The typed result of one path; the copy-data output (and the report) read these fields. */
export interface PathCopyResult {
  source: string;
  target: string;
  mode: CopyMode;
  /** T1: the snapshot the target now equals (and holds). */
  snapshot: string;
  /** The snapshot the incremental copy started from (null for a bootstrap). */
  previous: string | null;
  /** Files and bytes the engine set out to copy (null when it does not say). */
  filesExpected: number | null;
  bytesExpected: number | null;
  filesCopied: number;
  bytesCopied: number;
  /** Already equal on the target, not copied again. */
  filesSkipped: number;
  bytesSkipped: number;
  filesFailed: number;
  /** Files removed from the target (null when the engine does not count them). */
  filesDeleted: number | null;
  durationMs: number;
  /** Taken on the target before a rewind, keeps what was found there. */
  safetySnapshot: string | null;
  passes: CopyPass[];
  /** Old hmsdr snapshots deleted by retention. */
  pruned: { source: string[]; target: string[] };
  /** Engines that copy the live source after T1 (Cloudera Manager): target files not in T1 but on the source now. */
  newerThanT1?: string[];
  /** One line of engine specifics for the report (Cloudera Manager: schedule, command, job id, throughput). */
  detail?: string;
  /** Files the engine could not copy but went on past (DistCp -i): the copy ended "copied with failures". */
  failedFiles?: string[];
  /** Why the path was copied in full although an incremental copy was possible (changed copy policy, failed files, deletePolicy keep). */
  fullCopyReason?: string;
  /** What the path's copy options mean for verification (e.g. checksums off at copy time). */
  notes?: string[];
  /** An earlier attempt of this run copied the path (path-records.ts): these are its figures. */
  earlierAttempt?: boolean;
}

/** The copy-data step's output. */
export interface CopyResult extends StepOutput {
  /** Which engine copied (absent in outputs recorded before engines had names: DistCp). */
  engine?: CopyEngineId;
  snapshot: string;
  paths: PathCopyResult[];
}

/** `hmsdr plan`: what a run would copy per path (read-only). */
export interface CopyEstimate {
  source: string;
  target: string;
  mode: 'bootstrap' | 'incremental' | 'blocked';
  previous: string | null;
  /** Files and bytes that would be copied (created or modified since `previous`, or everything). */
  files: number;
  bytes: number;
  changes: { created: number; modified: number; deleted: number; renamed: number };
  /** Blocked: the situation and the manual fix. */
  blocked?: { situation: string; fix: string };
  /** Set when the copy will be a full one although a snapshot diff exists (changed copy policy, failed files, deletePolicy keep). */
  fullCopyReason?: string;
  /** Files and bytes of the source left out by the path's exclusions. */
  excluded?: { files: number; bytes: number };
  /** What the path's copy options mean (warnings such as checksums off at copy time). */
  notes?: string[];
}

/** What estimate() needs: the config, both sides' HDFS, and a run id naming the snapshot a run would take. */
export interface CopyEstimateContext {
  config: ResolvedConfig;
  hdfs: HdfsPorts;
  runId: string;
  signal?: AbortSignal;
}

export interface DataCopyEngine {
  readonly id: CopyEngineId;
  /** Step title: imperative, names the engine. */
  readonly title: string;
  /** Shown when copy-data fails: what may be half done, whether resume is safe. */
  readonly recovery: string;
  /** Pure: the exact commands/requests run() issues per path, from the builders run() uses. */
  plan(config: ResolvedConfig, run: RunInfo): Action[];
  /** Read-only, for `hmsdr plan`: mode and files/bytes per path. */
  estimate(ctx: CopyEstimateContext): Promise<CopyEstimate[]>;
  /** Read-only: done (every target holds T1), todo, or blocked with a hint. */
  probe(ctx: StepContext): Promise<ProbeResult>;
  /** Copies every path; safe to repeat after a crash part-way. */
  run(ctx: StepContext): Promise<CopyResult>;
}
