// Failover: bring every DR data path the check found changed back to the snapshot T1 the live
// metastore refers to, without the source: a safety snapshot keeps what was there (a half-applied
// copy), then `distcp -update -rdiff <safety> <T1> <target> <target>` — DistCp applies the target's
// reversed diff and copies created/modified files from <target>/.snapshot/<T1> (source and target
// may be the same path). The result is compared with the manifest again.
import { distcpCommand, hdfsCommands, qualify, type DistcpSpec, type HdfsSiteSpec } from '../adapters/hdfs/commands.js';
import { siteSpec, type DistcpOutcome } from '../adapters/hdfs/hdfs.js';
import type { ResolvedConfig } from '../config/load.js';
import { hdfsWhere } from '../config/where.js';
import { AdapterError, VerifyError } from '../errors/errors.js';
import { safetySnapshotName } from '../names/run-names.js';
import { scanTree } from '../verify/manifest/collect.js';
import { compareListing, entriesToKeep, listingReasons } from '../verify/manifest/compare.js';
import { readManifest, type ManifestDataPath } from '../verify/manifest/manifest.js';
import { failoverCheckOf } from './failover-check.js';
import type { Action, Step, StepContext } from './step.js';
import { dataPairs, type PathPair } from '../config/data-paths.js';
import { distcpOptions } from '../copy/distcp/options.js';

/**
 * The -rdiff pass that rewinds the pair's target to its own snapshot `to` from the safety snapshot
 * `from`, with the path's copy options (maps, bandwidth, preserve, -D properties); no -filters
 * (the rewind must undo every change, excluded paths too), no -i (a file it cannot rewind is a failure).
 */
export function rewindSpec(config: ResolvedConfig, dr: HdfsSiteSpec, pair: PathPair, from: string, to: string, runId: string): DistcpSpec {
  const at = qualify(dr, pair.target);
  const { filtersFile: _filters, ignoreFailures: _ignore, logDir: _log, ...options } = distcpOptions(config, pair, { runId, pass: 1 });
  return { ...options, mode: 'rdiff', from, to, source: at, target: at };
}

/**
 * Rewind the pair's target on the DR side (the failback config's production) to its snapshot `to`
 * from its snapshot `from` (which keeps what was there, as `kept` says); fails with the hint when
 * DistCp does.
 */
export async function rewindTarget(
  ctx: StepContext,
  pair: PathPair,
  from: string,
  to: string,
  kept: string,
  resumeNote = '',
): Promise<DistcpOutcome> {
  const hdfs = ctx.adapters.hdfs.dr;
  const target = pair.target;
  const outcome = await hdfs.distcp(rewindSpec(ctx.config, hdfs.site, pair, from, to, ctx.run.id), {
    signal: ctx.signal,
    onProgress: (percent) => ctx.progress(`${target}: distcp -rdiff ${from} ${to}: map ${percent}%`),
    onStderr: (chunk) => ctx.log.stderr('distcp', chunk),
  });
  ctx.log.info('distcp-end', { target, mode: 'rdiff', exitCode: outcome.exitCode, counters: outcome.counters.raw });
  if (outcome.exitCode !== 0)
    throw new AdapterError('E_DISTCP', `distcp -rdiff ${from} ${to} of ${target} exited with code ${outcome.exitCode}`, {
      stderrTail: outcome.stderrTail,
      hint: `${kept} ${target}/.snapshot/${from}; fix the cause shown above and resume${resumeNote}`,
    });
  return outcome;
}

export interface RewoundPath {
  target: string;
  snapshot: string;
  safetySnapshot: string | null;
  exitCode: number | null;
  filesCopied: number;
  bytesCopied: number;
  durationMs: number;
}

export interface FailoverDataOutput extends Record<string, unknown> {
  rewound: RewoundPath[];
}

async function differences(ctx: StepContext, expected: ManifestDataPath): Promise<string[]> {
  const scan = await scanTree(ctx.adapters.hdfs.dr, expected.target, {
    signal: ctx.signal,
    keepEntries: entriesToKeep(expected),
    tmpDir: ctx.run.dir,
  });
  return listingReasons(expected.target, compareListing(expected, scan));
}

function expectedPaths(ctx: StepContext): { path: ManifestDataPath; snapshot: string }[] {
  const check = failoverCheckOf(ctx);
  if (check.dataRollback.length === 0 || !check.manifest) return [];
  const manifest = readManifest(check.manifest.file);
  return check.dataRollback.map((r) => {
    const path = manifest.data.find((d) => d.target === r.target);
    if (!path) throw new VerifyError(`the manifest ${check.manifest?.file} has no data path ${r.target}`, []);
    return { path, snapshot: r.snapshot };
  });
}

/** The first `hmsdr-safety-<run-id>[-N]` not yet taken on the DR target (a resume takes a new one). */
export async function freeSafetyName(ctx: StepContext, target: string): Promise<string> {
  const names = new Set((await ctx.adapters.hdfs.dr.listSnapshots(target, { signal: ctx.signal })).map((s) => s.name));
  let attempt = 1;
  while (names.has(safetySnapshotName(ctx.run.id, attempt))) attempt++;
  return safetySnapshotName(ctx.run.id, attempt);
}

async function rewind(ctx: StepContext, path: ManifestDataPath, snapshot: string): Promise<RewoundPath> {
  const hdfs = ctx.adapters.hdfs.dr;
  const target = path.target;
  if ((await differences(ctx, path)).length === 0) {
    return { target, snapshot, safetySnapshot: null, exitCode: null, filesCopied: 0, bytesCopied: 0, durationMs: 0 };
  }
  const safety = await freeSafetyName(ctx, target);
  await hdfs.createSnapshot(target, safety, { signal: ctx.signal });
  ctx.log.info('hdfs-snapshot', { side: 'dr', path: target, snapshot: safety, why: 'keeps the changed DR tree before the -rdiff rewind' });
  const outcome = await rewindTarget(ctx, path, safety, snapshot, 'the changed tree is kept in', ' (a new safety snapshot is taken)');
  const left = await differences(ctx, path);
  if (left.length > 0)
    throw new VerifyError(`${target} still differs from the manifest after the -rdiff rewind to ${snapshot}`, left, {
      stepId: 'failover-data',
      hint: `the changed tree is kept in ${target}/.snapshot/${safety}`,
    });
  return {
    target,
    snapshot,
    safetySnapshot: safety,
    exitCode: outcome.exitCode,
    filesCopied: outcome.counters.filesCopied,
    bytesCopied: outcome.counters.bytesCopied,
    durationMs: outcome.durationMs,
  };
}

export const failoverDataStep: Step = {
  id: 'failover-data',
  title: 'Bring the DR data to the snapshot the live metastore refers to (-rdiff from DR’s own snapshot, no source)',
  destructive: true,
  recovery:
    'Each rewind first snapshots the DR tree as it was (hmsdr-safety-<run-id>), so nothing found there is lost; resume is safe: a path already equal to the manifest is left alone.',
  plan(config, run): Action[] {
    const dr = siteSpec('dr', config.dr);
    const where = hdfsWhere(config, 'dr');
    return dataPairs(config).flatMap((pair): Action[] => [
      {
        kind: 'note',
        text: `${pair.target}: only when its live listing differs from the manifest while .snapshot/<T1> matches it`,
      },
      {
        kind: 'exec',
        where,
        command: hdfsCommands.createSnapshot(dr, pair.target, safetySnapshotName(run.id)),
        description: 'keep the changed tree',
      },
      {
        kind: 'exec',
        where,
        command: distcpCommand(dr, rewindSpec(config, dr, pair, safetySnapshotName(run.id), '<T1>', run.id)),
        description: 'rewind to T1 from the target’s own snapshot',
      },
    ]);
  },
  async probe(ctx) {
    const paths = expectedPaths(ctx);
    for (const p of paths) {
      if ((await differences(ctx, p.path)).length > 0) return { status: 'todo', reason: `${p.path.target} differs from the manifest` };
    }
    return {
      status: 'done',
      reason: paths.length === 0 ? 'the DR data is at the manifest’s snapshot' : 'every rewound path equals the manifest',
      output: { rewound: [] },
    };
  },
  async run(ctx): Promise<FailoverDataOutput> {
    const rewound: RewoundPath[] = [];
    for (const p of expectedPaths(ctx)) rewound.push(await rewind(ctx, p.path, p.snapshot));
    return { rewound };
  },
  summarize: (output) => {
    const o = output as FailoverDataOutput;
    const done = o.rewound.filter((r) => r.safetySnapshot);
    return done.length === 0
      ? 'no data path to rewind'
      : done.map((r) => `${r.target} rewound to ${r.snapshot} (was kept in ${r.safetySnapshot})`).join('; ');
  },
};
