// retention.runs: keep the newest N run directories in runsDir. Never pruned: the run DR now serves
// (last-success.json), a run still running (no recorded end and its owner alive, or owned by
// another host), and the run doing the pruning.
import { readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { runDirectory } from '../names/run-names.js';
import { listRuns } from '../runbook/ledger.js';
import { isAlive } from '../runbook/lock.js';
import { readLastSuccess } from './freshness.js';

export interface PrunedRuns {
  removed: string[];
  /** Older than the newest N but kept, and why. */
  kept: Array<{ runId: string; why: string }>;
}

function stillRunning(runDir: string, me = hostname()): boolean {
  try {
    const state = JSON.parse(readFileSync(join(runDir, 'state.json'), 'utf8')) as { finishedAt?: string; pid?: number; host?: string };
    if (state.finishedAt) return false;
    if (state.host !== me) return true; // cannot tell from here: keep it
    return state.pid !== undefined && isAlive(state.pid);
  } catch {
    return false;
  }
}

/** Remove run directories beyond the newest `keep` (undefined: keep all), never `current` nor the protected ones. */
export function pruneRuns(runsDir: string, keep: number | undefined, current?: string): PrunedRuns {
  const result: PrunedRuns = { removed: [], kept: [] };
  if (keep === undefined) return result;
  let serving: string | undefined;
  try {
    serving = readLastSuccess(runsDir)?.runId;
  } catch {
    return result; // what DR serves cannot be told: prune nothing
  }
  for (const runId of listRuns(runsDir).slice(keep)) {
    const dir = runDirectory(runsDir, runId);
    if (runId === current) result.kept.push({ runId, why: 'the run doing the pruning' });
    else if (runId === serving) result.kept.push({ runId, why: 'DR serves this run (last-success.json)' });
    else if (stillRunning(dir)) result.kept.push({ runId, why: 'still running, or owned by another host' });
    else {
      rmSync(dir, { recursive: true, force: true });
      result.removed.push(runId);
    }
  }
  return result;
}
