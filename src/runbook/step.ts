// The Step unit of DESIGN.md and what the engine hands to it. The engine does not know the adapters:
// Step and StepContext are generic over them (src/steps/step.ts binds them to src/adapters'
// Adapters); all the engine does with them is close them when the run ends.
import type { Action } from '../actions/action.js';
import type { ResolvedConfig } from '../config/load.js';

/** What the engine needs of the adapters it hands to steps. */
export interface EngineAdapters {
  /** Close every connection the adapters opened (called once at the end of a run). */
  close?(): Promise<void>;
  /** A step is about to be probed: forget what was remembered for the previous one (its answers may be stale). */
  beginStep?(): void;
}

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

export interface StepContext<A extends EngineAdapters = EngineAdapters> {
  readonly config: ResolvedConfig;
  readonly run: RunInfo;
  /** Outputs of earlier steps (from the ledger on resume). */
  readonly outputs: Readonly<Record<string, StepOutput | undefined>>;
  readonly adapters: A;
  readonly log: EventLog;
  /** Aborted on Ctrl-C / SIGTERM; pass it to every adapter call. */
  readonly signal: AbortSignal;
  /** One line of progress for the task output (bytes and rate, DistCp map %, request %). */
  progress(text: string): void;
  /** Ask the operator (interactive runs only); unattended runs get `defaultAnswer` or a refusal. */
  confirm(question: string): Promise<boolean>;
}

export interface Step<A extends EngineAdapters = EngineAdapters> {
  /** Stable kebab-case id: stored in ledgers. */
  readonly id: string;
  /** Imperative, operator-facing. */
  readonly title: string;
  /** True when the step changes something on the DR side that an operator must approve. */
  readonly destructive: boolean;
  /**
   * Ids of earlier steps whose effect or output this step needs. Skipping one of them is warned at
   * the prompt, and this step then stops (without running) until it is re-run with `--rerun`.
   */
  readonly needs?: readonly string[];
  /** Pure: what run() will do, from the same builders run() uses. */
  plan(config: ResolvedConfig, run: RunInfo): Action[];
  /** Read-only: is the effect already there? Called before run(), and first on resume. */
  probe(ctx: StepContext<A>): Promise<ProbeResult>;
  /** Does the work; safe to repeat after a crash part-way. */
  run(ctx: StepContext<A>): Promise<StepOutput>;
  /** Optional post-condition; throws VerifyError listing differences. */
  verify?(ctx: StepContext<A>, output: StepOutput): Promise<void>;
  /** One or two lines for the terminal once the step ran: what it did, in figures. */
  summarize?(output: StepOutput): string | undefined;
  /** Shown when the step fails: what to check, whether resume is safe. */
  readonly recovery: string;
}
