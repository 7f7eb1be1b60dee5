// `hmsdr init`: write the commented example configuration, or (`--reverse`) the failback
// configuration of an existing one (src/config/reverse.ts).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandModule } from 'yargs';
import { HEADINGS } from './headings.js';
import { PreconditionError, UsageError } from '../../errors/errors.js';
import { EXAMPLE_CONFIG } from '../../config/example.js';
import { reverseConfigText } from '../../config/reverse.js';

interface InitArgs {
  output?: string;
  force: boolean;
  reverse: boolean;
  config?: string;
  'staging-dir'?: string;
}

export const initCommand: CommandModule<object, InitArgs> = {
  ...HEADINGS.init,
  builder: (y) =>
    y
      .option('output', {
        alias: 'o',
        type: 'string',
        describe: 'file to write',
        defaultDescription: 'hmsdr.yaml, hmsdr-failback.yaml with --reverse',
      })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite an existing file' })
      .option('reverse', {
        type: 'boolean',
        default: false,
        describe: 'write the failback configuration of --config: sites swapped, rewrite rules inverted, data paths reversed',
      })
      .option('config', { alias: 'c', type: 'string', describe: 'with --reverse: the normal configuration to reverse' })
      .option('staging-dir', { type: 'string', describe: 'with --reverse: the staging directory on the old source' })
      .example('$0 init -o /etc/hmsdr/hmsdr.yaml', '')
      .example('$0 init --reverse --config hmsdr.yaml -o hmsdr-failback.yaml', 'the way home after a failover (docs/failover.md)') as never,
  handler: (args) => {
    if (args.reverse && !args.config) throw new UsageError('--reverse needs --config <the normal configuration>');
    const path = resolve(args.output ?? (args.reverse ? 'hmsdr-failback.yaml' : 'hmsdr.yaml'));
    if (existsSync(path) && !args.force) {
      throw new PreconditionError(`${path} exists`, { hint: 'choose another --output, or pass --force to overwrite it' });
    }
    if (args.reverse && args.config) {
      const reversed = reverseConfigText(readFileSync(resolve(args.config), 'utf8'), { stagingDir: args['staging-dir'] });
      writeFileSync(path, reversed.text, { mode: 0o600 });
      process.stdout.write(
        `wrote ${path}\ndecide before using it:\n${reversed.decisions.map((d) => `  - ${d}`).join('\n')}\nthen check it with: hmsdr plan --offline --config ${path}\n`,
      );
      return;
    }
    // Editors with the YAML language server validate and complete the file against the installed schema.
    const schema = fileURLToPath(new URL('../../../../hmsdr.schema.json', import.meta.url));
    writeFileSync(path, `# yaml-language-server: $schema=${schema}\n${EXAMPLE_CONFIG}`, { mode: 0o600 });
    process.stdout.write(`wrote ${path}\nedit it, then check it with: hmsdr plan --config ${args.output ?? 'hmsdr.yaml'}\n`);
  },
};
