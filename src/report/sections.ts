// The report's fact sections, each from the outputs of the steps that record it: step rows, metastore,
// HDFS data and preflight. A section is null when no step of the run recorded anything for it.
import type { StepRecord } from '../runbook/ledger.js';
import type { RewriteReportFile, StepOutputs } from '../steps/outputs.js';
import type { CopyPathSummary, DataSummary, LeftAloneEntry, MetastoreSummary, PreflightCheck, StepSummary, StepTitles } from './model.js';
import { epochMs, msBetween } from './times.js';

type Outputs = Partial<StepOutputs>;

export function stepSummary(id: string, record: StepRecord | undefined, startMs: number, titles: StepTitles): StepSummary {
  const r = record ?? { status: 'pending' as const, attempts: 0 };
  const startedAt = r.startedAt ?? null;
  const finishedAt = r.finishedAt ?? null;
  const durationMs = startedAt && finishedAt ? msBetween(finishedAt, startedAt) : null;
  const startedMs = epochMs(startedAt);
  const error = r.error
    ? {
        code: r.error.code,
        message: r.error.message,
        ...(r.error.hint ? { hint: r.error.hint } : {}),
        ...(r.error.stderrTail ? { stderrTail: r.error.stderrTail } : {}),
      }
    : null;
  return {
    id,
    label: titles[id] ?? id,
    status: r.status,
    attempts: r.attempts,
    via: r.via ?? null,
    reason: r.reason ?? null,
    probeMs: r.probeMs ?? null,
    startedAt,
    finishedAt,
    durationMs: durationMs !== null && durationMs >= 0 ? durationMs : null,
    offsetMs: startedMs === null ? null : Math.max(0, startedMs - startMs),
    blocked: r.status === 'pending' && error !== null,
    error,
  };
}

function splitColumn(key: string): { table: string; column: string } {
  const at = key.lastIndexOf('.');
  return at < 0 ? { table: key, column: '' } : { table: key.slice(0, at), column: key.slice(at + 1) };
}

function transferText(dump: StepOutputs['dump-metastore'] | undefined): string | null {
  if (!dump) return null;
  if (dump.transfer !== 'parallel') return 'staged dump file, restored by psql in one transaction';
  return `parallel: ${dump.workers} workers, ${dump.tables.length} table streams, snapshot ${dump.snapshot}`;
}

function leftAloneEntry(l: RewriteReportFile['leftAlone'][number]): LeftAloneEntry {
  return {
    table: l.table,
    column: l.column,
    count: l.count,
    ...(l.sampleKey ? { sampleKey: l.sampleKey } : {}),
    ...(l.note ? { note: l.note } : {}),
    ...(l.kind ? { kind: l.kind } : {}),
  };
}

/** The metastore section: dump-metastore's figures (or rewrite-report.json), then restore, verify and swap. */
export function buildMetastore(outputs: Outputs, rewriteReport: RewriteReportFile | undefined): MetastoreSummary | null {
  const dump = outputs['dump-metastore'];
  const restore = outputs['restore-staging'];
  const verify = outputs['verify-staging'];
  const swap = outputs['swap-metastore'];
  const report = dump ?? rewriteReport;
  if (!report && !restore && !swap) return null;
  const rewrites = Object.entries(report?.rewritesPerColumn ?? {})
    .map(([key, count]) => ({ ...splitColumn(key), count }))
    .sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));
  const rowsPerTable = Object.entries(report?.rowsPerTable ?? {})
    .map(([table, rows]) => ({ table, rows }))
    .sort((a, b) => a.table.localeCompare(b.table));
  const staged = dump && dump.transfer !== 'parallel' ? dump : undefined;
  return {
    hiveVersion: report?.hiveVersion ?? null,
    schemaVersionRestored: verify?.schemaVersion ?? null,
    bytesIn: report?.bytesIn ?? null,
    bytesOut: report?.bytesOut ?? null,
    sha256: dump?.sha256 ?? null,
    remoteSha256: staged?.remoteSha256 ?? null,
    remoteBytes: staged?.remoteBytes ?? null,
    stagedPath: staged?.stagedPath ?? null,
    transfer: transferText(dump),
    dumpDurationMs: dump?.durationMs ?? null,
    rewrites,
    totalRewrites: rewrites.reduce((n, r) => n + r.count, 0),
    rowsPerTable,
    totalRows: rowsPerTable.reduce((n, r) => n + r.rows, 0),
    leftAlone: (report?.leftAlone ?? []).map(leftAloneEntry),
    stagingDatabase: restore?.database ?? verify?.database ?? null,
    liveDatabase: swap?.live ?? null,
    previousDatabase: swap?.previous ?? null,
    swappedAt: swap?.swappedAt ?? null,
    terminatedSessions: swap?.terminatedSessions ?? null,
  };
}

type Planned = StepOutputs['snapshot-source']['paths'][number];
type Copied = StepOutputs['copy-data']['paths'][number];

function copyRow(snapshot: string | undefined, plan: Planned | undefined, done: Copied | undefined): CopyPathSummary {
  return {
    source: done?.source ?? plan?.source ?? '?',
    target: done?.target ?? plan?.target ?? '?',
    snapshot: done?.snapshot ?? plan?.snapshot ?? snapshot ?? null,
    previous: done?.previous ?? plan?.previous ?? null,
    plannedMode: plan?.mode ?? null,
    mode: done?.mode ?? null,
    takenAt: plan?.takenAt ?? null,
    filesCopied: done?.filesCopied ?? null,
    bytesCopied: done?.bytesCopied ?? null,
    bytesSkipped: done?.bytesSkipped ?? null,
    filesExpected: done?.filesExpected ?? null,
    filesSkipped: done?.filesSkipped ?? null,
    filesFailed: done?.filesFailed ?? null,
    filesDeleted: done?.filesDeleted ?? null,
    durationMs: done?.durationMs ?? null,
    passes: (done?.passes ?? (done as { distcpRuns?: unknown[] } | undefined)?.distcpRuns ?? []).length, // distcpRuns: outputs recorded before copy engines
    safetySnapshot: done?.safetySnapshot ?? null,
    pruned: { source: done?.pruned.source ?? [], target: done?.pruned.target ?? [] },
    ...(done?.detail ? { detail: done.detail } : {}),
    ...(done?.newerThanT1 ? { newerThanT1: done.newerThanT1.length } : {}),
    ...(done?.fullCopyReason ? { fullCopyReason: done.fullCopyReason } : {}),
    ...(done?.failedFiles?.length ? { failedFiles: done.failedFiles } : {}),
    ...(done?.earlierAttempt ? { earlierAttempt: true } : {}),
  };
}

/** The HDFS data section: what snapshot-source planned per path, joined with what copy-data did. */
export function buildData(outputs: Outputs): DataSummary | null {
  const snap = outputs['snapshot-source'];
  const copy = outputs['copy-data'];
  if (!snap && !copy) return null;
  const key = (p: { source: string; target: string }): string => `${p.source}\u0000${p.target}`;
  const byKey = new Map((copy?.paths ?? []).map((p) => [key(p), p]));
  const rows: CopyPathSummary[] = [];
  for (const plan of snap?.paths ?? []) {
    rows.push(copyRow(snap?.snapshot, plan, byKey.get(key(plan))));
    byKey.delete(key(plan));
  }
  for (const done of byKey.values()) rows.push(copyRow(snap?.snapshot, undefined, done));
  return {
    snapshot: copy?.snapshot ?? snap?.snapshot ?? null,
    paths: rows,
    filesCopied: rows.reduce((n, r) => n + (r.filesCopied ?? 0), 0),
    bytesCopied: rows.reduce((n, r) => n + (r.bytesCopied ?? 0), 0),
    copied: copy !== undefined,
  };
}

export function buildPreflight(output: StepOutputs['preflight'] | undefined): PreflightCheck[] | null {
  const checks = output?.checks ?? [];
  if (checks.length === 0) return null;
  return checks.map((c) => ({ id: c.id, title: c.title, status: c.status, detail: c.detail, ...(c.hint ? { hint: c.hint } : {}) }));
}
