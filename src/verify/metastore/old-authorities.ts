// Which NameNode authorities must be gone from the DR metastore, and how occurrences of them are
// judged (error or warning). `hmsdr verify metastore` and the verify steps both decide with these
// two functions, so a correct result cannot pass in one entry point and fail in the other.
import { normaliseAuthority } from './authority.js';
import type { MetastoreInspection } from './inspect.js';

/** A rewrite rule as far as authorities go (config `rewrite.rules[]`). */
export interface AuthorityRule {
  from: string;
  to: string;
  matchDefaultPort?: boolean | undefined;
}

/** What the rewriter reported leaving alone on purpose, per table.column (its `leftAlone`). */
export interface LeftAloneCount {
  table: string;
  column: string;
  count: number;
}

const authorityOf = (uri: string): string => normaliseAuthority(uri) ?? uri.toLowerCase();

/** The `from` authority of a rule, plus `:8020` when a port-less rule also matches the default port. */
function fromAuthorities(rule: AuthorityRule): string[] {
  const from = authorityOf(rule.from);
  const portless = !/:\d+$/.test(from) && !from.endsWith(']');
  return rule.matchDefaultPort && portless ? [from, `${from}:8020`] : [from];
}

/**
 * The authorities no DR value may keep: every rule's `from` that the rule moves to a DIFFERENT
 * authority, and source.nameNode; never an authority some rule maps to (a rule that only moves a
 * path on the same NameNode, `hdfs://nn1/warehouse` → `hdfs://nn1/dr/warehouse`, keeps it).
 * Normalised (`scheme://host[:port]`, lower case), in config order, without repeats.
 */
export function authoritiesThatMustBeGone(config: {
  source: { nameNode: string };
  rewrite: { rules: readonly AuthorityRule[] };
}): string[] {
  const kept = new Set(config.rewrite.rules.map((r) => authorityOf(r.to)));
  const candidates = [authorityOf(config.source.nameNode), ...config.rewrite.rules.flatMap(fromAuthorities)];
  return [...new Set(candidates)].filter((a) => !kept.has(a));
}

export interface OldAuthorityJudgement {
  differences: string[];
  warnings: string[];
}

/**
 * Judges the occurrences of `mustBeGone` authorities in an inspection. Location columns must hold
 * none. Parameter and free-text columns may hold what the rewriter reported leaving alone (keys not
 * configured, event history): up to that count they are warnings, beyond it differences. Without a
 * rewriter report (`leftAlone` empty) every occurrence is a difference.
 */
export function judgeOldAuthorities(
  inspection: Pick<MetastoreInspection, 'uriColumns' | 'authorityOccurrences'>,
  mustBeGone: readonly string[],
  leftAlone: readonly LeftAloneCount[] = [],
): OldAuthorityJudgement {
  const differences: string[] = [];
  const warnings: string[] = [];
  const inspected = new Set(inspection.authorityOccurrences.map((o) => o.authority.toLowerCase()));
  for (const a of mustBeGone)
    if (!inspected.has(a.toLowerCase())) differences.push(`old authority ${a} was not searched for (internal: inspect the target with it)`);
  const gone = new Set(mustBeGone.map((a) => a.toLowerCase()));
  const kinds = new Map(inspection.uriColumns.map((c) => [`${c.table}.${c.column}`, c.kind]));
  const allowed = new Map<string, number>();
  for (const l of leftAlone) allowed.set(`${l.table}.${l.column}`, (allowed.get(`${l.table}.${l.column}`) ?? 0) + l.count);
  const found = new Map<string, { count: number; authorities: Set<string> }>();
  for (const o of inspection.authorityOccurrences) {
    if (o.count === 0 || !gone.has(o.authority.toLowerCase())) continue;
    const key = `${o.table}.${o.column}`;
    const entry = found.get(key) ?? { count: 0, authorities: new Set<string>() };
    entry.count += o.count;
    entry.authorities.add(o.authority);
    found.set(key, entry);
  }
  for (const [key, { count, authorities }] of found) {
    const what = `${key}: ${count} value(s) still use old authority ${[...authorities].join(', ')}`;
    const allowance = allowed.get(key) ?? 0;
    if (kinds.get(key) === 'direct' || allowance === 0) differences.push(what);
    else if (count <= allowance) warnings.push(`${what}, left alone by the rewriter as reported`);
    else differences.push(`${what}, more than the ${allowance} the rewriter reported leaving alone`);
  }
  return { differences, warnings };
}
