import { describe, expect, it } from 'vitest';
import { decideSync, isSafetySnapshot, isSyncSnapshot, type SideState } from './sync-state.js';

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
    ]).toEqual([true, false, true, false]);
  });
});
