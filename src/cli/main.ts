#!/usr/bin/env node
// hmsdr's entry point: parse → dispatch → map error → exit code. The only place that sets it.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UsageError } from '../errors/errors.js';
import { ExitCode, EXIT_CODE_TABLE } from '../errors/exit-codes.js';
import { commands } from './commands/index.js';
import { formatError, exitCodeOf } from './format-error.js';

export async function main(argv: string[]): Promise<number> {
  const exitCodes = EXIT_CODE_TABLE.map(([code, name, text]) => `  ${String(code).padStart(3)}  ${name.padEnd(13)} ${text}`).join('\n');
  let parser = yargs(argv)
    .scriptName('hmsdr')
    .usage('$0 <command> [options]\n\nDisaster recovery for the Hive metastore (PostgreSQL) and its HDFS data.')
    .parserConfiguration({ 'parse-numbers': false, 'parse-positional-numbers': false })
    .strict()
    .demandCommand(1, 'name a command (see the list above)')
    .recommendCommands()
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    })
    .epilogue(`Exit codes:\n${exitCodes}\n\nDocs: docs/runbook.md, docs/configuration.md, docs/troubleshooting.md`)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .help()
    .alias('h', 'help')
    .version();
  for (const command of commands) parser = parser.command(command);
  try {
    await parser.parseAsync();
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.OK;
  } catch (error) {
    process.stderr.write(formatError(error, { verbose: argv.includes('--verbose') }) + '\n');
    return exitCodeOf(error);
  }
}

const code = await main(hideBin(process.argv));
process.exitCode = code;
