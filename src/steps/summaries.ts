// One or two lines per step for the terminal, after the step ran: what it did, in figures
// (rewrites, bytes staged, files copied, rows restored). Read from the output the step recorded.
import { formatBytes, formatDuration } from '../util/format.js';
import { STEP_OUTPUT_SCHEMAS, isStepId } from './outputs.js';
import type { StepOutput } from './step.js';
import { ONE_SHOT } from '../util/one-shot-parse.js';

const n = (value: number): string => value.toLocaleString('en-US');
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
const rungs = (list: Array<{ rung: string; ok: boolean; skipped?: boolean | undefined }>): string =>
  list.map((r) => `${r.rung} ${r.skipped ? '↓' : r.ok ? '✔' : '✖'}`).join(' ');

type Summarizers = { [K in keyof typeof STEP_OUTPUT_SCHEMAS]?: (o: import('zod').infer<(typeof STEP_OUTPUT_SCHEMAS)[K]>) => string };

const SUMMARIZERS: Summarizers = {
  preflight: (o) => {
    const count = (status: string) => o.checks.filter((c) => c.status === status).length;
    return `${count('pass')} checks passed, ${count('warn')} warned, ${count('fail')} failed`;
  },
  'dump-metastore': (o) => {
    const rewrites = sum(Object.values(o.rewritesPerColumn));
    const rows = sum(Object.values(o.rowsPerTable));
    return `T0 ${o.t0}: ${n(rows)} rows, ${formatBytes(o.bytesOut)} ${o.transfer === 'parallel' ? 'streamed' : 'staged'}; ${n(rewrites)} values rewritten in ${Object.keys(o.rewritesPerColumn).length} columns`;
  },
  'snapshot-source': (o) =>
    `snapshot ${o.snapshot} on ${o.paths.length} path(s): ${o.paths.filter((p) => p.mode === 'incremental').length} incremental, ${o.paths.filter((p) => p.mode === 'bootstrap').length} bootstrap`,
  'copy-data': (o) =>
    `${n(sum(o.paths.map((p) => p.filesCopied)))} files, ${formatBytes(sum(o.paths.map((p) => p.bytesCopied)))} copied (${formatBytes(sum(o.paths.map((p) => p.bytesSkipped)))} already equal) on ${o.paths.length} path(s)`,
  'restore-staging': (o) => `restored into ${o.database} in ${formatDuration(o.durationMs)}`,
  'verify-staging': (o) => `${n(o.tables)} tables, ${n(o.rows)} rows in ${o.database}; ${rungs(o.rungs)}`,
  'stop-hive': (o) =>
    `${o.actions.length} service(s) stopped via ${o.controller}${o.sessionsLeft !== undefined ? `; ${o.sessionsLeft} session(s) left` : ''}`,
  'swap-metastore': (o) =>
    `${o.live} now serves this run${o.previous ? `; the previous one is kept as ${o.previous}` : ''}${o.terminatedSessions > 0 ? `; ${o.terminatedSessions} session(s) terminated` : ''}`,
  'start-hive': (o) => `${o.actions.length} service(s) started via ${o.controller}`,
  'verify-live': (o) => `${Object.keys(o.perDatabase).length} Hive database(s) live; ${rungs(o.rungs)}`,
  'rollback-metastore': (o) =>
    `${o.live} is the metastore from before run ${o.rolledBack} again; that run's restore is now ${o.restoredMovedTo}`,
};

/** The line shown under a step once it is done; undefined when there is nothing to say or the output is not the expected shape. */
export function summarizeOutput(id: string, output: StepOutput): string | undefined {
  if (!isStepId(id)) return undefined;
  const summarize = SUMMARIZERS[id] as ((o: unknown) => string) | undefined;
  if (!summarize) return undefined;
  const parsed = STEP_OUTPUT_SCHEMAS[id].safeParse(output, ONE_SHOT);
  if (!parsed.success) return undefined;
  try {
    return summarize(parsed.data);
  } catch {
    return undefined;
  }
}
