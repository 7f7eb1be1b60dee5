// Step 10: after Hive started on DR, verify the live metastore: the checks of verify-staging on the
// live name (L3 against the stream, L4), per-database table and partition counts equal to the dump
// at T0, and the optional smoke command (L6). L5 (the data, independent of the metastore) ran
// before the swap, in verify-staging.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { whereRuns } from '../config/where.js';
import { VerifyError } from '../errors/errors.js';
import { writeFileAtomic } from '../runbook/ledger.js';
import type { Action, RunInfo, Step, StepContext } from './step.js';
import { rung, type RungResult } from '../verify/ladder.js';
import type { MetastoreInspection } from '../verify/metastore/inspect.js';
import { judgeAgainstStream } from '../verify/metastore/run.js';
import { outputOf, requireOutput, type VerifyLiveOutput } from './outputs.js';
import { dataRungs, inspectDrDatabase } from './verify-staging.js';

export type { VerifyLiveOutput } from './outputs.js';

/** Per-database counts of the live metastore against the staging inspection (the dump at T0). */
function perDatabaseDifferences(live: MetastoreInspection, staged: MetastoreInspection | undefined): string[] {
  if (!staged) return ['verify-staging.json is missing: cannot compare per-database counts with T0'];
  const out: string[] = [];
  for (const name of [...new Set([...Object.keys(staged.databases), ...Object.keys(live.databases)])].sort()) {
    const a = staged.databases[name];
    const b = live.databases[name];
    if (!a || !b) {
      out.push(`database ${name} ${a ? 'missing on the live metastore' : 'not in the dump'}`);
      continue;
    }
    for (const type of [...new Set([...Object.keys(a.tablesByType), ...Object.keys(b.tablesByType)])].sort()) {
      if ((a.tablesByType[type] ?? 0) !== (b.tablesByType[type] ?? 0))
        out.push(`${name}: ${type} ${a.tablesByType[type] ?? 0} at T0, ${b.tablesByType[type] ?? 0} live`);
    }
    if (a.partitions !== b.partitions) out.push(`${name}: ${a.partitions} partitions at T0, ${b.partitions} live`);
    if (a.functions !== b.functions) out.push(`${name}: ${a.functions} functions at T0, ${b.functions} live`);
  }
  return out;
}

export const smokeCommand = (config: ResolvedConfig) =>
  config.verify.smokeCommand ? { file: 'sh', args: ['-c', config.verify.smokeCommand] } : undefined;

export const verifyLive: Step = {
  id: 'verify-live',
  title: 'Verify the live DR metastore (parity, per-database counts, locations, smoke test)',
  destructive: false,
  recovery:
    'Hive is running on the new metastore. Read the differences above (verify-live.json in the run directory). ' +
    "If the metastore is wrong, `hmsdr rollback <run-id>` puts the previous one back; data differences are fixed by the next run's copy.",
  plan(config: ResolvedConfig, _run: RunInfo): Action[] {
    const smoke = smokeCommand(config);
    return [
      {
        kind: 'sql',
        target: 'dr',
        database: config.dr.metastore.database,
        text: 'SELECT count(*) FROM <every table>; per-database TBLS by TBL_TYPE, PARTITIONS, FUNCS',
        description: 'L3 on the live name + counts at T0',
      },
      ...(config.data.paths.length > 0
        ? [
            {
              kind: 'note' as const,
              text: 'L4: every location of the live metastore exists on DR at T1 (one streamed listing per data path)',
            },
          ]
        : []),
      ...(smoke ? [{ kind: 'exec' as const, where: whereRuns(config.dr, 'shell'), command: smoke, description: 'L6 smoke test' }] : []),
    ];
  },
  async probe() {
    return { status: 'todo', reason: 'verification is always run' };
  },
  async run(ctx: StepContext): Promise<VerifyLiveOutput> {
    const { config, adapters, signal, run } = ctx;
    const dump = requireOutput(ctx, 'dump-metastore', 'verify-live');
    const database = config.dr.metastore.database;
    ctx.progress(`inspecting the live ${database}`);
    const live = await inspectDrDatabase(adapters.dr, database, config, signal);
    let staged: MetastoreInspection | undefined;
    try {
      staged = (JSON.parse(readFileSync(join(run.dir, 'verify-staging.json'), 'utf8')) as { inspection: MetastoreInspection }).inspection;
    } catch {
      staged = undefined;
    }
    const parity = judgeAgainstStream(live, dump, config);
    const rungs: RungResult[] = [
      rung(
        'L3',
        'verify-live',
        [...parity.differences, ...perDatabaseDifferences(live, staged)],
        `live ${database}: row counts equal to the stream, per-database tables and partitions equal to T0, no old authority in location columns`,
      ),
    ];
    const copy = outputOf(ctx, 'copy-data');
    if (adapters.hdfs && config.data.paths.length > 0) {
      ctx.progress('checking every live location on DR HDFS');
      rungs.push(...(await dataRungs(ctx, 'verify-live', database, copy, false)));
    }
    const smoke = smokeCommand(config);
    if (smoke) {
      const executor = await adapters.dr.executor('shell', signal);
      const result = await executor.runAnyExit(smoke, { signal, timeoutMs: 300_000, onStderr: (c) => ctx.log.stderr('smoke', c) });
      rungs.push(
        rung(
          'L6',
          'verify-live',
          result.exitCode === 0
            ? []
            : [`smoke command exited ${result.exitCode}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`],
          `smoke command exited 0`,
        ),
      );
    }
    const output: VerifyLiveOutput = { database, rungs, warnings: parity.warnings, perDatabase: live.databases };
    writeFileAtomic(join(run.dir, 'verify-live.json'), JSON.stringify({ ...output, parity, inspection: live }, null, 2) + '\n');
    const failed = rungs.filter((r) => !r.ok);
    if (failed.length > 0)
      throw new VerifyError(
        `${failed.map((r) => r.rung).join(', ')} failed on the live ${database}`,
        failed.flatMap((r) => r.differences ?? []),
      );
    return output;
  },
};
