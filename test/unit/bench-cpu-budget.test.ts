// The pipeline bench's budget line: what a target leaves on the cores after the servers' CPU.
import { describe, expect, it } from 'vitest';
import { cpuBudget, formatCpuBudget } from '../../scripts/bench-cpu-budget.js';

const SERVERS = ['source server', 'DR server'];
// The parallel side's median run of 2026-12-05 17:12 (15.4 s; the hand-run's median 23.2 s).
const parallel = {
  wallMs: 15_442,
  cpuSeconds: { 'DR server': 18.39, hmsdr: 4.75, 'source server': 2.82, sshd: 0.99, pg_dump: 0.04 },
};

describe('cpuBudget', () => {
  it("gives the cores × target time, the servers apart, and what is over with none idle and at the run's own use", () => {
    const b = cpuBudget(parallel, 23_233, 0.5, 2, SERVERS);
    expect(b.targetWallMs).toBeCloseTo(11_616.5, 6);
    expect(b.budget).toBeCloseTo(23.233, 6);
    expect(b.servers).toBeCloseTo(21.21, 6);
    expect(b.rest).toBeCloseTo(5.78, 6);
    expect(b.use).toBeCloseTo(26.99 / 30.884, 6);
    expect(b.overAtFullUse).toBeCloseTo(26.99 - 23.233, 6);
    expect(b.overAtRunUse).toBeCloseTo(26.99 - (26.99 / 30.884) * 23.233, 6);
  });

  it('counts only the named groups as servers', () => {
    expect(cpuBudget(parallel, 23_233, 0.5, 2, ['DR server']).servers).toBeCloseTo(18.39, 6);
    expect(cpuBudget(parallel, 23_233, 0.5, 2, []).rest).toBeCloseTo(26.99, 6);
  });
});

describe('formatCpuBudget', () => {
  it('says how many CPU-seconds are too many for a target that does not fit', () => {
    expect(formatCpuBudget(parallel, 23_233, 0.5, 2, SERVERS)).toBe(
      "≤ 0.50× = 11.6 s: 23.2 CPU-s on 2 cores, none idle; servers 21.2, the rest 5.8: 3.8 CPU-s too many with no core idle, 6.7 CPU-s too many at this run's 87 %",
    );
  });

  it('says what is to spare for a target that fits', () => {
    const quick = { wallMs: 10_000, cpuSeconds: { 'DR server': 8, hmsdr: 2 } };
    expect(formatCpuBudget(quick, 20_000, 0.7, 2, SERVERS)).toBe(
      "≤ 0.70× = 14.0 s: 28.0 CPU-s on 2 cores, none idle; servers 8.0, the rest 2.0: fits with no core idle (18.0 CPU-s to spare), fits at this run's 50 % (4.0 CPU-s to spare)",
    );
  });
});
