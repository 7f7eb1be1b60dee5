// Boundary-exact matching of compiled patterns around a `://` trigger, on raw bytes (COPY-escaped
// or plain), and the pure `rewriteValue` other modules use on single values.
import { compileRules, type Pattern, type RewriteRule } from './rules.js';

export const TRIGGER = Buffer.from('://');

/** Bytes a scheme must not follow: a scheme char (`xhdfs://`) or `/` (a URI inside a path is no authority). */
export const SCHEME_CHAR = new Uint8Array(256);
/** Bytes that continue an authority (host, port, userinfo): `nn1` followed by one is not `nn1`. */
export const AUTHORITY_CHAR = new Uint8Array(256);
/** Bytes that continue a path segment: `/warehouse` followed by one is not `/warehouse`. */
export const PATH_CHAR = new Uint8Array(256);
(() => {
  const set = (table: Uint8Array, chars: string): void => {
    for (const c of chars) table[c.charCodeAt(0)] = 1;
  };
  const alnum = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  set(SCHEME_CHAR, alnum + '+.-/');
  set(AUTHORITY_CHAR, alnum + '-._~%:@[]');
  set(PATH_CHAR, alnum + '-._~%:@+!$*=&');
  // Non-ASCII bytes (IDN hosts, UTF-8 path names) continue both.
  for (let b = 0x80; b < 0x100; b++) AUTHORITY_CHAR[b] = PATH_CHAR[b] = 1;
})();

const BACKSLASH = 0x5c;
/** Backslash runs longer than this are not counted further (keeps look-behind bounded). */
export const MAX_BACKSLASH_RUN = 32;

function lower(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
}

/** Number of consecutive backslashes ending at `end - 1`, not looking below `lo`. */
function backslashRun(buf: Uint8Array, end: number, lo: number): number {
  let n = 0;
  for (let i = end - 1; i >= lo && buf[i] === BACKSLASH && n < MAX_BACKSLASH_RUN; i--) n++;
  return n;
}

/**
 * Is a scheme starting at `s` at a boundary? In escaped (COPY) text a letter right after an odd
 * run of backslashes is an escape (`\t` = tab), i.e. a delimiter, not a scheme character.
 */
function leadingBoundary(buf: Uint8Array, s: number, lo: number, escaped: boolean): boolean {
  if (s <= lo) return true;
  const prev = buf[s - 1] as number;
  if (escaped) {
    if (prev === BACKSLASH) return backslashRun(buf, s, lo) % 2 === 0; // odd: our first byte is escaped
    if (SCHEME_CHAR[prev] === 1) return backslashRun(buf, s - 1, lo) % 2 === 1;
    return true;
  }
  return SCHEME_CHAR[prev] !== 1;
}

/**
 * The longest pattern matching around the trigger at `c` (the index of `://`), or undefined.
 * Bytes before `lo` and from `hi` on are outside the value: a boundary.
 */
export function matchAt(
  buf: Uint8Array,
  c: number,
  lo: number,
  hi: number,
  patterns: readonly Pattern[],
  escaped: boolean,
): Pattern | undefined {
  const after = c + 3;
  outer: for (const p of patterns) {
    const s = c - p.scheme.length;
    if (s < lo) continue;
    const end = after + p.rest.length;
    if (end > hi) continue;
    for (let i = 0; i < p.scheme.length; i++) if (lower(buf[s + i] as number) !== p.scheme[i]) continue outer;
    const auth = p.authorityLength;
    for (let i = 0; i < auth; i++) if (lower(buf[after + i] as number) !== p.rest[i]) continue outer;
    for (let i = auth; i < p.rest.length; i++) if (buf[after + i] !== p.rest[i]) continue outer;
    if (end < hi) {
      const next = buf[end] as number;
      if (next !== 0x2f && (p.hasPath ? PATH_CHAR : AUTHORITY_CHAR)[next] === 1) continue;
    }
    if (!leadingBoundary(buf, s, lo, escaped)) continue;
    return p;
  }
  return undefined;
}

/** Result of rewriting one value (a byte range). */
export interface RangeRewrite {
  /** Output pieces in order, or undefined when nothing matched. */
  pieces: Buffer[] | undefined;
  /** Number of URIs replaced. */
  matches: number;
  /** Output length minus input length. */
  delta: number;
}

/** Rewrite every boundary-exact occurrence inside `buf[lo, hi)`, treating the range as one value. */
export function rewriteRange(
  buf: Buffer,
  lo: number,
  hi: number,
  patterns: readonly Pattern[],
  escaped: boolean,
  firstTrigger?: number,
): RangeRewrite {
  let pieces: Buffer[] | undefined;
  let last = lo;
  let matches = 0;
  let delta = 0;
  let t = firstTrigger ?? buf.indexOf(TRIGGER, lo);
  while (t !== -1 && t + 3 <= hi) {
    const p = matchAt(buf, t, lo, hi, patterns, escaped);
    if (p === undefined || t - p.scheme.length < last) {
      t = buf.indexOf(TRIGGER, t + 1);
      continue;
    }
    const s = t - p.scheme.length;
    const e = t + 3 + p.rest.length;
    pieces ??= [];
    if (s > last) pieces.push(buf.subarray(last, s));
    pieces.push(p.replacement);
    delta += p.replacement.length - (e - s);
    matches++;
    last = e;
    t = buf.indexOf(TRIGGER, e);
  }
  if (pieces !== undefined && last < hi) pieces.push(buf.subarray(last, hi));
  return { pieces, matches, delta };
}

/** Number of values' boundary-exact occurrences in `buf[lo, hi)` (no rewriting). */
export function countRange(buf: Buffer, lo: number, hi: number, patterns: readonly Pattern[], escaped: boolean): number {
  let n = 0;
  let t = buf.indexOf(TRIGGER, lo);
  while (t !== -1 && t + 3 <= hi) {
    if (matchAt(buf, t, lo, hi, patterns, escaped) !== undefined) n++;
    t = buf.indexOf(TRIGGER, t + 1);
  }
  return n;
}

/**
 * Characters of a COPY text-format value after unescaping (UTF-8): what varchar(n) limits.
 * `\ooo` and `\xhh` count as one character, any other `\c` as one.
 */
export function unescapedCharLength(buf: Uint8Array, lo = 0, hi = buf.length): number {
  let n = 0;
  for (let i = lo; i < hi; i++) {
    const b = buf[i] as number;
    if (b === BACKSLASH && i + 1 < hi) {
      const c = buf[i + 1] as number;
      i++;
      if (c >= 0x30 && c <= 0x37) {
        for (let k = 0; k < 2 && i + 1 < hi && (buf[i + 1] as number) >= 0x30 && (buf[i + 1] as number) <= 0x37; k++) i++;
      } else if (c === 0x78) {
        for (let k = 0; k < 2 && i + 1 < hi && /[0-9a-fA-F]/.test(String.fromCharCode(buf[i + 1] as number)); k++) i++;
      }
      n++;
    } else if ((b & 0xc0) !== 0x80) {
      n++;
    }
  }
  return n;
}

const plainCache = new WeakMap<readonly RewriteRule[], Pattern[]>();

/** Rewrite one plain (unescaped) value with the same semantics as the stream; pure. */
export function rewriteValueDetailed(value: string, rules: readonly RewriteRule[]): { value: string; matches: number } {
  let patterns = plainCache.get(rules);
  if (patterns === undefined) {
    patterns = compileRules(rules, false);
    plainCache.set(rules, patterns);
  }
  const buf = Buffer.from(value, 'utf8');
  const result = rewriteRange(buf, 0, buf.length, patterns, false);
  if (result.pieces === undefined) return { value, matches: 0 };
  return { value: Buffer.concat(result.pieces).toString('utf8'), matches: result.matches };
}

/** `rewriteValue('hdfs://nn1:8020/w/t', rules)` → the value with every matching URI rewritten. */
export function rewriteValue(value: string, rules: readonly RewriteRule[]): string {
  return rewriteValueDetailed(value, rules).value;
}
