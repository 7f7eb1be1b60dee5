// Config in four stages: YAML → zod schema → cross-field rules → frozen ResolvedConfig.
// Every problem is collected and reported at once, with its dotted path and line.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { ConfigError, type ConfigIssue } from '../errors/errors.js';
import { registerSecret, secretEnvNames } from '../util/secrets.js';
import { configSchema, type ParsedConfig } from './schema.js';
import { crossFieldRules } from './rules.js';
import { ONE_SHOT } from '../util/one-shot-parse.js';

export type ResolvedConfig = Readonly<ParsedConfig> & {
  /** Absolute path of the config file. */
  readonly file: string;
  /** sha256 of the normalised config; stored in every run so resume notices changes. */
  readonly hash: string;
  /** Absolute runs directory. */
  readonly runsDirAbs: string;
};

const INLINE_SECRET_KEYS = /^(password|passphrase|secret|token|privateKey)$/i;

/** A config is a page of YAML: anything this large is a mistake (or an attack), refused unread. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Aliases a config may expand; a "billion laughs" document needs far more. */
const MAX_ALIASES = 100;

function tooLarge(abs: string, bytes: number): ConfigError {
  return new ConfigError(`config file ${abs} is ${bytes} bytes, more than the ${MAX_CONFIG_BYTES} a config may have`, [], {
    hint: 'point --config at the hmsdr YAML file (a config is a few kilobytes)',
  });
}

/** Load, validate and freeze a config file. Throws ConfigError listing every issue. */
/** `checkSecrets: false` for read-only commands (status, history): they read run directories and need no password. */
export interface LoadOptions {
  checkSecrets?: boolean;
}

export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): ResolvedConfig {
  const abs = resolve(file);
  let text: string;
  try {
    const stat = statSync(abs);
    if (stat.isDirectory()) {
      throw new ConfigError(`config path ${abs} is a directory, not a file`, [], {
        hint: 'pass the path of the YAML file with --config, e.g. --config /etc/hmsdr/hmsdr.yaml',
      });
    }
    if (stat.size > MAX_CONFIG_BYTES) throw tooLarge(abs, stat.size);
    text = readFileSync(abs, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`cannot read config file ${abs}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, [], {
      hint: 'pass the path with --config, or create one with `hmsdr init`',
    });
  }
  return parseConfigText(text, abs, env, options);
}

export function parseConfigText(
  text: string,
  abs: string,
  env: NodeJS.ProcessEnv = process.env,
  options: LoadOptions = {},
): ResolvedConfig {
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) throw tooLarge(abs, Buffer.byteLength(text));
  const lineCounter = new LineCounter();
  // logLevel 'error': no warning printed for a key yaml would stringify (`? [a, b]`), which the
  // schema reports as an unknown key anyway, with its line.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const issues: ConfigIssue[] = [];
  for (const error of doc.errors) {
    issues.push({ path: '(yaml)', message: error.message.split('\n')[0] ?? error.message, line: lineCounter.linePos(error.pos[0]).line });
  }
  if (issues.length > 0) throw configError(abs, issues);

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    // yaml refuses an alias bomb ("billion laughs") before expanding it.
    const message = (error as Error).message;
    throw configError(abs, [
      {
        path: '(yaml)',
        message: /alias count/i.test(message)
          ? `too many alias expansions (more than ${MAX_ALIASES}): refused as a resource exhaustion ("billion laughs") attack`
          : message,
      },
    ]);
  }
  issues.push(...findInlineSecrets(doc, lineCounter));
  if (options.checkSecrets !== false) issues.push(...checkSecretSources(doc, lineCounter, dirname(abs), env));

  const parsed = configSchema.safeParse(raw ?? {}, ONE_SHOT);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String);
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          if (INLINE_SECRET_KEYS.test(key)) continue; // already reported with a better message
          issues.push({ path: [...path, key].join('.'), message: 'unknown key', line: lineOf(doc, lineCounter, [...path, key]) });
        }
        continue;
      }
      issues.push({ path: path.join('.') || '(root)', message: issue.message, line: lineOf(doc, lineCounter, path) });
    }
  }
  if (issues.length > 0 || !parsed.success) throw configError(abs, issues);

  const config = normalise(parsed.data, abs);
  for (const issue of crossFieldRules(config)) {
    issues.push({ ...issue, line: issue.line ?? lineOf(doc, lineCounter, issue.path.split('.')) });
  }
  if (issues.length > 0) throw configError(abs, issues);

  // Environment values for the Hadoop tools are secrets unless declared public.
  for (const { hdfs } of [config.source, config.dr])
    for (const name of secretEnvNames(hdfs.env, hdfs.publicEnv)) registerSecret(hdfs.env[name]);

  return withLazyHash(deepFreeze({ ...config, file: abs, runsDirAbs: resolve(dirname(abs), config.runsDir) }), config);
}

/**
 * The frozen config with `hash` made when first read: `check` never reads it, and loading
 * node:crypto for it was 8 ms of the ~0.2 s of CPU a `check` that validates the config costs.
 */
function withLazyHash(frozen: Omit<ResolvedConfig, 'hash'>, normalised: object): ResolvedConfig {
  let hash: string | undefined;
  const get = (): string => (hash ??= createHash('sha256').update(JSON.stringify(normalised)).digest('hex'));
  return Object.freeze(Object.defineProperty({ ...frozen }, 'hash', { get, enumerable: true })) as ResolvedConfig;
}

function configError(file: string, issues: ConfigIssue[]): ConfigError {
  const sorted = [...issues].sort((a, b) => (a.line ?? 1e9) - (b.line ?? 1e9));
  return new ConfigError(`${sorted.length} problem${sorted.length === 1 ? '' : 's'} in ${file}`, sorted, {
    hint: 'fix every listed key (`hmsdr docs configuration` describes them all), then run the command again',
  });
}

/** Resolve paths relative to the config file and fill derived defaults. */
function normalise(config: ParsedConfig, file: string): ParsedConfig {
  const base = dirname(file);
  const rules =
    config.rewrite.rules.length > 0
      ? config.rewrite.rules
      : [{ from: config.source.nameNode, to: config.dr.nameNode, matchDefaultPort: false }];
  const fixSsh = <T extends { keyFile?: string | undefined; knownHostsFile: string; passwordFile?: string | undefined } | undefined>(
    ssh: T,
  ): T =>
    ssh === undefined
      ? ssh
      : {
          ...ssh,
          keyFile: ssh.keyFile && resolvePath(base, ssh.keyFile),
          knownHostsFile: resolvePath(base, ssh.knownHostsFile),
          passwordFile: ssh.passwordFile && resolvePath(base, ssh.passwordFile),
        };
  const fixSite = <S extends ParsedConfig['source']>(site: S): S => ({
    ...site,
    ssh: site.ssh && { ...fixSsh(site.ssh), jump: fixSsh(site.ssh.jump) },
    metastore: {
      ...site.metastore,
      passwordFile: site.metastore.passwordFile && resolvePath(base, site.metastore.passwordFile),
      sslRootCert: site.metastore.sslRootCert && resolvePath(base, site.metastore.sslRootCert),
    },
  });
  return {
    ...config,
    source: fixSite(config.source),
    dr: fixSite(config.dr),
    rewrite: { ...config.rewrite, rules },
  };
}

export function resolvePath(base: string, path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(base, path);
}

function findInlineSecrets(doc: Document, lineCounter: LineCounter): ConfigIssue[] {
  const found: ConfigIssue[] = [];
  const walk = (node: unknown, path: string[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (INLINE_SECRET_KEYS.test(key)) {
          const range = (pair.key as Node | null)?.range;
          found.push({
            path: [...path, key].join('.'),
            message: `secrets are never read from the config file: use ${key}Env (environment variable) or ${key}File (file) instead`,
            line: range ? lineCounter.linePos(range[0]).line : undefined,
          });
        }
        walk(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => walk(item, [...path, String(index)]));
    }
  };
  walk(doc.contents, []);
  return found;
}

/**
 * Secret sources are checked on the raw document, so a missing variable or key file is reported
 * together with schema problems rather than after they are fixed.
 */
function checkSecretSources(doc: Document, lineCounter: LineCounter, base: string, env: NodeJS.ProcessEnv): ConfigIssue[] {
  const found: ConfigIssue[] = [];
  const walk = (node: unknown, path: string[]): void => {
    if (isSeq(node)) node.items.forEach((item, index) => walk(item, [...path, String(index)]));
    if (!isMap(node)) return;
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const value = isScalar(pair.value) && typeof pair.value.value === 'string' ? pair.value.value : undefined;
      const keyRange = (pair.key as Node | null)?.range;
      const line = keyRange ? lineCounter.linePos(keyRange[0]).line : undefined;
      const where = [...path, key].join('.');
      if (value !== undefined && /Env$/.test(key) && (env[value] === undefined || env[value] === '')) {
        found.push({ path: where, message: `environment variable ${value} is not set`, line });
      }
      if (value !== undefined && /^(passwordFile|keyFile)$/.test(key) && !existsSync(resolvePath(base, value))) {
        found.push({ path: where, message: `file ${resolvePath(base, value)} does not exist`, line });
      }
      walk(pair.value, [...path, key]);
    }
  };
  walk(doc.contents, []);
  return found;
}

function lineOf(doc: Document, lineCounter: LineCounter, path: readonly string[]): number | undefined {
  // Walk up until a node exists: a missing key is reported at its parent.
  for (let depth = path.length; depth >= 0; depth--) {
    const keys = path.slice(0, depth).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    const node = keys.length === 0 ? doc.contents : doc.getIn(keys, true);
    const range = (node as Node | null | undefined)?.range;
    if (range) {
      if (depth < path.length || keys.length === 0) return lineCounter.linePos(range[0]).line;
      // For an existing key prefer the line of the key itself.
      const parent = keys.length === 1 ? doc.contents : doc.getIn(keys.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(keys.at(-1)));
        const keyRange = (pair?.key as Node | undefined)?.range;
        if (keyRange) return lineCounter.linePos(keyRange[0]).line;
      }
      return lineCounter.linePos(range[0]).line;
    }
  }
  return undefined;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
