// What `hmsdr rewrite` does once its arguments are known. Shared by the yargs command (rewrite.ts)
// and the start-up fast path (../rewrite-fast.ts), so the two cannot disagree. Keep it light: no
// yargs (its help layout alone costs ~50 ms of start-up), no config loader unless --config.
import { closeSync, existsSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { ExitStatus, PreconditionError, UsageError } from '../../errors/errors.js';
import { ExitCode } from '../../errors/exit-codes.js';
import {
  formatRewriteSummary,
  ioError,
  judgeInput,
  parseMapArgument,
  rewriteFd,
  rewriteOptionsFromConfig,
  type RewriterOptions,
} from '../../rewrite/index.js';
import { fileWrite } from '../../util/file-write.js';
import { isTerminal, writeText } from '../../util/std-text.js';

export interface RewriteArgs {
  map?: string[];
  config?: string;
  'param-key'?: string[];
  'all-param-keys': boolean;
  'match-default-port': boolean;
  'max-value-length'?: number;
  report?: string;
  'count-only': boolean;
  in?: string;
  out?: string;
  strict: boolean;
}

export const DEFAULT_PARAM_KEYS = ['avro.schema.url', 'path', 'metadata_location', 'previous_metadata_location', 'location'];

async function optionsFrom(args: RewriteArgs): Promise<RewriterOptions> {
  let options: RewriterOptions;
  if (args.map && args.map.length > 0) {
    options = {
      rules: args.map.map((m) => parseMapArgument(m, args['match-default-port'])),
      parameterKeys: DEFAULT_PARAM_KEYS,
      allParameterKeys: false,
      maxValueLength: 4000,
    };
  } else if (args.config) {
    // Loaded only here: the config loader (zod, yaml) would slow every `rewrite --map` start-up.
    const { readConfigWithoutSecrets } = await import('../options.js');
    options = rewriteOptionsFromConfig(readConfigWithoutSecrets(args));
  } else {
    throw new UsageError('give at least one --map OLD=NEW (or --config to use the rules of a config file)');
  }
  if (args['param-key'] && args['param-key'].length > 0) options.parameterKeys = args['param-key'];
  if (args['all-param-keys']) options.allParameterKeys = true;
  if (args['max-value-length'] !== undefined) options.maxValueLength = args['max-value-length'];
  if (args['count-only']) options.countOnly = true;
  return options;
}

/** Open a file (the output private: it holds row data), or a clear error (exit 4). */
function openOrExplain(path: string, flags: 'r' | 'w', what: string): number {
  try {
    return openSync(path, flags, 0o600);
  } catch (error) {
    throw ioError(what, path, error as NodeJS.ErrnoException);
  }
}

/** Rewrite stdin or --in into stdout or --out; the summary and warnings go to stderr. */
export async function runRewrite(args: RewriteArgs): Promise<void> {
  const options = await optionsFrom(args);
  if (args.in !== undefined && !existsSync(args.in)) throw new PreconditionError(`input ${args.in} does not exist`);
  if (args.in === undefined && isTerminal(0)) {
    writeText(
      2,
      'hmsdr rewrite reads a pg_dump plain-format dump from stdin: pipe one in (pg_dump … | hmsdr rewrite …) or give --in FILE; Ctrl-D ends the input.\n',
    );
  }
  // --out: FILE.part renamed to FILE on success; a device or pipe (/dev/null) is written in place.
  const target = args.out !== undefined ? fileWrite(args.out, '.part') : undefined;
  const part = target?.renameTo !== undefined ? target.path : undefined;
  const input = args.in !== undefined ? openOrExplain(args.in, 'r', 'open the input') : 0;
  let output: number | undefined;
  let result: ReturnType<typeof rewriteFd>;
  let judgement: ReturnType<typeof judgeInput>;
  try {
    output = target !== undefined ? openOrExplain(target.path, 'w', 'create the output') : options.countOnly ? undefined : 1;
    result = rewriteFd({ input, output, inputName: args.in ?? 'stdin', outputName: target?.path ?? 'stdout' }, options);
    judgement = judgeInput(result.inspection, { strict: args.strict });
    if (judgement.error && part !== undefined) rmSync(part, { force: true });
  } catch (error) {
    if (part !== undefined) rmSync(part, { force: true });
    throw error;
  } finally {
    if (args.in !== undefined) closeSync(input);
    if (target !== undefined && output !== undefined) closeSync(output);
  }
  if (part !== undefined && target?.renameTo !== undefined && !judgement.error) renameSync(part, target.renameTo);
  const { report, inspection } = result;
  if (args.report !== undefined)
    writeFileSync(args.report, JSON.stringify({ ...report, input: inspection }, null, 2) + '\n', { mode: 0o600 });
  writeText(2, formatRewriteSummary(report));
  for (const warning of judgement.warnings) writeText(2, `WARNING: ${warning}\n`);
  if (judgement.error) throw judgement.error;
  if (report.lengthViolations && report.lengthViolations.length > 0) throw new ExitStatus(ExitCode.VERIFY_FAILED);
}
