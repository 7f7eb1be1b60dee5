// Shared by verify-staging and verify-live: inspect a DR database and judge L3 parity.
import type { ResolvedConfig } from '../config/load.js';
import type { SitePort } from '../adapters/site.js';
import { inspectMetastore, type MetastoreInspection } from '../verify/metastore/inspect.js';
import { normaliseAuthority } from '../verify/metastore/authority.js';

/** Authorities that must not survive on DR: every rule's `from` without a path prefix, and source.nameNode. */
export function oldAuthorities(config: ResolvedConfig): string[] {
  const all = [config.source.nameNode, ...config.rewrite.rules.filter((r) => !/^[^:]+:\/\/[^/]+\/./.test(r.from)).map((r) => r.from)];
  const seen = new Map<string, string>();
  for (const a of all) {
    const bare = a.replace(/\/$/, '');
    seen.set(normaliseAuthority(bare) ?? bare.toLowerCase(), bare);
  }
  // A rule mapping hdfs://x to hdfs://x/other (same authority) keeps the authority legitimately.
  const targets = new Set(config.rewrite.rules.map((r) => normaliseAuthority(r.to.replace(/^([^:]+:\/\/[^/]+).*$/, '$1')) ?? r.to.toLowerCase()));
  return [...seen].filter(([key]) => !targets.has(key)).map(([, value]) => value);
}

export async function inspectDrDatabase(dr: SitePort, database: string, config: ResolvedConfig, signal?: AbortSignal): Promise<MetastoreInspection> {
  const client = await dr.connect(database, signal);
  try {
    return await inspectMetastore(client, { authorities: oldAuthorities(config), where: `DR database ${database}` });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Judges old-authority occurrences on a restored database. Direct location columns must hold none.
 * Parameter and free-text columns may hold exactly what the rewriter reported leaving alone (keys
 * not configured, event history): those become warnings; anything beyond is a difference.
 */
export function judgeOldAuthorities(
  inspection: MetastoreInspection,
  leftAlone: ReadonlyArray<{ table: string; column: string; count: number }>,
): { differences: string[]; warnings: string[] } {
  const kinds = new Map(inspection.uriColumns.map((c) => [`${c.table}.${c.column}`, c.kind]));
  const allowed = new Map<string, number>();
  for (const l of leftAlone) allowed.set(`${l.table}.${l.column}`, (allowed.get(`${l.table}.${l.column}`) ?? 0) + l.count);
  const found = new Map<string, { count: number; authorities: Set<string> }>();
  for (const o of inspection.authorityOccurrences) {
    if (o.count === 0) continue;
    const key = `${o.table}.${o.column}`;
    const entry = found.get(key) ?? { count: 0, authorities: new Set<string>() };
    entry.count += o.count;
    entry.authorities.add(o.authority);
    found.set(key, entry);
  }
  const differences: string[] = [];
  const warnings: string[] = [];
  for (const [key, { count, authorities }] of found) {
    const what = `${key}: ${count} value(s) under ${[...authorities].join(', ')}`;
    if (kinds.get(key) === 'direct') differences.push(`${what} (a location column must not keep an old authority)`);
    else if (count <= (allowed.get(key) ?? 0)) warnings.push(`${what}, left alone by the rewriter as reported`);
    else differences.push(`${what}, more than the ${allowed.get(key) ?? 0} the rewriter reported leaving alone`);
  }
  return { differences, warnings };
}

/** Stream row counts keyed as PostgreSQL identifiers (the rewriter reports bare names). */
export function quotedTableCounts(rowsPerTable: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(rowsPerTable).map(([name, n]) => [name.includes('.') ? name : `"${name.replaceAll('"', '""')}"`, n]));
}
