// Rewrite rules: parsing `scheme://authority[/path]` pairs into byte patterns the matcher uses,
// plus `parseMapArgument` for `--map OLD=NEW` and `rewriteOptionsFromConfig`.
import { ConfigError, UsageError } from '../errors/errors.js';
import type { ResolvedConfig } from '../config/load.js';

/** One rule as written in the config (`rewrite.rules[]`) or on the command line (`--map`). */
export interface RewriteRule {
  /** Old `scheme://authority[/path prefix]`, e.g. `hdfs://nn1.prod:8020`. */
  from: string;
  /** New `scheme://authority[/path prefix]`, e.g. `hdfs://drns`. */
  to: string;
  /** For a `from` without port: also match the same host with the default port 8020. */
  matchDefaultPort?: boolean;
}

/** Options of the streaming rewriter (see createRewriter). */
export interface RewriterOptions {
  rules: RewriteRule[];
  /** PARAM_KEY values whose PARAM_VALUE is rewritten in the *_PARAMS tables. */
  parameterKeys: string[];
  /** Rewrite every PARAM_VALUE, whatever its key. */
  allParameterKeys: boolean;
  /** Limit (characters) for rewritten values whose column type is not declared in the dump. */
  maxValueLength: number;
  /** Count what would change but output the input bytes unchanged; length violations are reported, not thrown. */
  countOnly?: boolean;
}

export const DEFAULT_PORT = '8020';

/**
 * A compiled pattern: what must follow `://` and what replaces the whole match. One rule gives one
 * pattern, or two when `matchDefaultPort` adds the `:8020` variant.
 */
export interface Pattern {
  /** Index of the rule in the options, for messages. */
  readonly ruleIndex: number;
  /** Lower-case scheme bytes (before `://`). */
  readonly scheme: Buffer;
  /** Bytes after `://`: lower-case authority, then the path prefix (compared exactly). */
  readonly rest: Buffer;
  /** How many bytes of `rest` are the authority (compared case-insensitively). */
  readonly authorityLength: number;
  readonly hasPath: boolean;
  /** Whole match length: scheme + `://` + rest. */
  readonly length: number;
  /** The replacement, already in the target encoding (COPY-escaped or plain). */
  readonly replacement: Buffer;
}

const URI = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/\s]+)(\/\S*)?$/;
const AUTHORITY = /^([^:@\s]+|\[[0-9a-fA-F:.]+\])(?::(\d{1,5}))?$/;

interface ParsedUri {
  scheme: string;
  host: string;
  port: string | undefined;
  path: string;
}

function parseUri(text: string, what: string): ParsedUri {
  const m = URI.exec(text);
  const authority = m?.[2] !== undefined ? AUTHORITY.exec(m[2]) : null;
  if (!m || !authority) {
    throw new ConfigError(`rewrite rule: ${what} ${JSON.stringify(text)} is not scheme://host[:port][/path]`, [], {
      hint: 'write rules like hdfs://nn1.prod:8020=hdfs://nn1.dr:8020 or hdfs://prodns=hdfs://drns',
    });
  }
  // A trailing slash adds nothing to a prefix: hdfs://nn1/warehouse/ == hdfs://nn1/warehouse.
  const path = (m[3] ?? '').replace(/\/+$/, '');
  return { scheme: m[1] ?? '', host: authority[1] ?? '', port: authority[2], path };
}

/** COPY text format escaping of the few bytes a rule could contain. */
export function copyEscape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/**
 * Compile rules into patterns, longest first (so the most specific rule wins at a position).
 * `escaped`: patterns for COPY text-format data (backslashes doubled) or for plain values.
 */
export function compileRules(rules: readonly RewriteRule[], escaped: boolean): Pattern[] {
  const patterns: Pattern[] = [];
  const seen = new Map<string, number>();
  const enc = (s: string): string => (escaped ? copyEscape(s) : s);
  rules.forEach((rule, ruleIndex) => {
    const from = parseUri(rule.from, 'from');
    const to = parseUri(rule.to, 'to');
    const replacement = Buffer.from(enc(`${to.scheme}://${to.host}${to.port === undefined ? '' : `:${to.port}`}${to.path}`));
    const ports = from.port !== undefined ? [from.port] : rule.matchDefaultPort ? [undefined, DEFAULT_PORT] : [undefined];
    for (const port of ports) {
      const authority = `${from.host}${port === undefined ? '' : `:${port}`}`.toLowerCase();
      const key = `${from.scheme.toLowerCase()}://${authority}${from.path}`;
      const previous = seen.get(key);
      if (previous !== undefined) {
        throw new ConfigError(`rewrite rules ${previous + 1} and ${ruleIndex + 1} both match ${key}`, [], {
          hint: 'keep one rule per old scheme://authority[/path]',
        });
      }
      seen.set(key, ruleIndex);
      const scheme = Buffer.from(enc(from.scheme.toLowerCase()));
      const authorityBytes = Buffer.from(enc(authority));
      const rest = Buffer.concat([authorityBytes, Buffer.from(enc(from.path))]);
      patterns.push({
        ruleIndex,
        scheme,
        rest,
        authorityLength: authorityBytes.length,
        hasPath: from.path !== '',
        length: scheme.length + 3 + rest.length,
        replacement,
      });
    }
  });
  return patterns.sort((a, b) => b.length - a.length);
}

/** `--map OLD=NEW` → a rule. The first `=` separates the two URIs. */
export function parseMapArgument(text: string, matchDefaultPort = false): RewriteRule {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) {
    throw new UsageError(`--map ${JSON.stringify(text)}: expected OLD=NEW, e.g. hdfs://nn1.prod:8020=hdfs://nn1.dr:8020`);
  }
  const rule: RewriteRule = { from: text.slice(0, at), to: text.slice(at + 1), matchDefaultPort };
  try {
    compileRules([rule], false);
  } catch (error) {
    throw new UsageError(`--map ${JSON.stringify(text)}: ${(error as Error).message}`);
  }
  return rule;
}

/** Rewriter options from the resolved config (rules default to source.nameNode → dr.nameNode in load.ts). */
export function rewriteOptionsFromConfig(config: ResolvedConfig): RewriterOptions {
  return {
    rules: config.rewrite.rules.map((r) => ({ from: r.from, to: r.to, matchDefaultPort: r.matchDefaultPort })),
    parameterKeys: [...config.rewrite.parameterKeys],
    allParameterKeys: config.rewrite.allParameterKeys,
    maxValueLength: config.rewrite.maxValueLength,
  };
}
