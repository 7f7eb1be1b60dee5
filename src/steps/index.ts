// The runbooks: the canonical DR flow of DESIGN.md, in order, and the rollback. Each step lives in
// src/steps/<id>.ts; the engine (src/runbook) is handed these lists by the CLI.
// Metadata never points at data that is not there: the dump (T0) comes before the data snapshot
// (T1), data is copied before the new metastore goes live, and only verified databases are swapped.
import type { ResolvedConfig } from '../config/load.js';
import { createCopyDataStep } from './copy-data.js';
import { createFailoverCheckStep, type FailoverOptions } from './failover-check.js';
import { failoverDataStep } from './failover-data.js';
import { failbackRecordStep } from './failback-record.js';
import { failbackRewindStep } from './failback-rewind.js';
import { failoverRecordStep } from './failover-record.js';
import { failoverStopHiveStep, failoverSwapStep } from './failover-swap.js';
import { dumpMetastore } from './dump-metastore.js';
import { createPreflight, preflight } from './preflight.js';
import { createReportStep } from './report.js';
import { restoreStaging } from './restore-staging.js';
import { createRollbackCheckStep, createRollbackMetastoreStep } from './rollback-metastore.js';
import { createRollbackDataStep } from './rollback-data.js';
import { snapshotSource } from './snapshot-source.js';
import { startHiveStep } from './start-hive.js';
import { stopHiveStep } from './stop-hive.js';
import { swapMetastore } from './swap-metastore.js';
import { verifyLive } from './verify-live.js';
import { verifyStaging } from './verify-staging.js';
import type { Step } from './step.js';
import { summarizeOutput } from './summaries.js';

/**
 * What each step needs of the steps before it (Step.needs): the output it reads or the effect it
 * works on. Skipping one of these is warned at the prompt and stops the dependent step until re-run.
 */
const NEEDS: Readonly<Record<string, readonly string[]>> = {
  'copy-data': ['snapshot-source'],
  'restore-staging': ['dump-metastore'],
  'verify-staging': ['restore-staging', 'copy-data'],
  'swap-metastore': ['restore-staging'],
  'verify-live': ['dump-metastore'],
  'rollback-data': ['rollback-check'],
  'rollback-metastore': ['rollback-check'],
};

/** A runbook step with its needs and its one-line result for the terminal. */
const withNeeds = (step: Step): Step => ({
  ...step,
  ...(NEEDS[step.id] && !step.needs ? { needs: NEEDS[step.id] } : {}),
  summarize: step.summarize ?? ((output) => summarizeOutput(step.id, output)),
});

/** The DR flow of DESIGN.md; `failback` adds failback-rewind before it and the failback record after it. */
function flowSteps(config: ResolvedConfig, failback: boolean): Step[] {
  return [
    failback ? createPreflight({ failback }) : preflight,
    ...(failback ? [failbackRewindStep] : []),
    dumpMetastore,
    failback ? { ...snapshotSource, needs: ['failback-rewind'] } : snapshotSource,
    createCopyDataStep(config),
    restoreStaging,
    verifyStaging,
    stopHiveStep,
    swapMetastore,
    startHiveStep,
    verifyLive,
    ...(failback ? [failbackRecordStep] : []),
  ];
}

export function canonicalRunbook(config: ResolvedConfig): Step[] {
  const steps = flowSteps(config, false);
  return [...steps.map(withNeeds), createReportStep(steps)];
}

/** `hmsdr rollback <run-id>`: checked first (nothing stops when it is impossible), then Hive is stopped around the renames. */
export function rollbackRunbook(_config: ResolvedConfig, runId: string): Step[] {
  return [
    createRollbackCheckStep(runId),
    stopHiveStep,
    createRollbackDataStep(runId),
    createRollbackMetastoreStep(runId),
    startHiveStep,
  ].map(withNeeds);
}

/**
 * `hmsdr failback` with the `init --reverse` config (DR is the source, production the target): the
 * canonical flow, after production is rewound to the last snapshot both sides share (what it held
 * is kept), and closed by the failback record.
 */
export function failbackRunbook(config: ResolvedConfig): Step[] {
  const steps = flowSteps(config, true);
  return [...steps.map(withNeeds), createReportStep(steps)];
}

/** `hmsdr failover`: DR only (the source is never contacted); refused (exit 5) when DR is NOT-SAFE unless accepted. */
export function failoverRunbook(_config: ResolvedConfig, options: FailoverOptions): Step[] {
  return [
    createFailoverCheckStep(options),
    failoverStopHiveStep,
    failoverSwapStep,
    failoverDataStep,
    startHiveStep,
    failoverRecordStep,
  ].map(withNeeds);
}
