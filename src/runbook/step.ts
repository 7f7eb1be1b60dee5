// The Step unit of DESIGN.md and what the engine hands to it.
import type { Command } from '../adapters/process/command.js';
import type { Adapters } from '../adapters/index.js';
import type { ResolvedConfig } from '../config/load.js';

/** One thing a step will do; printed by `plan` and the interactive prompt, logged before it runs. */
export type Action =
  | { kind: 'exec'; where: 'local' | { host: string }; command: Command; description?: string }
  | { kind: 'http'; method: 'GET' | 'PUT' | 'POST' | 'DELETE'; url: string; body?: unknown; description?: string }
  | { kind: 'sql'; target: 'source' | 'dr'; database: string; text: string; description?: string }
  | { kind: 'note'; text: string };

export type ProbeResult =
  | { status: 'done'; output: StepOutput; reason: string }
  | { status: 'todo'; reason: string }
  | { status: 'blocked'; reason: string; hint: string };

/** Measured facts a step records in the ledger (JSON-serialisable). */
export type StepOutput = Record<string, unknown>;

export interface RunInfo {
  readonly id: string;
  /** Absolute path of `runs/<run-id>/`. */
  readonly dir: string;
  readonly startedAt: string;
}

/** Structured events written to events.ndjson (secrets redacted by the writer). */
export interface EventLog {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  /** Append child-process stderr to the run's capture file for this step. */
  stderr(source: string, chunk: string): void;
}

export interface StepContext {
  readonly config: ResolvedConfig;
  readonly run: RunInfo;
  /** Outputs of earlier steps (from the ledger on resume). */
  readonly outputs: Readonly<Record<string, StepOutput | undefined>>;
  readonly adapters: Adapters;
  readonly log: EventLog;
  /** Aborted on Ctrl-C / SIGTERM; pass it to every adapter call. */
  readonly signal: AbortSignal;
  /** One line of progress for the task output (bytes and rate, DistCp map %, request %). */
  progress(text: string): void;
  /** Ask the operator (interactive runs only); unattended runs get `defaultAnswer` or a refusal. */
  confirm(question: string): Promise<boolean>;
}

export interface Step {
  /** Stable kebab-case id: stored in ledgers. */
  readonly id: string;
  /** Imperative, operator-facing. */
  readonly title: string;
  /** True when the step changes something on the DR side that an operator must approve. */
  readonly destructive: boolean;
  /** Pure: what run() will do, from the same builders run() uses. */
  plan(config: ResolvedConfig, run: RunInfo): Action[];
  /** Read-only: is the effect already there? Called before run(), and first on resume. */
  probe(ctx: StepContext): Promise<ProbeResult>;
  /** Does the work; safe to repeat after a crash part-way. */
  run(ctx: StepContext): Promise<StepOutput>;
  /** Optional post-condition; throws VerifyError listing differences. */
  verify?(ctx: StepContext, output: StepOutput): Promise<void>;
  /** Shown when the step fails: what to check, whether resume is safe. */
  readonly recovery: string;
}
