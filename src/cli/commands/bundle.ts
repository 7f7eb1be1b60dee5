// `hmsdr bundle <run-id> [-o FILE]`: the diagnostic bundle of a run (docs/monitoring.md, "Diagnostic bundle").
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { PreconditionError } from '../../errors/errors.js';
import { runDirectory } from '../../names/run-names.js';
import { buildBundle } from '../../report/bundle.js';
import { fileWrite } from '../../util/file-write.js';
import { formatBytes } from '../../util/format.js';
import { ioError } from '../../util/io-error.js';
import { hmsdrVersion } from '../../verify/manifest/manifest.js';
import { HEADINGS } from './headings.js';
import { readConfigWithoutSecrets, withConfig, type ConfigArgs } from '../options.js';

export const bundleCommand: CommandModule<object, ConfigArgs & { runId: string; output?: string }> = {
  ...HEADINGS.bundle,
  builder: (y) =>
    withConfig(y)
      .positional('run-id', { type: 'string', describe: 'the run to bundle (see `hmsdr history`)', demandOption: true })
      .option('output', {
        alias: 'o',
        type: 'string',
        describe: 'the .tar.gz to write (default: ./hmsdr-bundle-<run-id>.tar.gz; /dev/stdout or a pipe: in place)',
      })
      .example('$0 bundle 20261121t053000 -o /tmp/dr.tar.gz', 'attach it to a support case: no secret is in it') as never,
  handler: (args) => {
    // Reads only files: no connection, no lock; the secrets the config names are read only to be removed.
    const config = readConfigWithoutSecrets(args);
    const runDir = runDirectory(config.runsDirAbs, args.runId);
    if (!existsSync(runDir)) throw new PreconditionError(`no run ${args.runId} in ${config.runsDirAbs}`, { hint: 'see `hmsdr history`' });
    const { archive, index } = buildBundle({
      runId: args.runId,
      runDir,
      configText: readFileSync(config.file, 'utf8'),
      configFile: config.file,
      hmsdrVersion: hmsdrVersion(),
    });
    const output = resolve(args.output ?? `hmsdr-bundle-${args.runId}.tar.gz`);
    const target = fileWrite(output, `.${process.pid}.tmp`); // -o /dev/stdout: written in place
    try {
      writeFileSync(target.path, archive, { mode: 0o600 });
      if (target.renameTo !== undefined) renameSync(target.path, target.renameTo);
    } catch (error) {
      if (target.renameTo !== undefined) rmSync(target.path, { force: true });
      throw ioError('write the bundle', output, error as NodeJS.ErrnoException);
    }
    const left = index.leftOut.length > 0 ? `; left out: ${index.leftOut.map((l) => `${l.name} (${l.why})`).join(', ')}` : '';
    // Written in place (-o /dev/stdout, a pipe): the line goes to stderr, out of the archive's way.
    const say = target.renameTo === undefined ? process.stderr : process.stdout;
    say.write(`${output}: ${index.members.length + 1} files, ${formatBytes(archive.length)}${left}\n`);
  },
};
