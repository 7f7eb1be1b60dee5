// Failback, last step: the failback record (failback.json) and its report (failback.md,
// failback.html): what production serves, production's writes that never reached DR (kept in
// snapshots), and whether both sides hold this run's snapshot, so that the next normal rehearsal
// copies incrementally instead of starting again from a bootstrap.
import { join } from 'node:path';
import type { PathCopyResult } from '../copy/engine.js';
import { syncSnapshotName } from '../names/run-names.js';
import { renderFailbackHtml, renderFailbackMarkdown, type FailbackRecord } from '../report/failback.js';
import { writeFileAtomic } from '../runbook/ledger.js';
import { dataPairs } from '../config/data-paths.js';
import type { FailbackRewindOutput } from './failback-rewind.js';
import type { Step, StepContext } from './step.js';

export const FAILBACK_RECORD = 'failback.json';

async function holds(ctx: StepContext, side: 'source' | 'dr', dir: string, name: string): Promise<boolean> {
  return (await ctx.adapters.hdfs[side].listSnapshots(dir, { signal: ctx.signal })).some((s) => s.name === name);
}

/** The record from the steps' outputs and both sides' snapshots, at `now`. */
export async function failbackRecord(ctx: StepContext, now: Date): Promise<FailbackRecord> {
  const rewind = ctx.outputs['failback-rewind'] as FailbackRewindOutput | undefined;
  const copied = (ctx.outputs['copy-data'] as { paths?: PathCopyResult[] } | undefined)?.paths ?? [];
  const swap = ctx.outputs['swap-metastore'] as { previous?: string | null } | undefined;
  const snapshot = syncSnapshotName(ctx.run.id);
  const paths = await Promise.all(
    dataPairs(ctx.config).map(async (pair) => {
      const r = rewind?.paths.find((p) => p.target === pair.target);
      const [onDr, onProd] = await Promise.all([holds(ctx, 'source', pair.source, snapshot), holds(ctx, 'dr', pair.target, snapshot)]);
      return {
        source: pair.source,
        target: pair.target,
        common: r?.common ?? null,
        kept: r?.kept ?? null,
        renamed: r?.renamed ?? [],
        unreplicated: r?.unreplicated ?? [],
        unreplicatedCount: r?.unreplicatedCount ?? 0,
        rewound: r?.rewound ?? false,
        snapshot,
        copyMode: copied.find((c) => c.target === pair.target)?.mode ?? null,
        nextIncremental: onDr && onProd,
      };
    }),
  );
  return {
    version: 1,
    runId: ctx.run.id,
    startedAt: ctx.run.startedAt,
    finishedAt: now.toISOString(),
    metastore: { database: ctx.config.dr.metastore.database, restoredFromRun: ctx.run.id, previous: swap?.previous ?? null },
    paths,
    durationMs: now.getTime() - Date.parse(ctx.run.startedAt),
  };
}

export const failbackRecordStep: Step = {
  id: 'failback-record',
  title: 'Write the failback record (production’s unreplicated writes, the next normal run incremental)',
  destructive: false,
  recovery: 'Only files in the run directory are written; resume writes them again.',
  plan: (_config, run) => [
    {
      kind: 'note',
      text: `${join(run.dir, FAILBACK_RECORD)}, failback.md and failback.html: production's writes that never reached DR and where they are kept; whether both sides hold ${syncSnapshotName(run.id)}`,
    },
  ],
  async probe() {
    return { status: 'todo', reason: 'written at the end of every failback' };
  },
  async run(ctx) {
    const record = await failbackRecord(ctx, new Date());
    const file = join(ctx.run.dir, FAILBACK_RECORD);
    writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
    writeFileAtomic(join(ctx.run.dir, 'failback.md'), renderFailbackMarkdown(record));
    writeFileAtomic(join(ctx.run.dir, 'failback.html'), renderFailbackHtml(record));
    const unreplicated = record.paths.reduce((n, p) => n + p.unreplicatedCount, 0);
    const nextIncremental = record.paths.every((p) => p.nextIncremental);
    ctx.log.info('failback-record', { file, unreplicated, nextIncremental });
    return { file, unreplicated, nextIncremental };
  },
  summarize: (output) => {
    const o = output as { file: string; unreplicated: number; nextIncremental: boolean };
    return `${o.unreplicated} unreplicated production change(s) kept; next normal rehearsal ${o.nextIncremental ? 'incremental' : 'NOT incremental'}; ${o.file}`;
  },
};
