// `hmsdr rewrite`: the NameNode URI rewriter alone, a safe replacement for the `sed` step.
import { createReadStream, createWriteStream, existsSync, fstatSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isatty } from 'node:tty';
import type { CommandModule } from 'yargs';
import { HEADINGS } from './headings.js';
import { integerAtLeast } from '../integer-option.js';
import { ExitStatus, PreconditionError, UsageError } from '../../errors/errors.js';
import { ExitCode } from '../../errors/exit-codes.js';
import {
  createDumpInspector,
  createRewriter,
  formatRewriteSummary,
  judgeInput,
  parseMapArgument,
  rewriteOptionsFromConfig,
  type RewriterOptions,
} from '../../rewrite/index.js';

interface RewriteArgs {
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

const DEFAULT_PARAM_KEYS = ['avro.schema.url', 'path', 'metadata_location', 'previous_metadata_location', 'location'];

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

/** A sink for --count-only without --out: the bytes are not needed. */
const discard = (): Writable => new Writable({ write: (_chunk, _enc, cb) => cb() });

/** Reads and writes of 1 MiB: fewer, larger chunks through the inspector and the rewriter. */
const IO_CHUNK = 1 << 20;

const fdIs = (fd: number, kind: 'file' | 'file-or-fifo'): boolean => {
  try {
    const stat = fstatSync(fd);
    return stat.isFile() || (kind === 'file-or-fifo' && stat.isFIFO());
  } catch {
    return false;
  }
};

/**
 * stdin as a stream of 1 MiB reads when it is a file or a shell pipe (`pg_dump | hmsdr rewrite`);
 * process.stdin (64 KiB chunks) otherwise (a terminal, a socket from a parent process).
 */
// (process.stdin is not touched before: for a pipe it would switch fd 0 to non-blocking mode.)
function standardInput(): Readable {
  return fdIs(0, 'file-or-fifo') ? createReadStream('', { fd: 0, autoClose: false, highWaterMark: IO_CHUNK }) : process.stdin;
}

/**
 * stdout redirected to a file (`> dump.sql`): an fs stream with a 1 MiB buffer, written from the
 * thread pool while the next chunk is rewritten (process.stdout writes files synchronously).
 */
function standardOutput(): Writable {
  return fdIs(1, 'file') ? createWriteStream('', { fd: 1, autoClose: false, highWaterMark: IO_CHUNK }) : process.stdout;
}

export const rewriteCommand: CommandModule<object, RewriteArgs> = {
  ...HEADINGS.rewrite,
  builder: (y) =>
    y
      .option('map', {
        type: 'string',
        array: true,
        describe: 'rule OLD=NEW: scheme://authority[/path] → scheme://authority[/path] (repeatable)',
      })
      .option('config', {
        type: 'string',
        describe: 'take rules, parameter keys and limits from this config file (rewrite.*) instead of --map',
      })
      .option('param-key', {
        type: 'string',
        array: true,
        describe: `PARAM_KEY whose PARAM_VALUE is rewritten (repeatable; default: ${DEFAULT_PARAM_KEYS.join(', ')})`,
      })
      .option('all-param-keys', { type: 'boolean', default: false, describe: 'rewrite URIs in every PARAM_VALUE of the *_PARAMS tables' })
      .option('match-default-port', { type: 'boolean', default: false, describe: 'a --map OLD without port also matches OLD:8020' })
      .option('max-value-length', {
        type: 'string',
        coerce: integerAtLeast('max-value-length', 1),
        describe: 'limit for rewritten values whose column type is not in the dump (default 4000)',
      })
      .option('report', {
        type: 'string',
        describe: 'write the report (rows per table, rewrites per column, warnings) as JSON to this file',
      })
      .option('count-only', {
        type: 'boolean',
        default: false,
        describe: 'only count what would change; output (if --out) is the unchanged input',
      })
      .option('in', { type: 'string', describe: 'read the dump from this file instead of stdin' })
      .option('out', { type: 'string', describe: 'write to this file (via FILE.part, renamed on success) instead of stdout' })
      .option('strict', {
        type: 'boolean',
        default: false,
        describe: 'exit 5 when a rule matched nothing while its host occurs with another port (the runbook is always strict)',
      })
      .example(
        'pg_dump -d metastore | $0 rewrite --map hdfs://nn1.prod:8020=hdfs://nn1.dr:8020 --report rw.json > dump.sql',
        'rewrite while dumping',
      )
      .example('$0 rewrite --map hdfs://prodns=hdfs://drns --in dump.sql --out dump.dr.sql', 'HA nameservice, files')
      .example('$0 rewrite --map hdfs://nn1=hdfs://drns --match-default-port --count-only --in dump.sql', 'what would change')
      .epilogue(
        'Rewrites the location columns of the Hive metastore (DBS, CTLGS, SDS, SKEWED_COL_VALUE_LOC_MAP, FUNC_RU) and the ' +
          'configured keys of the *_PARAMS tables; reports other occurrences as warnings. The summary goes to stderr.\n' +
          'Exit codes: 0 ok; 2 bad arguments; 3 bad config; 4 input missing, empty, or not a plain-format dump (pg_dump -Fc/-Ft, ' +
          'compressed); 5 a value would exceed its column length, the dump is truncated (inside COPY data or without ' +
          "pg_dump's closing lines), or --strict and a rule matched nothing while its host occurs with another port " +
          '(with --out nothing is written). See hmsdr docs rewrite.',
      ) as never,
  handler: async (args) => {
    const options = await optionsFrom(args);
    if (args.in !== undefined && !existsSync(args.in)) throw new PreconditionError(`input ${args.in} does not exist`);
    if (args.in === undefined && isatty(0)) {
      process.stderr.write(
        'hmsdr rewrite reads a pg_dump plain-format dump from stdin: pipe one in (pg_dump … | hmsdr rewrite …) or give --in FILE; Ctrl-D ends the input.\n',
      );
    }
    const inspector = createDumpInspector(options.rules);
    const rewriter = createRewriter(options);
    const input = args.in !== undefined ? createReadStream(args.in, { highWaterMark: IO_CHUNK }) : standardInput();
    const part = args.out !== undefined ? `${args.out}.part` : undefined;
    const output =
      part !== undefined
        ? createWriteStream(part, { highWaterMark: IO_CHUNK, mode: 0o600 })
        : options.countOnly
          ? discard()
          : standardOutput();
    let judgement: ReturnType<typeof judgeInput>;
    try {
      await pipeline(input, inspector, rewriter, output);
      judgement = judgeInput(inspector.inspection(), { strict: args.strict });
      if (judgement.error && part !== undefined) rmSync(part, { force: true });
    } catch (error) {
      if (part !== undefined) rmSync(part, { force: true });
      throw error;
    }
    if (part !== undefined && args.out !== undefined && !judgement.error) renameSync(part, args.out);
    const report = rewriter.report();
    if (args.report !== undefined)
      writeFileSync(args.report, JSON.stringify({ ...report, input: inspector.inspection() }, null, 2) + '\n', { mode: 0o600 });
    process.stderr.write(formatRewriteSummary(report));
    for (const warning of judgement.warnings) process.stderr.write(`WARNING: ${warning}\n`);
    if (judgement.error) throw judgement.error;
    if (report.lengthViolations && report.lengthViolations.length > 0) throw new ExitStatus(ExitCode.VERIFY_FAILED);
  },
};
