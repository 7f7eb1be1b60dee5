// The commands hmsdr tells the operator to type next: one builder each, used by the engine's
// messages, `hmsdr status` and the run reports, so they never disagree.
import type { RunState } from './ledger.js';

const withConfig = (configFile: string | null | undefined): string => (configFile ? ` --config ${configFile}` : '');

/** What the next commands are built from: a run's ledger (older ledgers lack `unattended`). */
export type RunRef = Pick<RunState, 'runId' | 'configFile'> & Partial<Pick<RunState, 'mode' | 'unattended'>>;

/** The command that continues a run, as it must be typed for that run: --yes for one started unattended. */
export const resumeCommand = (run: RunRef): string =>
  `hmsdr resume ${run.runId}${run.unattended || run.mode === 'rehearse' ? ' --yes' : ''}${withConfig(run.configFile)}`;

export const rollbackCommand = (run: Pick<RunRef, 'runId' | 'configFile'>): string => `hmsdr rollback ${run.runId}${withConfig(run.configFile)}`;
