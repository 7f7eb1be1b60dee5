// The DistCp state machine of one path: bring the DR copy to the source snapshot T1 — bootstrap full
// copy, or `-update -diff <prev> <T1>` with one -rdiff rewind when the target was modified — then
// snapshot the target at T1 and prune old hmsdr snapshots on both sides.
import { AdapterError, PreconditionError, StepFailedError } from '../../errors/errors.js';
import { recordedPathCopy, recordPathCopy } from '../path-records.js';
import { qualify, snapshotPath, type DistcpSpec } from '../../adapters/hdfs/commands.js';
import type { DistcpOutcome, HdfsPorts } from '../../adapters/hdfs/hdfs.js';
import type { StepContext } from '../engine.js';
import type { CopyMode, CopyPass, PathCopyResult } from '../engine.js';
import { formatBytes, formatDuration, formatRate } from '../../util/format.js';
import type { CopyOptions } from '../../config/schema-copy.js';
import { readFailedFiles } from './failed-files.js';
import { copyPolicy, filtersFileText, generatedFiltersFile, pairOptions } from './options.js';
import { distcpSpec, optionNotes, type DistcpPass } from './plan.js';
import { fullCopyReason as fullCopyReason_, newSyncRecord, readSyncRecord, writeSyncRecord } from './sync-record.js';
import { pruneSnapshots, safetySnapshotName, type PathSnapshot } from './sync-state.js';

/** A pass with the DistCp counters the result sums. */
interface DistcpPassRecord extends CopyPass {
  kind: DistcpSpec['mode'];
  filesSkipped: number;
  filesFailed: number;
  bytesExpected: number;
}

export class PathCopier {
  private readonly runs: DistcpPassRecord[] = [];
  private readonly failed: string[] = [];
  private passNo = 0;
  private filtersWritten = false;
  constructor(
    private readonly ctx: StepContext,
    private readonly hdfs: HdfsPorts,
    private readonly plan: PathSnapshot,
  ) {}

  private get opts(): { signal: AbortSignal } {
    return { signal: this.ctx.signal };
  }

  private async distcp(spec: DistcpSpec): Promise<DistcpOutcome> {
    const filters = generatedFiltersFile(this.ctx.config, this.ctx.run.id, this.plan);
    if (filters && !this.filtersWritten) {
      await this.hdfs.dr.writeLocalFile(filters, filtersFileText(this.ctx.config, this.plan), this.opts);
      this.ctx.log.info('distcp-filters', { target: this.plan.target, file: filters, patterns: this.options.exclude.length });
      this.filtersWritten = true;
    }
    const label = spec.mode === 'full' ? 'full copy' : `-${spec.mode} ${spec.from} ${spec.to}`;
    this.ctx.log.info('distcp-start', { target: spec.target, mode: spec.mode, from: spec.from, to: spec.to });
    const started = Date.now();
    const outcome = await this.hdfs.dr.distcp(spec, {
      signal: this.ctx.signal,
      // DistCp prints only map % while it runs; files and bytes come with its counters at the end.
      onProgress: (percent) =>
        this.ctx.progress(`${this.plan.target}: distcp ${label}: map ${percent}%, ${formatDuration(Date.now() - started)}`),
      onStderr: (chunk) => this.ctx.log.stderr('distcp', chunk),
    });
    const c = outcome.counters;
    this.ctx.progress(
      `${this.plan.target}: distcp ${label}: ${c.filesCopied} file(s), ${formatBytes(c.bytesCopied)} copied at ${formatRate(c.bytesCopied, outcome.durationMs)}` +
        `${c.filesSkipped > 0 ? `, ${c.filesSkipped} skipped` : ''}${c.filesFailed > 0 ? `, ${c.filesFailed} FAILED` : ''}`,
    );
    this.runs.push({
      kind: spec.mode,
      exitCode: outcome.exitCode,
      durationMs: outcome.durationMs,
      filesCopied: c.filesCopied,
      bytesCopied: c.bytesCopied,
      bytesSkipped: c.bytesSkipped,
      filesSkipped: c.filesSkipped,
      filesFailed: c.filesFailed,
      bytesExpected: c.bytesExpected,
    });
    this.ctx.log.info('distcp-end', { target: spec.target, mode: spec.mode, exitCode: outcome.exitCode, counters: outcome.counters.raw });
    if (spec.logDir !== undefined && outcome.exitCode === 0 && c.filesFailed > 0) {
      const files = await readFailedFiles(this.hdfs.dr, spec.logDir, this.opts);
      this.ctx.log.warn('distcp-failed-files', {
        target: this.plan.target,
        count: c.filesFailed,
        files: files.slice(0, 200),
        warning: `${this.plan.target}: DistCp -i went on past ${c.filesFailed} file(s) it could not copy (job log ${spec.logDir})`,
        log: spec.logDir,
      });
      if (files.length < c.filesFailed) files.push(`(${c.filesFailed - files.length} more failed file(s) not named in ${spec.logDir})`);
      this.failed.push(...files);
    }
    return outcome;
  }

  private get options(): CopyOptions {
    return pairOptions(this.ctx.config, this.plan);
  }

  private spec(pass: DistcpPass): DistcpSpec {
    this.passNo++;
    return distcpSpec(this.ctx.config, this.hdfs, this.plan, pass, { runId: this.ctx.run.id, pass: this.passNo });
  }

  private fail(message: string, outcome: DistcpOutcome | undefined, hint: string): never {
    throw new AdapterError('E_DISTCP', message, { stderrTail: outcome?.stderrTail, hint });
  }

  async copy(): Promise<PathCopyResult> {
    const started = Date.now();
    const { target, snapshot } = this.plan;
    let mode: CopyMode;
    let safety: string | null = null;
    let fullCopyReason: string | undefined;
    const policy = copyPolicy(this.ctx.config, this.plan);
    const targetSnapshots = await this.hdfs.dr.listSnapshots(target, this.opts).catch(() => []);
    if (targetSnapshots.some((s) => s.name === snapshot)) mode = 'already-done';
    else if (this.plan.previous === null) {
      await this.bootstrap();
      mode = 'bootstrap';
    } else {
      const { record, problem } = await readSyncRecord(this.hdfs.dr, target, this.opts);
      if (problem) this.ctx.log.warn('sync-record-unreadable', { target, problem });
      fullCopyReason =
        this.options.deletePolicy === 'keep'
          ? 'deletePolicy keep: an -update of the whole snapshot without -delete (-diff would apply the deletions)'
          : fullCopyReason_(record, policy);
      if (fullCopyReason !== undefined) {
        this.ctx.log.warn('hdfs-full-copy', { target, why: fullCopyReason, warning: `${target}: ${fullCopyReason}` });
        this.ctx.progress(`${target}: ${fullCopyReason}`);
        await this.fullCopy(fullCopyReason);
        mode = 'full-copy';
      } else {
        const result = await this.incremental(this.plan.previous);
        mode = result.mode;
        safety = result.safety;
      }
    }
    if (mode !== 'already-done') {
      for (const note of optionNotes(this.options).filter((n) => n.startsWith('WARNING')))
        this.ctx.log.warn('distcp-option', { target, warning: `${target}: ${note}` });
      // Failed files (-i): no T1 snapshot on the target (it does not equal T1), so resume copies again.
      if (this.failed.length === 0) {
        await this.hdfs.dr.createSnapshot(target, snapshot, this.opts);
        this.ctx.log.info('hdfs-snapshot', { side: 'dr', path: target, snapshot });
      }
      await writeSyncRecord(this.hdfs.dr, newSyncRecord(this.plan, snapshot, policy, this.failed), this.opts);
    }
    const keep = this.ctx.config.retention.snapshots;
    const protect = [snapshot, ...(this.plan.previous ? [this.plan.previous] : [])];
    const prune = async (): Promise<PathCopyResult['pruned']> => ({
      source: await pruneSnapshots(this.hdfs.source, this.plan.source, keep, protect, this.opts),
      target: await pruneSnapshots(this.hdfs.dr, target, keep, protect, this.opts),
    });
    // Done by an earlier attempt of this run: its figures, not "0 files".
    const earlier = mode === 'already-done' ? recordedPathCopy(this.ctx.run.dir, target, snapshot) : undefined;
    if (earlier) return { ...earlier, earlierAttempt: true, pruned: await prune() };
    const result: PathCopyResult = {
      source: this.plan.source,
      target,
      mode,
      snapshot,
      previous: this.plan.previous,
      ...this.totals(),
      durationMs: Date.now() - started,
      safetySnapshot: safety,
      passes: this.passes(),
      ...(this.failed.length > 0 ? { failedFiles: [...this.failed] } : {}),
      ...(fullCopyReason !== undefined ? { fullCopyReason } : {}),
      ...(optionNotes(this.options).length > 0 ? { notes: optionNotes(this.options) } : {}),
      pruned: { source: [], target: [] },
    };
    // Recorded once the target holds T1, before the pruning a kill could interrupt.
    if (mode !== 'already-done' && this.failed.length === 0) recordPathCopy(this.ctx.run.dir, result, (e, f) => this.ctx.log.warn(e, f));
    return { ...result, pruned: await prune() };
  }

  /** Sums over every DistCp pass; "expected" is what the last pass set out to copy (the one that converged). */
  private totals(): Pick<
    PathCopyResult,
    'filesExpected' | 'bytesExpected' | 'filesCopied' | 'bytesCopied' | 'filesSkipped' | 'bytesSkipped' | 'filesFailed' | 'filesDeleted'
  > {
    const sum = (f: (r: DistcpPassRecord) => number): number => this.runs.reduce((n, r) => n + f(r), 0);
    const last = this.runs[this.runs.length - 1];
    return {
      filesExpected: last ? last.filesCopied + last.filesSkipped + last.filesFailed : null,
      bytesExpected: last ? last.bytesExpected : null,
      filesCopied: sum((r) => r.filesCopied),
      bytesCopied: sum((r) => r.bytesCopied),
      filesSkipped: sum((r) => r.filesSkipped),
      bytesSkipped: sum((r) => r.bytesSkipped),
      filesFailed: sum((r) => r.filesFailed),
      // DistCp applies deletions itself (-diff, or -delete of a full copy) without counting them.
      filesDeleted: null,
    };
  }

  private passes(): CopyPass[] {
    return this.runs.map((r) => ({
      kind: r.kind,
      exitCode: r.exitCode,
      durationMs: r.durationMs,
      filesCopied: r.filesCopied,
      bytesCopied: r.bytesCopied,
      bytesSkipped: r.bytesSkipped,
    }));
  }

  /** Full copy of the source snapshot into an empty (or our own partial) target, which becomes snapshottable. */
  private async bootstrap(): Promise<void> {
    const { target } = this.plan;
    if (!(await this.hdfs.dr.exists(target, this.opts))) await this.hdfs.dr.mkdirs(target, this.opts);
    if (!(await this.hdfs.dr.exists(`${target}/.snapshot`, this.opts))) {
      if (!this.ctx.config.data.allowSnapshot) {
        throw new PreconditionError(`target ${target} is not snapshottable and data.allowSnapshot is false`, {
          hint: `as the HDFS superuser run: hdfs dfsadmin -allowSnapshot ${qualify(this.hdfs.dr.site, target)}`,
          stepId: 'copy-data',
        });
      }
      await this.hdfs.dr.allowSnapshot(target, this.opts);
    }
    await this.fullCopy('bootstrap');
  }

  private async fullCopy(why: string): Promise<void> {
    const outcome = await this.distcp(this.spec({ mode: 'full', snapshot: this.plan.snapshot }));
    if (outcome.exitCode !== 0) {
      this.fail(
        `${why}: full DistCp copy of ${this.plan.source} at ${this.plan.snapshot} exited with code ${outcome.exitCode}`,
        outcome,
        'fix the cause shown above, then resume: the full copy runs again with -update -delete and converges on the source snapshot',
      );
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
      this.fail(
        `distcp -diff ${previous} ${snapshot} for ${target} exited with code ${first.exitCode} although the target is unchanged since ${previous}`,
        first,
        'read the DistCp output above (cluster, permissions, YARN); resume after fixing it',
      );
    }
    this.ctx.log.warn('hdfs-target-modified', { target, since: previous, changes: changes.entries.length });
    const safety = await this.freeSafetyName(target);
    await this.hdfs.dr.createSnapshot(target, safety, this.opts);
    const rewind = await this.distcp(this.spec({ mode: 'rdiff', from: safety, to: previous }));
    if (rewind.exitCode !== 0)
      return this.fallback(
        `the target was modified since ${previous} and -rdiff could not rewind it (exit ${rewind.exitCode}); its state is kept in snapshot ${safety}`,
        rewind,
        safety,
      );
    if (!(await this.matchesSourceSnapshot(previous))) {
      return this.fallback(
        `the target was rewound with -rdiff but still differs from ${source} at ${previous}; its earlier state is kept in snapshot ${safety}`,
        rewind,
        safety,
      );
    }
    // The rewound target equals the source at <previous>: make that the baseline again for -diff.
    await this.hdfs.dr.deleteSnapshot(target, previous, this.opts);
    await this.hdfs.dr.createSnapshot(target, previous, this.opts);
    const retry = await this.distcp(this.spec({ mode: 'diff', from: previous, to: snapshot }));
    if (retry.exitCode !== 0)
      return this.fallback(
        `distcp -diff ${previous} ${snapshot} failed again after the -rdiff rewind (exit ${retry.exitCode})`,
        retry,
        safety,
      );
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
  private async fallback(
    why: string,
    outcome: DistcpOutcome,
    safety: string | null = null,
  ): Promise<{ mode: CopyMode; safety: string | null }> {
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
