// Read-only view of a run for `hmsdr status`: each step's state and the exact next command.
import type { ResolvedConfig } from '../config/load.js';
import { isComplete, type RunState } from './ledger.js';
import { resumeCommand, wayOutCommand } from './next-commands.js';
import { blockingSkip } from './needs.js';

export interface RunStatus {
  runId: string;
  mode: string;
  complete: boolean;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** A process that still holds the run (running now) or crashed: pid@host. */
  owner: string;
  steps: Array<{ id: string; status: string; attempts: number; finishedAt?: string; error?: string; hint?: string }>;
  next: string;
  explanation: string;
}

export function describeRun(state: RunState, config: ResolvedConfig, ownerAlive: boolean): RunStatus {
  const steps = state.order.map((id) => {
    const r = state.steps[id] ?? { status: 'pending', attempts: 0 };
    return {
      id,
      status: r.status,
      attempts: r.attempts,
      ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
      ...(r.error ? { error: `${r.error.code}: ${r.error.message}` } : {}),
      ...(r.error?.hint ? { hint: r.error.hint } : {}),
    };
  });
  const complete = isComplete(state);
  const running = steps.find((s) => s.status === 'running');
  const failed = steps.find((s) => s.status === 'failed' || s.status === 'interrupted');
  const skippedNeed = blockingSkip(state);
  let explanation: string;
  let next: string;
  if (skippedNeed && !(running && ownerAlive)) {
    const waiting = state.order.find(
      (id) => (state.needs?.[id] ?? []).includes(skippedNeed) && !['done', 'skipped'].includes(state.steps[id]?.status ?? 'pending'),
    );
    explanation = `step ${skippedNeed} was skipped, and ${waiting ?? 'a later step'} needs it: a plain resume would stop there again; re-run ${skippedNeed}`;
    next = wayOutCommand(state);
  } else if (complete) {
    explanation = `run ${state.runId} is complete`;
    next = `hmsdr rehearse --yes --config ${config.file}   (a new run)`;
  } else if (running && ownerAlive) {
    explanation = `step ${running.id} is running now (pid ${state.pid} on ${state.host})`;
    next = `wait for it, or stop it with Ctrl-C / kill -INT ${state.pid}`;
  } else if (running) {
    explanation = `the process running ${running.id} (pid ${state.pid} on ${state.host}) stopped without recording an end (killed or crashed); resume probes ${running.id} first and re-runs it only if its work is not already there`;
    next = resumeCommand(state);
  } else if (failed) {
    explanation = `step ${failed.id} ${failed.status}${failed.error ? `: ${failed.error}` : ''}`;
    next = resumeCommand(state);
  } else {
    const pending = steps.find((s) => s.status === 'pending');
    explanation = `step ${pending?.id ?? '?'} has not run yet${pending?.error ? ` (blocked: ${pending.error})` : ''}`;
    next = resumeCommand(state);
  }
  return {
    runId: state.runId,
    mode: state.mode,
    complete,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    ...(state.finishedAt ? { finishedAt: state.finishedAt } : {}),
    owner: `${state.pid}@${state.host}`,
    steps,
    next,
    explanation,
  };
}

const MARK: Record<string, string> = { done: '✔', skipped: '↓', failed: '✖', interrupted: '!', running: '…', pending: '·' };

export function formatRunStatus(status: RunStatus): string {
  const lines = [`run ${status.runId} (${status.mode}) started ${status.createdAt}`];
  for (const step of status.steps) {
    lines.push(
      `  ${MARK[step.status] ?? '?'} ${step.id.padEnd(18)} ${step.status}${step.attempts > 1 ? ` (${step.attempts} attempts)` : ''}${step.error ? `  ${step.error}` : ''}`,
    );
  }
  lines.push('', status.explanation, `next: ${status.next}`);
  return lines.join('\n');
}
