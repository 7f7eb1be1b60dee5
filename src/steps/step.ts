// The engine's Step and StepContext bound to the adapters steps use: every step imports its types
// from here, so the engine (src/runbook) never imports src/adapters.
import type { Adapters } from '../adapters/index.js';
import type * as Engine from '../runbook/step.js';

export type Step = Engine.Step<Adapters>;
export type StepContext = Engine.StepContext<Adapters>;
export type { Action } from '../actions/action.js';
export type { EventLog, ProbeResult, RunInfo, StepOutput } from '../runbook/step.js';
