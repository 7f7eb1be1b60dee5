// `hmsdr check`: a monitoring plugin (Nagios/Icinga/NRPE convention, like `barman check --nagios`).
// It reads the runs directory only — no network, no lock, no secret — and exits 0/1/2/3 =
// OK/WARNING/CRITICAL/UNKNOWN, its own table (docs/monitoring.md), whatever went wrong.
// The work is in check-run.ts (also reached by the start-up fast path, without yargs).
import type { CommandModule } from 'yargs';
import { readConfigWithoutSecrets, withConfig } from '../options.js';
import { checkTargetOf } from '../check-config-cache.js';
import { CHECK_DEFAULTS, CHECK_FORMATS, runCheck, type CheckArgs, type CheckFormat } from './check-run.js';
import { HEADINGS } from './headings.js';

export const checkCommand: CommandModule<object, CheckArgs> = {
  ...HEADINGS.check,
  builder: (y) =>
    withConfig(y)
      .option('rpo-warning', {
        type: 'string',
        default: CHECK_DEFAULTS.rpoWarning,
        describe: 'WARNING when the recovery point DR serves is older than this (30s, 26h, 2d)',
      })
      .option('rpo-critical', { type: 'string', default: CHECK_DEFAULTS.rpoCritical, describe: 'CRITICAL when older than this' })
      .option('format', {
        choices: CHECK_FORMATS,
        default: CHECK_DEFAULTS.format as CheckFormat,
        describe: 'nagios: one line with performance data; json; prometheus: text exposition',
      })
      .example(
        '$0 check --rpo-warning 26h --rpo-critical 50h',
        'HMSDR OK - DR metastore at T0 2026-12-01 02:31 UTC (19 h ago), last run ok | rpo=68400s;93600;180000 rto=115s',
      )
      .epilogue(
        "Exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the plugin convention, not hmsdr's exit codes). Details: hmsdr docs monitoring",
      ) as never,
  handler: (args) => runCheck(args, () => checkTargetOf(readConfigWithoutSecrets(args))),
};
