// Step 4: bring the DR copy of every data path to the source snapshot T1 with the configured
// data-copy engine (src/copy/), which plans, probes and runs; this step dispatches to it and, on a
// Hadoop 2.7 client, proves the copy before it counts as done (copy-proof.ts).
import { copyEngineFor, defaultCopyEngine, type CopyResult } from '../copy/index.js';
import type { ResolvedConfig } from '../config/load.js';
import type { Step } from './step.js';
import { assertCopyOn27, proveCopyOn27 } from './copy-proof.js';

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
    probe: async (ctx) => {
      const probed = await engine(ctx.config).probe(ctx);
      if (probed.status !== 'done') return probed;
      // Hadoop 2.7: a copy counts as done only once proven (see copy-proof.ts).
      const { differences, hint } = await proveCopyOn27(ctx, probed.output as CopyResult);
      return differences.length === 0
        ? probed
        : { status: 'blocked', reason: `the target differs from the source snapshot: ${differences.slice(0, 5).join('; ')}`, hint };
    },
    run: async (ctx) => {
      const result = await engine(ctx.config).run(ctx);
      await assertCopyOn27(ctx, result);
      return result;
    },
    recovery: described.recovery,
  };
}
