// Cloudera Manager's replication shapes, field names as in cm_api (python/src/cm_api/endpoints/
// types.py, java/.../model/Api*.java at v16) and the CM 7 API docs for the later fields
// (skipListingChecksumChecks, raiseSnapshotDiffFailures, throughput): docs/copy-engines.md.

export interface ApiServiceRef {
  peerName?: string;
  clusterName: string;
  serviceName: string;
}

export type ReplicationStrategy = 'STATIC' | 'DYNAMIC';

/** ApiHdfsReplicationArguments. */
export interface ApiHdfsReplicationArguments {
  sourceService: ApiServiceRef;
  sourcePath: string;
  destinationPath: string;
  mapreduceServiceName: string;
  schedulerPoolName?: string;
  userName?: string;
  numMaps?: number;
  dryRun?: boolean;
  bandwidthPerMap?: number;
  abortOnError: boolean;
  removeMissingFiles: boolean;
  preserveReplicationCount: boolean;
  preserveBlockSize: boolean;
  preservePermissions: boolean;
  logPath?: string;
  skipChecksumChecks: boolean;
  skipListingChecksumChecks?: boolean;
  skipTrash: boolean;
  replicationStrategy: ReplicationStrategy;
  preserveXAttrs: boolean;
  exclusionFilters: string[];
  raiseSnapshotDiffFailures?: boolean;
}

/** ApiHdfsReplicationResult (all read-only). */
export interface ApiHdfsReplicationResult {
  progress?: number;
  throughput?: number;
  remainingTime?: number;
  numBytesDryRun?: number;
  numFilesDryRun?: number;
  numFilesExpected?: number;
  numBytesExpected?: number;
  numFilesCopied?: number;
  numBytesCopied?: number;
  numFilesSkipped?: number;
  numBytesSkipped?: number;
  numFilesDeleted?: number;
  numFilesCopyFailed?: number;
  numBytesCopyFailed?: number;
  setupError?: string;
  jobId?: string;
  jobDetailsUri?: string;
  dryRun?: boolean;
  snapshottedDirs?: string[];
  failedFiles?: string[];
  runAsUser?: string;
}

/** ApiCommand, with ApiReplicationCommand's hdfsResult. */
export interface ApiReplicationCommand {
  id?: number;
  name?: string;
  startTime?: string;
  endTime?: string;
  active?: boolean;
  success?: boolean;
  resultMessage?: string;
  resultDataUrl?: string;
  canRetry?: boolean;
  hdfsResult?: ApiHdfsReplicationResult;
}

/** ApiReplicationSchedule (ApiSchedule + arguments + history). */
export interface ApiReplicationSchedule {
  id?: number;
  displayName?: string;
  description?: string;
  startTime?: string;
  endTime?: string;
  interval?: number;
  intervalUnit?: 'MINUTE' | 'HOUR' | 'DAY' | 'WEEK' | 'MONTH' | 'YEAR';
  paused?: boolean;
  nextRun?: string;
  alertOnStart?: boolean;
  alertOnSuccess?: boolean;
  alertOnFail?: boolean;
  alertOnAbort?: boolean;
  hdfsArguments?: ApiHdfsReplicationArguments;
  history?: ApiReplicationCommand[];
  active?: boolean;
}

/** ApiCmPeer (password is write-only: CM never returns it). */
export interface ApiCmPeer {
  name: string;
  url?: string;
  username?: string;
  password?: string;
  type?: 'REPLICATION' | 'STATUS_AGGREGATION';
  clouderaManagerCreatedUser?: boolean;
}

/** ApiReplicationDiagnosticsCollectionArgs. */
export interface ApiReplicationDiagnosticsCollectionArgs {
  commands?: { items: { id: number }[] };
  ticketNumber?: string;
  comments?: string;
  phoneHome?: boolean;
}
