// The real runbooks and adapters, as the hmsdr executable (and the lab demo) use them.
import { createAdapters } from '../adapters/create.js';
import { holdDrLock } from '../adapters/dr-lock.js';
import { canonicalRunbook, failbackRunbook, failoverRunbook, rollbackRunbook } from '../steps/index.js';
import type { CliDeps } from './deps.js';

export const defaultDeps: CliDeps = {
  runbook: canonicalRunbook,
  rollbackRunbook,
  failoverRunbook,
  failbackRunbook,
  createAdapters,
  holdDrLock,
};
