// `hmsdr manifest export`: the manifest a run writes at T1, produced from the source side alone
// (source metastore inspection, listing of the newest hmsdr snapshot of each data path), for sites
// that copy the file to DR by hand and check it there with `hmsdr verify dr`.
import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { localExecutor } from '../../adapters/executor.js';
import { HdfsCli, siteSpec } from '../../adapters/hdfs/hdfs.js';
import { createSite } from '../../adapters/site.js';
import { isSyncSnapshot } from '../../copy/distcp/sync-state.js';
import { dataPairs } from '../../copy/pairs.js';
import { PreconditionError, UsageError } from '../../errors/errors.js';
import { writeFileAtomic } from '../../runbook/ledger.js';
import { dataPathManifest } from '../../verify/manifest/build.js';
import { metastoreSection } from '../../verify/manifest/collect.js';
import { withQueryPool } from '../../adapters/postgres/query-pool.js';
import { INSPECTION_CONNECTIONS } from '../../verify/metastore/inspect.js';
import {
  hmsdrVersion,
  MANIFEST_VERSION,
  manifestText,
  sealManifest,
  siteIdentity,
  type ManifestDataPath,
} from '../../verify/manifest/manifest.js';
import { HEADINGS } from './headings.js';
import { readConfig, withConfig } from '../options.js';

interface ExportArgs {
  config: string;
  out?: string;
  'paths-file'?: string;
  'dump-all': boolean;
}

const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export',
  describe: 'Write the manifest from the source side alone (metastore counts, newest hmsdr snapshot listings) to copy to DR',
  builder: (yargs) =>
    withConfig(yargs)
      .option('out', { type: 'string', describe: 'file to write (private, 0600); default: standard output' })
      .option('paths-file', { type: 'string', describe: 'file with one data.paths source per line: only those paths' })
      .option('dump-all', { type: 'boolean', default: false, describe: 'record every file (lets verify dr name the files that differ)' })
      .example(
        '$0 manifest export --out /secure/hmsdr-manifest.json',
        'then copy it to DR and run hmsdr verify dr --manifest there',
      ) as unknown as Argv<ExportArgs>,
  handler: async (argv) => {
    const config = readConfig(argv);
    let pairs = dataPairs(config);
    if (argv['paths-file']) {
      const wanted = readFileSync(argv['paths-file'], 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'));
      const unknown = wanted.filter((w) => !pairs.some((p) => p.source === w));
      if (unknown.length > 0) throw new UsageError(`--paths-file: not in data.paths: ${unknown.join(', ')}`);
      pairs = pairs.filter((p) => wanted.includes(p.source));
    }
    const source = createSite(config, 'source');
    try {
      const where = source.where('hdfs');
      const hdfs = new HdfsCli(
        siteSpec('source', config.source),
        where === 'local' ? localExecutor : { where, open: () => source.executor('hdfs') },
      );
      const t0 = new Date().toISOString();
      const metastore = await withQueryPool(
        () => source.connect(),
        INSPECTION_CONNECTIONS,
        (pool) => metastoreSection(pool, { where: `source metastore ${config.source.metastore.database}` }),
      );
      const data: ManifestDataPath[] = [];
      for (const pair of pairs) {
        const t1 = (await hdfs.listSnapshots(pair.source)).filter((s) => isSyncSnapshot(s.name)).pop()?.name;
        if (!t1) throw new PreconditionError(`${pair.source}: no hmsdr snapshot on the source (a run takes one in snapshot-source)`);
        data.push(
          await dataPathManifest(
            { hdfs, side: 'source', t1, entries: argv['dump-all'] ? Number.POSITIVE_INFINITY : 0, checksums: config.data.checksums },
            pair,
          ),
        );
      }
      const manifest = sealManifest({
        manifestVersion: MANIFEST_VERSION,
        hmsdrVersion: hmsdrVersion(),
        createdAt: t0,
        runId: null,
        t0,
        t1: data[0]?.snapshot ?? t0,
        source: siteIdentity(config.source),
        dr: siteIdentity(config.dr),
        metastore,
        data,
      });
      if (argv.out) {
        writeFileAtomic(argv.out, manifestText(manifest));
        process.stderr.write(`wrote ${argv.out} (sha256 ${manifest.sha256})\n`);
      } else process.stdout.write(manifestText(manifest));
    } finally {
      await source.close();
    }
  },
};

export const manifestCommand: CommandModule = {
  ...HEADINGS.manifest,
  builder: (yargs) => yargs.command(exportCommand).demandCommand(1, 'name what to do (export)'),
  handler: () => undefined,
};
