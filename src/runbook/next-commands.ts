// The commands hmsdr tells the operator to type next: one builder each, used by the engine's
// messages, `hmsdr status` and the run reports, so they never disagree.
import type { RunState } from './ledger.js';
import { blockingSkip } from './needs.js';

const withConfig = (configFile: string | null | undefined): string => (configFile ? ` --config ${configFile}` : '');

/** What the next commands are built from: a run's ledger (older ledgers lack `unattended`). */
export type RunRef = Pick<RunState, 'runId' | 'configFile'> & Partial<Pick<RunState, 'mode' | 'unattended'>>;

/** The command that continues a run, as it must be typed for that run: --yes for one started unattended. */
export const resumeCommand = (run: RunRef): string =>
  `hmsdr resume ${run.runId}${run.unattended || run.mode === 'rehearse' ? ' --yes' : ''}${withConfig(run.configFile)}`;

/** `resume --rerun`: re-run a skipped or done step (and the steps that need it). */
export const rerunCommand = (run: RunRef, stepId: string): string =>
  `hmsdr resume ${run.runId} --rerun ${stepId}${run.unattended || run.mode === 'rehearse' ? ' --yes' : ''}${withConfig(run.configFile)}`;

/** The command that gets a stopped run out: a re-run of a skipped step a later step needs, else a plain resume. */
export const wayOutCommand = (run: RunRef & Pick<RunState, 'order' | 'steps' | 'needs'>): string => {
  const skipped = blockingSkip(run);
  return skipped ? rerunCommand(run, skipped) : resumeCommand(run);
};

export const rollbackCommand = (run: Pick<RunRef, 'runId' | 'configFile'>): string =>
  `hmsdr rollback ${run.runId}${withConfig(run.configFile)}`;
