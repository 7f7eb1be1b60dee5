// Step 4: bring the DR copy of every data path to the source snapshot T1 with the configured
// data-copy engine (src/copy/), which plans, probes and runs; this step only dispatches to it.
import { copyEngineFor, defaultCopyEngine, type CopyResult } from '../copy/index.js';
import type { ResolvedConfig } from '../config/load.js';
import type { Step } from './step.js';

export type { CopyMode, PathCopyResult } from '../copy/index.js';
/** The step's output (read by verify-staging, verify-live and the report). */
export type CopyDataOutput = CopyResult;

/** With a config, the engine it names; without one, the engine is picked from each call's config. */
export function createCopyDataStep(config?: Pick<ResolvedConfig, 'data'>): Step {
  const fixed = config?.data ? copyEngineFor(config) : undefined;
  const engine = (c: Pick<ResolvedConfig, 'data'>) => fixed ?? copyEngineFor(c);
  const described = fixed ?? defaultCopyEngine();
  return {
    id: 'copy-data',
    title: described.title,
    destructive: true,
    plan: (c, run) => engine(c).plan(c, run),
    probe: (ctx) => engine(ctx.config).probe(ctx),
    run: (ctx) => engine(ctx.config).run(ctx),
    recovery: described.recovery,
  };
}
