// The benchmarks' command lines: `--help` prints what a run measures and its options; an unknown or
// malformed option is one line and exit 2, not a stack trace.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

export function parseBenchArgs<const O extends ParseArgsOptionsConfig>(options: O, usage: string, argv = process.argv.slice(2)) {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage);
    process.exit(0);
  }
  try {
    return parseArgs({ args: argv, options }).values;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exit(2);
  }
}
