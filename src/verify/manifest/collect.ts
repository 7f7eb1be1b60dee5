// Collecting a manifest's parts from live systems: the metastore section from one database
// connection, a data path's listing (and checksums) from one side's HDFS. Used by the
// verify-staging step (the run's manifest), `manifest export` and `verify dr` (the same code reads
// both the expected and the actual state, so the digests compare).
import { streamListing, type CallOptions, type HdfsPort } from '../../adapters/hdfs/hdfs.js';
import { concurrent, type SqlRunner } from '../../adapters/postgres/query-pool.js';
import { inspectMetastore, type MetastoreInspection } from '../metastore/inspect.js';
import { createHash } from 'node:crypto';
import { CHECKSUM_BATCH } from '../../adapters/hdfs/hdfs.js';
import { externalSort } from '../../util/external-sort.js';
import { ChecksumGroups } from '../data/checksum-groups.js';
import { checksumsByRel, entryFiles, PathSpool } from '../data/checksum-plan.js';
import type { ManifestBody, ManifestEntry } from './manifest.js';

export type MetastoreSection = ManifestBody['metastore'];

/** `db.table` → sha256 of its partition names, sorted byte-wise (COLLATE "C": equal on servers with other locales). */
export async function partitionNameDigests(client: SqlRunner): Promise<Record<string, string>> {
  const { rows: cols } = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'DBS' AND column_name = 'CTLG_NAME'`,
  );
  const key =
    Number(cols[0]?.n ?? 0) > 0 ? `CASE WHEN d."CTLG_NAME" = 'hive' THEN d."NAME" ELSE d."CTLG_NAME" || '.' || d."NAME" END` : 'd."NAME"';
  // Grouped by TBL_ID before the names are joined (a table is unique per database): the sort is of
  // narrow rows (or an index on TBL_ID), not of every partition with its database and table names.
  // At 1M partitions: 0.3-0.6 s, was 1.0 s alone and 1.7 s beside the inspection (docs/performance-pipeline.md).
  const { rows } = await client.query<{ db: string; tbl: string; h: string }>(
    `SELECT ${key} AS db, t."TBL_NAME" AS tbl, a.h
       FROM (SELECT "TBL_ID", encode(sha256(convert_to(string_agg("PART_NAME", E'\\n' ORDER BY "PART_NAME" COLLATE "C"), 'UTF8')), 'hex') AS h
               FROM "PARTITIONS" GROUP BY "TBL_ID") a
       JOIN "TBLS" t ON t."TBL_ID" = a."TBL_ID" JOIN "DBS" d ON d."DB_ID" = t."DB_ID"`,
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

/** The metastore's inspection and partition-name digests, side by side when `client` is a pool. */
export async function inspectForManifest(
  runner: SqlRunner,
  inspect: (client: SqlRunner) => Promise<MetastoreInspection>,
): Promise<{ inspection: MetastoreInspection; partitionNamesSha256: Record<string, string> }> {
  const client = concurrent(runner);
  // The digests are the longest query (a sort of every partition name): start them first.
  const [partitionNamesSha256, inspection] = await Promise.all([partitionNameDigests(client), inspect(client)]);
  return { inspection, partitionNamesSha256 };
}

/** The metastore section from a connection (or a pool). */
export async function metastoreSection(client: SqlRunner, options: { where: string }): Promise<MetastoreSection> {
  return metastoreSectionOf(await inspectForManifest(client, (c) => inspectMetastore(c, { where: options.where })));
}

/** The metastore section from an inspection and digests already made (rows per table from the dump stream when given). */
export function metastoreSectionOf(parts: {
  inspection: MetastoreInspection;
  partitionNamesSha256: Record<string, string>;
  rowsPerTable?: Record<string, number>;
}): MetastoreSection {
  const { inspection } = parts;
  return {
    schemaVersion: inspection.schema.version,
    databases: Object.fromEntries(
      Object.entries(inspection.databases).map(([db, c]) => [db, { tablesByType: c.tablesByType, partitions: c.partitions }]),
    ),
    partitionsPerTable: inspection.partitionsPerTable,
    partitionNamesSha256: parts.partitionNamesSha256,
    rowsPerTable: parts.rowsPerTable ? bareTableCounts(parts.rowsPerTable) : inspection.rowCounts,
  };
}

const pathOnly = (uri: string): string => uri.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/, '').replace(/\/+$/, '');

/** What a manifest records of one data path's tree (and what `verify dr` compares with it). */
export interface TreeScan {
  files: number;
  dirs: number;
  bytes: number;
  /** listingDigest of every entry, computed as they stream. */
  listingSha256: string;
  /** Sorted by path; only when asked for and the tree has at most `keepEntries` entries. */
  entries?: ManifestEntry[];
  checksums?: { algorithm: string; files: number; sha256: string };
}

export interface ScanOptions extends CallOptions {
  /** Keep the entries when there are at most this many (default 0: none). */
  keepEntries?: number;
  /** COMPOSITE_CRC of every file, as a digest. */
  checksums?: boolean;
  /** Where sorted runs and the checksum spool go (default the OS temp dir). */
  tmpDir?: string;
}

/** Entries kept by a run's manifest at most: beyond, it records the digest (verify dr then says which files differ only by count). */
export const MANIFEST_ENTRIES_KEPT = 100_000;

const lineOf = ([path, type, length]: ManifestEntry): string => `${path}\t${type}\t${type === 'dir' ? 0 : length}`;

/**
 * The recursive listing of `root` (`.snapshot` directories left out), streamed and sorted on disk:
 * counts, the listing digest and, when asked, the files' checksum digest, in memory that does not
 * grow with the tree (but for the entries kept).
 */
export async function scanTree(hdfs: HdfsPort, root: string, options: ScanOptions = {}): Promise<TreeScan> {
  const call = options.signal ? { signal: options.signal } : {};
  const tmp = options.tmpDir ? { tmpDir: options.tmpDir } : {};
  const base = pathOnly(root);
  async function* relative(): AsyncGenerator<ManifestEntry> {
    for await (const e of streamListing(hdfs, root, call)) {
      const path = pathOnly(e.path);
      const rel = path.startsWith(`${base}/`) ? path.slice(base.length + 1) : path;
      if (rel === '' || rel === '.snapshot' || rel.startsWith('.snapshot/') || rel.includes('/.snapshot/') || rel.endsWith('/.snapshot'))
        continue;
      yield [rel, e.type, e.type === 'dir' ? 0 : e.length];
    }
  }
  // Sorted by the digest's line (as listingDigest sorts); a directory's subtree stays contiguous.
  const sorted = externalSort(relative(), { key: lineOf, encode: JSON.stringify, decode: (l) => JSON.parse(l) as ManifestEntry, ...tmp });
  const digest = new LineDigest();
  const scan = { files: 0, dirs: 0, bytes: 0 };
  let entries: ManifestEntry[] | undefined = (options.keepEntries ?? 0) > 0 ? [] : undefined;
  const spool = options.checksums ? new PathSpool(options.tmpDir) : undefined;
  const groups = spool ? new ChecksumGroups((entry) => spool.push(entry)) : undefined;
  try {
    for await (const entry of sorted) {
      digest.add(lineOf(entry));
      if (entry[1] === 'dir') scan.dirs++;
      else {
        scan.files++;
        scan.bytes += entry[2];
      }
      if (entries && entries.push(entry) > options.keepEntries!) entries = undefined;
      if (groups) {
        if (entry[1] === 'file') groups.candidate(entry[0]);
        else groups.other(entry[0]);
        await spool!.flushIfFull();
      }
    }
    groups?.end();
    const checksums = spool ? await checksumDigestOf(hdfs, root, spool, { ...call, ...tmp }) : undefined;
    return { ...scan, listingSha256: digest.hex(), ...(entries ? { entries } : {}), ...(checksums ? { checksums } : {}) };
  } finally {
    spool?.remove();
    await sorted.return(undefined);
  }
}

/** sha256 of lines joined by `\n`, fed one at a time. */
class LineDigest {
  private readonly hash = createHash('sha256');
  private first = true;
  add(line: string): void {
    this.hash.update(this.first ? line : `\n${line}`);
    this.first = false;
  }
  hex(): string {
    return this.hash.digest('hex');
  }
}

/** COMPOSITE_CRC of every spooled file under `root`: count, algorithms and checksumDigest (a file without a row is `none`). */
async function checksumDigestOf(
  hdfs: HdfsPort,
  root: string,
  spool: PathSpool,
  options: CallOptions & { tmpDir?: string },
): Promise<{ algorithm: string; files: number; sha256: string }> {
  const algorithms = new Set<string>();
  let files = 0;
  async function* lines(): AsyncGenerator<string> {
    for await (const batch of spool.batches(CHECKSUM_BATCH)) {
      const rows = await checksumsByRel(hdfs, root, batch, options.signal ? { signal: options.signal } : {});
      const named = batch.flatMap(entryFiles);
      for (const rel of named) {
        const row = rows.get(rel);
        if (row) algorithms.add(row.algorithm);
        files++;
        yield `${rel}\t${row ? `${row.algorithm}:${row.hex}` : 'none'}`;
      }
    }
  }
  const digest = new LineDigest();
  for await (const line of externalSort(lines(), {
    key: (l) => l,
    encode: JSON.stringify,
    decode: (l) => JSON.parse(l) as string,
    ...(options.tmpDir ? { tmpDir: options.tmpDir } : {}),
  }))
    digest.add(line);
  return { algorithm: [...algorithms].join(',') || 'COMPOSITE_CRC', files, sha256: digest.hex() };
}
