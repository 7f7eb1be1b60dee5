// The benchmarks' command lines: `--help` prints what a run measures and its options; an unknown or
// malformed option is one line and exit 2, not a stack trace.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

type Values<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; options: O }>>['values'];

/** The options' values; `required` names options that must be given. */
export function parseBenchArgs<const O extends ParseArgsOptionsConfig, R extends keyof Values<O> & string = never>(
  options: O,
  usage: string,
  required: R[] = [],
  argv = process.argv.slice(2),
): Values<O> & { [K in R]-?: NonNullable<Values<O>[K]> } {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const fail = (message: string): never => {
    process.stderr.write(`${message}\n\n${usage}`);
    process.exit(2);
  };
  let values: Values<O>;
  try {
    values = parseArgs({ args: argv, options }).values;
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const missing = required.find((name) => (values as Record<string, unknown>)[name] === undefined);
  if (missing !== undefined) fail(`--${missing} is required`);
  return values as Values<O> & { [K in R]-?: NonNullable<Values<O>[K]> };
}
