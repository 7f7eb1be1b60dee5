// `run`, `rehearse`, `resume`, `status`, `plan`: the runbook engine's commands.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { ExitStatus, PreconditionError, UsageError } from '../../errors/errors.js';
import { ExitCode } from '../../errors/exit-codes.js';
import { Ledger, listRuns, type RunMode } from '../../runbook/ledger.js';
import { isAlive, lockPath, readLockHolder } from '../../runbook/lock.js';
import { dryRun } from '../../report/plan/dry-run.js';
import type { EngineOptions } from '../../runbook/runner.js';
import { runWithRetries, type RetryPolicy } from '../../runbook/retry.js';
import { parseDuration } from '../../util/duration.js';
import { formatDuration } from '../../util/format.js';
import { describeRun, formatRunStatus } from '../../runbook/status.js';
import { titlesOf } from '../../report/model.js';
import { formatRunEnd } from '../../report/terminal.js';
import { writeReports } from '../../report/write.js';
import { monitorRunEnd, notifyRunStart } from '../../report/notify-run.js';
import type { CliDeps } from '../deps.js';
import { HEADINGS } from './headings.js';
import { printStepPlan } from './step-plan.js';
import { isInteractiveTerminal, readConfig, readConfigWithoutSecrets, withConfig, withJson, type ConfigArgs } from '../options.js';
import { runDirectory } from '../../names/run-names.js';
import type { FailoverOptions } from '../../steps/failover-check.js';

/** A failover's options, as its ledger's subject records them. */
function failoverOptionsOf(subject: string | undefined): FailoverOptions {
  const parsed = subject ? (JSON.parse(subject) as Partial<FailoverOptions>) : {};
  return { acceptNotSafe: parsed.acceptNotSafe === true, swapStaging: parsed.swapStaging, manifest: parsed.manifest };
}

export interface RunArgs extends ConfigArgs {
  yes: boolean;
  json: boolean;
}

export function engineOptions(deps: CliDeps, args: RunArgs, mode: RunMode, extra: Partial<EngineOptions> = {}): EngineOptions {
  const config = readConfig(args);
  const interactive = mode !== 'rehearse' && !args.yes && isInteractiveTerminal();
  return {
    config,
    steps: deps.runbook(config),
    adapters: (run) => deps.createAdapters(config, run),
    ...(deps.holdDrLock ? { drLock: (runId: string) => deps.holdDrLock!(config, runId) } : {}),
    mode,
    interactive,
    yes: args.yes,
    renderer: args.json ? 'silent' : process.stdout.isTTY ? 'default' : 'simple',
    commandLine: `hmsdr ${process.argv.slice(2).join(' ')}`,
    ...extra,
  };
}

/** Run the engine; whatever the outcome, leave a report in the run directory (a failed run's matters most). */
export async function execute(options: EngineOptions, json: boolean, retry: RetryPolicy = { retries: 0, delayMs: 0 }): Promise<void> {
  let runDir: string | undefined;
  let failed = true;
  let started: Promise<string[]> = Promise.resolve([]);
  const onRunId = (id: string): void => {
    runDir = runDirectory(options.config.runsDirAbs, id);
    if (!options.resumeRunId) started = notifyRunStart(options.config, id, options.mode);
  };
  try {
    const result = await runWithRetries({ ...options, onRunId }, retry);
    failed = false;
    if (json) process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    if (runDir && existsSync(join(runDir, 'state.json'))) {
      try {
        // The report step already wrote them for a complete run; refresh so they show the final state.
        const written = writeReports(runDir, { titles: titlesOf(options.steps) });
        // The headline and its figures, not only "complete": on stdout when the run ended, next to the error otherwise.
        if (!json) (failed ? process.stderr : process.stdout).write(formatRunEnd(written.summary, written));
      } catch (error) {
        process.stderr.write(`(the report could not be written: ${(error as Error).message})\n`);
      }
      const dir = runDir; // the textfile and the notifications: docs/monitoring.md
      for (const line of await monitorRunEnd(options.config, dir, started, () => writeReports(dir, { titles: titlesOf(options.steps) })))
        process.stderr.write(`${line}\n`);
    }
  }
}

export const yesOption = {
  type: 'boolean',
  default: false,
  describe: 'unattended: never prompt; destructive steps run without asking',
} as const;

/** `hmsdr run`: interactive, asks before each step. */
function runCommand(deps: CliDeps): CommandModule<object, RunArgs> {
  return {
    ...HEADINGS.run,
    builder: (y) =>
      withJson(withConfig(y))
        .option('yes', yesOption)
        .example('$0 run --config hmsdr.yaml', 'interactive: run / skip / abort before each step')
        .epilogue(
          'Stop any time with Ctrl-C (exit 130); `hmsdr status` shows where the run stands and `hmsdr resume <run-id>` continues.',
        ) as never,
    handler: async (args) => execute(engineOptions(deps, args, 'run'), args.json),
  };
}

/** --retries / --retry-delay as a policy (docs/monitoring.md, "Automatic retry"). */
function retryPolicy(args: { retries: number; retryDelay: string }): RetryPolicy {
  const delayMs = parseDuration(args.retryDelay, 's');
  if (!Number.isInteger(args.retries) || args.retries < 0 || args.retries > 20)
    throw new UsageError(`--retries ${args.retries}: a whole number from 0 to 20`);
  if (delayMs === undefined) throw new UsageError(`--retry-delay ${args.retryDelay}: not a duration (30s, 5m, 1h)`);
  return {
    retries: args.retries,
    delayMs,
    onRetry: (r) =>
      process.stderr.write(
        `attempt ${r.attempt} of ${r.of} of run ${r.runId} failed (${r.code}); resuming it in ${formatDuration(r.delayMs)}\n`,
      ),
  };
}

/** `hmsdr rehearse`: unattended, for cron. */
function rehearseCommand(deps: CliDeps): CommandModule<object, RunArgs & { retries: number; retryDelay: string }> {
  return {
    ...HEADINGS.rehearse,
    builder: (y) =>
      withJson(withConfig(y))
        .option('yes', { ...yesOption, describe: 'required to run the destructive steps (stop Hive, swap the metastore)' })
        .option('retries', {
          type: 'number',
          default: 0,
          describe:
            'resume the same run up to N times after a transient failure (SSH dropped, a server unreachable); never after a blocked step, a verification failure or a lock',
        })
        .option('retry-delay', {
          type: 'string',
          default: '5m',
          describe: 'wait before the first retry, doubled before each next one (30s, 5m)',
        })
        .example('$0 rehearse --yes --config /etc/hmsdr/hmsdr.yaml', 'from cron; the exit code says ok / failed step / verification failed')
        .epilogue('Without --yes a rehearsal refuses to run destructive steps (exit 4).') as never,
    handler: async (args) => execute(engineOptions(deps, args, 'rehearse'), args.json, retryPolicy(args)),
  };
}

/** `hmsdr resume <run-id>`: continue a failed or interrupted run. */
function resumeCommand(deps: CliDeps): CommandModule<object, RunArgs & { runId: string; force: boolean; rerun?: string }> {
  return {
    ...HEADINGS.resume,
    builder: (y) =>
      withJson(withConfig(y))
        .positional('run-id', {
          type: 'string',
          describe: 'the run to continue (see `hmsdr status` / `hmsdr history`)',
          demandOption: true,
        })
        .option('yes', yesOption)
        .option('force', { type: 'boolean', default: false, describe: 'resume although the configuration changed since the run started' })
        .option('rerun', {
          type: 'string',
          describe: 'run this skipped or done step again, with the later steps that need it (refused once the DR side changed after it)',
        })
        .example('$0 resume 20261121t053012 --rerun snapshot-source', 'a skipped step a later step needs: do it now') as never,
    handler: async (args) => {
      const config = readConfig(args);
      const state = Ledger.load(runDirectory(config.runsDirAbs, args.runId)).snapshot;
      const options = engineOptions(deps, args, state.mode, {
        resumeRunId: args.runId,
        force: args.force,
        ...(args.rerun ? { rerun: args.rerun } : {}),
      });
      // A rollback resumes with the rollback's own steps, for the run it undoes; a failover or failback with its own.
      const steps =
        state.mode === 'rollback' && state.subject
          ? deps.rollbackRunbook(config, state.subject)
          : state.mode === 'failover' && deps.failoverRunbook
            ? deps.failoverRunbook(config, failoverOptionsOf(state.subject))
            : state.mode === 'failback' && deps.failbackRunbook
              ? deps.failbackRunbook(config)
              : options.steps;
      await execute({ ...options, steps }, args.json);
    },
  };
}

/** `hmsdr status [run-id]`: where a run stands and the next command. */
function statusCommand(): CommandModule<object, ConfigArgs & { runId?: string; json: boolean }> {
  return {
    ...HEADINGS.status,
    builder: (y) => withJson(withConfig(y)).positional('run-id', { type: 'string', describe: 'run id (default: the latest run)' }) as never,
    handler: (args) => {
      const config = readConfigWithoutSecrets(args);
      const runId = args.runId ?? listRuns(config.runsDirAbs)[0];
      if (runId === undefined)
        throw new PreconditionError(`no runs in ${config.runsDirAbs}`, { hint: 'start one with `hmsdr run` or `hmsdr rehearse --yes`' });
      const dir = runDirectory(config.runsDirAbs, runId);
      if (!existsSync(dir)) throw new PreconditionError(`no run ${runId} in ${config.runsDirAbs}`);
      const state = Ledger.load(dir).snapshot;
      const holder = readLockHolder(lockPath(config.runsDirAbs, config.dr.metastore));
      const ownerAlive = holder?.runId === state.runId && isAlive(holder.pid);
      const described = describeRun(state, config, ownerAlive);
      process.stdout.write((args.json ? JSON.stringify(described, null, 2) : formatRunStatus(described)) + '\n');
      if (!described.complete) throw new ExitStatus(ExitCode.INCOMPLETE);
    },
  };
}

/** `hmsdr plan`: the dry run (or, --offline, the steps and their commands). */
function planCommand(deps: CliDeps): CommandModule<object, ConfigArgs & { json: boolean; offline: boolean }> {
  return {
    ...HEADINGS.plan,
    builder: (y) =>
      withJson(withConfig(y))
        .option('offline', {
          type: 'boolean',
          default: false,
          describe: 'only print the steps and their exact commands and requests; contact nothing',
        })
        .example('$0 plan --config hmsdr.yaml', 'preflight results, per table.column rewrite counts, DistCp files/bytes, what would stop')
        .epilogue('Exit 0 when a run could start, 4 when a preflight check fails (the report is printed either way).') as never,
    handler: async (args) => {
      const config = readConfig(args);
      const steps = deps.runbook(config);
      const runInfo = { id: '<run-id>', dir: runDirectory(config.runsDirAbs, '<run-id>'), startedAt: new Date().toISOString() };
      if (args.offline) {
        printStepPlan(config, steps, args.json, 'changes the DR side');
        return;
      }
      const adapters = await deps.createAdapters(config, runInfo);
      try {
        // Text: each section on stdout as soon as it is known (the dump count can take a minute). JSON: one object at the end.
        const report = await dryRun(
          config,
          steps,
          adapters,
          (text) => {
            if (!args.json && process.stderr.isTTY) process.stderr.write(`… ${text}\n`);
          },
          (section) => {
            if (!args.json) process.stdout.write(`${section}\n`);
          },
        );
        if (args.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        const failed = report.preflight.filter((c) => c.status === 'fail');
        if (failed.length > 0)
          throw new PreconditionError(`a run would stop at preflight: ${failed.map((c) => c.id).join(', ')}`, {
            hint: 'fix the failed checks listed above',
          });
      } finally {
        await adapters.close();
      }
    },
  };
}

/** `hmsdr rollback <run-id>`: undo a run's swap. */
function rollbackCommand(deps: CliDeps): CommandModule<object, RunArgs & { runId: string }> {
  return {
    ...HEADINGS.rollback,
    builder: (y) =>
      withJson(withConfig(y))
        .positional('run-id', { type: 'string', describe: 'the run whose swap to undo', demandOption: true })
        .option('yes', yesOption)
        .epilogue(
          'Refused when a later run swapped again (roll that one back first) or when the previous database was pruned by retention.',
        ) as never,
    handler: async (args) => {
      const options = engineOptions(deps, args, 'rollback', { subject: args.runId });
      await execute({ ...options, steps: deps.rollbackRunbook(options.config, args.runId) }, args.json);
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: yargs CommandModule is invariant in its arguments; commands with different arguments share one list
export function runbookCommands(deps: CliDeps): CommandModule<object, any>[] {
  return [runCommand(deps), rehearseCommand(deps), resumeCommand(deps), statusCommand(), planCommand(deps), rollbackCommand(deps)];
}
