// Builds the yargs program and maps every outcome to an exit code (the only place that does).
import yargs from 'yargs';
import { UsageError } from '../errors/errors.js';
import { ExitCode, EXIT_CODE_TABLE } from '../errors/exit-codes.js';
import { commands } from './commands/index.js';
import { runbookCommands } from './commands/runbook-commands.js';
import type { CliDeps } from './deps.js';
import { exitCodeOf, formatError } from './format-error.js';

export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  const exitCodes = EXIT_CODE_TABLE.map(([code, name, text]) => `  ${String(code).padStart(3)}  ${name.padEnd(13)} ${text}`).join('\n');
  let parser = yargs(argv)
    .scriptName('hmsdr')
    .usage(
      '$0 <command> [options]\n\n' +
        'Disaster recovery for a Hive metastore in PostgreSQL and its HDFS data: dump, rewrite NameNode URIs,\n' +
        'ship over SSH, restore into a staging database, copy data with snapshot-diff DistCp, stop Hive, swap, verify.',
    )
    .parserConfiguration({ 'parse-numbers': false, 'parse-positional-numbers': false })
    .strict()
    .demandCommand(1, 'name a command (see the list above)')
    .recommendCommands()
    .fail((message, error) => {
      throw error ?? new UsageError(message, { hint: 'see `hmsdr --help` or `hmsdr <command> --help`' });
    })
    .option('verbose', { type: 'boolean', default: false, describe: 'print the cause chain and stack of errors' })
    .epilogue(`Exit codes:\n${exitCodes}\n\nDocs: docs/runbook.md, docs/configuration.md, docs/troubleshooting.md`)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .help()
    .alias('h', 'help')
    .version();
  for (const command of [...runbookCommands(deps), ...commands]) parser = parser.command(command);
  try {
    await parser.parseAsync();
    return ExitCode.OK;
  } catch (error) {
    const text = formatError(error, { verbose: argv.includes('--verbose') });
    if (text) process.stderr.write(text + '\n');
    return exitCodeOf(error);
  }
}
