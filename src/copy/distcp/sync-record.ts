// The per-path sync record: a small JSON file on DR HDFS beside the target (`/dr/landing` →
// `/dr/_HMSDR_SYNC.landing`; beside, not inside, so the target's snapshot diffs stay empty) with the
// copy policy the target was last brought to T1 with and the files that failed then. A different
// policy (delete policy, preserve flags, target path, exclusions) or failed files force the next copy
// of the path to be a full one, as Cloudera's replication does when its arguments change.
import type { CallOptions, HdfsPort } from '../../adapters/hdfs/hdfs.js';
import { policyChanges, policyFingerprint, type CopyPolicy } from './options.js';

export interface SyncRecord {
  version: 1;
  source: string;
  target: string;
  /** The snapshot the target was brought to. */
  snapshot: string;
  policy: CopyPolicy;
  fingerprint: string;
  /** Source paths DistCp -i could not copy in that run (the next run copies the path in full). */
  failedFiles: string[];
}

/** `/dr/landing` → `/dr/_HMSDR_SYNC.landing`. */
export function syncRecordPath(target: string): string {
  const trimmed = target.replace(/\/+$/, '') || '/';
  const at = trimmed.lastIndexOf('/');
  const parent = at <= 0 ? '' : trimmed.slice(0, at);
  const name = trimmed.slice(at + 1) || 'root';
  return `${parent}/_HMSDR_SYNC.${name}`;
}

/** The record beside `target`, or undefined when there is none (or it is unreadable: treated as absent, said in `problem`). */
export async function readSyncRecord(
  hdfs: HdfsPort,
  target: string,
  options: CallOptions = {},
): Promise<{ record?: SyncRecord; problem?: string }> {
  const path = syncRecordPath(target);
  const text = await hdfs.readText(path, options);
  if (text === undefined) return {};
  try {
    const parsed = JSON.parse(text) as Partial<SyncRecord>;
    if (parsed.version !== 1 || typeof parsed.fingerprint !== 'string' || !parsed.policy)
      return { problem: `${path} has an unknown format` };
    return { record: { ...parsed, failedFiles: parsed.failedFiles ?? [] } as SyncRecord };
  } catch {
    return { problem: `${path} is not JSON` };
  }
}

export async function writeSyncRecord(hdfs: HdfsPort, record: SyncRecord, options: CallOptions = {}): Promise<void> {
  await hdfs.putText(syncRecordPath(record.target), `${JSON.stringify(record, null, 2)}\n`, options);
}

export function newSyncRecord(
  pair: { source: string; target: string },
  snapshot: string,
  policy: CopyPolicy,
  failedFiles: string[],
): SyncRecord {
  return { version: 1, source: pair.source, target: pair.target, snapshot, policy, fingerprint: policyFingerprint(policy), failedFiles };
}

/** Why the next copy must be a full one, or undefined (no record: the policy was never recorded, nothing forces it). */
export function fullCopyReason(record: SyncRecord | undefined, policy: CopyPolicy): string | undefined {
  if (!record) return undefined;
  if (record.fingerprint !== policyFingerprint(policy)) {
    const changes = policyChanges(record.policy, policy);
    return `copy policy changed since ${record.snapshot} (${changes.length > 0 ? changes.join(', ') : 'fingerprint differs'}): full copy`;
  }
  if (record.failedFiles.length > 0) {
    return `${record.failedFiles.length} file(s) failed to copy at ${record.snapshot} (e.g. ${record.failedFiles[0]}): full copy`;
  }
  return undefined;
}
