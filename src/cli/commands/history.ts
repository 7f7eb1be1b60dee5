// `hmsdr history`: past runs with their outcome, RPO, RTO and bytes, newest first.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { listRuns } from '../../runbook/ledger.js';
import { buildRunSummary, type RunSummary } from '../../report/summary.js';
import { formatBytes, formatDuration } from '../../util/format.js';
import { readConfig, withConfig, withJson, type ConfigArgs } from '../options.js';
import { runDirectory } from '../../names/run-names.js';

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
      const s = summaryOf(runDirectory(runsDir, runId));
      return {
        runId,
        mode: s.mode,
        outcome: s.outcome,
        exitCode: s.exitCode,
        startedAt: s.startedAt,
        elapsedMs: s.elapsedMs,
        rpoMs: s.rpo.rpoMs,
        rtoMs: s.rto.rtoMs,
        bytesShipped: s.metastore?.bytesOut ?? null,
        bytesCopied: s.data?.bytesCopied ?? 0,
        failedStep: s.failure?.step ?? null,
      };
    });
}

export const historyCommand: CommandModule<object, ConfigArgs & { json: boolean; limit: string }> = {
  command: 'history',
  describe: 'List past runs: outcome, RPO, RTO, bytes shipped and copied (newest first)',
  builder: (y) =>
    withJson(withConfig(y))
      .option('limit', { type: 'string', default: '20', describe: 'how many runs to list' })
      .epilogue('RPO = run end − the older of T0 (metastore dump) and T1 (data snapshot); RTO = run start → Hive started on DR. Details: docs/reports.md') as never,
  handler: (args) => {
    const config = readConfig(args);
    const rows = historyRows(config.runsDirAbs, Math.max(1, Number(args.limit) || 20));
    if (args.json) {
      process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      return;
    }
    if (rows.length === 0) {
      process.stdout.write(`no runs in ${config.runsDirAbs}\n`);
      return;
    }
    const ms = (v: number | null): string => (v === null ? '—' : formatDuration(v));
    const header = ['run', 'mode', 'outcome', 'elapsed', 'RPO', 'RTO', 'metastore', 'data copied'];
    const table = rows.map((r) => [
      r.runId, r.mode, r.failedStep ? `${r.outcome} (${r.failedStep})` : r.outcome, ms(r.elapsedMs), ms(r.rpoMs), ms(r.rtoMs),
      r.bytesShipped === null ? '—' : formatBytes(r.bytesShipped), formatBytes(r.bytesCopied),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
    const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
    process.stdout.write([line(header), ...table.map(line)].join('\n') + '\n');
  },
};
