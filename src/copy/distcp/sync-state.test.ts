import { describe, expect, it } from 'vitest';
import type { HdfsPort } from '../../adapters/hdfs/hdfs.js';
import { commonSnapshot, decideSync, isSafetySnapshot, isSyncSnapshot, pruneSnapshots, type SideState } from './sync-state.js';

const side = (over: Partial<SideState> & { names?: string[] } = {}): SideState => ({
  exists: true,
  snapshottable: true,
  nonEmpty: true,
  snapshots: (over.names ?? []).map((name, i) => ({ name, createdMs: i })),
  ...over,
});
const pair = { source: '/w', target: '/w' };
const opts = { allowSnapshot: true, sourceUri: 'hdfs://prodns/w', targetUri: 'hdfs://drns/w' };
const CURRENT = 'hmsdr-run3';

describe('decideSync', () => {
  it('bootstrap when the target is missing or empty and has no hmsdr snapshot', () => {
    expect(decideSync(pair, side({ snapshottable: false }), side({ exists: false, nonEmpty: false }), CURRENT, opts).kind).toBe(
      'bootstrap',
    );
    expect(decideSync(pair, side({ names: ['hmsdr-run1'] }), side({ nonEmpty: false, snapshottable: false }), CURRENT, opts).kind).toBe(
      'bootstrap',
    );
  });

  it('incremental from the newest target snapshot the source also has (source may have newer ones from a failed run)', () => {
    const decision = decideSync(
      pair,
      side({ names: ['hmsdr-run1', 'hmsdr-run2', 'other', CURRENT] }),
      side({ names: ['hmsdr-run1', 'hmsdr-safety-run2', CURRENT] }),
      CURRENT,
      opts,
    );
    expect(decision).toMatchObject({ kind: 'incremental', previous: 'hmsdr-run1' });
  });

  it('blocked situations name the state and the fix', () => {
    const blocked = (src: SideState, dst: SideState, o = opts) => {
      const d = decideSync(pair, src, dst, CURRENT, o);
      return d.kind === 'blocked' ? `${d.situation} | ${d.fix}` : d.kind;
    };
    expect(blocked(side({ exists: false }), side())).toMatch(/source directory hdfs:\/\/prodns\/w does not exist/);
    expect(blocked(side({ snapshottable: false }), side({ exists: false }), { ...opts, allowSnapshot: false })).toMatch(
      /not snapshottable.*\| as the HDFS superuser run: hdfs dfsadmin -allowSnapshot/,
    );
    expect(blocked(side(), side())).toMatch(/is not empty but has no hmsdr snapshots/);
    expect(blocked(side({ names: ['hmsdr-run1'] }), side())).toMatch(
      /source has hmsdr snapshots \(hmsdr-run1\) but target .* has none and is not empty/,
    );
    expect(blocked(side(), side({ names: ['hmsdr-run1'] }))).toMatch(/has hmsdr snapshots \(hmsdr-run1\) but the source .* has none/);
    expect(blocked(side({ names: ['hmsdr-run1'] }), side({ names: ['hmsdr-run1', 'hmsdr-run2'] }))).toMatch(
      /latest snapshots differ: the target's newest hmsdr snapshot hmsdr-run2/,
    );
    expect(
      blocked(side({ names: [] }), side({ exists: true, nonEmpty: false, snapshottable: false }), { ...opts, allowSnapshot: true }),
    ).toBe('bootstrap');
  });

  it('snapshot name kinds', () => {
    expect([
      isSyncSnapshot('hmsdr-20260101t000000'),
      isSyncSnapshot('hmsdr-safety-x'),
      isSafetySnapshot('hmsdr-safety-x'),
      isSyncSnapshot('s1'),
      isSyncSnapshot('hmsdr-kept-20260101t000000'),
      isSafetySnapshot('hmsdr-kept-20260101t000000-hmsdr-20251231t000000'),
    ]).toEqual([true, false, true, false, false, false]);
  });
});

describe('commonSnapshot (failback)', () => {
  it('the newest target snapshot the source has, and the target’s newer ones the source never received', () => {
    expect(commonSnapshot(['hmsdr-a', 'hmsdr-b'], ['hmsdr-a', 'hmsdr-b', 'hmsdr-c', 'hmsdr-d'])).toEqual({
      common: 'hmsdr-b',
      newer: ['hmsdr-c', 'hmsdr-d'],
    });
    expect(commonSnapshot(['hmsdr-a', 'hmsdr-b'], ['hmsdr-a', 'hmsdr-b'])).toEqual({ common: 'hmsdr-b', newer: [] });
  });

  it('ignores safety and kept snapshots, and says when nothing is shared', () => {
    expect(commonSnapshot(['hmsdr-a', 'hmsdr-safety-x'], ['hmsdr-a', 'hmsdr-safety-x', 'hmsdr-kept-y'])).toEqual({
      common: 'hmsdr-a',
      newer: [],
    });
    expect(commonSnapshot(['hmsdr-z'], ['hmsdr-a', 'hmsdr-b'])).toEqual({ newer: ['hmsdr-a', 'hmsdr-b'] });
  });

  it('a blocked target (newest snapshot missing on the source) is incremental once the failback sets the newer ones aside', () => {
    const src = side({ names: ['hmsdr-run1'] });
    const dst = side({ names: ['hmsdr-run1', 'hmsdr-run2'] });
    expect(decideSync(pair, src, dst, CURRENT, opts).kind).toBe('blocked');
    const { newer } = commonSnapshot(['hmsdr-run1'], ['hmsdr-run1', 'hmsdr-run2']);
    const asRewound = { ...dst, snapshots: dst.snapshots.filter((s) => !newer.includes(s.name)) };
    expect(decideSync(pair, src, asRewound, CURRENT, opts)).toMatchObject({ kind: 'incremental', previous: 'hmsdr-run1' });
  });
});

describe('pruneSnapshots', () => {
  it('never deletes kept snapshots (the failback’s unreplicated writes)', async () => {
    let names = ['hmsdr-kept-r0', 'hmsdr-r1', 'hmsdr-r2', 'hmsdr-r3', 'hmsdr-kept-r0-hmsdr-r9'];
    const port = {
      listSnapshots: async () => names.map((name, i) => ({ name, createdMs: i })),
      deleteSnapshot: async (_dir: string, name: string) => {
        names = names.filter((n) => n !== name);
      },
    } as Partial<HdfsPort> as HdfsPort;
    expect(await pruneSnapshots(port, '/w', 1, [])).toEqual(['hmsdr-r1', 'hmsdr-r2']);
    expect(names).toEqual(['hmsdr-kept-r0', 'hmsdr-r3', 'hmsdr-kept-r0-hmsdr-r9']);
  });
});
