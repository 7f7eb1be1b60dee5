// The error class tree: every expected failure carries a stable code, an exit code and a hint.
import { ExitCode } from './exit-codes.js';

export interface ErrorOptions {
  cause?: unknown;
  hint?: string;
  /** Last lines of a child process' stderr, shown under the headline. */
  stderrTail?: string;
}

export abstract class HmsdrError extends Error {
  abstract readonly code: `E_${string}`;
  abstract readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  readonly stderrTail: string | undefined;
  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.stderrTail = options.stderrTail;
  }
}

export class UsageError extends HmsdrError {
  readonly code = 'E_USAGE';
  readonly exitCode = ExitCode.USAGE;
}

export interface ConfigIssue {
  /** Dotted path of the key, e.g. `dr.metastore.port`. */
  path: string;
  message: string;
  /** 1-based line in the config file, when known. */
  line?: number;
}

export class ConfigError extends HmsdrError {
  readonly code = 'E_CONFIG';
  readonly exitCode = ExitCode.CONFIG;
  constructor(
    message: string,
    readonly issues: readonly ConfigIssue[] = [],
    options: ErrorOptions = {},
  ) {
    super(message, options);
  }
}

export class PreconditionError extends HmsdrError {
  readonly code = 'E_PRECONDITION';
  readonly exitCode = ExitCode.PRECONDITION;
  constructor(message: string, options: ErrorOptions & { stepId?: string } = {}) {
    super(message, options);
    this.stepId = options.stepId;
  }
  readonly stepId: string | undefined;
}

/** A step threw: wraps the adapter error (kept as `cause`). */
export class StepFailedError extends HmsdrError {
  readonly code = 'E_STEP_FAILED';
  readonly exitCode = ExitCode.STEP_FAILED;
  constructor(
    readonly stepId: string,
    message: string,
    options: ErrorOptions = {},
  ) {
    super(message, options);
  }
}

export class VerifyError extends HmsdrError {
  readonly code = 'E_VERIFY';
  readonly exitCode = ExitCode.VERIFY_FAILED;
  constructor(
    message: string,
    readonly differences: readonly string[],
    options: ErrorOptions & { stepId?: string } = {},
  ) {
    super(message, options);
    this.stepId = options.stepId;
  }
  readonly stepId: string | undefined;
}

export interface LockHolder {
  pid: number;
  host: string;
  runId: string;
  startedAt: string;
  command?: string;
}

export class LockedError extends HmsdrError {
  readonly code = 'E_LOCKED';
  readonly exitCode = ExitCode.LOCKED;
  constructor(
    message: string,
    readonly holder: LockHolder | undefined,
    options: ErrorOptions = {},
  ) {
    super(message, options);
  }
}

export class InterruptedError extends HmsdrError {
  readonly code = 'E_INTERRUPTED';
  readonly exitCode = ExitCode.INTERRUPTED;
}

export class InternalError extends HmsdrError {
  readonly code = 'E_INTERNAL';
  readonly exitCode = ExitCode.INTERNAL;
}

/**
 * Failures of outside systems. Adapters throw these; they become the `cause` of a StepFailedError
 * inside a run, or map straight to an exit code when a command calls an adapter directly.
 */
export class AdapterError extends HmsdrError {
  readonly exitCode: ExitCode;
  readonly code: `E_${string}`;
  constructor(code: `E_${string}`, message: string, options: ErrorOptions & { exitCode?: ExitCode } = {}) {
    super(message, options);
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.STEP_FAILED;
  }
}

export function isHmsdrError(error: unknown): error is HmsdrError {
  return error instanceof HmsdrError;
}

/** True for the abort of an AbortSignal (ours, execa's, pg's, node's). */
export function isAbortError(error: unknown): boolean {
  if (error instanceof InterruptedError) return true;
  if (!(error instanceof Error)) return false;
  const e = error as Error & { code?: string; isCanceled?: boolean };
  return e.name === 'AbortError' || e.code === 'ABORT_ERR' || e.isCanceled === true;
}

/**
 * Not a failure: a command that finished and wants a non-zero exit code (e.g. `status` → 7).
 * Thrown after the command printed its output; main prints nothing more.
 */
export class ExitStatus extends Error {
  constructor(readonly exitCode: ExitCode) {
    super(`exit ${exitCode}`);
    this.name = 'ExitStatus';
  }
}
