// Timestamps on log lines that land in a file (cron mail, journald, CI logs): when stdout is not a
// terminal, each line of the step list starts with an ISO-8601 UTC time; a terminal stays clean.

/** A listr2 logger field (`rendererOptions.timestamp` of the simple renderer): the current ISO time. */
export const ISO_TIMESTAMP = {
  condition: true,
  field: (): string => new Date().toISOString(),
  format: () => (text?: string) => text ?? '',
} as const;
