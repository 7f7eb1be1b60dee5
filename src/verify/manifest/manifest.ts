// The run's manifest: what DR must hold at T1 (metastore counts, per data path a digest of the
// snapshot listing), sealed with a sha256 over a canonical JSON of everything else, so that the DR
// side can decide "safe to start" with the source powered off (`hmsdr verify dr`).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PreconditionError } from '../../errors/errors.js';
import { ONE_SHOT } from '../../util/one-shot-parse.js';

export const MANIFEST_VERSION = 1;

const num = z.number();
const str = z.string();
const counts = z.record(z.string(), z.number());

const identity = z.object({ nameNode: str, metastore: z.object({ host: str, port: num, database: str }) });
export type SiteIdentity = z.infer<typeof identity>;

const entry = z.tuple([str, z.enum(['file', 'dir']), num]);
/** One listing entry: [path relative to the data root, type, length]. */
export type ManifestEntry = z.infer<typeof entry>;

const dataPath = z.object({
  source: str,
  target: str,
  snapshot: str,
  files: num,
  dirs: num,
  bytes: num,
  /** sha256 of the sorted listing, one `path\ttype\tlength` line each (see listingDigest). */
  listingSha256: str,
  /** COMPOSITE_CRC checksums of the files (when data.checksums): how many, and a digest of `path\tchecksum` lines. */
  checksums: z.object({ algorithm: str, files: num, sha256: str }).nullable(),
  /** Every entry (the run's manifest; `manifest export --dump-all`): lets the DR side name the files that differ. */
  entries: z.array(entry).optional(),
});
export type ManifestDataPath = z.infer<typeof dataPath>;

const database = z.object({ tablesByType: counts, partitions: num });

const body = z.object({
  manifestVersion: z.literal(MANIFEST_VERSION),
  hmsdrVersion: str,
  createdAt: str,
  /** The run that wrote it; null for `manifest export`. */
  runId: str.nullable(),
  t0: str,
  t1: str,
  source: identity,
  dr: identity,
  metastore: z.object({
    schemaVersion: str,
    databases: z.record(z.string(), database),
    /** `db.table` → partitions. */
    partitionsPerTable: counts,
    /** `db.table` → sha256 of the sorted partition names (a changed partition row shows here). */
    partitionNamesSha256: z.record(z.string(), z.string()),
    /** PostgreSQL table → rows (the dump stream's counts in a run, count(*) on export). */
    rowsPerTable: counts,
  }),
  data: z.array(dataPath),
});
export type ManifestBody = z.infer<typeof body>;
export type Manifest = ManifestBody & { sha256: string };

/** JSON with object keys sorted at every level: the text the seal is computed over. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The seal: sha256 of the canonical JSON of everything but `sha256`. */
export function manifestDigest(manifest: ManifestBody | Manifest): string {
  const { sha256: _seal, ...rest } = manifest as Manifest;
  return sha256(canonicalJson(rest));
}

export function sealManifest(manifest: ManifestBody): Manifest {
  return { ...manifest, sha256: manifestDigest(manifest) };
}

/** The text written to manifest.json (pretty; the seal does not depend on the layout). */
export const manifestText = (manifest: Manifest): string => `${JSON.stringify(manifest, null, 1)}\n`;

/** sha256 of a sorted listing: one `path\ttype\tlength` line per entry (directories have length 0). */
export function listingDigest(entries: readonly ManifestEntry[]): string {
  const lines = entries.map(([path, type, length]) => `${path}\t${type}\t${type === 'dir' ? 0 : length}`).sort();
  return sha256(lines.join('\n'));
}

/** sha256 of sorted `path\tchecksum` lines. */
export function checksumDigest(sums: ReadonlyMap<string, string>): string {
  return sha256(
    [...sums]
      .map(([path, sum]) => `${path}\t${sum}`)
      .sort()
      .join('\n'),
  );
}

/** Counts and digest of a listing, as one manifest data path. */
export function summariseListing(
  pair: { source: string; target: string },
  snapshot: string,
  entries: ManifestEntry[],
  keepEntries: boolean,
): ManifestDataPath {
  let files = 0;
  let dirs = 0;
  let bytes = 0;
  for (const [, type, length] of entries) {
    if (type === 'dir') dirs++;
    else {
      files++;
      bytes += length;
    }
  }
  const sorted = [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    source: pair.source,
    target: pair.target,
    snapshot,
    files,
    dirs,
    bytes,
    listingSha256: listingDigest(entries),
    checksums: null,
    ...(keepEntries ? { entries: sorted } : {}),
  };
}

/** Why a manifest cannot be used (not JSON, unknown version, truncated, malformed): exit 4. */
export function parseManifest(text: string, where: string): Manifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PreconditionError(
      `${where} is not a readable manifest: not JSON (${(error as Error).message}); truncated or not a manifest.json`,
    );
  }
  const version = (parsed as { manifestVersion?: unknown } | null)?.manifestVersion;
  if (version !== MANIFEST_VERSION) {
    throw new PreconditionError(
      `${where}: unknown manifest version ${JSON.stringify(version ?? null)} (this hmsdr reads version ${MANIFEST_VERSION})`,
    );
  }
  const result = body.extend({ sha256: str }).safeParse(parsed, ONE_SHOT);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new PreconditionError(
      `${where} is not a complete manifest: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  // The parse result drops unknown keys; the seal covers what was written, so keep the value as read.
  return parsed as Manifest;
}

export function readManifest(file: string): Manifest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PreconditionError(`cannot read the manifest ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseManifest(text, file);
}

/** hmsdr's version (src/util/version.ts). */
export { hmsdrVersion } from '../../util/version.js';

export const siteIdentity = (site: { nameNode: string; metastore: { host: string; port: number; database: string } }): SiteIdentity => ({
  nameNode: site.nameNode,
  metastore: { host: site.metastore.host, port: site.metastore.port, database: site.metastore.database },
});
