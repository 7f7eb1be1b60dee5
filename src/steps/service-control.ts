// What stop-hive and start-hive share: taking the controller from the context, turning a live
// state into a probe result, and feeding request progress to the task output.
import { InternalError } from '../errors/errors.js';
import { assessState, type Assessment } from '../adapters/service-control/assess.js';
import type { ControlOptions, ControllerState, ServiceController, Target } from '../adapters/service-control/controller.js';
import type { ProbeResult, StepContext } from './step.js';

export function requireController(ctx: StepContext): ServiceController {
  const controller = ctx.adapters.serviceControl;
  if (!controller) throw new InternalError('the serviceControl adapter is not wired into the step context (createAdapters)');
  return controller;
}

/** Per-component facts recorded in the ledger output. */
export function componentFacts(state: ControllerState): Record<string, unknown>[] {
  return state.services.flatMap((s) =>
    s.components.map((c) => ({
      service: c.service,
      component: c.component,
      ...(c.instance ? { instance: c.instance } : {}),
      host: c.host,
      state: c.state,
      maintenance: c.maintenance,
    })),
  );
}

export async function readAssessment(
  controller: ServiceController,
  target: Target,
  signal: AbortSignal,
): Promise<{ state: ControllerState; assessment: Assessment }> {
  const state = await controller.getState(signal);
  return { state, assessment: assessState(state, target) };
}

/** A probe result from an assessment that is not `done` (the caller decides what `done` needs). */
export function notDoneProbe(assessment: Exclude<Assessment, { status: 'done' }>): ProbeResult {
  return assessment.status === 'blocked'
    ? { status: 'blocked', reason: assessment.reason, hint: assessment.hint }
    : { status: 'todo', reason: assessment.reason };
}

export function controlOptions(ctx: StepContext): ControlOptions {
  let last = '';
  return {
    signal: ctx.signal,
    onProgress: (_percent, text) => {
      if (text === last) return;
      last = text;
      ctx.progress(text);
    },
    confirm: (question) => ctx.confirm(question),
  };
}
