// `hmsdr verify dr --manifest F`: on the DR side alone (the source may be powered off: only DR
// adapters are created), is what DR holds what the manifest says? Exit 0 SAFE-TO-START, 5
// NOT-SAFE, 4 when it cannot run (manifest unreadable, DR database unreachable).
import type { Argv, CommandModule } from 'yargs';
import { HdfsCli, siteSpec } from '../../adapters/hdfs/hdfs.js';
import { localExecutor } from '../../adapters/executor.js';
import { createSite } from '../../adapters/site.js';
import { ExitStatus } from '../../errors/errors.js';
import { ExitCode } from '../../errors/exit-codes.js';
import { readManifest } from '../../verify/manifest/manifest.js';
import { configIdentities, renderDrVerdict, verifyDr } from '../../verify/manifest/verify-dr.js';
import { readConfig, withConfig } from '../options.js';

interface VerifyDrArgs {
  config: string;
  manifest: string;
  database?: string;
  json: boolean;
}

export const verifyDrCommand: CommandModule<object, VerifyDrArgs> = {
  command: 'dr',
  describe:
    'Offline: is the DR metastore and data what the manifest says? (no source needed) exit 0 SAFE-TO-START, 5 NOT-SAFE, 4 cannot run',
  builder: (yargs) =>
    withConfig(yargs)
      .option('manifest', {
        type: 'string',
        demandOption: true,
        describe: "a run's manifest.json (runs/<id>/manifest.json, or the copy in dr.stagingDir)",
      })
      .option('database', {
        type: 'string',
        describe: 'the DR database to compare (default: dr.metastore.database; e.g. a kept staging database)',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print the verdict as JSON' })
      .example(
        '$0 verify dr --manifest runs/20260101t020000/manifest.json',
        'decide whether Hive may start on DR',
      ) as unknown as Argv<VerifyDrArgs>,
  handler: async (argv) => {
    const config = readConfig(argv);
    const manifest = readManifest(argv.manifest);
    const dr = createSite(config, 'dr');
    try {
      const where = dr.where('hdfs');
      const hdfs =
        config.data.paths.length > 0 || manifest.data.length > 0
          ? new HdfsCli(siteSpec('dr', config.dr), where === 'local' ? localExecutor : { where, open: () => dr.executor('hdfs') })
          : undefined;
      const verdict = await verifyDr({
        manifest,
        manifestFile: argv.manifest,
        database: argv.database ?? config.dr.metastore.database,
        identities: configIdentities(config),
        dr,
        hdfs,
      });
      process.stdout.write((argv.json ? JSON.stringify(verdict, null, 2) : renderDrVerdict(verdict)) + '\n');
      if (verdict.verdict !== 'SAFE-TO-START') throw new ExitStatus(ExitCode.VERIFY_FAILED);
    } finally {
      await dr.close();
    }
  },
};
