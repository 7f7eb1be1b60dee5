// The real runbooks and adapters, as the hmsdr executable (and the lab demo) use them.
import { createAdapters } from '../adapters/create.js';
import { holdDrLock } from '../adapters/dr-lock.js';
import { canonicalRunbook, rollbackRunbook } from '../steps/index.js';
import type { CliDeps } from './deps.js';

export const defaultDeps: CliDeps = { runbook: canonicalRunbook, rollbackRunbook, createAdapters, holdDrLock };
