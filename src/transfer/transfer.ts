// The interface every metastore transfer (restore.transfer: staged / streamed / parallel) implements.
// dump-metastore, restore-staging, verify-staging and preflight ask the transfer module instead of
// switching on the mode; a new transfer is a new module registered in ./index.ts.
import type { Action } from '../actions/action.js';
import type { SitePort } from '../adapters/site.js';
import type { ResolvedConfig } from '../config/load.js';
import type { EventLog, RunInfo } from '../runbook/step.js';
import type { DumpOutput } from './evidence.js';

export type TransferName = ResolvedConfig['restore']['transfer'];

/** What a transfer needs of the step running it (a StepContext is one). */
export interface TransferContext {
  readonly config: ResolvedConfig;
  readonly run: RunInfo;
  readonly adapters: { readonly source: SitePort; readonly dr: SitePort };
  readonly log: EventLog;
  readonly signal: AbortSignal;
  progress(text: string): void;
}

/** The staging database already holds what the transfer restored: restore-staging records this. */
export interface RestoredFacts {
  reason: string;
  restoredFrom: string;
  exitStatus: Record<string, number>;
}

export interface Transfer {
  readonly name: TransferName;
  /**
   * A dump file lands in the DR staging directory: preflight checks that psql understands it and
   * that it fits, and restore-staging can restore it when the staging database is not there.
   */
  readonly needsDumpFile: boolean;
  /** dump-metastore's plan: the commands and statements run() issues. */
  plan(config: ResolvedConfig, run: RunInfo): Action[];
  /** dump-metastore: take T0 on the source and move the rewritten metastore to the DR side. */
  run(ctx: TransferContext): Promise<DumpOutput>;
  /** restore-staging's plan (database: the staging database). */
  restorePlan(config: ResolvedConfig, run: RunInfo, database: string): Action[];
  /** restore-staging, when the staging database is marked as restored from this run's `dump`. */
  restored(dump: DumpOutput, database: string): RestoredFacts;
  /** verify-staging's plan: how L1 (stream integrity) and L2 (restore integrity) are judged. */
  readonly integrityNotes: readonly [l1: string, l2: string];
  /** L1 beyond the exit statuses: the differences between what was sent and what arrived. */
  streamIntegrity(dump: DumpOutput): { differences: string[]; evidence: string };
}
