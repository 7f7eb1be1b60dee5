// Pure builders of the Cloudera Manager engine: the connection settings from the config, the name
// of the schedule of a data path (`hmsdr-<path id>`), and the ApiReplicationSchedule hmsdr creates,
// compares and updates (only the fields hmsdr sets; a schedule hmsdr did not create is never touched).
import { createHash } from 'node:crypto';
import type { ApiHdfsReplicationArguments, ApiReplicationSchedule } from '../../adapters/cloudera-manager/replication-types.js';
import type { CmReplicationCoordinates } from '../../adapters/cloudera-manager/replication-requests.js';
import type { ResolvedConfig } from '../../config/load.js';
import type { CmEngineConfig } from '../../config/schema-cm-engine.js';
import { ConfigError } from '../../errors/errors.js';
import type { PathPair } from '../pairs.js';

/** The marker in a schedule's description: a schedule without it is not hmsdr's. */
export const OWNER_MARK = 'managed by hmsdr';

export interface CmSettings extends CmReplicationCoordinates {
  readonly url: string;
  readonly user: string;
  readonly caFile: string | undefined;
  /** Where the password comes from (data.cm or dr.serviceControl), for readSecret. */
  readonly secret: { passwordEnv?: string | undefined; passwordFile?: string | undefined; where: string };
  readonly engine: CmEngineConfig;
}

export function cmEngineConfig(config: Pick<ResolvedConfig, 'data'>): CmEngineConfig {
  const cm = config.data.cm;
  if (!cm) throw new ConfigError('data.cm is required when data.engine is cloudera-manager', [{ path: 'data.cm', message: 'is required' }]);
  return cm;
}

/** data.cm, completed from dr.serviceControl when that is Cloudera Manager. */
export function cmSettings(config: Pick<ResolvedConfig, 'data' | 'dr'>): CmSettings {
  const cm = cmEngineConfig(config);
  const control = config.dr.serviceControl.type === 'cloudera-manager' ? config.dr.serviceControl : undefined;
  const url = cm.url ?? control?.url;
  const cluster = cm.cluster ?? control?.cluster;
  const user = cm.user ?? control?.user;
  if (!url || !cluster || !user) {
    throw new ConfigError('data.cm needs url, cluster and user (or dr.serviceControl of type cloudera-manager)', [
      { path: 'data.cm', message: 'url, cluster and user are required' },
    ]);
  }
  const own = cm.user !== undefined;
  return {
    url,
    cluster,
    user,
    apiVersion: cm.apiVersion ?? control?.apiVersion ?? 'v41',
    hdfsService: cm.hdfsService,
    caFile: cm.caFile ?? control?.caFile,
    secret: own
      ? { passwordEnv: cm.passwordEnv, passwordFile: cm.passwordFile, where: 'data.cm' }
      : { passwordEnv: control?.passwordEnv, passwordFile: control?.passwordFile, where: 'dr.serviceControl' },
    engine: cm,
  };
}

/** `/warehouse/tablespace/managed/hive` → `warehouse-tablespace-managed-hive-<6 hex>` (the hash keeps `/a-b` and `/a/b` apart). */
export function pathId(source: string): string {
  const slug = source.replace(/^\/+|\/+$/g, '').replace(/[^A-Za-z0-9]+/g, '-') || 'root';
  return `${slug}-${createHash('sha256').update(source).digest('hex').slice(0, 6)}`;
}

export const scheduleName = (pair: PathPair): string => `hmsdr-${pathId(pair.source)}`;

export function hdfsArguments(cm: CmEngineConfig, pair: PathPair): ApiHdfsReplicationArguments {
  return {
    sourceService: { peerName: cm.peer.name, clusterName: cm.sourceCluster, serviceName: cm.sourceHdfsService },
    sourcePath: pair.source,
    destinationPath: pair.target,
    mapreduceServiceName: cm.mapreduceServiceName,
    ...(cm.schedulerPoolName ? { schedulerPoolName: cm.schedulerPoolName } : {}),
    ...(cm.userName ? { userName: cm.userName } : {}),
    ...(cm.numMaps ? { numMaps: cm.numMaps } : {}),
    ...(cm.bandwidthPerMap ? { bandwidthPerMap: cm.bandwidthPerMap } : {}),
    abortOnError: cm.abortOnError,
    removeMissingFiles: cm.removeMissingFiles,
    skipTrash: cm.skipTrash,
    preserveReplicationCount: cm.preserveReplicationCount,
    preserveBlockSize: cm.preserveBlockSize,
    preservePermissions: cm.preservePermissions,
    preserveXAttrs: cm.preserveXAttrs,
    skipChecksumChecks: cm.skipChecksumChecks,
    skipListingChecksumChecks: cm.skipListingChecksumChecks,
    replicationStrategy: cm.replicationStrategy,
    exclusionFilters: cm.exclusionFilters,
    raiseSnapshotDiffFailures: cm.raiseSnapshotDiffFailures,
  };
}

/** The schedule hmsdr creates for a path: paused (it only runs when hmsdr triggers it). */
export function desiredSchedule(cm: CmEngineConfig, pair: PathPair): ApiReplicationSchedule {
  return {
    displayName: scheduleName(pair),
    description: `${OWNER_MARK}: ${pair.source} -> ${pair.target}; runs only when hmsdr triggers it, edit data.cm instead`,
    interval: 1,
    intervalUnit: 'DAY',
    paused: true,
    alertOnStart: false,
    alertOnSuccess: false,
    alertOnFail: true,
    alertOnAbort: true,
    hdfsArguments: hdfsArguments(cm, pair),
  };
}

/** The argument keys whose value differs between a schedule and what the config wants (none: reuse it as is). */
export function changedArguments(current: ApiReplicationSchedule, wanted: ApiReplicationSchedule): string[] {
  const have = (current.hdfsArguments ?? {}) as unknown as Record<string, unknown>;
  const want = wanted.hdfsArguments as unknown as Record<string, unknown>;
  const norm = (v: unknown): string => JSON.stringify(Array.isArray(v) && v.length === 0 ? null : (v ?? null));
  const changed = Object.keys(want).filter((k) => norm(have[k]) !== norm(want[k]));
  if (current.paused !== true) changed.push('paused');
  return changed;
}

export const isOurs = (s: ApiReplicationSchedule): boolean => (s.description ?? '').startsWith(OWNER_MARK);
