// The verification ladder of DESIGN.md: each rung records whether it ran, passed, and why.
export type Rung = 'L0' | 'L1' | 'L2' | 'L3' | 'L4' | 'L5' | 'L6';

export const RUNG_TITLES: Record<Rung, string> = {
  L0: 'preflight',
  L1: 'stream integrity',
  L2: 'restore integrity',
  L3: 'metadata parity',
  L4: 'data presence',
  L5: 'file equivalence',
  L6: 'smoke test',
};

export interface RungResult {
  rung: Rung;
  ok: boolean;
  /** Where it was checked (step id). */
  by: string;
  detail: string;
  differences?: string[];
}

export function rung(rung: Rung, by: string, differences: string[], okDetail: string): RungResult {
  return differences.length === 0
    ? { rung, ok: true, by, detail: okDetail }
    : { rung, ok: false, by, detail: `${differences.length} difference(s)`, differences };
}
