// Past runs of a runs directory as rows (`hmsdr history`, and the duration estimate of `hmsdr plan`):
// outcome, RPO, RTO and bytes, newest first.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listRuns } from '../runbook/ledger.js';
import { runDirectory } from '../names/run-names.js';
import { buildRunSummary, type RunSummary } from './summary.js';

export interface HistoryRow {
  runId: string;
  mode: string;
  outcome: string;
  exitCode: number;
  startedAt: string;
  elapsedMs: number;
  rpoMs: number | null;
  rtoMs: number | null;
  bytesShipped: number | null;
  bytesCopied: number;
  failedStep: string | null;
  /** Duration of each step that ran (ms), in run order. */
  steps: Array<{ id: string; durationMs: number }>;
  /** Attempts of the run: 1 + the automatic retries (`rehearse --retries`). */
  attempts: number;
  /** The copy engine's counters per path (DistCp's files expected/copied/skipped/failed/deleted, bytes). */
  paths: HistoryPath[];
}

export interface HistoryPath {
  source: string;
  target: string;
  mode: string | null;
  filesExpected: number | null;
  filesCopied: number | null;
  filesSkipped: number | null;
  filesFailed: number | null;
  filesDeleted: number | null;
  bytesCopied: number | null;
  bytesSkipped: number | null;
}

/** 1 + the run-retry events of the run (a retry resumes the same run). */
function attemptsOf(runDir: string): number {
  try {
    const text = readFileSync(join(runDir, 'events.ndjson'), 'utf8');
    return 1 + (text.match(/"event":"run-retry"/g) ?? []).length;
  } catch {
    return 1;
  }
}

/** The run's summary.json when the report was written, else a summary built from its state now. */
function summaryOf(runDir: string): RunSummary {
  const file = join(runDir, 'summary.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as RunSummary;
  return buildRunSummary(runDir);
}

export function historyRows(runsDir: string, limit: number): HistoryRow[] {
  return listRuns(runsDir)
    .slice(0, limit)
    .map((runId) => {
      const dir = runDirectory(runsDir, runId);
      const s = summaryOf(dir);
      return {
        runId,
        mode: s.mode,
        outcome: s.outcome,
        exitCode: s.exitCode,
        startedAt: s.startedAt,
        elapsedMs: s.elapsedMs,
        // A blocked or failed run's recovery point was never applied to DR: it has no RPO to show.
        rpoMs: s.rpo.applied === false ? null : s.rpo.rpoMs,
        rtoMs: s.rto.rtoMs,
        bytesShipped: s.metastore?.bytesOut ?? null,
        bytesCopied: s.data?.bytesCopied ?? 0,
        failedStep: s.failure?.step ?? null,
        attempts: attemptsOf(dir),
        steps: s.steps.flatMap((st) => (st.durationMs === null ? [] : [{ id: st.id, durationMs: st.durationMs }])),
        paths: (s.data?.paths ?? []).map((p) => ({
          source: p.source,
          target: p.target,
          mode: p.mode,
          filesExpected: p.filesExpected ?? null,
          filesCopied: p.filesCopied,
          filesSkipped: p.filesSkipped ?? null,
          filesFailed: p.filesFailed ?? null,
          filesDeleted: p.filesDeleted ?? null,
          bytesCopied: p.bytesCopied,
          bytesSkipped: p.bytesSkipped,
        })),
      };
    });
}
