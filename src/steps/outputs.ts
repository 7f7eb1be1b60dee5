// Reading what earlier steps recorded: optional outputs, and the ones a step cannot run without.
import { PreconditionError } from '../errors/errors.js';
import type { StepContext, StepOutput } from './step.js';

/** The recorded output of `stepId`, if it ran. */
export const outputOf = <T extends StepOutput>(ctx: Pick<StepContext, 'outputs'>, stepId: string): T | undefined => ctx.outputs[stepId] as T | undefined;

/** The recorded output of `stepId`; blocked (exit 4, nothing changed) when it has not run. */
export function requireOutput<T extends StepOutput>(ctx: Pick<StepContext, 'outputs'>, stepId: string, by: string): T {
  const output = outputOf<T>(ctx, stepId);
  if (!output) throw new PreconditionError(`${by} needs the output of ${stepId}, which has not run`, { hint: 'resume the run: the missing step runs first' });
  return output;
}
