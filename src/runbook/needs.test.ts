import { describe, expect, it } from 'vitest';
import type { RunState, StepRecord } from './ledger.js';
import { blockingSkip, dependentsOf, needsOf, rerunSet } from './needs.js';

const order = ['preflight', 'dump', 'snapshot', 'copy', 'restore', 'verify', 'stop', 'swap', 'start'];
const needs = needsOf([
  { id: 'copy', needs: ['snapshot'] },
  { id: 'restore', needs: ['dump'] },
  { id: 'verify', needs: ['restore', 'copy'] },
  { id: 'swap', needs: ['restore'] },
  { id: 'start' },
]);
const destructive = new Set(['copy', 'stop', 'swap']);
const run = (statuses: Record<string, StepRecord['status']>): Pick<RunState, 'runId' | 'order' | 'steps' | 'needs'> => ({
  runId: 'r1',
  order,
  needs,
  steps: Object.fromEntries(order.map((id) => [id, { status: statuses[id] ?? 'pending', attempts: 1 }])),
});

describe('step needs', () => {
  it('dependents are transitive and in runbook order', () => {
    expect(dependentsOf(needs, order, 'snapshot')).toEqual(['copy', 'verify']);
    expect(dependentsOf(needs, order, 'dump')).toEqual(['restore', 'verify', 'swap']);
    expect(dependentsOf(needs, order, 'start')).toEqual([]);
  });

  it('a skipped step blocks only while a step that needs it is unfinished', () => {
    expect(blockingSkip(run({ preflight: 'done', dump: 'done', snapshot: 'skipped' }))).toBe('snapshot');
    expect(blockingSkip(run({ preflight: 'skipped', dump: 'done' }))).toBeUndefined();
    expect(blockingSkip({ ...run({ snapshot: 'skipped' }), needs: undefined })).toBeUndefined(); // older ledgers
  });

  it('--rerun resets the step and what needs it; refused once the DR side changed after it', () => {
    expect(rerunSet(run({ preflight: 'done', dump: 'done', snapshot: 'skipped' }), needs, destructive, 'snapshot')).toEqual([
      'snapshot',
      'copy',
      'verify',
    ]);
    expect(() => rerunSet(run({ snapshot: 'done', copy: 'done' }), needs, destructive, 'snapshot')).toThrow(
      /copy already changed the DR side/,
    );
    expect(() => rerunSet(run({ copy: 'failed' }), needs, destructive, 'copy')).toThrow(/a plain resume runs it/);
    expect(() => rerunSet(run({}), needs, destructive, 'nope')).toThrow(/has no step nope/);
  });
});
