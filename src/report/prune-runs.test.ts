// retention.runs on real directories: the newest N stay, and so do the run DR serves, a running
// run (its owner alive here, or another host's), and the run that prunes.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { writeLastSuccess, type LastSuccess } from './freshness.js';
import { pruneRuns } from './prune-runs.js';

let runsDir: string;
beforeEach(() => {
  runsDir = mkdtempSync(join(tmpdir(), 'hmsdr-prune-'));
});
afterEach(() => rmSync(runsDir, { recursive: true, force: true }));

const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

function run(runId: string, state: { finished?: boolean; pid?: number; host?: string } = {}): void {
  mkdirSync(join(runsDir, runId), { recursive: true });
  writeFileSync(
    join(runsDir, runId, 'state.json'),
    JSON.stringify({
      runId,
      host: state.host ?? hostname(),
      pid: state.pid ?? deadPid(),
      ...(state.finished === false ? {} : { finishedAt: '2026-12-01T03:00:00Z' }),
    }),
  );
}

it('keeps the newest N and the protected runs; removes the rest; keeps everything without retention.runs', () => {
  run('20261101t030000'); // old, finished: removed
  run('20261102t030000'); // DR serves it: kept
  run('20261103t030000', { finished: false, pid: process.pid }); // running here: kept
  run('20261104t030000', { finished: false, host: 'edge2.example' }); // another host's, no end: kept
  run('20261105t030000', { finished: false }); // crashed here (owner dead): removed
  run('20261106t030000');
  run('20261107t030000');
  writeLastSuccess(runsDir, { version: 1, runId: '20261102t030000', succeededAt: '2026-11-02T03:10:00Z' } as LastSuccess);

  expect(pruneRuns(runsDir, undefined, '20261107t030000')).toEqual({ removed: [], kept: [] });
  expect(existsSync(join(runsDir, '20261101t030000'))).toBe(true);

  const result = pruneRuns(runsDir, 2, '20261107t030000');
  expect(result.removed.sort()).toEqual(['20261101t030000', '20261105t030000']);
  expect(result.kept).toEqual([
    { runId: '20261104t030000', why: 'still running, or owned by another host' },
    { runId: '20261103t030000', why: 'still running, or owned by another host' },
    { runId: '20261102t030000', why: 'DR serves this run (last-success.json)' },
  ]);
  for (const id of ['20261107t030000', '20261106t030000', '20261104t030000', '20261103t030000', '20261102t030000'])
    expect(existsSync(join(runsDir, id))).toBe(true);
  expect(existsSync(join(runsDir, '20261101t030000'))).toBe(false);
  expect(existsSync(join(runsDir, '20261105t030000'))).toBe(false);
});

it('prunes nothing when last-success.json cannot be read (what DR serves is unknown)', () => {
  run('20261101t030000');
  run('20261102t030000');
  writeFileSync(join(runsDir, 'last-success.json'), '{ broken');
  expect(pruneRuns(runsDir, 1, '20261102t030000').removed).toEqual([]);
  expect(existsSync(join(runsDir, '20261101t030000'))).toBe(true);
});

it('never removes the run doing the pruning, even past N', () => {
  run('20261101t030000');
  run('20261102t030000');
  expect(pruneRuns(runsDir, 1, '20261101t030000')).toEqual({
    removed: [],
    kept: [{ runId: '20261101t030000', why: 'the run doing the pruning' }],
  });
});
