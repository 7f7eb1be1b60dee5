// What `hmsdr check` does once its arguments are known: evaluate the runs directory and print one
// result. Shared by the yargs command (check.ts) and the start-up fast path (../fast-path.ts), so
// the two cannot disagree. Keep it light: no yargs, pg, ssh2, listr2 or execa.
import { ExitStatus } from '../../errors/errors.js';
import type { ExitCode } from '../../errors/exit-codes.js';
import { evaluateHealth, healthMetrics, nagiosLine, type HealthReport, type Thresholds } from '../../report/health.js';
import { parseDuration } from '../../util/duration.js';
import type { CheckTarget } from '../check-config-cache.js';
import type { ConfigArgs } from '../options.js';
import { writeText } from '../../util/std-text.js';

export const CHECK_FORMATS = ['nagios', 'json', 'prometheus'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/** The defaults, one place for the yargs builder and the fast path. */
export const CHECK_DEFAULTS = { rpoWarning: '26h', rpoCritical: '50h', format: 'nagios' as CheckFormat };

export interface CheckArgs extends ConfigArgs {
  rpoWarning: string;
  rpoCritical: string;
  format: CheckFormat;
}

function thresholdsOf(args: CheckArgs): Thresholds {
  const warning = parseDuration(args.rpoWarning, 'h');
  const critical = parseDuration(args.rpoCritical, 'h');
  if (warning === undefined) throw new Error(`--rpo-warning ${args.rpoWarning}: not a duration (26h, 2d, 90m)`);
  if (critical === undefined) throw new Error(`--rpo-critical ${args.rpoCritical}: not a duration (26h, 2d, 90m)`);
  if (warning > critical) throw new Error(`--rpo-warning ${args.rpoWarning} is longer than --rpo-critical ${args.rpoCritical}`);
  return { rpoWarningSeconds: Math.round(warning / 1000), rpoCriticalSeconds: Math.round(critical / 1000) };
}

function evaluate(args: CheckArgs, target: () => CheckTarget): HealthReport {
  const thresholds = thresholdsOf(args);
  const { runsDirAbs, lock } = target();
  return evaluateHealth({ runsDir: runsDirAbs, lock, thresholds });
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

function render(report: HealthReport, format: CheckFormat): string {
  if (format === 'json') return JSON.stringify(report, null, 2) + '\n';
  if (format === 'prometheus') return healthMetrics(report);
  if (report.status === 'UNKNOWN' && report.runsDir === '') return `HMSDR UNKNOWN - ${report.message}\n`;
  return nagiosLine(report) + '\n';
}

/**
 * Prints the result; a status other than OK is an ExitStatus carrying the plugin's exit code.
 * `target` reads the config (it may throw: UNKNOWN with the reason, after the thresholds' own errors).
 */
export function runCheck(args: CheckArgs, target: () => CheckTarget): void {
  let report: HealthReport;
  try {
    report = evaluate(args, target);
  } catch (error) {
    report = unknown(error);
  }
  writeText(1, render(report, args.format));
  if (report.exitCode !== 0) throw new ExitStatus(report.exitCode as ExitCode);
}
