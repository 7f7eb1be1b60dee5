// Whether a side's target can fit on this machine's cores, from its measured CPU split: a target of
// r× the hand-run's time gives `cores × r × hand` CPU-seconds with no core ever idle. The servers'
// share (the source's COPY out, the DR server's load, indexes and key checks, which the hand-run's
// servers do too, and verification's queries) is what any client leaves; what the target leaves
// above it is all that hmsdr, sshd and the helpers may use. So the line says, from measurements,
// how much would have to go.
import type { CpuSplit } from './bench-cpu-split.js';

export interface CpuBudget {
  /** The target's wall time: ratio × the hand-run's. */
  targetWallMs: number;
  /** CPU-seconds the cores give in that time, none idle. */
  budget: number;
  /** CPU-seconds of the groups named as servers, and of every other group. */
  servers: number;
  rest: number;
  /** The side's use of the cores in its own run (0–1). */
  use: number;
  /** CPU-seconds over the budget with no core idle, and at the run's own use of the cores (negative: under). */
  overAtFullUse: number;
  overAtRunUse: number;
}

export function cpuBudget(split: CpuSplit, handMs: number, ratio: number, cores: number, serverGroups: readonly string[]): CpuBudget {
  const entries = Object.entries(split.cpuSeconds);
  const total = entries.reduce((sum, [, s]) => sum + s, 0);
  const servers = entries.filter(([group]) => serverGroups.includes(group)).reduce((sum, [, s]) => sum + s, 0);
  const targetWallMs = ratio * handMs;
  const budget = (cores * targetWallMs) / 1000;
  const use = split.wallMs > 0 ? total / ((cores * split.wallMs) / 1000) : 0;
  return { targetWallMs, budget, servers, rest: total - servers, use, overAtFullUse: total - budget, overAtRunUse: total - use * budget };
}

/**
 * One line, e.g. `≤ 0.50× = 11.6 s: 23.2 CPU-s on 2 cores, none idle; servers 21.2, the rest 5.8:
 * 3.8 CPU-s too many with no core idle, 6.7 CPU-s too many at this run's 87 %`.
 */
export function formatCpuBudget(split: CpuSplit, handMs: number, ratio: number, cores: number, serverGroups: readonly string[]): string {
  const b = cpuBudget(split, handMs, ratio, cores, serverGroups);
  const cpu = (s: number): string => s.toFixed(1);
  const verdict = (over: number, when: string): string =>
    over > 0 ? `${cpu(over)} CPU-s too many ${when}` : `fits ${when} (${cpu(-over)} CPU-s to spare)`;
  const pct = Math.round(100 * b.use);
  return (
    `≤ ${ratio.toFixed(2)}× = ${(b.targetWallMs / 1000).toFixed(1)} s: ${cpu(b.budget)} CPU-s on ${cores} cores, none idle; ` +
    `servers ${cpu(b.servers)}, the rest ${cpu(b.rest)}: ` +
    `${verdict(b.overAtFullUse, 'with no core idle')}, ${verdict(b.overAtRunUse, `at this run's ${pct} %`)}`
  );
}
