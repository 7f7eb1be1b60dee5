// The ports steps see. Real implementations are created in src/cli (createAdapters); tests pass fakes.
// Each outside system adds its port here as its adapter lands.
import type { Executor } from './executor.js';

export interface Adapters {
  /** Runs commands on this machine. */
  readonly local: Executor;
}
