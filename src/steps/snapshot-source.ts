// Step 3: snapshot T1 (`hmsdr-<runid>`) on every configured source path, after deciding per path
// whether the copy will be a bootstrap or incremental — or blocked, before anything changed.
import { PreconditionError } from '../errors/errors.js';
import { hdfsCommands } from '../adapters/hdfs/commands.js';
import { siteSpec } from '../adapters/hdfs/hdfs.js';
import { assessPairs, isSyncSnapshot, syncSnapshotName, type PairFacts, type PathSnapshot } from '../copy/distcp/sync-state.js';
import { dataPairs, hdfsWhere, requireHdfs } from '../copy/pairs.js';
import type { Action, ProbeResult, Step, StepOutput } from './step.js';

// Kept here for the steps that import them from this module.
export { assessPairs, type PairFacts, type PathSnapshot } from '../copy/distcp/sync-state.js';
export { dataPairs, hdfsWhere, requireHdfs } from '../copy/pairs.js';

export interface SnapshotSourceOutput extends StepOutput {
  snapshot: string;
  paths: PathSnapshot[];
}

/**
 * When this run's snapshot already exists on the source, the decision was made before: rebuild it.
 * A target without hmsdr snapshots is then a bootstrap in progress (its partial copy is ours).
 * Undefined when the pair is blocked all the same.
 */
function resumedDecision(f: PairFacts, current: string): PathSnapshot | undefined {
  const taken = f.src.snapshots.find((s) => s.name === current);
  const targetHasOlder = f.dst.snapshots.some((s) => isSyncSnapshot(s.name) && s.name !== current);
  if (f.decision.kind === 'blocked' && targetHasOlder) return undefined;
  const previous = f.decision.kind === 'incremental' ? f.decision.previous : null;
  return {
    source: f.pair.source,
    target: f.pair.target,
    snapshot: current,
    mode: previous ? 'incremental' : 'bootstrap',
    previous,
    takenAt: taken ? new Date(taken.createdMs).toISOString() : null,
  };
}

function blockedProbe(blocked: PairFacts[]): ProbeResult {
  const situations = blocked.map((f) =>
    f.decision.kind === 'blocked' ? `${f.pair.source} → ${f.pair.target}: ${f.decision.situation}` : '',
  );
  const fixes = blocked.map((f) => (f.decision.kind === 'blocked' ? `${f.pair.source}: ${f.decision.fix}` : ''));
  return { status: 'blocked', reason: situations.join('; '), hint: fixes.join('; ') };
}

function createSnapshotSourceStep(): Step {
  return {
    id: 'snapshot-source',
    title: 'Snapshot the source HDFS paths',
    destructive: false,
    plan(config, run): Action[] {
      const source = siteSpec('source', config.source);
      const name = syncSnapshotName(run.id);
      const where = hdfsWhere(config, 'source');
      return dataPairs(config).flatMap((pair): Action[] => [
        ...(config.data.allowSnapshot
          ? [
              {
                kind: 'exec' as const,
                where,
                command: hdfsCommands.allowSnapshot(source, pair.source),
                description: 'only when the directory is not snapshottable yet',
              },
            ]
          : []),
        {
          kind: 'exec',
          where,
          command: hdfsCommands.createSnapshot(source, pair.source, name),
          description: `snapshot T1 of ${pair.source}`,
        },
      ]);
    },
    async probe(ctx) {
      const hdfs = requireHdfs(ctx);
      const current = syncSnapshotName(ctx.run.id);
      const facts = await assessPairs(ctx, hdfs);
      const taken = facts.filter((f) => f.src.snapshots.some((s) => s.name === current));
      const resumed = taken.map((f) => resumedDecision(f, current));
      const blocked = facts.filter((f) => f.decision.kind === 'blocked' && (!taken.includes(f) || resumed[taken.indexOf(f)] === undefined));
      if (blocked.length === 0 && taken.length === facts.length) {
        const output: SnapshotSourceOutput = { snapshot: current, paths: resumed.filter((p): p is PathSnapshot => p !== undefined) };
        return { status: 'done', reason: `snapshot ${current} exists on every source path`, output };
      }
      if (blocked.length > 0) return blockedProbe(blocked);
      return {
        status: 'todo',
        reason: facts.map((f) => `${f.pair.source}: ${f.decision.kind === 'blocked' ? 'blocked' : f.decision.reason}`).join('; '),
      };
    },
    async run(ctx) {
      const hdfs = requireHdfs(ctx);
      const current = syncSnapshotName(ctx.run.id);
      const facts = await assessPairs(ctx, hdfs);
      const paths: PathSnapshot[] = [];
      for (const f of facts) {
        if (f.src.snapshots.some((s) => s.name === current)) {
          const resumed = resumedDecision(f, current);
          if (resumed) {
            paths.push(resumed);
            continue;
          }
        }
        if (f.decision.kind === 'blocked') {
          throw new PreconditionError(`${f.pair.source} → ${f.pair.target}: ${f.decision.situation}`, {
            hint: f.decision.fix,
            stepId: 'snapshot-source',
          });
        }
        if (!f.src.snapshottable) {
          ctx.progress(`allowing snapshots on ${f.pair.source}`);
          await hdfs.source.allowSnapshot(f.pair.source, { signal: ctx.signal });
        }
        ctx.progress(`snapshot ${current} of ${f.pair.source}`);
        await hdfs.source.createSnapshot(f.pair.source, current, { signal: ctx.signal });
        ctx.log.info('hdfs-snapshot', { side: 'source', path: f.pair.source, snapshot: current });
        const taken = (await hdfs.source.listSnapshots(f.pair.source, { signal: ctx.signal })).find((s) => s.name === current);
        paths.push({
          source: f.pair.source,
          target: f.pair.target,
          snapshot: current,
          mode: f.decision.kind,
          previous: f.decision.kind === 'incremental' ? f.decision.previous : null,
          takenAt: taken ? new Date(taken.createdMs).toISOString() : null,
        });
      }
      const output: SnapshotSourceOutput = { snapshot: current, paths };
      return output;
    },
    recovery:
      "Only snapshots were created on the source (read-only views; nothing was copied). Resume: paths that already have this run's snapshot " +
      'are skipped. A "blocked" message names the inconsistent snapshot state and the manual fix (docs/hdfs.md lists them all).',
  };
}

/** Step 3: the source snapshot T1 on every data path. */
export const snapshotSource: Step = createSnapshotSourceStep();
