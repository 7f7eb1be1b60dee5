import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { releaseRunId, reserveRunId } from '../runbook/ledger.js';
import {
  isRunId,
  isStagedDumpName,
  isSyncSnapshot,
  newRunId,
  nextRunId,
  previousDatabase,
  previousRunId,
  stagedDumpName,
  stagingDatabase,
  stagingRunId,
  syncSnapshotName,
} from './run-names.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('run ids', () => {
  it('are the UTC second, and the next one rolls over minutes, days and years', () => {
    expect(newRunId(new Date('2026-11-21T05:30:12.345Z'))).toBe('20261121t053012');
    expect(nextRunId('20261231t235959')).toBe('20270101t000000');
    expect([isRunId('20261121t053012'), isRunId('20261121t05301'), isRunId('x20261121t053012')]).toEqual([true, false, false]);
  });

  it('two runs started in the same second get different ids (the directory is the reservation)', () => {
    const runsDir = mkdtempSync(join(tmpdir(), 'hmsdr-runids-'));
    dirs.push(runsDir);
    const now = new Date('2026-11-21T05:30:12.100Z');
    const ids = [reserveRunId(runsDir, now), reserveRunId(runsDir, new Date('2026-11-21T05:30:12.900Z')), reserveRunId(runsDir, now)];
    expect(ids).toEqual(['20261121t053012', '20261121t053013', '20261121t053014']);
    expect(readdirSync(runsDir).sort()).toEqual(ids);
    releaseRunId(runsDir, ids[1]!);
    expect(readdirSync(runsDir).sort()).toEqual([ids[0], ids[2]]);
  });
});

describe('names derived from a run id, and their matchers', () => {
  it('recognise what the builders make (ids of every hmsdr version so far)', () => {
    const id = '20261121t053012';
    expect(stagingRunId('hive', stagingDatabase('hive', id))).toBe(id);
    expect(stagingRunId('hive', previousDatabase('hive', id))).toBeUndefined();
    expect(previousRunId('hive', previousDatabase('hive', id))).toBe(id);
    expect(stagingRunId('hive', 'hive_hmsdr_manual')).toBeUndefined();
    expect(stagingRunId('hive', 'hive2_hmsdr_20261121t053012')).toBeUndefined();
    expect(isStagedDumpName(stagedDumpName(id))).toBe(true);
    expect(isStagedDumpName(`${stagedDumpName(id)}.part`)).toBe(false);
    expect(isSyncSnapshot(syncSnapshotName(id))).toBe(true);
  });
});
