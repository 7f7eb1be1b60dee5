// `hmsdr verify <what>`: read-only verification commands. Subcommands are listed in
// `verifySubcommands`; `verify data` lives in verify-data.ts and is added there in one line.
import type { Argv, CommandModule } from 'yargs';
import { HEADINGS } from './headings.js';
import { readConfig, withConfig } from '../options.js';
import { ExitStatus } from '../../errors/errors.js';
import { ExitCode } from '../../errors/exit-codes.js';
import { renderParity } from '../../verify/metastore/parity.js';
import { verifyMetastore } from '../../verify/metastore/run.js';
import { verifyDataCommand } from './verify-data.js';
import { verifyDrCommand } from './verify-dr.js';

interface VerifyMetastoreArgs {
  config: string;
  against: string;
  'old-authority'?: string[];
  json: boolean;
}

export const verifyMetastoreCommand: CommandModule<object, VerifyMetastoreArgs> = {
  command: 'metastore',
  describe: 'L3 parity: DR metastore vs the source (or the dump stream counts); exit 0 when all checks hold, 5 otherwise',
  builder: (yargs) =>
    withConfig(yargs)
      .option('against', { type: 'string', default: 'source', describe: '`source`, or a stream-counts JSON file from the rewriter' })
      .option('old-authority', {
        type: 'string',
        array: true,
        describe:
          'scheme://authority that must not occur on DR (default: what the rewrite rules move to another authority, and source.nameNode; docs/metastore.md)',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'print the structured result as JSON',
      }) as unknown as Argv<VerifyMetastoreArgs>,
  handler: async (argv) => {
    const config = readConfig(argv);
    const oldAuthorities = argv['old-authority'];
    const result = await verifyMetastore(config, { against: argv.against, ...(oldAuthorities ? { oldAuthorities } : {}) });
    process.stdout.write((argv.json ? JSON.stringify(result, null, 2) : renderParity(result)) + '\n');
    if (!result.ok) throw new ExitStatus(ExitCode.VERIFY_FAILED);
  },
};

// biome-ignore lint/suspicious/noExplicitAny: yargs CommandModule is invariant in its arguments; commands with different arguments share one list
export const verifySubcommands: CommandModule<any, any>[] = [verifyMetastoreCommand, verifyDataCommand, verifyDrCommand];

export const verifyCommand: CommandModule = {
  ...HEADINGS.verify,
  builder: (yargs) => {
    let parser = yargs;
    for (const sub of verifySubcommands) parser = parser.command(sub);
    return parser.demandCommand(1, 'name what to verify');
  },
  handler: () => undefined,
};
