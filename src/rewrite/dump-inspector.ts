// What `sed` never tells you: a pass-through Transform in front of the rewriter that sees the whole
// input and judges it as a pg_dump plain-format dump. It refuses archive formats at once (a custom
// archive would otherwise pass through "unchanged" with exit 0), notices an empty or truncated
// input, and counts near misses: a rule's host occurring with another port, which a rule that
// matched nothing almost always means (`--map hdfs://nn1=…` against `hdfs://nn1:8020/…`).
import { Transform, type TransformCallback } from 'node:stream';
import { PreconditionError, VerifyError } from '../errors/errors.js';
import { DEFAULT_PORT, type RewriteRule } from './rules.js';

/** Bytes held back until the format is known (tar's magic sits at offset 257). */
const HEAD_BYTES = 512;
const TAIL_BYTES = 512;
/** Longest `:port` suffix read after a host. */
const PORT_BYTES = 6;
const CLOSING_LINES = ['-- PostgreSQL database dump complete', '-- PostgreSQL database cluster dump complete'];

/** Per rule: values that matched its authority, and occurrences of its host that did not. */
export interface RuleOccurrences {
  rule: string;
  matched: number;
  nearMisses: number;
  /** Spellings seen, e.g. `hdfs://nn1.prod:8020`, with counts. */
  nearMissSamples: Record<string, number>;
}

export interface DumpInspection {
  bytes: number;
  complete: boolean;
  rules: RuleOccurrences[];
}

export interface DumpInspector extends Transform {
  inspection(): DumpInspection;
}

/** The format a dump's first bytes give away, when it is not plain SQL. */
export function archiveFormat(head: Buffer): string | undefined {
  if (head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'a pg_dump custom-format archive (pg_dump -Fc)';
  if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'a tar archive (pg_dump -Ft)';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip-compressed data';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd-compressed data';
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2-compressed data';
  return undefined;
}

interface Needle {
  occurrences: RuleOccurrences;
  /** `scheme://host`, lower case. */
  bytes: Buffer;
  port: string | undefined;
  matchDefaultPort: boolean;
  /** Last bytes of the previous chunk that may start an occurrence. */
  carry: Buffer;
}

const isPortDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;
/** Bytes that continue a host name: the occurrence is another host (`nn10`, `nn1.example`). */
const continuesHost = (b: number | undefined): boolean =>
  b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2e || b === 0x5f);

function needleFor(rule: RewriteRule): Needle | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/:\s]+)(?::(\d+))?/.exec(rule.from);
  if (!m) return undefined;
  return {
    occurrences: { rule: `${rule.from}=${rule.to}`, matched: 0, nearMisses: 0, nearMissSamples: {} },
    bytes: Buffer.from(`${m[1]}://${m[2]}`.toLowerCase(), 'latin1'),
    port: m[3],
    matchDefaultPort: rule.matchDefaultPort === true,
    carry: Buffer.alloc(0),
  };
}

/** Classify the occurrence at `at` (the needle matched there and its suffix is in `buf`). */
function classify(needle: Needle, buf: Buffer, at: number): void {
  let i = at + needle.bytes.length;
  if (continuesHost(buf[i])) return;
  let port: string | undefined;
  if (buf[i] === 0x3a && isPortDigit(buf[i + 1])) {
    const start = ++i;
    while (isPortDigit(buf[i])) i++;
    port = buf.subarray(start, i).toString('latin1');
  }
  const matches = port === needle.port || (needle.port === undefined && needle.matchDefaultPort && port === DEFAULT_PORT);
  const o = needle.occurrences;
  if (matches) {
    o.matched++;
    return;
  }
  o.nearMisses++;
  const spelling = `${needle.bytes.toString('latin1')}${port === undefined ? '' : `:${port}`}`;
  o.nearMissSamples[spelling] = (o.nearMissSamples[spelling] ?? 0) + 1;
}

/** Occurrences in `carry + chunk` that start in the carry, then those in the chunk; keeps a new carry. */
function scan(needle: Needle, chunk: Buffer, final: boolean): void {
  const reach = needle.bytes.length + PORT_BYTES + 1;
  if (needle.carry.length > 0) {
    const joint = Buffer.concat([needle.carry, chunk.subarray(0, reach)]);
    for (let at = joint.indexOf(needle.bytes); at !== -1 && at < needle.carry.length; at = joint.indexOf(needle.bytes, at + 1)) {
      classify(needle, joint, at);
    }
  }
  let keepFrom = Math.max(0, chunk.length - (needle.bytes.length - 1));
  for (let at = chunk.indexOf(needle.bytes); at !== -1; at = chunk.indexOf(needle.bytes, at + 1)) {
    if (!final && at + reach > chunk.length) {
      keepFrom = Math.min(keepFrom, at);
      break;
    }
    classify(needle, chunk, at);
  }
  needle.carry = final ? Buffer.alloc(0) : Buffer.from(chunk.subarray(keepFrom));
}

/**
 * `judgeAtEnd`: judge the input when it ends and fail the stream then, before the end reaches the
 * consumer (a psql restoring the stream never sees the end of a dump that must not be restored).
 */
export function createDumpInspector(rules: readonly RewriteRule[], options: { judgeAtEnd?: { strict: boolean } } = {}): DumpInspector {
  const needles = rules.map(needleFor).filter((n): n is Needle => n !== undefined);
  let head: Buffer[] = [];
  let headBytes = 0;
  let passing = false;
  let bytes = 0;
  let tail = Buffer.alloc(0);

  const admit = (chunk: Buffer, stream: Transform): void => {
    for (const needle of needles) scan(needle, chunk, false);
    tail = Buffer.concat([tail, chunk.subarray(Math.max(0, chunk.length - TAIL_BYTES))]);
    if (tail.length > TAIL_BYTES) tail = tail.subarray(tail.length - TAIL_BYTES);
    stream.push(chunk);
  };
  const release = (stream: Transform): Error | undefined => {
    const first = Buffer.concat(head);
    head = [];
    const format = archiveFormat(first);
    if (format) {
      return new PreconditionError(`the input is ${format}, not a plain-format dump: nothing was rewritten`, {
        hint: 'dump with pg_dump -Fp (the default plain format), or turn the archive into SQL first: pg_restore -f - ARCHIVE | hmsdr rewrite …',
      });
    }
    passing = true;
    if (first.length > 0) admit(first, stream);
    return undefined;
  };

  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      bytes += chunk.length;
      if (passing) {
        admit(chunk, this);
        callback();
        return;
      }
      head.push(chunk);
      headBytes += chunk.length;
      callback(headBytes >= HEAD_BYTES ? release(this) : undefined);
    },
    flush(callback: TransformCallback) {
      const refused = passing ? undefined : release(this);
      if (refused) return callback(refused);
      for (const needle of needles) {
        const rest = needle.carry;
        needle.carry = Buffer.alloc(0);
        scan(needle, rest, true);
      }
      callback(options.judgeAtEnd ? judgeInput(stream.inspection(), options.judgeAtEnd).error : undefined);
    },
  }) as DumpInspector;
  stream.inspection = () => ({
    bytes,
    complete: CLOSING_LINES.some((line) => tail.includes(line)),
    rules: needles.map((n) => n.occurrences),
  });
  return stream;
}

export interface InputJudgement {
  /** Printed to stderr; the run goes on. */
  warnings: string[];
  /** Thrown after the summary is printed (exit 4 or 5). */
  error?: Error;
}

/** What an inspected input means: an error for empty or truncated input, warnings for near misses. */
export function judgeInput(inspection: DumpInspection, options: { strict: boolean }): InputJudgement {
  if (inspection.bytes === 0) {
    return { warnings: [], error: new PreconditionError('the input is empty: no dump to rewrite', { hint: 'did pg_dump fail? check its exit status and error output' }) };
  }
  const warnings: string[] = [];
  const silentRules: string[] = [];
  for (const rule of inspection.rules) {
    if (rule.nearMisses === 0) continue;
    const seen = Object.entries(rule.nearMissSamples)
      .sort(([, a], [, b]) => b - a)
      .map(([spelling, n]) => `${spelling} ×${n}`)
      .join(', ');
    warnings.push(`rule ${rule.rule} matched ${rule.matched} value(s), but the same host occurs ${rule.nearMisses} time(s) with another port: ${seen}`);
    if (rule.matched === 0) silentRules.push(rule.rule);
  }
  if (warnings.length > 0) warnings.push('hint: a rule without port matches only URIs without port; add the port to OLD, or pass --match-default-port for :8020');
  if (!inspection.complete) {
    return {
      warnings,
      error: new VerifyError("the dump ends without pg_dump's closing lines (-- PostgreSQL database dump complete): it is truncated", ['truncated dump: no closing lines']),
    };
  }
  if (options.strict && silentRules.length > 0) {
    return { warnings, error: new VerifyError(`--strict: ${silentRules.length} rule(s) matched nothing while their host occurs with another port`, silentRules.map((r) => `rule matched nothing: ${r}`)) };
  }
  return { warnings };
}
