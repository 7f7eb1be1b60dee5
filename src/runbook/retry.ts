// Bounded automatic retry for unattended runs (`rehearse --retries N --retry-delay 5m`): after a
// transient failure (an SSH link dropped, a server unreachable or restarting, a DistCp job that
// failed) the same run is resumed after a delay that doubles each time. A blocked probe, a
// verification failure, a configuration error, a lock or an interruption is never retried: each
// says something a second attempt would not change. Every retry is a warning in the run's events
// (so the report and `hmsdr history` show it).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { HmsdrError, InterruptedError, LockedError, VerifyError } from '../errors/errors.js';
import { ExitCode } from '../errors/exit-codes.js';
import { runDirectory } from '../names/run-names.js';
import { formatDuration } from '../util/format.js';
import { redact } from '../util/secrets.js';
import { openEventLog } from './events.js';
import { runRunbook, type EngineOptions, type EngineResult } from './runner.js';
import type { EngineAdapters } from './step.js';

/** Error codes of failures that a later attempt may not meet (the far side was away, not wrong). */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'E_SSH_DISCONNECTED',
  'E_SSH_TIMEOUT',
  'E_SSH_CONNECT',
  'E_SSH_FORWARD',
  'E_PG_UNREACHABLE',
  'E_HTTP_UNREACHABLE',
  'E_HTTP_TIMEOUT',
  'E_HDFS_UNREACHABLE',
  'E_AMBARI_SERVER',
  'E_CM_SERVER',
  'E_CM_UNAVAILABLE',
  // A DistCp job that failed: the resumed copy-data probes the target first (blocked when it changed).
  'E_DISTCP',
]);

/** SQLSTATEs of a PostgreSQL server shutting down or starting up (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now). */
const RESTARTING = /SQLSTATE 57P0[123]/;

export interface Classified {
  transient: boolean;
  /** The most specific error code found (the adapter's, under the step's wrapper). */
  code: string;
  why: string;
}

/** Is `error` (what runRunbook threw) worth another attempt? */
export function classifyForRetry(error: unknown): Classified {
  const chain: unknown[] = [];
  for (let e: unknown = error; e !== undefined && chain.length < 10; e = (e as { cause?: unknown }).cause) chain.push(e);
  const codes = chain.filter((e): e is HmsdrError => e instanceof HmsdrError).map((e) => e.code);
  const code = codes.find((c) => c !== 'E_STEP_FAILED' && c !== 'E_PRECONDITION') ?? codes[0] ?? 'E_INTERNAL';
  const never = (why: string): Classified => ({ transient: false, code, why });
  if (chain.some((e) => e instanceof VerifyError)) return never('a verification failure is not retried');
  if (chain.some((e) => e instanceof LockedError)) return never('a lock is not retried');
  if (chain.some((e) => e instanceof InterruptedError)) return never('an interruption is not retried');
  if (error instanceof HmsdrError && (error.exitCode === ExitCode.CONFIG || error.exitCode === ExitCode.USAGE))
    return never('a configuration error is not retried');
  if (codes.some((c) => TRANSIENT_CODES.has(c))) return { transient: true, code, why: `${code} is transient` };
  const pgRestart = chain.some((e) => e instanceof HmsdrError && e.code === 'E_PG' && RESTARTING.test(e.message));
  if (pgRestart) return { transient: true, code, why: 'the PostgreSQL server was restarting' };
  if (code === 'E_PRECONDITION') return never('a blocked step is not retried');
  return never(`${code} is not a transient failure`);
}

export interface RetryPolicy {
  /** Further attempts after the first (0: no retry). */
  retries: number;
  /** Delay before the first retry; doubled before each next one. */
  delayMs: number;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Told before each retry (the CLI prints a line). */
  onRetry?: (retry: RetryRecord) => void;
}

export interface RetryRecord {
  runId: string;
  /** The attempt that failed (1-based) and how many are allowed in all. */
  attempt: number;
  of: number;
  code: string;
  message: string;
  delayMs: number;
}

/** runRunbook, and up to `policy.retries` resumptions of the same run after a transient failure. */
export async function runWithRetries<A extends EngineAdapters>(options: EngineOptions<A>, policy: RetryPolicy): Promise<EngineResult> {
  const sleep = policy.sleep ?? ((ms: number) => sleepFor(ms));
  const of = policy.retries + 1;
  let runId = options.resumeRunId;
  for (let attempt = 1; ; attempt++) {
    // A run refused before it existed (the DR server unreachable for the lock) starts afresh.
    const resumable = runId !== undefined && existsSync(join(runDirectory(options.config.runsDirAbs, runId), 'state.json'));
    try {
      return await runRunbook({
        ...options,
        ...(resumable && runId ? { resumeRunId: runId, rerun: attempt === 1 ? options.rerun : undefined } : {}),
        onRunId: (id) => {
          // Told once: a resumption of the same run is not a new start (no second start notification).
          if (id !== runId || attempt === 1) options.onRunId?.(id);
          runId = id;
        },
      } as EngineOptions<A>);
    } catch (error) {
      const verdict = classifyForRetry(error);
      if (attempt >= of || !verdict.transient) throw error;
      const delayMs = policy.delayMs * 2 ** (attempt - 1);
      const record: RetryRecord = {
        runId: runId ?? '',
        attempt,
        of,
        code: verdict.code,
        message: redact(error instanceof Error ? error.message : String(error)),
        delayMs,
      };
      if (runId && existsSync(runDirectory(options.config.runsDirAbs, runId))) {
        const log = openEventLog(runDirectory(options.config.runsDirAbs, runId));
        log.warn('run-retry', {
          ...record,
          warning: `attempt ${attempt} of ${of} failed (${verdict.code}: ${record.message.split('\n')[0]}); resuming in ${formatDuration(delayMs)}`,
        });
        log.close();
      }
      policy.onRetry?.(record);
      await sleep(delayMs);
    }
  }
}
