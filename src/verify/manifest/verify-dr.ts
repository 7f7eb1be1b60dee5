// `hmsdr verify dr` as a function: the DR side alone (no source connection, no SSH to the source)
// compared with a manifest. The live metastore (or a named database) and the live data paths — what
// Hive will read — decide SAFE-TO-START; the DR snapshot T1 is checked separately (failover can
// restore the live tree from it) and a missing or different snapshot is a reason too.
import { snapshotPath } from '../../adapters/hdfs/commands.js';
import type { HdfsPort } from '../../adapters/hdfs/hdfs.js';
import type { SitePort } from '../../adapters/site.js';
import { HmsdrError, PreconditionError } from '../../errors/errors.js';
import { metastoreSection, scanTree } from './collect.js';
import { openQueryPool, type QueryPool } from '../../adapters/postgres/query-pool.js';
import { INSPECTION_CONNECTIONS } from '../metastore/inspect.js';
import {
  compareListing,
  entriesToKeep,
  identityReasons,
  listingReasons,
  metastoreReasons,
  sealReasons,
  type ListingComparison,
} from './compare.js';
import { siteIdentity, type Manifest, type SiteIdentity } from './manifest.js';

export type Verdict = 'SAFE-TO-START' | 'NOT-SAFE';

export interface DataPathVerdict {
  target: string;
  live: ListingComparison | { error: string };
  checksums?: { compared: number; ok: boolean };
  snapshot: { name: string; present: boolean; matches: boolean };
}

export interface DrVerdict {
  verdict: Verdict;
  reasons: string[];
  manifest: { file: string; sha256: string; runId: string | null; t0: string; t1: string; createdAt: string };
  database: string;
  metastore: { ok: boolean; reasons: string[] };
  data: DataPathVerdict[];
}

export interface VerifyDrOptions {
  manifest: Manifest;
  manifestFile: string;
  /** The DR database to compare (default: dr.metastore.database). */
  database: string;
  identities: { source: SiteIdentity; dr: SiteIdentity };
  dr: SitePort;
  /** DR HDFS only; undefined when no data path is configured. */
  hdfs: HdfsPort | undefined;
  signal?: AbortSignal;
}

async function drMetastore(options: VerifyDrOptions): Promise<Awaited<ReturnType<typeof metastoreSection>>> {
  let pool: QueryPool;
  try {
    pool = await openQueryPool(() => options.dr.connect(options.database, options.signal), INSPECTION_CONNECTIONS);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new PreconditionError(`cannot reach the DR database ${options.database}: ${message}`, { cause: error });
  }
  try {
    return await metastoreSection(pool, { where: `DR database ${options.database}` });
  } finally {
    await pool.close();
  }
}

async function hasSnapshot(hdfs: HdfsPort, target: string, name: string, signal?: AbortSignal): Promise<boolean> {
  try {
    return (await hdfs.listSnapshots(target, { signal })).some((s) => s.name === name);
  } catch {
    return false;
  }
}

async function checkPath(
  hdfs: HdfsPort,
  expected: Manifest['data'][number],
  signal: AbortSignal | undefined,
): Promise<{ verdict: DataPathVerdict; reasons: string[] }> {
  const target = expected.target;
  const reasons: string[] = [];
  let live: DataPathVerdict['live'];
  let checksums: DataPathVerdict['checksums'];
  try {
    const scan = await scanTree(hdfs, target, { signal, keepEntries: entriesToKeep(expected), checksums: expected.checksums !== null });
    live = compareListing(expected, scan);
    reasons.push(...listingReasons(target, live));
    if (live.ok && expected.checksums && scan.checksums) {
      const now = scan.checksums;
      checksums = { compared: now.files, ok: now.sha256 === expected.checksums.sha256 };
      if (!checksums.ok)
        reasons.push(`${target}: file checksums differ from the manifest (${now.files} files compared; COMPOSITE_CRC digest differs)`);
    }
  } catch (error) {
    if (error instanceof HmsdrError && error.exitCode === 130) throw error;
    live = { error: error instanceof Error ? error.message : String(error) };
    reasons.push(`${target}: cannot list the data path on DR (${live.error})`);
  }
  const snapshot = { name: expected.snapshot, present: await hasSnapshot(hdfs, target, expected.snapshot, signal), matches: false };
  const at = snapshotPath(target, expected.snapshot);
  if (!snapshot.present) reasons.push(`snapshot missing: ${at} (failover cannot restore the live tree from T1)`);
  else {
    const inSnapshot = compareListing(expected, await scanTree(hdfs, at, { signal, keepEntries: entriesToKeep(expected) }));
    snapshot.matches = inSnapshot.ok;
    reasons.push(...listingReasons(at, inSnapshot));
  }
  return { verdict: { target, live, ...(checksums ? { checksums } : {}), snapshot }, reasons };
}

export async function verifyDr(options: VerifyDrOptions): Promise<DrVerdict> {
  const { manifest } = options;
  const reasons = [...sealReasons(manifest), ...identityReasons(manifest, options.identities)];
  const metastore = metastoreReasons(manifest.metastore, await drMetastore(options));
  reasons.push(...metastore);
  const data: DataPathVerdict[] = [];
  for (const expected of manifest.data) {
    if (!options.hdfs) {
      reasons.push(`${expected.target}: no DR HDFS configured to check it`);
      continue;
    }
    const checked = await checkPath(options.hdfs, expected, options.signal);
    data.push(checked.verdict);
    reasons.push(...checked.reasons);
  }
  return {
    verdict: reasons.length === 0 ? 'SAFE-TO-START' : 'NOT-SAFE',
    reasons,
    manifest: {
      file: options.manifestFile,
      sha256: manifest.sha256,
      runId: manifest.runId,
      t0: manifest.t0,
      t1: manifest.t1,
      createdAt: manifest.createdAt,
    },
    database: options.database,
    metastore: { ok: metastore.length === 0, reasons: metastore },
    data,
  };
}

/** The identities of a configuration, as a manifest records them. */
export const configIdentities = (config: {
  source: Parameters<typeof siteIdentity>[0];
  dr: Parameters<typeof siteIdentity>[0];
}): VerifyDrOptions['identities'] => ({
  source: siteIdentity(config.source),
  dr: siteIdentity(config.dr),
});

export function renderDrVerdict(v: DrVerdict): string {
  const lines = [
    `manifest ${v.manifest.file} (run ${v.manifest.runId ?? '—'}, T0 ${v.manifest.t0}, T1 ${v.manifest.t1})`,
    `${v.metastore.ok ? 'OK  ' : 'FAIL'} metastore: DR database ${v.database}`,
  ];
  for (const p of v.data) {
    const live =
      'error' in p.live
        ? `cannot list (${p.live.error})`
        : `files ${p.live.files.expected}/${p.live.files.actual}, bytes ${p.live.bytes.expected}/${p.live.bytes.actual}`;
    const ok = !('error' in p.live) && p.live.ok && (p.checksums?.ok ?? true);
    lines.push(`${ok ? 'OK  ' : 'FAIL'} data: ${p.target}: ${live}${p.checksums ? `, ${p.checksums.compared} checksums` : ''}`);
    lines.push(
      `${p.snapshot.matches ? 'OK  ' : 'FAIL'} snapshot: ${snapshotPath(p.target, p.snapshot.name)} ${p.snapshot.present ? (p.snapshot.matches ? 'matches the manifest' : 'differs from the manifest') : 'is missing'}`,
    );
  }
  lines.push('', v.verdict);
  for (const r of v.reasons) lines.push(`  - ${r}`);
  return lines.join('\n');
}
