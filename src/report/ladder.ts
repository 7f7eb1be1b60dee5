// The verification ladder section: every rung L0–L6 with the checks steps recorded (`rungs` of their
// outputs), L0 from preflight's checks when no step recorded it, and why a rung was not checked.
import type { StepFacts, StepOutputs } from '../steps/outputs.js';
import { RUNG_TITLES, type Rung } from '../verify/ladder.js';
import type { RungCheck, RungStatus, RungSummary, StepSummary } from './model.js';

export const RUNGS: readonly Rung[] = ['L0', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6'];

type Check = { rung: Rung } & RungCheck;

function rungChecks(facts: StepFacts): Check[] {
  return (facts.rungs ?? []).map((item) => ({
    rung: item.rung,
    by: item.by,
    ok: item.ok,
    skipped: item.skipped === true || item.status === 'skipped',
    detail: item.detail,
    differences: item.differences ?? [],
  }));
}

/** L0 from preflight's checks when no step recorded an L0 rung itself. */
function preflightRung(output: StepOutputs['preflight'] | undefined, record: StepSummary | undefined): RungCheck | undefined {
  const checks = output?.checks ?? [];
  if (checks.length > 0) {
    const count = (status: string): number => checks.filter((c) => c.status === status).length;
    const failed = checks.filter((c) => c.status === 'fail');
    return {
      by: 'preflight',
      ok: failed.length === 0,
      skipped: false,
      detail: `${checks.length} checks: ${count('pass')} pass, ${count('warn')} warn, ${count('fail')} fail`,
      differences: failed.map((c) => `${c.title}: ${c.detail}`),
    };
  }
  if (record && (record.status === 'failed' || record.blocked) && record.error) {
    return { by: 'preflight', ok: false, skipped: false, detail: record.error.message, differences: [record.error.message] };
  }
  if (record?.status === 'done')
    return { by: 'preflight', ok: true, skipped: false, detail: record.reason ?? 'preflight passed', differences: [] };
  if (record?.status === 'skipped')
    return { by: 'preflight', ok: false, skipped: true, detail: 'skipped by the operator', differences: [] };
  return undefined;
}

function rungSummary(rung: Rung, all: Check[], stoppedAt: StepSummary | undefined): RungSummary {
  const checks = all.filter((c) => c.rung === rung).map(({ rung: _r, ...c }) => c);
  const ran = checks.filter((c) => !c.skipped);
  const failed = ran.filter((c) => !c.ok);
  const status: RungStatus = ran.length === 0 ? (checks.length > 0 ? 'skipped' : 'not-run') : failed.length > 0 ? 'failed' : 'passed';
  const detail =
    status === 'not-run'
      ? stoppedAt
        ? `not checked: the run stopped at ${stoppedAt.id}`
        : 'not checked in this run'
      : checks.map((c) => (checks.length > 1 ? `${c.by}: ${c.detail}` : c.detail)).join('; ');
  return {
    rung,
    name: RUNG_TITLES[rung],
    status,
    ran: ran.length > 0,
    passed: status === 'passed',
    by: [...new Set(checks.map((c) => c.by))],
    detail,
    differences: checks.flatMap((c) => c.differences),
    checks,
  };
}

export function buildLadder(
  order: readonly string[],
  factsOf: (stepId: string) => StepFacts,
  preflight: StepOutputs['preflight'] | undefined,
  steps: StepSummary[],
): RungSummary[] {
  const all: Check[] = order.flatMap((id) => rungChecks(factsOf(id)));
  if (!all.some((c) => c.rung === 'L0')) {
    const l0 = preflightRung(
      preflight,
      steps.find((s) => s.id === 'preflight'),
    );
    if (l0) all.unshift({ rung: 'L0', ...l0 });
  }
  const stoppedAt = steps.find(
    (s) => s.status === 'failed' || s.status === 'interrupted' || s.blocked || (s.status === 'running' && s.id !== 'report'),
  );
  return RUNGS.map((rung) => rungSummary(rung, all, stoppedAt));
}
