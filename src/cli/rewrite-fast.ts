// `hmsdr rewrite --map …` as the start-up fast path (fast-path.ts) runs it: the options read
// without yargs, then the same runRewrite as the yargs command. A rewrite in a pipe is started once
// per dump, but yargs and its help layout (cliui, string-width: Intl.Segmenter and Unicode-property
// regular expressions built at load) cost ~0.1 s per run (0.20 → 0.10 s wall on an empty input), a
// quarter of rewriting a 100 MB dump.
import { exitCodeOf, formatError } from './format-error.js';
import { parseFastOptions } from './fast-options.js';
import { integerAtLeast } from './integer-option.js';
import type { RewriteArgs } from './commands/rewrite-run.js';
import { writeText } from '../util/std-text.js';

/** rewrite's exit code, or undefined when its arguments are not plain (the full parser explains them). */
export async function fastRewrite(args: readonly string[]): Promise<number | undefined> {
  const parsed = parseFastOptions(args, {
    map: { flags: ['--map'], kind: 'strings' },
    paramKey: { flags: ['--param-key'], kind: 'strings' },
    allParamKeys: { flags: ['--all-param-keys'], kind: 'flag' },
    matchDefaultPort: { flags: ['--match-default-port'], kind: 'flag' },
    maxValueLength: { flags: ['--max-value-length'], kind: 'string' },
    report: { flags: ['--report'], kind: 'string' },
    countOnly: { flags: ['--count-only'], kind: 'flag' },
    in: { flags: ['--in'], kind: 'string' },
    out: { flags: ['--out'], kind: 'string' },
    strict: { flags: ['--strict'], kind: 'flag' },
    verbose: { flags: ['--verbose'], kind: 'flag' },
  });
  // --config (the config loader) and anything unusual go to the full parser.
  if (!parsed || parsed.map === undefined) return undefined;
  let maxValueLength: number | undefined;
  try {
    maxValueLength = parsed.maxValueLength === undefined ? undefined : integerAtLeast('max-value-length', 1)(parsed.maxValueLength);
  } catch {
    return undefined;
  }
  const rewriteArgs: RewriteArgs = {
    map: parsed.map as string[],
    'param-key': parsed.paramKey as string[] | undefined,
    'all-param-keys': parsed.allParamKeys === true,
    'match-default-port': parsed.matchDefaultPort === true,
    'max-value-length': maxValueLength,
    report: parsed.report as string | undefined,
    'count-only': parsed.countOnly === true,
    in: parsed.in as string | undefined,
    out: parsed.out as string | undefined,
    strict: parsed.strict === true,
  };
  try {
    const { runRewrite } = await import('./commands/rewrite-run.js');
    await runRewrite(rewriteArgs);
    return 0;
  } catch (error) {
    // As cli.ts reports a command's error (rewrite has no --json).
    const text = formatError(error, { verbose: parsed.verbose === true });
    if (text) writeText(2, text + '\n');
    return exitCodeOf(error);
  }
}
