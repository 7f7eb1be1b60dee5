// `hmsdr init`: write the commented example configuration.
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandModule } from 'yargs';
import { HEADINGS } from './headings.js';
import { PreconditionError } from '../../errors/errors.js';
import { EXAMPLE_CONFIG } from '../../config/example.js';

export const initCommand: CommandModule<object, { output: string; force: boolean }> = {
  ...HEADINGS.init,
  builder: (y) =>
    y
      .option('output', { alias: 'o', type: 'string', default: 'hmsdr.yaml', describe: 'file to write' })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite an existing file' })
      .example('$0 init -o /etc/hmsdr/hmsdr.yaml', '') as never,
  handler: (args) => {
    const path = resolve(args.output);
    if (existsSync(path) && !args.force) {
      throw new PreconditionError(`${path} exists`, { hint: 'choose another --output, or pass --force to overwrite it' });
    }
    // Editors with the YAML language server validate and complete the file against the installed schema.
    const schema = fileURLToPath(new URL('../../../../hmsdr.schema.json', import.meta.url));
    writeFileSync(path, `# yaml-language-server: $schema=${schema}\n${EXAMPLE_CONFIG}`, { mode: 0o600 });
    process.stdout.write(`wrote ${path}\nedit it, then check it with: hmsdr plan --config ${args.output}\n`);
  },
};
