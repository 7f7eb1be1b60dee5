// Builds the yargs program and maps every outcome to an exit code (the only place that does).
import yargs from 'yargs';
import { UsageError } from '../errors/errors.js';
import { ExitCode, EXIT_CODE_TABLE } from '../errors/exit-codes.js';
import { commandsFor } from './commands/catalog.js';
import type { CliDeps } from './deps.js';
import { hmsdrVersion } from '../util/version.js';
import { errorObject, exitCodeOf, formatError } from './format-error.js';
import { helpWidth } from './help-cache.js';

/**
 * `deps` may be a loader: the real runbook and adapters are imported only by the commands that
 * run steps, so the others start at once.
 */
export async function runCli(argv: string[], deps: CliDeps | (() => Promise<CliDeps>)): Promise<number> {
  const loadDeps = typeof deps === 'function' ? deps : async () => deps;
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
      // yargs reports its own argument errors (and a coerce that threw) as YError: usage, exit 2.
      if (error && error.name !== 'YError') throw error;
      throw new UsageError(message ?? error?.message ?? 'bad arguments', { hint: 'see `hmsdr --help` or `hmsdr <command> --help`' });
    })
    .option('verbose', { type: 'boolean', default: false, describe: 'print the cause chain and stack of errors' })
    .epilogue(
      `Exit codes:\n${exitCodes}\n\nDocs: hmsdr docs (the list), hmsdr docs runbook, hmsdr docs configuration, hmsdr docs troubleshooting`,
    )
    .wrap(helpWidth(process.stdout.columns))
    .help()
    .alias('h', 'help')
    .version(hmsdrVersion());
  try {
    for (const command of await commandsFor(argv, loadDeps)) parser = parser.command(command);
    parser = parser.completion('completion', 'print a bash or zsh completion script (source it from ~/.bashrc or ~/.zshrc)');
    skipHelpCache(parser);
    await parser.parseAsync();
    return ExitCode.OK;
  } catch (error) {
    const text = formatError(error, { verbose: argv.includes('--verbose') });
    if (text) process.stderr.write(text + '\n');
    // A machine asked for JSON: the error is a JSON object on stdout too, the exit code unchanged.
    const object = wantsJson(argv) ? errorObject(error) : undefined;
    if (object) process.stdout.write(JSON.stringify(object) + '\n');
    return exitCodeOf(error);
  }
}

/**
 * yargs renders a command's whole help text right after its handler starts, only to cache it
 * (~40 ms CPU per run: a grapheme-width measurement per cell); `--help` renders it when asked, and
 * argument errors go through our fail handler, which shows no help. Skipped where yargs allows.
 */
function skipHelpCache(parser: unknown): void {
  const usage = (parser as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } })
    .getInternalMethods?.()
    .getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}

const wantsJson = (argv: readonly string[]): boolean => argv.some((a) => a === '--json' || a === '--json=true');
