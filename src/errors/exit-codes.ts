// The one exit-code table of hmsdr (DESIGN.md). Only src/cli/main.ts turns errors into these.
export const ExitCode = {
  OK: 0,
  STEP_FAILED: 1,
  USAGE: 2,
  CONFIG: 3,
  PRECONDITION: 4,
  VERIFY_FAILED: 5,
  LOCKED: 6,
  INCOMPLETE: 7,
  INTERNAL: 70,
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Rendered in `hmsdr --help` and docs/exit-codes.md. */
export const EXIT_CODE_TABLE: ReadonlyArray<readonly [ExitCode, string, string]> = [
  [0, 'OK', 'all steps done (or already done), the plan was printed, or all checks held'],
  [1, 'STEP_FAILED', 'a step failed; the run directory says where; `hmsdr resume <run-id>` continues'],
  [2, 'USAGE', 'bad flags or arguments'],
  [3, 'CONFIG', 'configuration invalid; every problem is listed with its line'],
  [4, 'PRECONDITION', 'preflight or a probe is blocked; nothing was changed'],
  [5, 'VERIFY_FAILED', 'verification found differences; the result is not trusted'],
  [6, 'LOCKED', 'another run holds the lock on this DR target'],
  [7, 'INCOMPLETE', '`status` only: the run has pending, failed or interrupted steps'],
  [70, 'INTERNAL', 'a bug in hmsdr; please report it with the run directory'],
  [130, 'INTERRUPTED', 'interrupted (Ctrl-C / SIGINT / SIGTERM); the step is marked interrupted'],
];
