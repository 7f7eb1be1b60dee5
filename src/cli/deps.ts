// What the CLI needs from the rest of hmsdr; injected so tests can drive the real CLI with their own steps.
import type { HeldDrLock } from '../adapters/dr-lock.js';
import type { Adapters } from '../adapters/index.js';
import type { ResolvedConfig } from '../config/load.js';
import type { RunInfo, Step } from '../steps/step.js';
import type { FailoverOptions } from '../steps/failover-check.js';

export interface CliDeps {
  /** The ordered steps of a run for this config. */
  runbook(config: ResolvedConfig): Step[];
  /** The steps that undo run `runId`'s swap. */
  rollbackRunbook(config: ResolvedConfig, runId: string): Step[];
  /** The steps of `hmsdr failover` (optional: only the real CLI fails over). */
  failoverRunbook?(config: ResolvedConfig, options: FailoverOptions): Step[];
  /** The steps of `hmsdr failback` (optional: only the real CLI fails back). */
  failbackRunbook?(config: ResolvedConfig): Step[];
  /** Real adapters for a run (created after the lock is held). */
  createAdapters(config: ResolvedConfig, run: RunInfo): Adapters | Promise<Adapters>;
  /** The cross-host lock on the DR server for run `runId` (absent: only the file lock). */
  holdDrLock?(config: ResolvedConfig, runId: string): Promise<HeldDrLock>;
}
