// The run's state file (runs/<run-id>/state.json): every transition written atomically, redacted.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, writeSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PreconditionError } from '../errors/errors.js';
import { redactDeep } from '../util/secrets.js';
import { describeIssues } from '../util/zod-issues.js';
import type { StepOutput } from './step.js';

export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'interrupted';

export interface StepRecord {
  status: StepStatus;
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  /** How it became done: it ran, the probe found it done, or the operator skipped it. */
  via?: 'run' | 'probe' | 'operator';
  reason?: string;
  output?: StepOutput;
  error?: { code: string; message: string; hint?: string; stderrTail?: string };
}

export type RunMode = 'run' | 'rehearse' | 'rollback';

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
  createdAt: string;
  updatedAt: string;
  host: string;
  pid: number;
  /** Step ids in runbook order. */
  order: string[];
  steps: Record<string, StepRecord>;
  finishedAt?: string;
}

export const STATE_FILE = 'state.json';

const iso = z.string();
/** The shape of state.json. Step outputs are only required to be objects here: each is checked against its step's schema where it is read. */
const runStateSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  mode: z.enum(['run', 'rehearse', 'rollback']),
  subject: z.string().optional(),
  unattended: z.boolean().optional(),
  configFile: z.string(),
  configHash: z.string(),
  createdAt: iso,
  updatedAt: iso,
  host: z.string(),
  pid: z.number(),
  order: z.array(z.string()),
  steps: z.record(z.string(), z.object({
    status: z.enum(['pending', 'running', 'done', 'failed', 'skipped', 'interrupted']),
    attempts: z.number(),
    startedAt: iso.optional(),
    finishedAt: iso.optional(),
    via: z.enum(['run', 'probe', 'operator']).optional(),
    reason: z.string().optional(),
    output: z.record(z.string(), z.unknown()).optional(),
    error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional(), stderrTail: z.string().optional() }).optional(),
  })),
  finishedAt: iso.optional(),
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
  if (version !== 1) throw new PreconditionError(`cannot read the run state ${path}: unknown version ${JSON.stringify(version) ?? 'undefined'} (this hmsdr reads version 1)`, { hint: READ_HINT });
  const parsed = runStateSchema.safeParse(value);
  if (!parsed.success) {
    throw new PreconditionError(`cannot read the run state ${path}: not the shape this version of hmsdr writes (${describeIssues(parsed.error)})`, { hint: READ_HINT });
  }
  // The value as written, not the parse result: fields the schema does not name survive the next flush.
  return value as RunState;
}

/** Write `data` to `path` atomically: temp file, fsync, rename. Mode 0600 unless told (a file another user reads). */
export function writeFileAtomic(path: string, data: string, mode = 0o600): void {
  const temp = `${path}.tmp-${process.pid}`;
  const fd = openSync(temp, 'w', mode);
  try {
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
  ensureSteps(order: string[]): void {
    for (const id of order) this.state.steps[id] ??= { status: 'pending', attempts: 0 };
    this.state.order = order;
    this.flush();
  }

  update(id: string, change: Partial<StepRecord>): void {
    const record = this.record(id);
    Object.assign(record, change);
    if (change.status === 'done' || change.status === 'skipped') delete record.error;
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

/** A new run id: UTC time, lower-case, usable inside PostgreSQL identifiers and HDFS snapshot names. */
export function newRunId(now = new Date()): string {
  const iso = now.toISOString(); // 2026-11-21T05:30:12.345Z
  return `${iso.slice(0, 10).replaceAll('-', '')}t${iso.slice(11, 19).replaceAll(':', '')}`;
}
