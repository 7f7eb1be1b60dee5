// What each step needs from the steps before it, and what that means for skipping and re-running:
// a skipped step that a later step needs stops the run until the operator re-runs it
// (`hmsdr resume <id> --rerun STEP`), and a re-run takes the steps that need it along.
import { PreconditionError } from '../errors/errors.js';
import type { RunState } from './ledger.js';

/** The needs of a runbook, by step id (only steps that need something). */
export function needsOf(steps: readonly { id: string; needs?: readonly string[] }[]): Record<string, string[]> {
  return Object.fromEntries(steps.filter((s) => s.needs && s.needs.length > 0).map((s) => [s.id, [...(s.needs ?? [])]]));
}

/** The steps after `id` in `order` that need it, directly or through another step. */
export function dependentsOf(needs: Readonly<Record<string, readonly string[]>>, order: readonly string[], id: string): string[] {
  const reached = new Set([id]);
  for (const other of order.slice(order.indexOf(id) + 1)) {
    if ((needs[other] ?? []).some((n) => reached.has(n))) reached.add(other);
  }
  reached.delete(id);
  return order.filter((o) => reached.has(o));
}

/** The skipped step that a not-yet-finished step needs: the run cannot finish until it is re-run. */
export function blockingSkip(state: Pick<RunState, 'order' | 'steps' | 'needs'>): string | undefined {
  const statusOf = (id: string): string => state.steps[id]?.status ?? 'pending';
  for (const id of state.order) {
    if (['done', 'skipped'].includes(statusOf(id))) continue;
    const skipped = (state.needs?.[id] ?? []).find((n) => statusOf(n) === 'skipped');
    if (skipped) return skipped;
  }
  return undefined;
}

/**
 * The steps `--rerun stepId` resets: the step and the later steps that need it. Refused where a
 * re-run is not safe: once a destructive step has changed the DR side after it (or it is one),
 * doing it again would mix two plans.
 */
export function rerunSet(
  state: Pick<RunState, 'runId' | 'order' | 'steps'>,
  needs: Readonly<Record<string, readonly string[]>>,
  destructive: ReadonlySet<string>,
  stepId: string,
): string[] {
  const { order } = state;
  if (!order.includes(stepId))
    throw new PreconditionError(`run ${state.runId} has no step ${stepId}`, { hint: `its steps: ${order.join(', ')}` });
  const status = state.steps[stepId]?.status ?? 'pending';
  if (status !== 'done' && status !== 'skipped') {
    throw new PreconditionError(`step ${stepId} of run ${state.runId} is ${status}: a plain resume runs it`, {
      hint: `hmsdr resume ${state.runId} without --rerun`,
    });
  }
  const changed = order.slice(order.indexOf(stepId)).filter((id) => destructive.has(id) && state.steps[id]?.status === 'done');
  if (changed.length > 0) {
    throw new PreconditionError(`cannot re-run ${stepId} in run ${state.runId}: ${changed.join(', ')} already changed the DR side`, {
      hint: 'start a new run (hmsdr run / hmsdr rehearse --yes), or roll this one back first',
    });
  }
  return [stepId, ...dependentsOf(needs, order, stepId)];
}
