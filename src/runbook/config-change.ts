// Resuming after the config changed: which keys changed, and whether that is safe (see src/config/changes.ts).
import type { ResolvedConfig } from '../config/load.js';
import { configValues, diffConfig } from '../config/changes.js';
import { PreconditionError } from '../errors/errors.js';
import type { Ledger, RunState } from './ledger.js';

/**
 * The config changed since the run started. Where the run stored its config, name the keys that
 * changed: connection details, secret sources and timeouts are safe (fix the config, then resume),
 * anything else is refused without --force. An older ledger without the values is refused as before.
 */
export function checkConfigChange(state: RunState, config: ResolvedConfig): void {
  const changes = state.configValues ? diffConfig(state.configValues, configValues(config)) : [];
  const unsafe = changes.filter((c) => !c.safe).map((c) => c.key);
  if (changes.length > 0 && unsafe.length === 0) return;
  const named = changes.length === 0 ? '' : `: ${unsafe.join(', ')} ${unsafe.length === 1 ? 'differs' : 'differ'}`;
  const safe = changes.filter((c) => c.safe).map((c) => c.key);
  throw new PreconditionError(`the configuration changed since run ${state.runId} started (${state.configFile})${named}`, {
    hint:
      `resuming with ${changes.length === 0 ? 'a different configuration' : 'different rewrite rules, data paths, databases or strategies'} can mix two plans; ` +
      `start a new run, or pass --force if the change is harmless` +
      (safe.length > 0 ? ` (safe to change in a run: ${safe.join(', ')})` : '') +
      `. Connection details, passwords and timeouts may change without --force.`,
  });
}

/** Record the changed config in the resumed run (its keys, for the event log); later resumes compare with it. */
export function acceptChangedConfig(ledger: Ledger, config: ResolvedConfig): string[] {
  const before = ledger.snapshot.configValues;
  const values = configValues(config);
  ledger.acceptConfig(config.hash, values);
  return before ? diffConfig(before, values).map((c) => c.key) : ['(unknown keys: the run did not store its config)'];
}
