// Collecting a manifest's parts from live systems: the metastore section from one database
// connection, a data path's listing (and checksums) from one side's HDFS. Used by the
// verify-staging step (the run's manifest), `manifest export` and `verify dr` (the same code reads
// both the expected and the actual state, so the digests compare).
import { streamListing, type CallOptions, type HdfsPort } from '../../adapters/hdfs/hdfs.js';
import type { PgClient } from '../../adapters/postgres/connection.js';
import { inspectMetastore, type MetastoreInspection } from '../metastore/inspect.js';
import { checksumDigest, type ManifestBody, type ManifestEntry } from './manifest.js';

export type MetastoreSection = ManifestBody['metastore'];

/** `db.table` → sha256 of its partition names, sorted byte-wise (COLLATE "C": equal on servers with other locales). */
export async function partitionNameDigests(client: PgClient): Promise<Record<string, string>> {
  const { rows: cols } = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'DBS' AND column_name = 'CTLG_NAME'`,
  );
  const key =
    Number(cols[0]?.n ?? 0) > 0 ? `CASE WHEN d."CTLG_NAME" = 'hive' THEN d."NAME" ELSE d."CTLG_NAME" || '.' || d."NAME" END` : 'd."NAME"';
  const { rows } = await client.query<{ db: string; tbl: string; h: string }>(
    `SELECT ${key} AS db, t."TBL_NAME" AS tbl,
            encode(sha256(convert_to(string_agg(p."PART_NAME", E'\\n' ORDER BY p."PART_NAME" COLLATE "C"), 'UTF8')), 'hex') AS h
       FROM "PARTITIONS" p JOIN "TBLS" t ON t."TBL_ID" = p."TBL_ID" JOIN "DBS" d ON d."DB_ID" = t."DB_ID" GROUP BY 1, 2`,
  );
  return Object.fromEntries(rows.map((r) => [`${r.db}.${r.tbl}`, r.h]));
}

/** Stream counts keyed as the metastore's tables are (`SDS`, not `public."SDS"`). */
export function bareTableCounts(rowsPerTable: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(rowsPerTable).map(([name, n]) => [
      name
        .split('.')
        .pop()!
        .replace(/^"(.*)"$/, '$1')
        .replaceAll('""', '"'),
      n,
    ]),
  );
}

/** The metastore section from a connection (and an inspection already made on it, when there is one). */
export async function metastoreSection(
  client: PgClient,
  options: { inspection?: MetastoreInspection; rowsPerTable?: Record<string, number>; where: string },
): Promise<MetastoreSection> {
  const inspection = options.inspection ?? (await inspectMetastore(client, { where: options.where }));
  return {
    schemaVersion: inspection.schema.version,
    databases: Object.fromEntries(
      Object.entries(inspection.databases).map(([db, c]) => [db, { tablesByType: c.tablesByType, partitions: c.partitions }]),
    ),
    partitionsPerTable: inspection.partitionsPerTable,
    partitionNamesSha256: await partitionNameDigests(client),
    rowsPerTable: options.rowsPerTable ? bareTableCounts(options.rowsPerTable) : inspection.rowCounts,
  };
}

const pathOnly = (uri: string): string => uri.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/, '').replace(/\/+$/, '');

/**
 * The recursive listing of `root` as entries relative to it; `.snapshot` directories are left out.
 * Read as a stream (no command output buffer to outgrow); the entries themselves are still kept.
 */
export async function listingEntries(hdfs: HdfsPort, root: string, options: CallOptions = {}): Promise<ManifestEntry[]> {
  const base = pathOnly(root);
  const entries: ManifestEntry[] = [];
  for await (const e of streamListing(hdfs, root, options)) {
    const path = pathOnly(e.path);
    const rel = path.startsWith(`${base}/`) ? path.slice(base.length + 1) : path;
    if (rel === '' || rel === '.snapshot' || rel.startsWith('.snapshot/') || rel.includes('/.snapshot/') || rel.endsWith('/.snapshot'))
      continue;
    entries.push([rel, e.type, e.type === 'dir' ? 0 : e.length]);
  }
  return entries;
}

/** COMPOSITE_CRC of every file of a listing under `root`: count and digest. */
export async function listingChecksums(
  hdfs: HdfsPort,
  root: string,
  entries: readonly ManifestEntry[],
  options: CallOptions = {},
): Promise<{ algorithm: string; files: number; sha256: string }> {
  const files = entries.filter(([, type]) => type === 'file').map(([rel]) => rel);
  const rows =
    files.length > 0
      ? await hdfs.checksums(
          files.map((rel) => `${root}/${rel}`),
          { ...options, composite: true },
        )
      : new Map();
  const sums = new Map<string, string>();
  const algorithms = new Set<string>();
  for (const rel of files) {
    const row = rows.get(`${root}/${rel}`);
    if (row) algorithms.add(row.algorithm);
    sums.set(rel, row ? `${row.algorithm}:${row.hex}` : 'none');
  }
  return { algorithm: [...algorithms].join(',') || 'COMPOSITE_CRC', files: files.length, sha256: checksumDigest(sums) };
}
