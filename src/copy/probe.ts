// The probe every copy engine shares: done when each target has this run's snapshot.
import type { ProbeResult } from '../runbook/step.js';
import { syncSnapshotName } from './distcp/sync-state.js';
import type { CopyEngineId, CopyResult, StepContext } from './engine.js';
import { dataPairs, requireHdfs } from './pairs.js';

/**
 * Every engine's probe: the copy is done when every target has this run's snapshot (an engine takes
 * it only after the path is copied and checked), else todo naming the targets without it.
 */
export async function probeTargetSnapshots(ctx: StepContext, engine: CopyEngineId): Promise<ProbeResult> {
  const hdfs = requireHdfs(ctx);
  const name = syncSnapshotName(ctx.run.id);
  const pending: string[] = [];
  for (const pair of dataPairs(ctx.config)) {
    const snapshots = await hdfs.dr.listSnapshots(pair.target, { signal: ctx.signal }).catch(() => []);
    if (!snapshots.some((s) => s.name === name)) pending.push(pair.target);
  }
  if (pending.length === 0) {
    const output: CopyResult = { engine, snapshot: name, paths: [] };
    return { status: 'done', reason: `every target has snapshot ${name}`, output };
  }
  return { status: 'todo', reason: `${pending.length} target(s) without ${name}: ${pending.join(', ')}` };
}
