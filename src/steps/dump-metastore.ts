// Step 2: take the source metastore at time T0, rewrite NameNode URIs and move it to the DR side —
// how is the configured transfer's business (src/transfer: staged, streamed or parallel).
import type { ResolvedConfig } from '../config/load.js';
import { transferFor, type DumpOutput } from '../transfer/index.js';
import type { Action, RunInfo, Step, StepContext } from './step.js';

// What dump-metastore records (defined with the transfers that produce it).
export type { DumpEvidence, DumpOutput, ParallelDumpOutput, StagedDumpOutput } from '../transfer/index.js';

export const dumpMetastore: Step = {
  id: 'dump-metastore',
  title: 'Dump the source metastore, rewrite NameNode URIs, stage the dump on the DR side',
  destructive: false,
  recovery:
    'The live DR metastore was not touched. Staged transfer: a failed or cut-off dump leaves at most a <file>.part in the staging directory, never a complete-looking file. ' +
    'Parallel transfer: the staging database it was filling was dropped (if the DR server could not be reached for that, resume drops it). ' +
    'Check the source database, the DR server and the network; on resume the step starts again from a fresh pg_dump / snapshot.',
  plan(config: ResolvedConfig, run: RunInfo): Action[] {
    return transferFor(config).plan(config, run);
  },
  async probe() {
    // No cheap proof that a staged file is this run's complete dump: always dump again (to .part).
    return { status: 'todo', reason: 'a dump is always taken fresh' };
  },
  async run(ctx: StepContext): Promise<DumpOutput> {
    return transferFor(ctx.config).run(ctx);
  },
};
