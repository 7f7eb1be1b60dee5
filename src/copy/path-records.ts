// What each path's copy did, appended to the run directory as soon as the path is whole (its T1
// snapshot taken on the target): a resumed attempt that finds the path already done reports these
// figures instead of "already-done, 0 files", so the report, the history and the metrics count what
// the run copied, whichever attempt copied it.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PathCopyResult } from './engine.js';

export const COPIED_PATHS_FILE = 'copied-paths.ndjson';

/** Append `result` (0600); a warning, never an error, when the run directory cannot take it. */
export function recordPathCopy(
  runDir: string,
  result: PathCopyResult,
  warn: (event: string, fields: Record<string, unknown>) => void,
): void {
  try {
    appendFileSync(join(runDir, COPIED_PATHS_FILE), `${JSON.stringify({ ...result, pruned: { source: [], target: [] } })}\n`, {
      mode: 0o600,
    });
  } catch (error) {
    warn('copied-path-not-recorded', { target: result.target, message: (error as Error).message });
  }
}

/** The last recorded copy of `target` to `snapshot` in this run, if an earlier attempt made one. */
export function recordedPathCopy(runDir: string, target: string, snapshot: string): PathCopyResult | undefined {
  let text: string;
  try {
    text = readFileSync(join(runDir, COPIED_PATHS_FILE), 'utf8');
  } catch {
    return undefined;
  }
  let found: PathCopyResult | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const r = JSON.parse(line) as PathCopyResult;
      if (r.target === target && r.snapshot === snapshot && r.mode !== 'already-done') found = r;
    } catch {
      // a line cut short by a kill: the ones before it still count
    }
  }
  return found;
}
