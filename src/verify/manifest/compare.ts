// Pure comparisons of a manifest with what the DR side holds now: the metastore section, one data
// path's listing, identities and the seal. Each returns the reasons (empty when it matches).
import type { Manifest, ManifestDataPath, SiteIdentity } from './manifest.js';
import { manifestDigest } from './manifest.js';
import { MANIFEST_ENTRIES_KEPT, type MetastoreSection, type TreeScan } from './collect.js';

/** Reasons of one kind are listed up to this many, then counted. */
export const LISTED = 200;

export function capped(kind: string, items: readonly string[]): string[] {
  const shown = items.slice(0, LISTED);
  return [...shown, ...(items.length > LISTED ? [`${kind}: … ${items.length - LISTED} more (${items.length} in all)`] : [])];
}

export function sealReasons(manifest: Manifest): string[] {
  const computed = manifestDigest(manifest);
  return computed === manifest.sha256
    ? []
    : [`manifest tampered: sha256 ${manifest.sha256} recorded, ${computed} computed over its content`];
}

const identityText = (i: SiteIdentity): string =>
  `${i.nameNode}, metastore ${i.metastore.host}:${i.metastore.port}/${i.metastore.database}`;

export function identityReasons(manifest: Manifest, config: { source: SiteIdentity; dr: SiteIdentity }): string[] {
  const reasons: string[] = [];
  const same = (a: SiteIdentity, b: SiteIdentity): boolean => identityText(a) === identityText(b);
  if (!same(manifest.source, config.source))
    reasons.push(`manifest from another source: ${identityText(manifest.source)} (configured: ${identityText(config.source)})`);
  if (!same(manifest.dr, config.dr))
    reasons.push(`manifest from another DR: ${identityText(manifest.dr)} (configured: ${identityText(config.dr)})`);
  return reasons;
}

function countReasons(what: string, expected: Record<string, number>, actual: Record<string, number>, extraCounts: boolean): string[] {
  const out: string[] = [];
  for (const [key, n] of Object.entries(expected)) {
    const now = actual[key] ?? 0;
    if (now !== n) out.push(`metastore count differs: ${what} ${key}: ${n} in the manifest, ${now} on DR`);
  }
  if (extraCounts)
    for (const [key, now] of Object.entries(actual))
      if (!(key in expected) && now !== 0) out.push(`metastore count differs: ${what} ${key}: 0 in the manifest, ${now} on DR`);
  return out;
}

export function metastoreReasons(expected: MetastoreSection, actual: MetastoreSection): string[] {
  const reasons: string[] = [];
  if (expected.schemaVersion !== actual.schemaVersion)
    reasons.push(`metastore schema version ${actual.schemaVersion} on DR, ${expected.schemaVersion} in the manifest`);
  for (const [db, counts] of Object.entries(expected.databases)) {
    const now = actual.databases[db];
    if (!now) {
      reasons.push(`metastore count differs: database ${db} is missing on DR`);
      continue;
    }
    reasons.push(...countReasons(`database ${db} tables of type`, counts.tablesByType, now.tablesByType, true));
    if (counts.partitions !== now.partitions)
      reasons.push(`metastore count differs: database ${db} partitions: ${counts.partitions} in the manifest, ${now.partitions} on DR`);
  }
  for (const db of Object.keys(actual.databases))
    if (!(db in expected.databases)) reasons.push(`metastore count differs: database ${db} is on DR, not in the manifest`);
  reasons.push(...countReasons('partitions of table', expected.partitionsPerTable, actual.partitionsPerTable, true));
  for (const [table, digest] of Object.entries(expected.partitionNamesSha256)) {
    const now = actual.partitionNamesSha256[table];
    if (now !== undefined && now !== digest && (expected.partitionsPerTable[table] ?? 0) === (actual.partitionsPerTable[table] ?? 0)) {
      reasons.push(`metastore partitions differ: table ${table}: same number of partitions, other partition names`);
    }
  }
  reasons.push(...countReasons('rows of', expected.rowsPerTable, actual.rowsPerTable, false));
  return reasons;
}

export interface ListingComparison {
  files: { expected: number; actual: number };
  bytes: { expected: number; actual: number };
  missing: string[];
  extra: string[];
  /** `path (manifest N, DR M)` for files whose length or type differs. */
  changed: string[];
  /** When the manifest has no entries: only the digest could be compared. */
  digestOnly: boolean;
  ok: boolean;
}

/** The entries to keep of a tree compared with `expected`: enough to name differences when the manifest names its files. */
export const entriesToKeep = (expected: ManifestDataPath): number =>
  expected.entries ? Math.max(MANIFEST_ENTRIES_KEPT, 2 * expected.entries.length) : 0;

export function compareListing(expected: ManifestDataPath, actual: TreeScan): ListingComparison {
  const base = { files: { expected: expected.files, actual: actual.files }, bytes: { expected: expected.bytes, actual: actual.bytes } };
  if (!expected.entries || !actual.entries) {
    const ok = actual.listingSha256 === expected.listingSha256;
    return { ...base, missing: [], extra: [], changed: [], digestOnly: true, ok };
  }
  const have = new Map(actual.entries.map((e) => [e[0], e]));
  const want = new Map(expected.entries.map((e) => [e[0], e]));
  const missing: string[] = [];
  const changed: string[] = [];
  for (const [path, [, type, length]] of want) {
    const e = have.get(path);
    if (!e) missing.push(path);
    else if (e[1] !== type) changed.push(`${path} (manifest ${type}, DR ${e[1]})`);
    else if (type === 'file' && e[2] !== length) changed.push(`${path} (manifest ${length} bytes, DR ${e[2]})`);
  }
  const extra = [...have.keys()].filter((p) => !want.has(p)).sort();
  return {
    ...base,
    missing: missing.sort(),
    extra,
    changed: changed.sort(),
    digestOnly: false,
    ok: missing.length + extra.length + changed.length === 0,
  };
}

/** Reasons of a listing comparison, prefixed with where (`<target>` or `<target>/.snapshot/<T1>`). */
export function listingReasons(where: string, c: ListingComparison): string[] {
  if (c.ok) return [];
  if (c.digestOnly) {
    return [
      `${where}: files differ from the manifest (files ${c.files.expected}/${c.files.actual}, bytes ${c.bytes.expected}/${c.bytes.actual}, listing digest differs; export the manifest with --dump-all to name them)`,
    ];
  }
  return [
    ...capped(
      `${where}: missing on DR`,
      c.missing.map((p) => `${where}: file missing on DR: ${p}`),
    ),
    ...capped(
      `${where}: extra on DR`,
      c.extra.map((p) => `${where}: extra file on DR: ${p}`),
    ),
    ...capped(
      `${where}: length differs`,
      c.changed.map((p) => `${where}: length differs: ${p}`),
    ),
  ];
}
