// Freshness: what DR serves after the last run whose live verification passed. `last-success.json`
// in the runs directory (read by `hmsdr check` and schedulers) and, optionally, a `_HMSDR_SUCCESS`
// marker beside each DR data root for HDFS sensors (docs/monitoring.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../runbook/ledger.js';
import type { RunSummary } from './model.js';
import { epochMs } from './times.js';

export const LAST_SUCCESS_FILE = 'last-success.json';
export const HDFS_MARKER_NAME = '_HMSDR_SUCCESS';

export interface LastSuccess {
  version: 1;
  runId: string;
  mode: string;
  host: string | null;
  /** When verify-live passed: the moment DR was last known good. */
  succeededAt: string;
  /** Metastore recovery point (pg_dump start). */
  t0: string | null;
  /** Data recovery point (the earliest source snapshot). */
  t1: string | null;
  /** The older of T0 and T1: DR holds everything the source had at this instant. */
  recoveryPoint: string | null;
  rpoSeconds: number | null;
  rtoSeconds: number | null;
  hiveDowntimeSeconds: number | null;
  /** What DR now serves. */
  serves: {
    database: string | null;
    paths: Array<{ source: string; target: string; snapshot: string; takenAt: string | null }>;
  };
}

/** True when the run's metastore went live and verify-live passed: DR serves this run. */
export function servesThisRun(summary: Pick<RunSummary, 'mode' | 'steps'>): boolean {
  const done = (id: string): boolean => summary.steps.some((s) => s.id === id && s.status === 'done');
  return summary.mode !== 'rollback' && done('swap-metastore') && done('verify-live');
}

const seconds = (ms: number | null): number | null => (ms === null ? null : Math.round(ms / 1000));

export function lastSuccessOf(summary: RunSummary, succeededAt: string): LastSuccess {
  const { rpo, rto } = summary;
  const points = [rpo.t0, rpo.t1].map(epochMs).filter((t): t is number => t !== null);
  return {
    version: 1,
    runId: summary.runId,
    mode: summary.mode,
    host: summary.host,
    succeededAt,
    t0: rpo.t0,
    t1: rpo.t1,
    recoveryPoint: points.length > 0 ? new Date(Math.min(...points)).toISOString() : null,
    rpoSeconds: seconds(rpo.rpoMs),
    rtoSeconds: seconds(rto.rtoMs),
    hiveDowntimeSeconds: seconds(rto.downtimeMs),
    serves: {
      database: summary.metastore?.liveDatabase ?? null,
      paths: rpo.t1PerPath.map((p) => ({ source: p.source, target: p.target, snapshot: p.snapshot, takenAt: p.takenAt })),
    },
  };
}

export function writeLastSuccess(runsDir: string, record: LastSuccess): string {
  const path = join(runsDir, LAST_SUCCESS_FILE);
  writeFileAtomic(path, JSON.stringify(record, null, 2) + '\n');
  return path;
}

/** The record, undefined when none was written yet; throws when the file is there but unreadable. */
export function readLastSuccess(runsDir: string): LastSuccess | undefined {
  const path = join(runsDir, LAST_SUCCESS_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`cannot read ${path}: not JSON (${(error as Error).message})`);
  }
  const record = value as Partial<LastSuccess> | null;
  if (record?.version !== 1 || typeof record.runId !== 'string' || typeof record.succeededAt !== 'string') {
    throw new Error(`cannot read ${path}: not a version 1 last-success record`);
  }
  return record as LastSuccess;
}

/**
 * The marker of a DR data root `/dr/landing`: `/dr/_HMSDR_SUCCESS.landing`, beside it and not inside.
 * Inside, it would modify the snapshottable target after its snapshot, and the next `distcp -diff`
 * would refuse the target (hmsdr would rewind it with -rdiff every run). HDFS forbids nested
 * snapshottable directories, so the parent is never part of another copied tree. Undefined for `/`.
 */
export function markerPath(target: string): string | undefined {
  const trimmed = target.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  if (trimmed === '' || slash < 0) return undefined;
  return `${trimmed.slice(0, slash)}/${HDFS_MARKER_NAME}.${trimmed.slice(slash + 1)}`;
}

/** The marker's content: the same facts, one line of JSON (a sensor may read it). */
export const markerText = (record: LastSuccess): string => JSON.stringify(record) + '\n';
