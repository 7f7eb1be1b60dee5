// The run's audit trail: events.ndjson (pino, one JSON object per line, secrets redacted) and the
// captured stderr of child processes under stderr/<step>.<program>.log.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { redact } from '../util/secrets.js';
import type { EventLog } from './step.js';

export interface RunEventLog extends EventLog {
  /** The same log with `step` set on every event and stderr going to stderr/<step>.<program>.log. */
  forStep(stepId: string): EventLog;
  close(): void;
}

export function openEventLog(runDir: string): RunEventLog {
  // Private whatever the umask: the log and captured stderr may quote the metastore.
  mkdirSync(join(runDir, 'stderr'), { recursive: true, mode: 0o700 });
  const destination = pino.destination({ dest: join(runDir, 'events.ndjson'), append: true, sync: true, mkdir: true, mode: 0o600 });
  const logger = pino(
    {
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'event',
      formatters: { level: (label) => ({ level: label }) },
      // The last line of defence: whatever a field holds, no registered secret is written.
      hooks: { streamWrite: (line: string) => redact(line) },
    },
    destination,
  );
  const make = (bound: pino.Logger, stepId: string | undefined): EventLog => ({
    info: (event, fields) => bound.info(fields ?? {}, event),
    warn: (event, fields) => bound.warn(fields ?? {}, event),
    error: (event, fields) => bound.error(fields ?? {}, event),
    // Raw bytes of each child's stderr, one file per step and program (pg_dump, psql, distcp, ...).
    stderr: (source, chunk) => appendFileSync(join(runDir, 'stderr', `${stepId ?? 'run'}.${source}.log`), redact(chunk), { mode: 0o600 }),
  });
  return {
    ...make(logger, undefined),
    forStep: (stepId) => make(logger.child({ step: stepId }), stepId),
    close: () => destination.flushSync(),
  };
}
