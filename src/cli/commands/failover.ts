// `hmsdr failover`: the day-of-disaster runbook (src/steps/index.ts failoverRunbook) on the DR side
// alone: the source's ports refuse every use (src/adapters/without-source.ts).
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { withoutSource } from '../../adapters/without-source.js';
import { PreconditionError } from '../../errors/errors.js';
import type { FailoverOptions } from '../../steps/failover-check.js';
import type { CliDeps } from '../deps.js';
import { readConfig, withConfig, withJson } from '../options.js';
import { HEADINGS } from './headings.js';
import { printStepPlan } from './step-plan.js';
import { engineOptions, execute, yesOption, type RunArgs } from './runbook-commands.js';

interface FailoverArgs extends RunArgs {
  'accept-not-safe': boolean;
  'swap-staging'?: boolean;
  manifest?: string;
  plan: boolean;
}

export function failoverCommand(deps: CliDeps): CommandModule<object, FailoverArgs> {
  return {
    ...HEADINGS.failover,
    builder: (y) =>
      withJson(withConfig(y))
        .option('yes', { ...yesOption, describe: 'unattended (scripts): never prompt; a newer verified staging database is swapped in' })
        .option('accept-not-safe', {
          type: 'boolean',
          default: false,
          describe: 'start Hive on DR although `verify dr` says NOT-SAFE (the differences are recorded in the report)',
        })
        .option('swap-staging', {
          type: 'boolean',
          describe: 'swap in a verified staging database a run left un-swapped when newer than the live one (default: ask; yes with --yes)',
        })
        .option('manifest', { type: 'string', describe: 'the manifest to check against (default: the newest in runsDir)' })
        .option('plan', { type: 'boolean', default: false, describe: 'print the steps and their exact commands; change nothing' })
        .example('$0 failover --config /etc/hmsdr/hmsdr.yaml', 'interactive: the verdict, then run / skip / abort before each step')
        .example('$0 failover --yes --config /etc/hmsdr/hmsdr.yaml', 'scripted')
        .epilogue(
          'Never contacts the source. Exit 0: Hive started on DR, failover.md/.html in the run directory; 5: DR is NOT-SAFE (nothing changed; --accept-not-safe to start anyway). `hmsdr resume <run-id>` continues a failover that stopped. docs/failover.md is the runbook.',
        ) as never,
    handler: async (args) => {
      if (!deps.failoverRunbook) throw new PreconditionError('this hmsdr has no failover runbook');
      const config = readConfig(args);
      const options: FailoverOptions = {
        acceptNotSafe: args['accept-not-safe'],
        swapStaging: args['swap-staging'] ?? (args.yes ? true : undefined),
        ...(args.manifest ? { manifest: resolve(args.manifest) } : {}),
      };
      const steps = deps.failoverRunbook(config, options);
      if (args.plan) return printStepPlan(config, steps, args.json, 'changes the DR side');
      const base = engineOptions(deps, args, 'failover', { subject: JSON.stringify(options) });
      await execute({ ...base, steps, adapters: async (run) => withoutSource(await deps.createAdapters(config, run)) }, args.json);
    },
  };
}
