// Failover, last step: the failover record (failover.json) and its report (failover.md,
// failover.html) in the run directory: what DR serves, T0/T1, RPO = now − T0, RTO = the failover's
// duration, what was repaired, and an accepted NOT-SAFE verdict with its reasons.
import { join } from 'node:path';
import { renderFailoverHtml, renderFailoverMarkdown, type FailoverRecord } from '../report/failover.js';
import { writeFileAtomic } from '../runbook/ledger.js';
import { failoverCheckOf } from './failover-check.js';
import type { FailoverDataOutput } from './failover-data.js';
import type { FailoverSwapOutput } from './failover-swap.js';
import type { Step, StepContext } from './step.js';

export const FAILOVER_RECORD = 'failover.json';

/** The record from the steps' outputs, at `now`. */
export function failoverRecord(ctx: Pick<StepContext, 'outputs' | 'run' | 'config' | 'adapters'>, now: Date): FailoverRecord {
  const check = failoverCheckOf(ctx);
  const swap = ctx.outputs['failover-swap'] as FailoverSwapOutput | undefined;
  const data = ctx.outputs['failover-data'] as FailoverDataOutput | undefined;
  const start = ctx.outputs['start-hive'] as { controller?: string } | undefined;
  const t0 = check.manifest?.t0 ?? null;
  const t0Ms = t0 === null ? Number.NaN : Date.parse(t0);
  return {
    version: 1,
    runId: ctx.run.id,
    startedAt: ctx.run.startedAt,
    finishedAt: now.toISOString(),
    serving: {
      database: ctx.config.dr.metastore.database,
      runId: check.manifest?.runId ?? check.live.runId,
      t0,
      t1: check.manifest?.t1 ?? null,
      manifest: check.manifest?.file ?? null,
      manifestSha256: check.manifest?.sha256 ?? null,
    },
    verdict: check.verdict,
    acceptedNotSafe: check.acceptedNotSafe,
    acceptedReasons: check.acceptedNotSafe ? check.reasons : [],
    swapped: check.swap && swap?.swapped ? { ...check.swap, previous: swap.previous } : null,
    declinedSwap: check.declinedSwap,
    rewound: (data?.rewound ?? [])
      .filter((r) => r.safetySnapshot)
      .map((r) => ({ target: r.target, snapshot: r.snapshot, safetySnapshot: r.safetySnapshot })),
    hive: { controller: start?.controller ?? ctx.adapters.serviceControl.kind, started: start !== undefined },
    rpoMs: Number.isNaN(t0Ms) ? null : now.getTime() - t0Ms,
    rtoMs: now.getTime() - Date.parse(ctx.run.startedAt),
  };
}

export const failoverRecordStep: Step = {
  id: 'failover-record',
  title: 'Write the failover record and report (what DR serves, T0/T1, RPO, RTO)',
  destructive: false,
  recovery: 'Only files in the run directory are written; resume writes them again.',
  plan: (_config, run) => [
    {
      kind: 'note',
      text: `${join(run.dir, FAILOVER_RECORD)}, failover.md and failover.html: DR's T0/T1, RPO = now − T0, RTO = the failover's duration`,
    },
  ],
  async probe() {
    return { status: 'todo', reason: 'written at the end of every failover' };
  },
  async run(ctx) {
    const record = failoverRecord(ctx, new Date());
    const file = join(ctx.run.dir, FAILOVER_RECORD);
    writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
    writeFileAtomic(join(ctx.run.dir, 'failover.md'), renderFailoverMarkdown(record));
    writeFileAtomic(join(ctx.run.dir, 'failover.html'), renderFailoverHtml(record));
    ctx.log.info('failover-record', { ...record });
    return { file, servingRunId: record.serving.runId, t0: record.serving.t0, rpoMs: record.rpoMs, rtoMs: record.rtoMs };
  },
  summarize: (output) => {
    const o = output as { file: string; servingRunId: string | null; rpoMs: number | null; rtoMs: number };
    const minutes = (ms: number | null): string => (ms === null ? '—' : `${Math.round(ms / 1000)} s`);
    return `DR serves run ${o.servingRunId ?? '—'}: RPO ${minutes(o.rpoMs)}, RTO ${minutes(o.rtoMs)}; ${o.file}`;
  },
};
