// The outcome rules of a run (docs/reports.md): which step stopped it, the outcome and its exit code
// (the table of src/errors/exit-codes.ts), the headline and what to do next.
import { ExitCode } from '../errors/exit-codes.js';
import { formatDuration } from '../util/format.js';
import type { FailureSummary, Outcome, RungSummary, RunSummary, StepSummary } from './model.js';

/** The exit code each outcome maps to. */
export const OUTCOME_EXIT_CODES: Readonly<Record<Outcome, ExitCode>> = {
  ok: ExitCode.OK,
  'failed-step': ExitCode.STEP_FAILED,
  blocked: ExitCode.PRECONDITION,
  'verification-failed': ExitCode.VERIFY_FAILED,
  incomplete: ExitCode.INCOMPLETE,
  interrupted: ExitCode.INTERRUPTED,
};

export function findFailure(steps: StepSummary[]): FailureSummary | null {
  const s =
    steps.find((x) => x.status === 'failed' || x.status === 'interrupted' || x.blocked) ??
    steps.find((x) => x.status === 'running' && x.id !== 'report');
  if (!s) return null;
  const error =
    s.error ??
    (s.status === 'interrupted'
      ? { code: 'E_INTERRUPTED', message: `interrupted during ${s.id}` }
      : s.status === 'running'
        ? { code: 'E_INCOMPLETE', message: `${s.id} was still running when the run's process stopped (killed or crashed)` }
        : { code: 'E_UNKNOWN', message: `${s.id} ${s.status}` });
  return {
    step: s.id,
    status: s.status,
    code: error.code,
    message: error.message,
    hint: error.hint ?? null,
    stderrTail: error.stderrTail ?? null,
  };
}

/**
 * Outcome, most serious first: interrupted › verification-failed (a step failed with E_VERIFY, or a
 * rung L1–L6 recorded a failure) › failed-step › blocked (a precondition stopped a step before it changed
 * anything) › incomplete (steps still pending or running) › ok. The `report` step counts as done
 * while it is the one writing the report.
 */
export function decideOutcome(steps: StepSummary[], ladder: RungSummary[]): Outcome {
  if (steps.some((s) => s.status === 'interrupted')) return 'interrupted';
  // L0 is preflight: its failure is a precondition (blocked / failed step), not a verification result.
  if (
    steps.some((s) => s.status === 'failed' && s.error?.code === 'E_VERIFY') ||
    ladder.some((r) => r.rung !== 'L0' && r.status === 'failed')
  )
    return 'verification-failed';
  if (steps.some((s) => s.status === 'failed')) return 'failed-step';
  if (steps.some((s) => s.blocked)) return 'blocked';
  const open = steps.filter((s) => s.status !== 'done' && s.status !== 'skipped');
  const last = steps.at(-1);
  const onlyReportOpen = open.length === 1 && open[0]?.id === 'report' && last?.id === 'report';
  if (open.length > 0 && !onlyReportOpen) return 'incomplete';
  return 'ok';
}

export function headlineOf(s: RunSummary): string {
  const passed = s.ladder.filter((r) => r.status === 'passed').map((r) => r.rung);
  const f = s.failure;
  switch (s.outcome) {
    case 'ok':
      return `Run ${s.runId} completed: every step done${passed.length > 0 ? `, rungs ${passed.join(' ')} passed` : ''}; RPO ${formatDuration(s.rpo.rpoMs)}, RTO ${s.rto.reached ? formatDuration(s.rto.rtoMs) : 'not reached'}.`;
    case 'verification-failed': {
      const failed = s.ladder.filter((r) => r.status === 'failed').map((r) => r.rung);
      return `Run ${s.runId}: verification failed${failed.length > 0 ? ` (${failed.join(', ')})` : ''}${f ? ` at ${f.step}` : ''}; the result is not trusted.`;
    }
    case 'failed-step':
      return `Run ${s.runId} failed at ${f?.step ?? '?'}: ${f?.message ?? 'no message recorded'}`;
    case 'blocked':
      return `Run ${s.runId} was blocked at ${f?.step ?? '?'} before changing anything there: ${f?.message ?? ''}`;
    case 'interrupted':
      return `Run ${s.runId} was interrupted during ${f?.step ?? '?'}.`;
    case 'incomplete': {
      const open = s.steps.filter((x) => x.status !== 'done' && x.status !== 'skipped' && x.id !== 'report').map((x) => x.id);
      return `Run ${s.runId} is incomplete: ${open.length} step(s) not done (${open.join(', ')}).`;
    }
  }
}

const STOP_WORD: Record<Outcome, string> = {
  ok: '',
  'verification-failed': '',
  blocked: 'Blocked',
  interrupted: 'Interrupted',
  incomplete: 'Stopped',
  'failed-step': 'Failed',
};

export function nextSteps(s: RunSummary): string[] {
  const out: string[] = [];
  const f = s.failure;
  const swapped = s.steps.find((x) => x.id === 'swap-metastore')?.status === 'done';
  switch (s.outcome) {
    case 'ok':
      out.push("Nothing to do: DR serves this run's metastore" + (s.rpo.t0 ? ` as of T0 ${s.rpo.t0}` : '') + '.');
      if (s.metastore?.previousDatabase)
        out.push(`The previous DR metastore is kept as ${s.metastore.previousDatabase}; \`${s.rollbackCommand}\` puts it back.`);
      break;
    case 'verification-failed': {
      const failed = s.ladder.filter((r) => r.status === 'failed');
      out.push(
        `Read the differences of ${failed.map((r) => `${r.rung} (${r.name})`).join(', ') || 'the failing step'} below: the result of this run is not trusted.`,
      );
      if (f?.hint) out.push(f.hint);
      out.push(
        swapped
          ? `The new metastore is already live on DR: if it is wrong, stop Hive and run \`${s.rollbackCommand}\`.`
          : 'Nothing live changed on DR: the staging database is kept for inspection. Fix the cause and start a new run.',
      );
      break;
    }
    case 'failed-step':
    case 'blocked':
    case 'interrupted':
    case 'incomplete':
      if (f) {
        out.push(`${STOP_WORD[s.outcome]} at ${f.step} (${f.code}): ${f.message}`);
        if (f.hint) out.push(f.hint);
      }
      if (swapped && s.outcome !== 'incomplete')
        out.push(`The new metastore is already live on DR; \`${s.rollbackCommand}\` puts the previous one back if needed.`);
      out.push(`Continue the run with: \`${s.resumeCommand}\``);
      break;
  }
  return out;
}
