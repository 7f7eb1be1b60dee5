// A whole manifest from its parts: identities from the configuration, the metastore section, and
// per data path the listing of `.snapshot/<T1>` on one side (the DR side in a run, the source side
// for `manifest export`).
import { snapshotPath } from '../../adapters/hdfs/commands.js';
import type { CallOptions, HdfsPort } from '../../adapters/hdfs/hdfs.js';
import { InternalError } from '../../errors/errors.js';
import type { ResolvedConfig } from '../../config/load.js';
import { scanTree, type MetastoreSection } from './collect.js';
import { hmsdrVersion, MANIFEST_VERSION, sealManifest, siteIdentity, type Manifest, type ManifestDataPath } from './manifest.js';

/** A data path and its DR target (copy/pairs.ts's PathPair; verify does not import copy). */
export interface PathPair {
  source: string;
  target: string;
}

export interface BuildManifestOptions extends CallOptions {
  config: ResolvedConfig;
  runId: string | null;
  t0: string;
  /** The snapshot name every data path was copied at. */
  t1: string;
  metastore: MetastoreSection;
  /** The HDFS whose `.snapshot/<t1>` is listed, and which side of each pair it is. */
  hdfs: HdfsPort | undefined;
  side: 'source' | 'dr';
  pairs: readonly PathPair[];
  /** Record the entries when there are at most this many (lets `verify dr` name the files that differ); 0 none. */
  entries: number;
  /** Where listings are sorted on disk (default the OS temp dir). */
  tmpDir?: string;
  checksums: boolean;
}

export async function dataPathManifest(
  options: Omit<BuildManifestOptions, 'config' | 'runId' | 't0' | 'metastore' | 'pairs'>,
  pair: PathPair,
): Promise<ManifestDataPath> {
  if (!options.hdfs) throw new InternalError('a manifest with data paths needs the HDFS adapters');
  const root = snapshotPath(options.side === 'source' ? pair.source : pair.target, options.t1);
  const call = { signal: options.signal };
  const hdfs = options.hdfs;
  const scan = await scanTree(hdfs, root, {
    ...call,
    keepEntries: options.entries,
    checksums: options.checksums,
    ...(options.tmpDir ? { tmpDir: options.tmpDir } : {}),
  });
  return {
    source: pair.source,
    target: pair.target,
    snapshot: options.t1,
    files: scan.files,
    dirs: scan.dirs,
    bytes: scan.bytes,
    listingSha256: scan.listingSha256,
    checksums: scan.checksums ?? null,
    ...(scan.entries ? { entries: scan.entries } : {}),
  };
}

export async function buildManifest(options: BuildManifestOptions): Promise<Manifest> {
  const data: ManifestDataPath[] = [];
  for (const pair of options.pairs) data.push(await dataPathManifest(options, pair));
  return sealManifest({
    manifestVersion: MANIFEST_VERSION,
    hmsdrVersion: hmsdrVersion(),
    createdAt: new Date().toISOString(),
    runId: options.runId,
    t0: options.t0,
    t1: options.t1,
    source: siteIdentity(options.config.source),
    dr: siteIdentity(options.config.dr),
    metastore: options.metastore,
    data,
  });
}
