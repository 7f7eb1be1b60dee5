// Real adapters for a run, built from the config. The only place that wires implementations to ports.
import type { ResolvedConfig } from '../config/load.js';
import type { RunInfo } from '../runbook/step.js';
import { localExecutor } from './executor.js';
import type { Adapters } from './index.js';

export function createAdapters(_config: ResolvedConfig, _run: RunInfo): Adapters {
  return { local: localExecutor };
}
