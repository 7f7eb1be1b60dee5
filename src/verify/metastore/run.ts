// `verify metastore` as a function: inspect the DR live database and compare it with the source
// metastore or with the row counts recorded from a dump stream.
import { readFileSync } from 'node:fs';
import { withMetastore } from '../../adapters/postgres/connection.js';
import type { ResolvedConfig } from '../../config/load.js';
import { UsageError } from '../../errors/errors.js';
import { normaliseAuthority } from './authority.js';
import { inspectMetastore } from './inspect.js';
import { compareMetastores, compareWithStreamCounts, type ParityResult, type StreamCounts } from './parity.js';

export interface VerifyMetastoreOptions {
  /** `source` (default) or the path of a stream-counts JSON file `{ rowsPerTable }`. */
  against: string;
  /** Default: source.nameNode and every rule's `from` authority. */
  oldAuthorities?: readonly string[];
}

/** The authorities that must be gone from DR: the source NameNode and every rule's `from`. */
export function defaultOldAuthorities(config: ResolvedConfig): string[] {
  const all = [config.source.nameNode, ...config.rewrite.rules.map((r) => r.from)].map((a) => normaliseAuthority(a) ?? a);
  return [...new Set(all)];
}

export async function verifyMetastore(config: ResolvedConfig, options: VerifyMetastoreOptions): Promise<ParityResult> {
  const oldAuthorities = options.oldAuthorities ?? defaultOldAuthorities(config);
  const inspectDr = withMetastore(config.dr.metastore, { where: 'dr.metastore' }, (c) =>
    inspectMetastore(c, { authorities: oldAuthorities, where: `DR metastore ${config.dr.metastore.database}` }));
  if (options.against !== 'source') {
    const stream = readStreamCounts(options.against);
    return compareWithStreamCounts(await inspectDr, stream, { oldAuthorities });
  }
  // Both sides at once: two servers, two connections.
  const inspectSource = withMetastore(config.source.metastore, { where: 'source.metastore' }, (c) =>
    inspectMetastore(c, { where: `source metastore ${config.source.metastore.database}` }));
  const [source, target] = await Promise.all([inspectSource, inspectDr]);
  const mappings = config.rewrite.rules.map((r) => ({ from: normaliseAuthority(r.from) ?? r.from, to: normaliseAuthority(r.to) ?? r.to }));
  return compareMetastores(source, target, { oldAuthorities, mappings });
}

function readStreamCounts(file: string): StreamCounts {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--against ${file}: cannot read stream counts (${(error as Error).message})`, {
      hint: 'pass `source` or the rewriter\'s counts file ({ "rowsPerTable": { "public.\\"SDS\\"": 123, … } })',
    });
  }
  const rows = (parsed as { rowsPerTable?: unknown }).rowsPerTable;
  if (typeof rows !== 'object' || rows === null || Object.values(rows).some((n) => typeof n !== 'number')) {
    throw new UsageError(`--against ${file}: expected { "rowsPerTable": { "<table>": <number>, … } }`);
  }
  return { rowsPerTable: rows as Record<string, number> };
}
