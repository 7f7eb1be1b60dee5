// Reading a run directory for the report: state.json through the ledger's reader, events.ndjson, and
// each step's output checked against its schema (src/steps/outputs.ts), from state.json or, for a step
// that failed after writing it, from the `<step-id>.json` file it leaves.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ledger, STATE_FILE, type RunState } from '../runbook/ledger.js';
import { PreconditionError } from '../errors/errors.js';
import {
  isStepId,
  parseStepFacts,
  parseStepOutput,
  rewriteReportSchema,
  type RewriteReportFile,
  type StepFacts,
  type StepId,
  type StepOutputs,
} from '../steps/outputs.js';
import { describeIssues } from '../util/zod-issues.js';
import { ONE_SHOT } from '../util/one-shot-parse.js';

export interface RunEvent extends Record<string, unknown> {
  event?: string;
  level?: string | number;
  time?: string;
  step?: string;
}

/** What the report reads of one run directory. */
export interface RunDirectory {
  state: RunState;
  /** Step ids in runbook order (every recorded step when the order is empty). */
  order: string[];
  events: RunEvent[];
  /** The outputs of the canonical steps that recorded one, checked against their schemas. */
  outputs: Partial<StepOutputs>;
  /** Rungs and warnings of every step (any id), empty for a step that recorded nothing. */
  facts: (stepId: string) => StepFacts;
  /** rewrite-report.json (the rewriter's figures, also kept when dump-metastore's output is missing). */
  rewriteReport: RewriteReportFile | undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON file of the run directory; undefined when missing or not JSON (a file a crash cut short). */
function readJson(path: string): unknown {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** events.ndjson lines; malformed lines (a torn last line after a crash) are ignored. */
export function readEvents(runDir: string): RunEvent[] {
  const path = join(runDir, 'events.ndjson');
  if (!existsSync(path)) return [];
  const out: RunEvent[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (isObject(value)) out.push(value as RunEvent);
    } catch {
      // torn line
    }
  }
  return out;
}

function readRewriteReport(runDir: string): RewriteReportFile | undefined {
  const path = join(runDir, 'rewrite-report.json');
  const value = readJson(path);
  if (value === undefined) return undefined;
  const parsed = rewriteReportSchema.safeParse(value, ONE_SHOT);
  if (!parsed.success)
    throw new PreconditionError(`${path}: not a rewrite report this version of hmsdr reads (${describeIssues(parsed.error)})`);
  return parsed.data;
}

/** Read `runs/<run-id>/`. A PreconditionError naming the file when state.json or a step's output cannot be read. */
export function readRunDirectory(runDir: string): RunDirectory {
  const state = Ledger.load(runDir).snapshot;
  const order = state.order.length > 0 ? state.order : Object.keys(state.steps);
  const outputs: Partial<Record<StepId, unknown>> = {};
  const facts = new Map<string, StepFacts>();
  for (const id of new Set([...order, ...Object.keys(state.steps)])) {
    const recorded = state.steps[id]?.output;
    const file = recorded ? join(runDir, STATE_FILE) : join(runDir, `${id}.json`);
    const value = recorded ?? readJson(file);
    if (!isObject(value)) continue;
    if (isStepId(id)) outputs[id] = parseStepOutput(id, value, file);
    facts.set(id, parseStepFacts(id, value, file));
  }
  return {
    state,
    order,
    events: readEvents(runDir),
    outputs: outputs as Partial<StepOutputs>,
    facts: (id) => facts.get(id) ?? {},
    rewriteReport: readRewriteReport(runDir),
  };
}
