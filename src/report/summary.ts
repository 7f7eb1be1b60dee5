// The run summary (runs/<run-id>/summary.json), built from the run directory alone: state.json,
// events.ndjson and the JSON files steps leave behind. It renders whatever subset of steps ran (a
// failed run's report matters most); a file this version cannot read is a PreconditionError naming it.
// The model is in model.ts; each section is built by its own module.
import { basename } from 'node:path';
import { rollbackCommand, wayOutCommand } from '../runbook/next-commands.js';
import { buildLadder } from './ladder.js';
import { SUMMARY_VERSION, type RunSummary, type StepSummary, type StepTitles } from './model.js';
import { decideOutcome, findFailure, headlineOf, nextSteps, OUTCOME_EXIT_CODES } from './outcome.js';
import { buildRpo, buildRto } from './rpo-rto.js';
import { readRunDirectory, type RunDirectory } from './run-dir.js';
import { buildData, buildMetastore, buildPreflight, stepSummary } from './sections.js';
import { epochMs } from './times.js';
import { collectWarnings } from './warnings.js';

export type { RunSummary } from './model.js';

export interface BuildOptions {
  /** The clock (tests). */
  now?: Date;
  /** Step titles from the runbook that ran (`titlesOf(steps)`); without them steps are labelled by id. */
  titles?: StepTitles;
}

/** Read `runs/<run-id>/` and build the summary. */
export function buildRunSummary(runDir: string, options: BuildOptions = {}): RunSummary {
  return summarize(readRunDirectory(runDir), options);
}

/** The run's end: state.finishedAt, else the latest step time recorded, else the last update. */
function endOf(run: RunDirectory, startMs: number): number {
  const { state, order } = run;
  const times = order
    .flatMap((id) => [state.steps[id]?.startedAt, state.steps[id]?.finishedAt])
    .map(epochMs)
    .filter((t): t is number => t !== null);
  return epochMs(state.finishedAt) ?? (times.length > 0 ? Math.max(...times) : (epochMs(state.updatedAt) ?? startMs));
}

/** The summary of a run directory already read. */
export function summarize(run: RunDirectory, options: BuildOptions = {}): RunSummary {
  const { state, order, outputs } = run;
  const now = options.now ?? new Date();
  const startedAt = state.createdAt;
  const startMs = epochMs(startedAt) ?? now.getTime();
  const endMs = endOf(run, startMs);
  const endedAt = new Date(endMs).toISOString();

  const steps: StepSummary[] = order.map((id) => stepSummary(id, state.steps[id], startMs, options.titles ?? {}));
  const ladder = buildLadder(order, run.facts, outputs.preflight, steps);
  const outcome = decideOutcome(steps, ladder);
  const swapped = state.steps['swap-metastore']?.status === 'done';
  const metastore = buildMetastore(outputs, run.rewriteReport);
  const preflight = buildPreflight(outputs.preflight);
  // A report is shared (mail, tickets, chat): name the config, never its absolute path on the edge node.
  const shared = { ...state, configFile: state.configFile ? basename(state.configFile) : state.configFile };

  const summary: RunSummary = {
    version: SUMMARY_VERSION,
    generatedAt: now.toISOString(),
    runId: state.runId,
    mode: state.mode,
    host: state.host,
    configFile: shared.configFile,
    configSha256: state.configHash ?? null,
    outcome,
    exitCode: OUTCOME_EXIT_CODES[outcome],
    headline: '',
    startedAt,
    finishedAt: state.finishedAt ?? null,
    endedAt,
    elapsedMs: endMs - startMs,
    activeMs: steps.reduce((n, s) => n + (s.durationMs ?? 0), 0),
    steps,
    failure: findFailure(steps),
    ladder,
    rpo: buildRpo(outputs['dump-metastore'], outputs['snapshot-source'], state.steps['snapshot-source'], endedAt, swapped),
    rto: buildRto(startedAt, state.steps, endedAt),
    metastore,
    data: buildData(outputs),
    preflight,
    perDatabase: outputs['verify-live']?.perDatabase ?? null,
    warnings: collectWarnings(order, run.facts, metastore, preflight, run.events),
    resumeCommand: wayOutCommand(shared),
    rollbackCommand: rollbackCommand(shared),
    next: [],
  };
  summary.headline = headlineOf(summary);
  summary.next = nextSteps(summary);
  return summary;
}
