// `hmsdr check`: a monitoring plugin (Nagios/Icinga/NRPE convention, like `barman check --nagios`).
// It reads the runs directory only — no network, no lock, no secret — and exits 0/1/2/3 =
// OK/WARNING/CRITICAL/UNKNOWN, its own table (docs/monitoring.md), whatever went wrong.
// Keep this module light: it must not load pg, ssh2, listr2 or execa.
import type { CommandModule } from 'yargs';
import { ExitStatus } from '../../errors/errors.js';
import type { ExitCode } from '../../errors/exit-codes.js';
import { evaluateHealth, healthMetrics, nagiosLine, type HealthReport, type Thresholds } from '../../report/health.js';
import { parseDuration } from '../../util/duration.js';
import { readConfigWithoutSecrets, withConfig, type ConfigArgs } from '../options.js';
import { HEADINGS } from './headings.js';

const FORMATS = ['nagios', 'json', 'prometheus'] as const;
type Format = (typeof FORMATS)[number];

interface CheckArgs extends ConfigArgs {
  rpoWarning: string;
  rpoCritical: string;
  format: Format;
}

function thresholdsOf(args: CheckArgs): Thresholds {
  const warning = parseDuration(args.rpoWarning, 'h');
  const critical = parseDuration(args.rpoCritical, 'h');
  if (warning === undefined) throw new Error(`--rpo-warning ${args.rpoWarning}: not a duration (26h, 2d, 90m)`);
  if (critical === undefined) throw new Error(`--rpo-critical ${args.rpoCritical}: not a duration (26h, 2d, 90m)`);
  if (warning > critical) throw new Error(`--rpo-warning ${args.rpoWarning} is longer than --rpo-critical ${args.rpoCritical}`);
  return { rpoWarningSeconds: Math.round(warning / 1000), rpoCriticalSeconds: Math.round(critical / 1000) };
}

function evaluate(args: CheckArgs): HealthReport {
  const thresholds = thresholdsOf(args);
  const config = readConfigWithoutSecrets(args);
  const { host, port, database } = config.dr.metastore;
  return evaluateHealth({ runsDir: config.runsDirAbs, lock: { host, port, database }, thresholds });
}

/** Whatever fails (config, thresholds, a file) is UNKNOWN with its reason, never one of hmsdr's exit codes. */
function unknown(error: unknown): HealthReport {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
  return {
    status: 'UNKNOWN',
    exitCode: 3,
    message,
    checkedAt: new Date().toISOString(),
    runsDir: '',
    thresholds: { rpoWarningSeconds: 0, rpoCriticalSeconds: 0 },
    lastSuccess: null,
    recoveryPoint: null,
    rpoSeconds: null,
    rtoSeconds: null,
    latestRun: null,
  };
}

function render(report: HealthReport, format: Format): string {
  if (format === 'json') return JSON.stringify(report, null, 2) + '\n';
  if (format === 'prometheus') return healthMetrics(report);
  if (report.status === 'UNKNOWN' && report.runsDir === '') return `HMSDR UNKNOWN - ${report.message}\n`;
  return nagiosLine(report) + '\n';
}

export const checkCommand: CommandModule<object, CheckArgs> = {
  ...HEADINGS.check,
  builder: (y) =>
    withConfig(y)
      .option('rpo-warning', {
        type: 'string',
        default: '26h',
        describe: 'WARNING when the recovery point DR serves is older than this (30s, 26h, 2d)',
      })
      .option('rpo-critical', { type: 'string', default: '50h', describe: 'CRITICAL when older than this' })
      .option('format', {
        choices: FORMATS,
        default: 'nagios' as Format,
        describe: 'nagios: one line with performance data; json; prometheus: text exposition',
      })
      .example(
        '$0 check --rpo-warning 26h --rpo-critical 50h',
        'HMSDR OK - DR metastore at T0 2026-12-01 02:31 UTC (19 h ago), last run ok | rpo=68400s;93600;180000 rto=115s',
      )
      .epilogue(
        "Exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the plugin convention, not hmsdr's exit codes). Details: hmsdr docs monitoring",
      ) as never,
  handler: (args) => {
    let report: HealthReport;
    try {
      report = evaluate(args);
    } catch (error) {
      report = unknown(error);
    }
    process.stdout.write(render(report, args.format));
    if (report.exitCode !== 0) throw new ExitStatus(report.exitCode as ExitCode);
  },
};
