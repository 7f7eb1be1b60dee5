// RPO and RTO arithmetic (docs/reports.md "Reading RPO and RTO"): T0 from dump-metastore, T1 from the
// source snapshots, both measured against the run's end; RTO to Hive started on DR.
import type { StepRecord } from '../runbook/ledger.js';
import type { StepOutputs } from '../steps/outputs.js';
import type { PathT1, RpoSummary, RtoSummary } from './model.js';
import { epochMs, msBetween } from './times.js';

export function buildRpo(
  dump: StepOutputs['dump-metastore'] | undefined,
  snap: StepOutputs['snapshot-source'] | undefined,
  snapRecord: StepRecord | undefined,
  endedAt: string,
  applied: boolean,
): RpoSummary {
  const t0 = dump?.t0 ?? null;
  const t1PerPath: PathT1[] = (snap?.paths ?? []).map((p) => ({
    source: p.source,
    target: p.target,
    snapshot: p.snapshot,
    takenAt: p.takenAt,
  }));
  const taken = t1PerPath.map((p) => epochMs(p.takenAt)).filter((t): t is number => t !== null);
  let t1: string | null = null;
  let t1Source: RpoSummary['t1Source'] = null;
  if (taken.length > 0) {
    t1 = new Date(Math.min(...taken)).toISOString();
    t1Source = 'snapshot';
  } else if (snapRecord?.status === 'done' && snapRecord.startedAt) {
    t1 = snapRecord.startedAt;
    t1Source = 'step-start';
  }
  const metadataMs = msBetween(endedAt, t0);
  const dataMs = msBetween(endedAt, t1);
  const known = [metadataMs, dataMs].filter((x): x is number => x !== null);
  const windowMs = msBetween(t1, t0);
  const notes: string[] = [];
  if (t0 === null) notes.push('T0 not recorded: dump-metastore did not complete, so this run measured no recovery point');
  else if (!applied)
    notes.push("this run's recovery point did not go live: the run stopped before swap-metastore, so DR still serves the previous one");
  if (t0 !== null && t1 === null) notes.push('T1 not recorded (no data snapshot): the data side of the RPO is unknown');
  if (windowMs !== null && windowMs < 0) notes.push('T1 is before T0: the metastore may point at data the DR copy does not have');
  if (t1Source === 'step-start') notes.push('T1 approximated by the start of snapshot-source (the snapshots carry no creation time)');
  return {
    t0,
    t1,
    t1Source,
    t1PerPath,
    endedAt,
    metadataMs,
    dataMs,
    rpoMs: known.length > 0 ? Math.max(...known) : null,
    windowMs,
    orderOk: windowMs === null ? null : windowMs >= 0,
    applied,
    note: notes.join('; ') || 'RPO = run end − T0 (the metastore snapshot, the older of the two recovery points)',
  };
}

export function buildRto(startedAt: string, records: Readonly<Record<string, StepRecord | undefined>>, endedAt: string): RtoSummary {
  const start = records['start-hive'];
  const reached = start?.status === 'done' && typeof start.finishedAt === 'string';
  const hiveStartedAt = reached ? (start.finishedAt ?? null) : null;
  const stop = records['stop-hive'];
  const stopFrom = stop?.startedAt ?? (stop?.status === 'done' ? stop.finishedAt : undefined) ?? null;
  const downtimeMs = stopFrom ? msBetween(hiveStartedAt ?? endedAt, stopFrom) : null;
  return {
    startedAt,
    hiveStartedAt,
    reached,
    rtoMs: reached ? msBetween(hiveStartedAt, startedAt) : null,
    downtimeMs: downtimeMs !== null && downtimeMs >= 0 ? downtimeMs : null,
    note: reached
      ? 'RTO = Hive started on DR (start-hive finished) − run start'
      : stopFrom
        ? 'not reached: Hive was stopped on DR and not started again by this run'
        : 'not reached: the run did not get as far as starting Hive on DR',
  };
}
