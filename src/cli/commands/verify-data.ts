// `hmsdr verify data`: L5 (source vs DR snapshot listings, optional COMPOSITE_CRC checksums) for
// every data path, plus L4 for a file of metastore locations; exit 0 when all hold, 5 otherwise.
import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { hdfsPortsFor } from '../../adapters/hdfs/factory.js';
import { createSite } from '../../adapters/site.js';
import { dataPairs } from '../../copy/pairs.js';
import { readConfig, withConfig } from '../options.js';
import { ExitStatus } from '../../errors/errors.js';
import { ExitCode } from '../../errors/exit-codes.js';
import type { ChecksumMode } from '../../verify/data/equivalence.js';
import { configuredChecksums, renderDataVerification, verifyData } from '../../verify/data/run.js';
import { exclusionPredicate } from '../../config/schema-copy.js';

interface VerifyDataArgs {
  config: string;
  snapshot?: string;
  checksums?: ChecksumMode;
  locations?: string;
  json: boolean;
}

export const verifyDataCommand: CommandModule<object, VerifyDataArgs> = {
  command: 'data',
  describe: 'L5 file equivalence of source and DR HDFS snapshots (and L4 presence of listed locations); exit 0 when all hold, 5 otherwise',
  builder: (yargs) =>
    withConfig(yargs)
      .option('snapshot', { type: 'string', describe: 'snapshot name to compare (default: the newest hmsdr snapshot on both sides)' })
      .option('checksums', {
        type: 'string',
        describe:
          'COMPOSITE_CRC checksums: none, changed (files the last snapshot diff created or modified, plus a rotating sample), all; alone: all (default: data.verify.checksums)',
        coerce: (value: unknown): ChecksumMode => {
          const mode = value === '' || value === true ? 'all' : String(value);
          if (mode !== 'none' && mode !== 'changed' && mode !== 'all')
            throw new Error(`--checksums: expected none, changed or all, got ${mode}`);
          return mode;
        },
      })
      .option('locations', {
        type: 'string',
        describe: 'file with one table/partition location URI per line: L4, checked on DR at the snapshot',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print the structured result as JSON' })
      .example(
        '$0 verify data --checksums',
        'compare every data path at the newest common hmsdr snapshot',
      ) as unknown as Argv<VerifyDataArgs>,
  handler: async (argv) => {
    const config = readConfig(argv);
    const sites = { source: createSite(config, 'source'), dr: createSite(config, 'dr') };
    try {
      const locations =
        argv.locations === undefined
          ? undefined
          : readFileSync(argv.locations, 'utf8')
              .split('\n')
              .map((l) => l.trim())
              .filter((l) => l !== '');
      const result = await verifyData(hdfsPortsFor(config, sites), dataPairs(config), {
        ...(argv.snapshot ? { snapshot: argv.snapshot } : {}),
        checksums: argv.checksums ?? configuredChecksums(config.data),
        sample: config.data.verify.sample,
        exclude: exclusionPredicate(config.data),
        ...(locations ? { locations } : {}),
      });
      process.stdout.write((argv.json ? JSON.stringify(result, null, 2) : renderDataVerification(result)) + '\n');
      if (!result.ok) throw new ExitStatus(ExitCode.VERIFY_FAILED);
    } finally {
      await Promise.all([sites.source.close(), sites.dr.close()]);
    }
  },
};
