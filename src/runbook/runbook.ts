// The canonical DR flow of DESIGN.md, in order. Each step lives in src/steps/<id>.ts.
// Metadata never points at data that is not there: the dump (T0) comes before the data snapshot
// (T1), data is copied before the new metastore goes live, and only verified databases are swapped.
import type { ResolvedConfig } from '../config/load.js';
import { createCopyDataStep } from '../steps/copy-data.js';
import { dumpMetastore } from '../steps/dump-metastore.js';
import { preflight } from '../steps/preflight.js';
import { createReportStep } from '../steps/report.js';
import { restoreStaging } from '../steps/restore-staging.js';
import { createRollbackCheckStep, createRollbackMetastoreStep } from '../steps/rollback-metastore.js';
import { createSnapshotSourceStep } from '../steps/snapshot-source.js';
import { startHiveStep } from '../steps/start-hive.js';
import { stopHiveStep } from '../steps/stop-hive.js';
import { swapMetastore } from '../steps/swap-metastore.js';
import { verifyLive } from '../steps/verify-live.js';
import { verifyStaging } from '../steps/verify-staging.js';
import type { Step } from './step.js';

export function canonicalRunbook(_config: ResolvedConfig): Step[] {
  const steps = [
    preflight,
    dumpMetastore,
    createSnapshotSourceStep(),
    createCopyDataStep(),
    restoreStaging,
    verifyStaging,
    stopHiveStep,
    swapMetastore,
    startHiveStep,
    verifyLive,
  ];
  return [...steps, createReportStep(steps)];
}

/** `hmsdr rollback <run-id>`: checked first (nothing stops when it is impossible), then Hive is stopped around the renames. */
export function rollbackRunbook(_config: ResolvedConfig, runId: string): Step[] {
  return [createRollbackCheckStep(runId), stopHiveStep, createRollbackMetastoreStep(runId), startHiveStep];
}
