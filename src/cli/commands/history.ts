// `hmsdr history`: past runs with their outcome, RPO, RTO and bytes, newest first.
import type { CommandModule } from 'yargs';
import { resolve } from 'node:path';
import { historyRows, type HistoryPath } from '../../report/history.js';
import { renderHistoryHtml } from '../../report/history-html.js';
import { writeFileAtomic } from '../../runbook/ledger.js';
import { UsageError } from '../../errors/errors.js';
import { parseDuration } from '../../util/duration.js';
import { HEADINGS } from './headings.js';
import { formatBytes, formatDuration } from '../../util/format.js';
import { integerAtLeast, readConfigWithoutSecrets, withConfig, withJson, type ConfigArgs } from '../options.js';

export const historyCommand: CommandModule<
  object,
  ConfigArgs & { json: boolean; limit: number; html?: string; rpoObjective?: string; rtoObjective?: string }
> = {
  ...HEADINGS.history,
  builder: (y) =>
    withJson(withConfig(y))
      .option('limit', { type: 'string', default: '20', coerce: integerAtLeast('limit', 1), describe: 'how many runs to list' })
      .option('html', {
        type: 'string',
        describe: 'also write a self-contained page (inline SVG) with RPO/RTO, step durations and bytes per path over time',
      })
      .option('rpo-objective', { type: 'string', describe: 'drawn as a line on the RPO chart (26h, 2d)' })
      .option('rto-objective', { type: 'string', describe: 'drawn as a line on the RTO chart (30m, 1h)' })
      .epilogue(
        'RPO = run end − the older of T0 (metastore dump) and T1 (data snapshot); RTO = run start → Hive started on DR. Details: hmsdr docs reports',
      ) as never,
  handler: (args) => {
    const config = readConfigWithoutSecrets(args);
    const rows = historyRows(config.runsDirAbs, args.limit);
    if (args.html) {
      const objective = (text: string | undefined, flag: string): number | undefined => {
        if (text === undefined) return undefined;
        const ms = parseDuration(text, 'h');
        if (ms === undefined) throw new UsageError(`--${flag} ${text}: not a duration (26h, 2d, 30m)`);
        return ms;
      };
      const rpoMs = objective(args.rpoObjective, 'rpo-objective');
      const rtoMs = objective(args.rtoObjective, 'rto-objective');
      writeFileAtomic(
        resolve(args.html),
        renderHistoryHtml(rows, { ...(rpoMs === undefined ? {} : { rpoMs }), ...(rtoMs === undefined ? {} : { rtoMs }) }),
        0o644,
      );
    }
    if (args.json) {
      process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      return;
    }
    if (rows.length === 0) {
      process.stdout.write(`no runs in ${config.runsDirAbs}\n`);
      return;
    }
    const header = ['run', 'mode', 'outcome', 'elapsed', 'RPO', 'RTO', 'metastore', 'data copied'];
    const table = rows.map((r) => [
      r.runId,
      r.mode,
      r.failedStep ? `${r.outcome} (${r.failedStep})` : r.outcome,
      formatDuration(r.elapsedMs),
      formatDuration(r.rpoMs),
      formatDuration(r.rtoMs),
      r.bytesShipped === null ? '—' : formatBytes(r.bytesShipped),
      formatBytes(r.bytesCopied),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
    const line = (cells: string[]): string =>
      cells
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd();
    const lines = [line(header)];
    for (const [i, r] of rows.entries()) {
      lines.push(line(table[i]!));
      if (r.attempts > 1) lines.push(`    ${r.attempts} attempts (automatic retries)`);
      for (const p of r.paths) lines.push(`    ${pathCounters(p)}`);
    }
    process.stdout.write(lines.join('\n') + '\n');
  },
};

const count = (n: number | null): string => (n === null ? '—' : String(n));

/** `/src → /dst (incremental): files expected 12, copied 10, skipped 2, failed 0, deleted 1; 3.2 MiB copied` */
function pathCounters(p: HistoryPath): string {
  const files = `files expected ${count(p.filesExpected)}, copied ${count(p.filesCopied)}, skipped ${count(p.filesSkipped)}, failed ${count(p.filesFailed)}, deleted ${count(p.filesDeleted)}`;
  return `${p.source} → ${p.target}${p.mode ? ` (${p.mode})` : ''}: ${files}; ${p.bytesCopied === null ? '—' : formatBytes(p.bytesCopied)} copied`;
}
