// Step 4: per path, bring the DR copy to the source snapshot T1 with DistCp — bootstrap full copy,
// or `-update -diff <prev> <T1>` with one -rdiff rewind when the target was modified — then
// snapshot the target at T1 and prune old hmsdr snapshots on both sides.
import { AdapterError, PreconditionError, StepFailedError } from '../errors/errors.js';
import { distcpCommand, hdfsCommands, qualify, snapshotPath, type DistcpSpec } from '../adapters/hdfs/commands.js';
import { siteSpec, type DistcpOutcome, type HdfsPorts } from '../adapters/hdfs/hdfs.js';
import { pruneSnapshots, safetySnapshotName, syncSnapshotName } from '../adapters/hdfs/sync-state.js';
import type { ResolvedConfig } from '../config/load.js';
import type { Action, Step, StepContext, StepOutput } from '../runbook/step.js';
import { assessPairs, dataPairs, hdfsWhere, requireHdfs, type PathSnapshot } from './snapshot-source.js';
import { outputOf } from './outputs.js';

export type CopyMode = 'bootstrap' | 'incremental' | 'rdiff-recovered' | 'full-copy' | 'already-done';

export interface DistcpRun {
  kind: 'full' | 'diff' | 'rdiff';
  exitCode: number;
  durationMs: number;
  filesCopied: number;
  bytesCopied: number;
  bytesSkipped: number;
}

export interface PathCopyResult {
  source: string;
  target: string;
  mode: CopyMode;
  snapshot: string;
  previous: string | null;
  filesCopied: number;
  bytesCopied: number;
  bytesSkipped: number;
  durationMs: number;
  safetySnapshot: string | null;
  distcpRuns: DistcpRun[];
  pruned: { source: string[]; target: string[] };
}

export interface CopyDataOutput extends StepOutput {
  snapshot: string;
  paths: PathCopyResult[];
}

/** The DistCp spec of one pass, from the config's data options. */
export function distcpSpec(config: ResolvedConfig, hdfs: { source: { site: Parameters<typeof qualify>[0] }; dr: { site: Parameters<typeof qualify>[0] } }, pair: { source: string; target: string }, pass: { mode: 'full'; snapshot: string } | { mode: 'diff' | 'rdiff'; from: string; to: string }): DistcpSpec {
  const sourceUri = qualify(hdfs.source.site, pair.source);
  const common = {
    target: qualify(hdfs.dr.site, pair.target),
    preserve: config.data.preserve,
    maps: config.data.maps,
    bandwidthMBPerMap: config.data.bandwidthMBPerMap,
    filtersFile: config.data.filtersFile,
    extraArgs: config.data.extraArgs,
  };
  if (pass.mode === 'full') return { ...common, mode: 'full', source: snapshotPath(sourceUri, pass.snapshot), deleteMissing: true };
  return { ...common, mode: pass.mode, from: pass.from, to: pass.to, source: sourceUri };
}

class PathCopier {
  private readonly runs: DistcpRun[] = [];
  constructor(
    private readonly ctx: StepContext,
    private readonly hdfs: HdfsPorts,
    private readonly plan: PathSnapshot,
  ) {}

  private get opts(): { signal: AbortSignal } {
    return { signal: this.ctx.signal };
  }

  private async distcp(spec: DistcpSpec): Promise<DistcpOutcome> {
    const label = spec.mode === 'full' ? 'full copy' : `-${spec.mode} ${spec.from} ${spec.to}`;
    this.ctx.log.info('distcp-start', { target: spec.target, mode: spec.mode, from: spec.from, to: spec.to });
    const outcome = await this.hdfs.dr.distcp(spec, {
      signal: this.ctx.signal,
      onProgress: (percent) => this.ctx.progress(`${this.plan.target}: distcp ${label}: map ${percent}%`),
      onStderr: (chunk) => this.ctx.log.stderr('distcp', chunk),
    });
    this.runs.push({ kind: spec.mode, exitCode: outcome.exitCode, durationMs: outcome.durationMs, filesCopied: outcome.counters.filesCopied, bytesCopied: outcome.counters.bytesCopied, bytesSkipped: outcome.counters.bytesSkipped });
    this.ctx.log.info('distcp-end', { target: spec.target, mode: spec.mode, exitCode: outcome.exitCode, counters: outcome.counters.raw });
    return outcome;
  }

  private spec(pass: Parameters<typeof distcpSpec>[3]): DistcpSpec {
    return distcpSpec(this.ctx.config, this.hdfs, this.plan, pass);
  }

  private fail(message: string, outcome: DistcpOutcome | undefined, hint: string): never {
    throw new AdapterError('E_DISTCP', message, { stderrTail: outcome?.stderrTail, hint });
  }

  async copy(): Promise<PathCopyResult> {
    const started = Date.now();
    const { target, snapshot } = this.plan;
    let mode: CopyMode;
    let safety: string | null = null;
    const targetSnapshots = await this.hdfs.dr.listSnapshots(target, this.opts).catch(() => []);
    if (targetSnapshots.some((s) => s.name === snapshot)) mode = 'already-done';
    else if (this.plan.previous === null) {
      await this.bootstrap();
      mode = 'bootstrap';
    } else {
      const result = await this.incremental(this.plan.previous);
      mode = result.mode;
      safety = result.safety;
    }
    if (mode !== 'already-done') {
      await this.hdfs.dr.createSnapshot(target, snapshot, this.opts);
      this.ctx.log.info('hdfs-snapshot', { side: 'dr', path: target, snapshot });
    }
    const keep = this.ctx.config.retention.snapshots;
    const protect = [snapshot, ...(this.plan.previous ? [this.plan.previous] : [])];
    const pruned = {
      source: await pruneSnapshots(this.hdfs.source, this.plan.source, keep, protect, this.opts),
      target: await pruneSnapshots(this.hdfs.dr, target, keep, protect, this.opts),
    };
    const sum = (f: (r: DistcpRun) => number): number => this.runs.reduce((n, r) => n + f(r), 0);
    return {
      source: this.plan.source, target, mode, snapshot, previous: this.plan.previous,
      filesCopied: sum((r) => r.filesCopied), bytesCopied: sum((r) => r.bytesCopied),
      bytesSkipped: sum((r) => r.bytesSkipped), durationMs: Date.now() - started, safetySnapshot: safety, distcpRuns: this.runs, pruned,
    };
  }

  /** Full copy of the source snapshot into an empty (or our own partial) target, which becomes snapshottable. */
  private async bootstrap(): Promise<void> {
    const { target } = this.plan;
    if (!(await this.hdfs.dr.exists(target, this.opts))) await this.hdfs.dr.mkdirs(target, this.opts);
    if (!(await this.hdfs.dr.exists(`${target}/.snapshot`, this.opts))) {
      if (!this.ctx.config.data.allowSnapshot) {
        throw new PreconditionError(`target ${target} is not snapshottable and data.allowSnapshot is false`, { hint: `as the HDFS superuser run: hdfs dfsadmin -allowSnapshot ${qualify(this.hdfs.dr.site, target)}`, stepId: 'copy-data' });
      }
      await this.hdfs.dr.allowSnapshot(target, this.opts);
    }
    await this.fullCopy('bootstrap');
  }

  private async fullCopy(why: string): Promise<void> {
    const outcome = await this.distcp(this.spec({ mode: 'full', snapshot: this.plan.snapshot }));
    if (outcome.exitCode !== 0) {
      this.fail(`${why}: full DistCp copy of ${this.plan.source} at ${this.plan.snapshot} exited with code ${outcome.exitCode}`, outcome,
        'fix the cause shown above, then resume: the full copy runs again with -update -delete and converges on the source snapshot');
    }
  }

  private async incremental(previous: string): Promise<{ mode: CopyMode; safety: string | null }> {
    const { snapshot, source, target } = this.plan;
    const first = await this.distcp(this.spec({ mode: 'diff', from: previous, to: snapshot }));
    if (first.exitCode === 0) return { mode: 'incremental', safety: null };
    // Diagnose from the state of both sides, not from DistCp's wording.
    const sourceHasPrevious = (await this.hdfs.source.listSnapshots(source, this.opts)).some((s) => s.name === previous);
    const targetHasPrevious = (await this.hdfs.dr.listSnapshots(target, this.opts)).some((s) => s.name === previous);
    if (!sourceHasPrevious || !targetHasPrevious) {
      const side = sourceHasPrevious ? 'target' : 'source';
      return this.fallback(`snapshot ${previous} no longer exists on the ${side}`, first);
    }
    const changes = await this.hdfs.dr.snapshotDiff(target, previous, '.', this.opts);
    if (changes.entries.length === 0) {
      this.fail(`distcp -diff ${previous} ${snapshot} for ${target} exited with code ${first.exitCode} although the target is unchanged since ${previous}`, first,
        'read the DistCp output above (cluster, permissions, YARN); resume after fixing it');
    }
    this.ctx.log.warn('hdfs-target-modified', { target, since: previous, changes: changes.entries.length });
    const safety = await this.freeSafetyName(target);
    await this.hdfs.dr.createSnapshot(target, safety, this.opts);
    const rewind = await this.distcp(this.spec({ mode: 'rdiff', from: safety, to: previous }));
    if (rewind.exitCode !== 0) return this.fallback(`the target was modified since ${previous} and -rdiff could not rewind it (exit ${rewind.exitCode}); its state is kept in snapshot ${safety}`, rewind, safety);
    if (!(await this.matchesSourceSnapshot(previous))) {
      return this.fallback(`the target was rewound with -rdiff but still differs from ${source} at ${previous}; its earlier state is kept in snapshot ${safety}`, rewind, safety);
    }
    // The rewound target equals the source at <previous>: make that the baseline again for -diff.
    await this.hdfs.dr.deleteSnapshot(target, previous, this.opts);
    await this.hdfs.dr.createSnapshot(target, previous, this.opts);
    const retry = await this.distcp(this.spec({ mode: 'diff', from: previous, to: snapshot }));
    if (retry.exitCode !== 0) return this.fallback(`distcp -diff ${previous} ${snapshot} failed again after the -rdiff rewind (exit ${retry.exitCode})`, retry, safety);
    return { mode: 'rdiff-recovered', safety };
  }

  private async matchesSourceSnapshot(previous: string): Promise<boolean> {
    const src = await this.hdfs.source.summary(snapshotPath(this.plan.source, previous), this.opts);
    const dst = await this.hdfs.dr.summary(this.plan.target, this.opts);
    return src !== undefined && dst !== undefined && src.files === dst.files && src.bytes === dst.bytes && src.dirs === dst.dirs;
  }

  private async freeSafetyName(target: string): Promise<string> {
    const names = new Set((await this.hdfs.dr.listSnapshots(target, this.opts)).map((s) => s.name));
    let attempt = 1;
    while (names.has(safetySnapshotName(this.ctx.run.id, attempt))) attempt++;
    return safetySnapshotName(this.ctx.run.id, attempt);
  }

  /** data.onDiffFailure: stop with the explanation, or a full -update -delete copy from T1. */
  private async fallback(why: string, outcome: DistcpOutcome, safety: string | null = null): Promise<{ mode: CopyMode; safety: string | null }> {
    if (this.ctx.config.data.onDiffFailure === 'full-copy') {
      this.ctx.log.warn('hdfs-full-copy-fallback', { target: this.plan.target, why });
      await this.fullCopy(`fallback after: ${why}`);
      return { mode: 'full-copy', safety };
    }
    throw new StepFailedError('copy-data', `${this.plan.source} → ${this.plan.target}: snapshot-diff copy impossible: ${why}`, {
      stderrTail: outcome.stderrTail,
      hint: `either set data.onDiffFailure: full-copy and resume (a full -update -delete copy from ${this.plan.snapshot}), or restore the target yourself (hadoop distcp -update -rdiff <newer> ${this.plan.previous ?? '<prev>'} <src> <dst>) and resume; docs/hdfs.md explains both`,
    });
  }
}

export function createCopyDataStep(): Step {
  return {
    id: 'copy-data',
    title: 'Copy HDFS data to DR (snapshot-diff DistCp) and snapshot the target',
    destructive: true,
    plan(config, run): Action[] {
      const source = siteSpec('source', config.source);
      const dr = siteSpec('dr', config.dr);
      const name = syncSnapshotName(run.id);
      const sites = { source: { site: source }, dr: { site: dr } };
      const where = hdfsWhere(config, 'dr');
      return dataPairs(config).flatMap((pair): Action[] => [
        { kind: 'exec', where, command: distcpCommand(dr, distcpSpec(config, sites, pair, { mode: 'diff', from: '<prev>', to: name })), description: `incremental copy of ${pair.source} (<prev> = newest hmsdr snapshot on both sides)` },
        { kind: 'note', text: `bootstrap instead (no common snapshot): ${distcpCommand(dr, distcpSpec(config, sites, pair, { mode: 'full', snapshot: name })).args.join(' ')}` },
        { kind: 'exec', where, command: hdfsCommands.createSnapshot(dr, pair.target, name), description: 'snapshot the target at T1' },
        { kind: 'note', text: `then keep the newest ${config.retention.snapshots} hmsdr snapshots of ${pair.source} and ${pair.target}` },
      ]);
    },
    async probe(ctx) {
      const hdfs = requireHdfs(ctx);
      const name = syncSnapshotName(ctx.run.id);
      const pending: string[] = [];
      for (const pair of dataPairs(ctx.config)) {
        const snapshots = await hdfs.dr.listSnapshots(pair.target, { signal: ctx.signal }).catch(() => []);
        if (!snapshots.some((s) => s.name === name)) pending.push(pair.target);
      }
      if (pending.length === 0) {
        const output: CopyDataOutput = { snapshot: name, paths: [] };
        return { status: 'done', reason: `every target has snapshot ${name}`, output };
      }
      return { status: 'todo', reason: `${pending.length} target(s) without ${name}: ${pending.join(', ')}` };
    },
    async run(ctx) {
      const hdfs = requireHdfs(ctx);
      const name = syncSnapshotName(ctx.run.id);
      const recorded = outputOf(ctx, 'snapshot-source');
      let plans = recorded?.paths;
      if (!plans) {
        // Run on its own (no ledger entry): decide now, from the live state.
        plans = (await assessPairs(ctx, hdfs)).map((f) => {
          if (f.decision.kind === 'blocked') throw new PreconditionError(`${f.pair.source} → ${f.pair.target}: ${f.decision.situation}`, { hint: f.decision.fix, stepId: 'copy-data' });
          return { source: f.pair.source, target: f.pair.target, snapshot: name, mode: f.decision.kind, previous: f.decision.kind === 'incremental' ? f.decision.previous : null, takenAt: null };
        });
      }
      const paths: PathCopyResult[] = [];
      for (const plan of plans) {
        const onSource = await hdfs.source.listSnapshots(plan.source, { signal: ctx.signal });
        if (!onSource.some((s) => s.name === plan.snapshot)) {
          throw new PreconditionError(`source snapshot ${plan.snapshot} of ${plan.source} is missing`, { hint: 'run the snapshot-source step first (hmsdr resume runs it again)', stepId: 'copy-data' });
        }
        paths.push(await new PathCopier(ctx, hdfs, plan).copy());
      }
      const output: CopyDataOutput = { snapshot: name, paths };
      return output;
    },
    recovery:
      'The DR copy of a path may be half-applied (DistCp has no undo). Resume: a path whose target already has this run\'s snapshot is skipped; ' +
      'a bootstrap copy is repeated with -update -delete; an incremental one detects the dirty target, takes a safety snapshot, rewinds it with ' +
      '-rdiff and retries. Nothing on the source is changed except hmsdr snapshots.',
  };
}
