// Resuming a run: its ledger checked against today's config and runbook, the steps `--rerun`
// resets, and the true reason a run without --yes is refused.
import { existsSync } from 'node:fs';
import type { ResolvedConfig } from '../config/load.js';
import { PreconditionError } from '../errors/errors.js';
import { runDirectory } from '../names/run-names.js';
import { checkConfigChange } from './config-change.js';
import { Ledger, type RunState } from './ledger.js';
import { needsOf, rerunSet } from './needs.js';
import type { EngineAdapters, Step } from './step.js';

/** What resuming reads of the engine's options. */
export interface ResumeOptions {
  config: ResolvedConfig;
  steps: readonly Step<EngineAdapters>[];
  force?: boolean | undefined;
  rerun?: string | undefined;
}

/** The ledger of the run being resumed, checked against the current config and runbook. */
export function loadResumedLedger(options: ResumeOptions, runId: string): Ledger {
  const { config, steps } = options;
  const order = steps.map((s) => s.id);
  const dir = runDirectory(config.runsDirAbs, runId);
  if (!existsSync(dir)) {
    throw new PreconditionError(`no run ${runId} in ${config.runsDirAbs}`, { hint: 'list the runs with `hmsdr history`' });
  }
  const ledger = Ledger.load(dir);
  const state = ledger.snapshot;
  if (state.configHash !== config.hash && !options.force) checkConfigChange(state, config);
  const unknown = Object.keys(state.steps).filter((id) => !order.includes(id));
  if (unknown.length > 0) {
    throw new PreconditionError(`run ${state.runId} recorded steps this version of hmsdr does not know: ${unknown.join(', ')}`);
  }
  return ledger;
}

/** The steps `--rerun` resets, checked before anything is written (an unsafe re-run is refused). */
export function rerunIds(options: ResumeOptions, resumed: Ledger | undefined): string[] {
  if (options.rerun === undefined) return [];
  if (!resumed) throw new PreconditionError('--rerun needs a run to resume', { hint: 'hmsdr resume <run-id> --rerun STEP' });
  const destructive = new Set(options.steps.filter((s) => s.destructive).map((s) => s.id));
  return rerunSet({ ...resumed.snapshot, order: options.steps.map((s) => s.id) }, needsOf(options.steps), destructive, options.rerun);
}

/** The true reason a run without --yes is refused: no terminal, or a run that is unattended by nature. */
export function refusalWithoutYes(mode: string, resumed: RunState | undefined, destructive: string[]): string {
  const steps = `destructive steps (${destructive.join(', ')})`;
  if (!process.stdin.isTTY || !process.stdout.isTTY) return `not a terminal and --yes not given: refusing to run ${steps}`;
  if (resumed?.unattended || resumed?.mode === 'rehearse')
    return `run ${resumed.runId} was started unattended (${resumed.mode} --yes): resume it with --yes to run ${steps}`;
  return `a ${mode} is unattended and --yes was not given: refusing to run ${steps}`;
}
