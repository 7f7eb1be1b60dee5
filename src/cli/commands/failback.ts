// `hmsdr failback`: the way home after a failover, run with the configuration `hmsdr init --reverse`
// wrote (DR is the source, production the target): src/steps/index.ts failbackRunbook.
import type { CommandModule } from 'yargs';
import { PreconditionError } from '../../errors/errors.js';
import type { CliDeps } from '../deps.js';
import { readConfig, withConfig, withJson } from '../options.js';
import { HEADINGS } from './headings.js';
import { engineOptions, execute, yesOption, type RunArgs } from './runbook-commands.js';
import { printStepPlan } from './step-plan.js';

export function failbackCommand(deps: CliDeps): CommandModule<object, RunArgs & { plan: boolean }> {
  return {
    ...HEADINGS.failback,
    builder: (y) =>
      withJson(withConfig(y))
        .option('yes', { ...yesOption, describe: 'unattended (scripts): never prompt; production is rewound and its metastore swapped' })
        .option('plan', { type: 'boolean', default: false, describe: 'print the steps and their exact commands; change nothing' })
        .example(
          '$0 init --reverse --config hmsdr.yaml -o hmsdr-failback.yaml',
          'first: the failback configuration (then fill in what it names)',
        )
        .example('$0 failback --config hmsdr-failback.yaml', 'interactive: run / skip / abort before each step')
        .example('$0 failback --yes --config hmsdr-failback.yaml', 'scripted')
        .epilogue(
          'Stop writers on DR first: the failback carries DR as of its own start home. Exit 0: production serves DR’s metastore and data; failback.md/.html list what production wrote that never reached DR (kept in hmsdr-kept-* snapshots). `hmsdr resume <run-id> --config hmsdr-failback.yaml` continues a failback that stopped. docs/failover.md is the runbook.',
        ) as never,
    handler: async (args) => {
      if (!deps.failbackRunbook) throw new PreconditionError('this hmsdr has no failback runbook');
      const config = readConfig(args);
      const steps = deps.failbackRunbook(config);
      if (args.plan) return printStepPlan(config, steps, args.json, 'changes production');
      await execute({ ...engineOptions(deps, args, 'failback'), steps }, args.json);
    },
  };
}
