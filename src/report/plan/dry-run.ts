// `hmsdr plan`: what a run would do, read from both sides without changing anything — preflight
// results, rewrite counts from the dump streamed through the rewriter in count-only mode, files and
// bytes the data-copy engine would copy, services that would stop, databases that would be created and renamed,
// and an estimate of the duration from earlier runs.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatActions, type Action } from '../../actions/action.js';
import type { Adapters } from '../../adapters/index.js';
import { copyEngineFor, type CopyEstimate } from '../../copy/index.js';
import { metastorePassword } from '../../adapters/postgres/connection.js';
import type { ResolvedConfig } from '../../config/load.js';
import { createDumpInspector, createRewriter, judgeInput, rewriteOptionsFromConfig, type RewriteReport } from '../../rewrite/index.js';
import { formatChecks, runPreflightChecks, type PreflightCheck } from '../../steps/preflight.js';
import type { EventLog, RunInfo, Step, StepContext } from '../../steps/step.js';
import { dumpCommandFor } from '../../transfer/staged.js';
import { previousDatabase, runDirectory, stagingDatabase } from '../../names/run-names.js';
import { formatBytes, formatDuration } from '../../util/format.js';
import { historyRows } from '../history.js';

export interface DryRunReport {
  config: string;
  runId: string;
  preflight: PreflightCheck[];
  rewrite:
    | (Pick<RewriteReport, 'hiveVersion' | 'rowsPerTable' | 'rewritesPerColumn' | 'leftAlone' | 'bytesIn' | 'lengthViolations'> & {
        /** Rules whose host occurs with another port (a run fails when such a rule matches nothing). */
        nearMisses: string[];
      })
    | { error: string };
  data: CopyEstimate[] | { error: string };
  services: { controller: string; wouldStop: string[] } | { error: string };
  databases: { create: string; renameLiveTo: string; renameStagingTo: string };
  estimatedDurationMs: number | null;
  steps: Array<{ id: string; title: string; destructive: boolean; actions: Action[] }>;
}

const quietLog: EventLog = { info: () => undefined, warn: () => undefined, error: () => undefined, stderr: () => undefined };

const errorOf = (error: unknown): { error: string } => ({ error: (error as Error).message?.split('\n')[0] ?? String(error) });

/** Stream the source dump through the rewriter in count-only mode into nothing. */
async function countRewrites(
  config: ResolvedConfig,
  adapters: Adapters,
  signal: AbortSignal,
): Promise<RewriteReport & { nearMisses: string[] }> {
  const executor = await adapters.source.pgExecutor(signal);
  const child = executor.stream(dumpCommandFor(config, metastorePassword(config.source.metastore, 'source.metastore')), { signal });
  const options = { ...rewriteOptionsFromConfig(config), countOnly: true };
  const inspector = createDumpInspector(options.rules);
  const rewriter = createRewriter(options);
  const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  await pipeline(child.stdout, inspector, rewriter, sink, { signal });
  await child.done;
  return { ...rewriter.report(), nearMisses: judgeInput(inspector.inspection(), { strict: true }).warnings };
}

/**
 * `onSection` gets each section's text as soon as it is known (formatDryRun's text, in order), so a
 * plan in a log or a pipe shows the preflight at once instead of everything after the slow dump.
 */
export async function dryRun(
  config: ResolvedConfig,
  steps: readonly Step[],
  adapters: Adapters,
  onProgress: (text: string) => void,
  onSection: (text: string) => void = () => undefined,
): Promise<DryRunReport> {
  const signal = new AbortController().signal;
  const run: RunInfo = { id: '<run-id>', dir: runDirectory(config.runsDirAbs, '<run-id>'), startedAt: new Date().toISOString() };
  const ctx: StepContext = {
    config,
    run: { ...run, id: 'plan' },
    outputs: {},
    adapters,
    log: quietLog,
    signal,
    progress: onProgress,
    confirm: async () => false,
  };
  onProgress('preflight checks');
  const preflight = await runPreflightChecks(ctx);
  onSection(planSections.preflight(config.file, preflight));
  onProgress('streaming the source dump through the rewriter (count only)');
  const rewrite = await countRewrites(config, adapters, signal).then(
    (r) => ({
      hiveVersion: r.hiveVersion,
      rowsPerTable: r.rowsPerTable,
      rewritesPerColumn: r.rewritesPerColumn,
      leftAlone: r.leftAlone,
      bytesIn: r.bytesIn,
      lengthViolations: r.lengthViolations,
      nearMisses: r.nearMisses,
    }),
    errorOf,
  );
  onSection(planSections.rewrite(rewrite));
  onProgress('snapshot diff per path');
  const data =
    adapters.hdfs && config.data.paths.length > 0
      ? await copyEngineFor(config).estimate({ config, hdfs: adapters.hdfs, runId: 'plan', signal }).catch(errorOf)
      : [];
  onSection(planSections.data(data));
  const services = adapters.serviceControl
    ? await adapters.serviceControl.getState(signal).then(
        (state) => ({
          controller: adapters.serviceControl!.describe(),
          wouldStop: state.services.flatMap((s) =>
            s.components
              .filter((c) => c.state !== 'INSTALLED' && c.state !== 'STOPPED')
              .map((c) => `${c.service}/${c.component}@${c.host} (${c.state})`),
          ),
        }),
        errorOf,
      )
    : { error: 'no service controller' };
  onSection(planSections.services(services));
  const db = config.dr.metastore.database;
  // Only runs of the flow estimate it: a rollback is a few renames, not a run.
  const past = historyRows(config.runsDirAbs, 10).filter((r) => r.outcome === 'ok' && r.mode !== 'rollback');
  const report: DryRunReport = {
    config: config.file,
    runId: run.id,
    preflight,
    rewrite,
    data,
    services,
    databases: { create: stagingDatabase(db, run.id), renameLiveTo: previousDatabase(db, run.id), renameStagingTo: db },
    estimatedDurationMs: past.length > 0 ? Math.round(past.reduce((a, r) => a + r.elapsedMs, 0) / past.length) : null,
    steps: steps.map((step) => ({ id: step.id, title: step.title, destructive: step.destructive, actions: step.plan(config, run) })),
  };
  onSection(planSections.rest(report));
  return report;
}

/** The plan's text, section by section (each printed as soon as it is known: see dryRun's onSection). */
export const planSections = {
  preflight: (configFile: string, checks: PreflightCheck[]): string =>
    [`Plan for ${configFile} (nothing was changed)`, '', 'Preflight:', formatChecks(checks), ''].join('\n'),
  rewrite(rewrite: DryRunReport['rewrite']): string {
    const out: string[] = [];
    if ('error' in rewrite) out.push(`Rewrite counts: could not stream the dump: ${rewrite.error}`);
    else {
      out.push(`Rewrite counts (Hive ${rewrite.hiveVersion ?? '?'}, ${formatBytes(rewrite.bytesIn)} dump):`);
      const entries = Object.entries(rewrite.rewritesPerColumn).sort();
      out.push(...(entries.length ? entries.map(([column, n]) => `  ${column.padEnd(40)} ${n}`) : ['  (no value would change)']));
      for (const l of rewrite.leftAlone)
        out.push(`  ! left alone: ${l.table}.${l.column} ${l.count} value(s)${l.note ? ` — ${l.note}` : ''}`);
      for (const n of rewrite.nearMisses) out.push(`  ! ${n}`);
      for (const v of rewrite.lengthViolations ?? [])
        out.push(`  ✖ too long after rewriting: ${v.table}.${v.column} ${v.rowKey} (${v.length} > ${v.limit})`);
    }
    return out.join('\n');
  },
  data(data: DryRunReport['data']): string {
    const out: string[] = ['', 'Data to copy:'];
    if ('error' in data) out.push(`  could not read HDFS: ${data.error}`);
    else if (data.length === 0) out.push('  (no data.paths configured)');
    else {
      for (const p of data) {
        out.push(
          p.mode === 'blocked'
            ? `  ✖ ${p.source} → ${p.target}: blocked — ${p.blocked?.situation}; fix: ${p.blocked?.fix}`
            : `  ${p.source} → ${p.target}: ${p.mode}${p.previous ? ` since ${p.previous}` : ''}, ${p.files} files, ${formatBytes(p.bytes)}` +
                (p.mode === 'incremental'
                  ? ` (+${p.changes.created} M${p.changes.modified} -${p.changes.deleted} R${p.changes.renamed})`
                  : ''),
        );
        if (p.fullCopyReason) out.push(`    FULL COPY: ${p.fullCopyReason}`);
        if (p.excluded) out.push(`    excluded: ${p.excluded.files} files, ${formatBytes(p.excluded.bytes)} (data.exclude)`);
        for (const note of p.notes ?? []) out.push(`    ${note}`);
      }
    }
    return out.join('\n');
  },
  services: (services: DryRunReport['services']): string =>
    [
      '',
      'Services:',
      'error' in services
        ? `  could not read: ${services.error}`
        : `  ${services.controller}: would stop ${services.wouldStop.length ? services.wouldStop.join(', ') : 'nothing (already stopped)'}`,
    ].join('\n'),
  rest(report: Pick<DryRunReport, 'databases' | 'estimatedDurationMs' | 'steps'>): string {
    const out = [
      '',
      'Databases on the DR server:',
      `  create ${report.databases.create}`,
      `  rename live → ${report.databases.renameLiveTo} and ${report.databases.create} → ${report.databases.renameStagingTo} in one transaction`,
    ];
    out.push(
      '',
      `Estimated duration: ${report.estimatedDurationMs === null ? 'unknown (no earlier successful run)' : `${formatDuration(report.estimatedDurationMs)} (mean of earlier successful runs)`}`,
    );
    out.push('', 'Steps:');
    for (const [index, step] of report.steps.entries())
      out.push(`${index + 1}. ${step.id} — ${step.title}${step.destructive ? '  [changes the DR side]' : ''}`, formatActions(step.actions));
    return out.join('\n');
  },
};

export function formatDryRun(report: DryRunReport): string {
  return [
    planSections.preflight(report.config, report.preflight),
    planSections.rewrite(report.rewrite),
    planSections.data(report.data),
    planSections.services(report.services),
    planSections.rest(report),
  ].join('\n');
}
