// Failback, before anything is copied home: for every path, production (the failback's target) goes
// back to the last snapshot both sides share, so that DR's writes can follow by snapshot diff.
// Nothing production holds is lost: its tree as found is kept in `hmsdr-kept-<run-id>` (the writes
// made after its last replication are listed in the failback record: never replicated, the
// operator decides about them), and its snapshots of runs whose copy never reached DR are renamed
// `hmsdr-kept-<run-id>-<name>`. Then `distcp -update -rdiff <kept> <common> <target> <target>`
// rewinds it, and <common> is taken again on the rewound tree: DistCp's -diff wants a target
// unchanged since <from> in snapshot-diff terms, which a rewound tree (new inodes) is not.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { distcpCommand, hdfsCommands, snapshotPath } from '../adapters/hdfs/commands.js';
import { siteSpec, type HdfsPort } from '../adapters/hdfs/hdfs.js';
import type { SnapshotDiffEntry } from '../adapters/hdfs/parse.js';
import { dataPairs, type PathPair } from '../config/data-paths.js';
import { hdfsWhere } from '../config/where.js';
import { PreconditionError, VerifyError } from '../errors/errors.js';
import { keptSnapshotName } from '../names/run-names.js';
import { commonSnapshot } from '../copy/distcp/sync-state.js';
import { writeFileAtomic } from '../runbook/ledger.js';
import { rewindSpec, rewindTarget } from './failover-data.js';
import type { Action, Step, StepContext } from './step.js';

/** The record of one path: what production held, and where it is kept. */
export interface FailbackPath {
  source: string;
  target: string;
  /** The newest hmsdr snapshot on both sides: where production is rewound to, the -diff's <from>. */
  common: string;
  /** Production's tree as found (null: it was still at <common>, nothing to keep). */
  kept: string | null;
  /** Production's snapshots newer than <common> that DR never received, renamed to keep them. */
  renamed: { from: string; to: string }[];
  /** What production wrote after <common> (`hdfs snapshotDiff <target> <common> <kept>`), at most UNREPLICATED_LISTED. */
  unreplicated: SnapshotDiffEntry[];
  unreplicatedCount: number;
  /** Rewound with -rdiff and <common> taken again on the rewound tree. */
  rewound: boolean;
}

export interface FailbackRewindOutput extends Record<string, unknown> {
  paths: FailbackPath[];
}

/** The record lists this many changes per path; failback-paths.json in the run directory has them all. */
export const UNREPLICATED_LISTED = 200;
/** Written as each path progresses, so a resume neither lists nor renames twice. */
const PATHS_FILE = 'failback-paths.json';

type Progress = Record<string, FailbackPath & { entries: SnapshotDiffEntry[]; anchoring?: boolean }>;

function readProgress(ctx: StepContext): Progress {
  const file = join(ctx.run.dir, PATHS_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Progress) : {};
}

const saveProgress = (ctx: StepContext, progress: Progress): void =>
  writeFileAtomic(join(ctx.run.dir, PATHS_FILE), `${JSON.stringify(progress, null, 2)}\n`);

async function sameTree(hdfs: HdfsPort, target: string, snapshot: string, ctx: StepContext): Promise<boolean> {
  const [live, then] = await Promise.all([
    hdfs.summary(target, { signal: ctx.signal }),
    hdfs.summary(snapshotPath(target, snapshot), { signal: ctx.signal }),
  ]);
  return live !== undefined && then !== undefined && live.files === then.files && live.bytes === then.bytes && live.dirs === then.dirs;
}

async function rewindPath(ctx: StepContext, pair: PathPair, progress: Progress): Promise<FailbackPath> {
  const { source: dr, dr: prod } = ctx.adapters.hdfs; // the failback config: DR is the source, production the target
  const opts = { signal: ctx.signal };
  const target = pair.target;
  const earlier = progress[target];
  // A resume after <common> was deleted and before it was taken again: the tree was proven equal to it.
  if (earlier?.anchoring) {
    const names = (await prod.listSnapshots(target, opts)).map((s) => s.name);
    if (!names.includes(earlier.common)) await prod.createSnapshot(target, earlier.common, opts);
    const done = { ...earlier, anchoring: false, rewound: true };
    ctx.log.info('hdfs-snapshot', { side: 'dr', path: target, snapshot: earlier.common, why: 'the -diff baseline on the rewound tree' });
    progress[target] = done;
    saveProgress(ctx, progress);
    return done;
  }
  const [onDr, onProd] = await Promise.all([dr.listSnapshots(pair.source, opts), prod.listSnapshots(target, opts)]);
  const { common, newer } = commonSnapshot(
    onDr.map((s) => s.name),
    onProd.map((s) => s.name),
  );
  if (!common)
    throw new PreconditionError(
      `${target}: production and DR (${pair.source}) share no hmsdr snapshot, so DR's writes cannot go home by snapshot diff`,
      {
        hint: `move production's copy aside (hdfs dfs -mv ${target} ${target}.before-failback) and run the failback again: it then copies ${pair.source} in full`,
      },
    );
  const changes = (await prod.snapshotDiff(target, common, '.', opts)).entries;
  const kept = earlier?.kept ?? (changes.length > 0 || newer.length > 0 ? keptSnapshotName(ctx.run.id) : null);
  const record: FailbackPath & { entries: SnapshotDiffEntry[] } = earlier ?? {
    source: pair.source,
    target,
    common,
    kept,
    renamed: [],
    unreplicated: [],
    unreplicatedCount: 0,
    rewound: false,
    entries: [],
  };
  if (kept && !onProd.some((s) => s.name === kept)) {
    await prod.createSnapshot(target, kept, opts);
    ctx.log.info('hdfs-snapshot', {
      side: 'dr',
      path: target,
      snapshot: kept,
      why: 'keeps production as found before the failback rewinds it',
    });
  }
  // Listed once per run (also when a killed attempt took the snapshot but never recorded the list).
  if (kept && !earlier) {
    record.entries = (await prod.snapshotDiff(target, common, kept, opts)).entries;
    record.unreplicatedCount = record.entries.length;
    record.unreplicated = record.entries.slice(0, UNREPLICATED_LISTED);
  }
  for (const name of newer) {
    const to = keptSnapshotName(ctx.run.id, name);
    await prod.renameSnapshot(target, name, to, opts);
    record.renamed.push({ from: name, to });
  }
  progress[target] = record;
  saveProgress(ctx, progress);
  if (changes.length === 0) return record;
  if (!kept) throw new Error(`${target}: changed since ${common} with nothing kept`); // unreachable: kept is set when changes exist
  await rewindTarget(ctx, pair, kept, common, 'production as found is kept in');
  if (!(await sameTree(prod, target, common, ctx)))
    throw new VerifyError(`${target} still differs from its snapshot ${common} after the -rdiff rewind`, [], {
      stepId: 'failback-rewind',
      hint: `production as found is kept in ${target}/.snapshot/${kept}`,
    });
  // The rewound tree equals <common>: make it the -diff baseline again (recorded first, for a resume in between).
  progress[target] = { ...record, anchoring: true };
  saveProgress(ctx, progress);
  await prod.deleteSnapshot(target, common, opts);
  await prod.createSnapshot(target, common, opts);
  const done = { ...record, rewound: true };
  progress[target] = done;
  saveProgress(ctx, progress);
  return done;
}

/** Production is ready when its newest hmsdr snapshot is on DR too and nothing changed since. */
async function ready(ctx: StepContext, pair: PathPair): Promise<string | undefined> {
  const { source: dr, dr: prod } = ctx.adapters.hdfs;
  const opts = { signal: ctx.signal };
  const [onDr, onProd] = await Promise.all([dr.listSnapshots(pair.source, opts), prod.listSnapshots(pair.target, opts)]);
  const { common, newer } = commonSnapshot(
    onDr.map((s) => s.name),
    onProd.map((s) => s.name),
  );
  if (!common) return `${pair.target} shares no hmsdr snapshot with DR`;
  if (newer.length > 0) return `${pair.target} has snapshots DR never received (${newer.join(', ')})`;
  if ((await prod.snapshotDiff(pair.target, common, '.', opts)).entries.length > 0) return `${pair.target} changed since ${common}`;
  return undefined;
}

const strip = ({ entries: _entries, anchoring: _anchoring, ...path }: FailbackPath & Partial<Progress[string]>): FailbackPath => path;

export const failbackRewindStep: Step = {
  id: 'failback-rewind',
  title: 'Keep what production wrote after its last replication, and rewind production to the last common snapshot',
  destructive: true,
  recovery:
    'Production as found is kept in hmsdr-kept-<run-id> before anything is rewound; resume is safe: a path already at the common snapshot is left alone.',
  plan(config, run): Action[] {
    const prod = siteSpec('dr', config.dr);
    const where = hdfsWhere(config, 'dr');
    const kept = keptSnapshotName(run.id);
    return dataPairs(config).flatMap((pair): Action[] => [
      {
        kind: 'note',
        text: `${pair.target}: <common> = the newest hmsdr snapshot both ${pair.target} and ${pair.source} have; only when production changed since <common> or holds newer hmsdr snapshots`,
      },
      { kind: 'exec', where, command: hdfsCommands.createSnapshot(prod, pair.target, kept), description: 'keep production as found' },
      {
        kind: 'exec',
        where,
        command: hdfsCommands.snapshotDiff(prod, pair.target, '<common>', kept),
        description: 'what production wrote after its last replication (listed in the failback record)',
      },
      {
        kind: 'exec',
        where,
        command: hdfsCommands.renameSnapshot(prod, pair.target, '<newer>', keptSnapshotName(run.id, '<newer>')),
        description: 'each production snapshot newer than <common> (a copy that never reached DR), kept under a new name',
      },
      {
        kind: 'exec',
        where,
        command: distcpCommand(prod, rewindSpec(config, prod, pair, kept, '<common>', run.id)),
        description: 'rewind production to <common> from its own snapshot',
      },
      {
        kind: 'exec',
        where,
        command: hdfsCommands.deleteSnapshot(prod, pair.target, '<common>'),
        description: 'then take <common> again on the rewound tree (the -diff baseline):',
      },
      { kind: 'exec', where, command: hdfsCommands.createSnapshot(prod, pair.target, '<common>') },
    ]);
  },
  async probe(ctx) {
    for (const pair of dataPairs(ctx.config)) {
      const why = await ready(ctx, pair);
      if (why) return { status: 'todo', reason: why };
    }
    const paths = Object.values(readProgress(ctx)).map(strip);
    return { status: 'done', reason: 'production is at the newest snapshot it shares with DR', output: { paths } };
  },
  async run(ctx): Promise<FailbackRewindOutput> {
    const progress = readProgress(ctx);
    const paths: FailbackPath[] = [];
    for (const pair of dataPairs(ctx.config)) paths.push(strip(await rewindPath(ctx, pair, progress)));
    return { paths };
  },
  summarize: (output) => {
    const o = output as FailbackRewindOutput;
    const changed = o.paths.filter((p) => p.kept);
    return changed.length === 0
      ? 'production was at the last common snapshot everywhere'
      : changed
          .map((p) => `${p.target}: ${p.unreplicatedCount} unreplicated change(s) kept in ${p.kept}, rewound to ${p.common}`)
          .join('; ');
  },
};
