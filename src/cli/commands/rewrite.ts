// `hmsdr rewrite`: the NameNode URI rewriter alone, a safe replacement for the `sed` step.
import type { CommandModule } from 'yargs';
import { HEADINGS } from './headings.js';
import { integerAtLeast } from '../integer-option.js';
import { DEFAULT_PARAM_KEYS, runRewrite, type RewriteArgs } from './rewrite-run.js';

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
      .option('out', {
        type: 'string',
        describe: 'write to this file instead of stdout (via FILE.part, renamed on success; a device or pipe: in place)',
      })
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
          'compressed), or a read or write refused (a directory, a full disk, a closed pipe); 5 a value would exceed its column length, the dump is truncated (inside COPY data or without ' +
          "pg_dump's closing lines), or --strict and a rule matched nothing while its host occurs with another port " +
          '(with --out nothing is written). See hmsdr docs rewrite.',
      ) as never,
  handler: runRewrite,
};
