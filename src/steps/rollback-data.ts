// Rollback and the data: the metastore a rollback puts back must not point at data that is not on
// DR any more (run K's copy applied the source's deletions and renames). rollback-check runs L4 on
// the previous metastore against the live DR tree; the data paths where locations are missing are
// rewound, after Hive is stopped, to the snapshot of the run that restored the previous metastore
// (`hmsdr-<P>`, which it was verified against): a safety snapshot keeps the tree as it was, then
// `distcp -update -rdiff <safety> hmsdr-<P> <target> <target>`. A location missing from that
// snapshot too (pruned by retention, or never there) refuses the rollback: nothing is changed.
import { distcpCommand, hdfsCommands } from '../adapters/hdfs/commands.js';
import { siteSpec } from '../adapters/hdfs/hdfs.js';
import { dataPairs } from '../config/data-paths.js';
import { exclusionPredicate } from '../config/schema-copy.js';
import { hdfsWhere } from '../config/where.js';
import { VerifyError } from '../errors/errors.js';
import { previousDatabase, safetySnapshotName, syncSnapshotName } from '../names/run-names.js';
import { withMetastoreAdmin } from '../adapters/postgres/metastore-admin.js';
import { listLocations } from '../verify/metastore/locations.js';
import { checkLocations } from '../verify/data/presence.js';
import { readFacts, withDrDatabase } from './dr-databases.js';
import { freeSafetyName, rewindSpec, rewindTarget } from './failover-data.js';
import type { Action, Step, StepContext } from './step.js';

/** What rollback-check found about the data the previous metastore points at. */
export interface RollbackDataPlan {
  /** The run whose restore the previous metastore is (null: it has no hmsdr comment). */
  previousRun: string | null;
  locations: number;
  /** Data paths to rewind to the previous run's snapshot, with how many locations are missing there now. */
  rewind: { target: string; snapshot: string; missing: number }[];
}

const MISSING_LISTED = 20;

/** Per data path, the previous metastore's locations missing in the live DR tree (L4 on the live tree). */
async function missingByTarget(ctx: StepContext, locations: readonly string[], snapshot?: string): Promise<Map<string, string[]>> {
  const pairs = dataPairs(ctx.config);
  const excluded = exclusionPredicate(ctx.config.data);
  const report = await checkLocations(ctx.adapters.hdfs.dr, locations, {
    roots: pairs.map((p) => p.target),
    ...(snapshot ? { snapshot } : {}),
    signal: ctx.signal,
    onProgress: (text) => ctx.progress(text),
    exclude: excluded ? (rel, root) => excluded(rel, pairs.find((p) => p.target === root) ?? { source: root }) : undefined,
  });
  const byTarget = new Map<string, string[]>();
  for (const m of report.missing) {
    const target =
      pairs.find((p) => m.checkedPath === p.target || m.checkedPath.startsWith(`${p.target.replace(/\/$/, '')}/`))?.target ?? '';
    byTarget.set(target, [...(byTarget.get(target) ?? []), m.location]);
  }
  return byTarget;
}

/** Read-only: the rewinds the rollback needs, or a VerifyError when the previous metastore's data is gone. */
export async function assessRollbackData(ctx: StepContext, targetRunId: string): Promise<RollbackDataPlan> {
  const previous = previousDatabase(ctx.config.dr.metastore.database, targetRunId);
  const previousRun = await withMetastoreAdmin(
    (db) => ctx.adapters.dr.connect(db, ctx.signal),
    async (admin) => (await readFacts(admin, previous)).restoredBy?.runId ?? null,
  );
  if (!ctx.adapters.hdfs || ctx.config.data.paths.length === 0) return { previousRun, locations: 0, rewind: [] };
  const locations = await previousLocations(ctx, targetRunId);
  const missing = await missingByTarget(ctx, locations);
  if (missing.size === 0) return { previousRun, locations: locations.length, rewind: [] };
  const all = [...missing.values()].flat();
  const snapshot = previousRun ? syncSnapshotName(previousRun) : undefined;
  // Outside every data path nothing can be rewound; inside, the previous run's snapshot must have them.
  const inside = [...missing].filter(([target]) => target !== '').flatMap(([, lost]) => lost);
  const notInSnapshot = snapshot && inside.length > 0 ? [...(await missingByTarget(ctx, inside, snapshot)).values()].flat() : inside;
  const stillMissing = [...(missing.get('') ?? []), ...notInSnapshot];
  if (stillMissing.length > 0)
    throw new VerifyError(
      `rollback refused: ${previous} points at ${all.length} location(s) no longer on DR, ${stillMissing.length} of them not in ${snapshot ? `the snapshot ${snapshot} either (or outside every data path)` : 'any snapshot (the previous metastore has no hmsdr comment)'}`,
      stillMissing.slice(0, MISSING_LISTED).map((l) => `missing on DR: ${l}`),
      {
        stepId: 'rollback-check',
        hint: 'nothing was changed; restore that data on DR first (from an older snapshot or a backup), or keep the current metastore',
      },
    );
  return {
    previousRun,
    locations: locations.length,
    rewind: [...missing].map(([target, lost]) => ({ target, snapshot: snapshot!, missing: lost.length })),
  };
}

export interface RollbackDataOutput extends Record<string, unknown> {
  rewound: { target: string; snapshot: string; safetySnapshot: string }[];
}

/** The plan rollback-check recorded. */
const planOf = (ctx: StepContext): RollbackDataPlan =>
  (ctx.outputs['rollback-check'] as { data?: RollbackDataPlan } | undefined)?.data ?? { previousRun: null, locations: 0, rewind: [] };

export function createRollbackDataStep(targetRunId: string): Step {
  return {
    id: 'rollback-data',
    title: 'Rewind the DR data paths the previous metastore points into to the snapshot it was verified against',
    destructive: true,
    recovery:
      'Each rewind first snapshots the DR tree as it was (hmsdr-safety-<run-id>), so nothing is lost; resume is safe: a path whose locations are all present is left alone.',
    plan(config, run): Action[] {
      const dr = siteSpec('dr', config.dr);
      const where = hdfsWhere(config, 'dr');
      return dataPairs(config).flatMap((pair): Action[] => [
        {
          kind: 'note',
          text: `${pair.target}: only when locations of ${previousDatabase(config.dr.metastore.database, targetRunId)} are missing there (L4 on the live tree)`,
        },
        {
          kind: 'exec',
          where,
          command: hdfsCommands.createSnapshot(dr, pair.target, safetySnapshotName(run.id)),
          description: 'keep the tree as it is',
        },
        {
          kind: 'exec',
          where,
          command: distcpCommand(dr, rewindSpec(config, dr, pair, safetySnapshotName(run.id), 'hmsdr-<previous-run>', run.id)),
          description: 'rewind to the snapshot the previous metastore was verified against',
        },
      ]);
    },
    async probe(ctx) {
      const { rewind } = planOf(ctx);
      if (rewind.length === 0)
        return { status: 'done', reason: 'every location of the previous metastore is on DR', output: { rewound: [] } };
      const missing = await missingByTarget(ctx, await previousLocations(ctx, targetRunId));
      return missing.size === 0
        ? { status: 'done', reason: 'every location of the previous metastore is on DR again', output: { rewound: [] } }
        : { status: 'todo', reason: `${[...missing.values()].flat().length} location(s) of the previous metastore missing on DR` };
    },
    async run(ctx): Promise<RollbackDataOutput> {
      const rewound: RollbackDataOutput['rewound'] = [];
      const hdfs = ctx.adapters.hdfs.dr;
      for (const { target, snapshot } of planOf(ctx).rewind) {
        const pair = dataPairs(ctx.config).find((p) => p.target === target)!;
        const safety = await freeSafetyName(ctx, target);
        await hdfs.createSnapshot(target, safety, { signal: ctx.signal });
        await rewindTarget(ctx, pair, safety, snapshot, 'the tree before the rollback is kept in');
        rewound.push({ target, snapshot, safetySnapshot: safety });
      }
      const left = await missingByTarget(ctx, await previousLocations(ctx, targetRunId));
      if (left.size > 0)
        throw new VerifyError(
          'locations of the previous metastore are still missing on DR after the rewind',
          [...left.values()].flat().slice(0, MISSING_LISTED),
          {
            stepId: 'rollback-data',
            hint: 'the tree before the rollback is kept in the hmsdr-safety snapshots; the metastore was not renamed',
          },
        );
      return { rewound };
    },
    summarize: (output) => {
      const o = output as RollbackDataOutput;
      return o.rewound.length === 0
        ? 'no data path to rewind'
        : o.rewound.map((r) => `${r.target} rewound to ${r.snapshot} (was kept in ${r.safetySnapshot})`).join('; ');
    },
  };
}

function previousLocations(ctx: StepContext, targetRunId: string): Promise<string[]> {
  return withDrDatabase(ctx.adapters.dr, previousDatabase(ctx.config.dr.metastore.database, targetRunId), ctx.signal, listLocations);
}
