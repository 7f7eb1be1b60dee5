// The run's state file (runs/<run-id>/state.json): every transition written atomically, redacted.
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmdirSync,
  writeSync,
  existsSync,
} from 'node:fs';
import { join } from 'node:path';
// zod/mini: `hmsdr check` reads every run's state.json and starts every minute; classic zod costs
// more to load than the check takes (docs/performance.md). Same core, same English messages.
import * as z from 'zod/mini';
import { en } from 'zod/v4/locales';
import { PreconditionError } from '../errors/errors.js';
import { inRunsDir } from './lock.js';
import { newRunId, nextRunId, runDirectory } from '../names/run-names.js';
import { redactDeep } from '../util/secrets.js';
import { describeIssues } from '../util/zod-issues.js';
import type { StepOutput } from './step.js';
import { ONE_SHOT } from '../util/one-shot-parse.js';

export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'interrupted';

export interface StepRecord {
  status: StepStatus;
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  /** How it became done: it ran, the probe found it done, or the operator skipped it. */
  via?: 'run' | 'probe' | 'operator';
  reason?: string;
  /** Time spent in the step's probe (read-only checks before it runs), over all attempts. */
  probeMs?: number;
  output?: StepOutput;
  error?: { code: string; message: string; hint?: string; stderrTail?: string };
}

export type RunMode = 'run' | 'rehearse' | 'rollback' | 'failover' | 'failback';

export interface RunState {
  version: 1;
  runId: string;
  mode: RunMode;
  /** For a rollback: the run whose swap it undoes. */
  subject?: string;
  /** Started with --yes (from cron, a script): its resume must say --yes too. Absent in older ledgers. */
  unattended?: boolean;
  configFile: string;
  configHash: string;
  /** The normalised config (no secrets: only where they come from), so `resume` can name what changed. Absent in older ledgers. */
  configValues?: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  host: string;
  pid: number;
  /** Step ids in runbook order. */
  order: string[];
  /** What each step needs (Step.needs), so `status` can tell a skip that blocks the run. Absent in older ledgers. */
  needs?: Record<string, string[]>;
  steps: Record<string, StepRecord>;
  finishedAt?: string;
}

export const STATE_FILE = 'state.json';

z.config(en());
const iso = z.string();
const optional = z.optional;
/** The shape of state.json. Step outputs are only required to be objects here: each is checked against its step's schema where it is read. */
const runStateSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  mode: z.enum(['run', 'rehearse', 'rollback', 'failover', 'failback']),
  subject: optional(z.string()),
  unattended: optional(z.boolean()),
  configFile: z.string(),
  configHash: z.string(),
  configValues: optional(z.record(z.string(), z.unknown())),
  createdAt: iso,
  updatedAt: iso,
  host: z.string(),
  pid: z.number(),
  order: z.array(z.string()),
  needs: optional(z.record(z.string(), z.array(z.string()))),
  steps: z.record(
    z.string(),
    z.object({
      status: z.enum(['pending', 'running', 'done', 'failed', 'skipped', 'interrupted']),
      attempts: z.number(),
      startedAt: optional(iso),
      finishedAt: optional(iso),
      via: optional(z.enum(['run', 'probe', 'operator'])),
      reason: optional(z.string()),
      probeMs: optional(z.number()),
      output: optional(z.record(z.string(), z.unknown())),
      error: optional(z.object({ code: z.string(), message: z.string(), hint: optional(z.string()), stderrTail: optional(z.string()) })),
    }),
  ),
  finishedAt: optional(iso),
});

const READ_HINT = 'check the run id with `hmsdr history` or `ls` the runs directory';

/** Parse the text of a state.json; a PreconditionError naming `path` when it is not one this version reads. */
export function parseRunState(text: string, path: string): RunState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PreconditionError(`cannot read the run state ${path}: not JSON (${(error as Error).message})`, { hint: READ_HINT });
  }
  const version = typeof value === 'object' && value !== null ? (value as { version?: unknown }).version : undefined;
  if (version !== 1)
    throw new PreconditionError(
      `cannot read the run state ${path}: unknown version ${JSON.stringify(version) ?? 'undefined'} (this hmsdr reads version 1)`,
      { hint: READ_HINT },
    );
  const parsed = runStateSchema.safeParse(value, ONE_SHOT);
  if (!parsed.success) {
    throw new PreconditionError(
      `cannot read the run state ${path}: not the shape this version of hmsdr writes (${describeIssues(parsed.error)})`,
      { hint: READ_HINT },
    );
  }
  // The value as written, not the parse result: fields the schema does not name survive the next flush.
  return value as RunState;
}

/** Write `data` to `path` atomically: temp file, fsync, rename. Mode 0600 unless told (a file another user reads). */
export function writeFileAtomic(path: string, data: string, mode = 0o600): void {
  const temp = `${path}.tmp-${process.pid}`;
  const fd = openSync(temp, 'w', mode);
  try {
    fchmodSync(fd, mode); // also when a crashed write left the temp file behind with another mode
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

export class Ledger {
  private constructor(
    readonly dir: string,
    private state: RunState,
  ) {}

  static create(dir: string, init: Omit<RunState, 'version' | 'createdAt' | 'updatedAt' | 'steps'>): Ledger {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const now = new Date().toISOString();
    const steps: Record<string, StepRecord> = {};
    for (const id of init.order) steps[id] = { status: 'pending', attempts: 0 };
    const ledger = new Ledger(dir, { version: 1, createdAt: now, updatedAt: now, steps, ...init });
    ledger.flush();
    return ledger;
  }

  static load(dir: string): Ledger {
    const path = join(dir, STATE_FILE);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new PreconditionError(`cannot read the run state ${path}: ${(error as Error).message}`, { hint: READ_HINT });
    }
    return new Ledger(dir, parseRunState(text, path));
  }

  get snapshot(): Readonly<RunState> {
    return this.state;
  }

  record(id: string): StepRecord {
    const record = this.state.steps[id];
    if (!record) throw new PreconditionError(`step ${id} is not part of run ${this.state.runId}`);
    return record;
  }

  /** Make the ledger know every step of the runbook (a resumed run may have more steps than it recorded). */
  ensureSteps(order: string[], needs?: Record<string, string[]>): void {
    for (const id of order) this.state.steps[id] ??= { status: 'pending', attempts: 0 };
    this.state.order = order;
    if (needs) this.state.needs = needs;
    this.flush();
  }

  update(id: string, change: Partial<StepRecord>): void {
    const record = this.record(id);
    Object.assign(record, change);
    if (change.status === 'done' || change.status === 'skipped') delete record.error;
    this.flush();
  }

  /** Forget what the run recorded for these steps (`resume --rerun`): they run again, probed first. Attempts are kept. */
  reset(ids: readonly string[]): void {
    for (const id of ids) {
      const record = this.record(id);
      this.state.steps[id] = { status: 'pending', attempts: record.attempts };
    }
    this.flush();
  }

  /** Resume goes on with a changed config whose changes are safe: later comparisons start from it. */
  acceptConfig(hash: string, values: Record<string, unknown>): void {
    this.state.configHash = hash;
    this.state.configValues = values;
    this.flush();
  }

  setOwner(pid: number, host: string): void {
    this.state.pid = pid;
    this.state.host = host;
    this.flush();
  }

  finish(): void {
    this.state.finishedAt = new Date().toISOString();
    this.flush();
  }

  reopen(): void {
    delete this.state.finishedAt;
    this.flush();
  }

  outputs(): Record<string, StepOutput | undefined> {
    return Object.fromEntries(Object.entries(this.state.steps).map(([id, r]) => [id, r.output]));
  }

  flush(): void {
    this.state.updatedAt = new Date().toISOString();
    writeFileAtomic(join(this.dir, STATE_FILE), JSON.stringify(redactDeep(this.state), null, 2) + '\n');
  }
}

/** True when every step is done or skipped. */
export function isComplete(state: RunState): boolean {
  return state.order.every((id) => ['done', 'skipped'].includes(state.steps[id]?.status ?? 'pending'));
}

/** Run ids in the runs directory, newest first (run ids sort by time). */
export function listRuns(runsDir: string): string[] {
  if (!existsSync(runsDir)) return [];
  return readdirSync(runsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(runsDir, entry.name, STATE_FILE)))
    .map((entry) => entry.name)
    .sort()
    .reverse();
}

export { newRunId } from '../names/run-names.js';

/**
 * A fresh run id with its run directory created: mkdir is atomic, so two runs that start in the
 * same second (two processes, or two DR targets sharing a runs directory) never get the same id;
 * the later one takes the next free second.
 */
export function reserveRunId(runsDir: string, now = new Date()): string {
  // Private whatever the umask, and a runs directory that cannot hold runs is exit 4, as for the lock.
  return inRunsDir(runsDir, () => {
    mkdirSync(runsDir, { recursive: true, mode: 0o700 });
    for (let runId = newRunId(now); ; runId = nextRunId(runId)) {
      try {
        mkdirSync(runDirectory(runsDir, runId), { mode: 0o700 });
        return runId;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  });
}

/** Give back a reserved run directory that a refused run never used (empty: rmdir refuses otherwise). */
export function releaseRunId(runsDir: string, runId: string): void {
  try {
    rmdirSync(runDirectory(runsDir, runId));
  } catch {
    // not empty or already gone: keep it
  }
}
