// The metastore transfers (restore.transfer), each a module implementing Transfer: the config picks
// the one a run uses; a recorded dump-metastore output names the one that produced it.
import type { ResolvedConfig } from '../config/load.js';
import type { DumpOutput, StagedDumpOutput } from './evidence.js';
import { parallel } from './parallel/index.js';
import { staged } from './staged.js';
import { streamed } from './streamed.js';
import type { Transfer, TransferName } from './transfer.js';

export type { Transfer, TransferContext, TransferName, RestoredFacts } from './transfer.js';
export type { DumpEvidence, DumpOutput, ParallelDumpOutput, StagedDumpOutput } from './evidence.js';

const TRANSFERS: Readonly<Record<TransferName, Transfer>> = { staged, streamed, parallel };

/** The transfer this config's runs use. */
export const transferFor = (config: ResolvedConfig): Transfer => TRANSFERS[config.restore.transfer];

/** The transfer that recorded `dump` (outputs from before `transfer` was recorded are staged). */
export const transferOf = (dump: DumpOutput): Transfer => TRANSFERS[dump.transfer ?? 'staged'];

/** True when `dump` left a dump file in the DR staging directory (restore-staging can restore it). */
export const hasDumpFile = (dump: DumpOutput): dump is StagedDumpOutput => transferOf(dump).needsDumpFile;
