// `run`, `rehearse`, `resume`, `status`, `plan`: the runbook engine's commands.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { ExitStatus, PreconditionError } from '../../errors/errors.js';
import { ExitCode } from '../../errors/exit-codes.js';
import { Ledger, listRuns, type RunMode } from '../../runbook/ledger.js';
import { isAlive, lockPath, readLockHolder } from '../../runbook/lock.js';
import { formatActions } from '../../runbook/plan.js';
import { dryRun, formatDryRun } from '../../runbook/dry-run.js';
import { runRunbook, type EngineOptions } from '../../runbook/runner.js';
import { describeRun, formatRunStatus } from '../../runbook/status.js';
import { writeReports } from '../../report/write.js';
import type { CliDeps } from '../deps.js';
import { isInteractiveTerminal, readConfig, withConfig, withJson, type ConfigArgs } from '../options.js';
import { runDirectory } from '../../names/run-names.js';

interface RunArgs extends ConfigArgs {
  yes: boolean;
  json: boolean;
}

function engineOptions(deps: CliDeps, args: RunArgs, mode: RunMode, extra: Partial<EngineOptions> = {}): EngineOptions {
  const config = readConfig(args);
  const interactive = mode !== 'rehearse' && !args.yes && isInteractiveTerminal();
  return {
    config,
    steps: deps.runbook(config),
    adapters: (run) => deps.createAdapters(config, run),
    mode,
    interactive,
    yes: args.yes,
    renderer: args.json ? 'silent' : process.stdout.isTTY ? 'default' : 'simple',
    commandLine: `hmsdr ${process.argv.slice(2).join(' ')}`,
    ...extra,
  };
}

/** Run the engine; whatever the outcome, leave a report in the run directory (a failed run's matters most). */
async function execute(options: EngineOptions, json: boolean): Promise<void> {
  let runDir: string | undefined;
  let failed = true;
  try {
    const result = await runRunbook({ ...options, onRunId: (id) => (runDir = runDirectory(options.config.runsDirAbs, id)) });
    failed = false;
    if (json) process.stdout.write(JSON.stringify(result) + '\n');
    else process.stdout.write(`\nrun ${result.runId} ${result.complete ? 'complete' : 'stopped'}: ${result.runDir}\n`);
  } finally {
    if (runDir && existsSync(join(runDir, 'state.json'))) {
      try {
        // The report step already wrote them for a complete run; refresh so they show the final state.
        const written = writeReports(runDir);
        if (!json) process.stderr.write(`${failed ? '\n' : ''}report: ${written.htmlPath}\n        ${written.markdownPath}\n`);
      } catch (error) {
        process.stderr.write(`(the report could not be written: ${(error as Error).message})\n`);
      }
    }
  }
}

const yesOption = { type: 'boolean', default: false, describe: 'unattended: never prompt; destructive steps run without asking' } as const;

export function runbookCommands(deps: CliDeps): CommandModule<object, any>[] {
  const run: CommandModule<object, RunArgs> = {
    command: 'run',
    describe: 'Run the DR runbook step by step, showing each step\'s commands and asking before it runs',
    builder: (y) =>
      withJson(withConfig(y))
        .option('yes', yesOption)
        .example('$0 run --config hmsdr.yaml', 'interactive: run / skip / abort before each step')
        .epilogue('Stop any time with Ctrl-C (exit 130); `hmsdr status` shows where the run stands and `hmsdr resume <run-id>` continues.') as never,
    handler: async (args) => execute(engineOptions(deps, args, 'run'), args.json),
  };
  const rehearse: CommandModule<object, RunArgs> = {
    command: 'rehearse',
    describe: 'Unattended DR rehearsal for cron: no prompts, lock, log and report in the run directory',
    builder: (y) =>
      withJson(withConfig(y))
        .option('yes', { ...yesOption, describe: 'required to run the destructive steps (stop Hive, swap the metastore)' })
        .example('$0 rehearse --yes --config /etc/hmsdr/hmsdr.yaml', 'from cron; the exit code says ok / failed step / verification failed')
        .epilogue('Without --yes a rehearsal refuses to run destructive steps (exit 4).') as never,
    handler: async (args) => execute(engineOptions(deps, args, 'rehearse'), args.json),
  };
  const resume: CommandModule<object, RunArgs & { runId: string; force: boolean }> = {
    command: 'resume <run-id>',
    describe: 'Continue a failed or interrupted run: done steps are skipped, the failed step is probed, then retried',
    builder: (y) =>
      withJson(withConfig(y))
        .positional('run-id', { type: 'string', describe: 'the run to continue (see `hmsdr status` / `hmsdr history`)', demandOption: true })
        .option('yes', yesOption)
        .option('force', { type: 'boolean', default: false, describe: 'resume although the configuration changed since the run started' }) as never,
    handler: async (args) => {
      const config = readConfig(args);
      const state = Ledger.load(runDirectory(config.runsDirAbs, args.runId)).snapshot;
      const options = engineOptions(deps, args, state.mode, { resumeRunId: args.runId, force: args.force });
      // A rollback resumes with the rollback's own steps, for the run it undoes.
      const steps = state.mode === 'rollback' && state.subject ? deps.rollbackRunbook(config, state.subject) : options.steps;
      await execute({ ...options, steps }, args.json);
    },
  };
  const status: CommandModule<object, ConfigArgs & { runId?: string; json: boolean }> = {
    command: 'status [run-id]',
    describe: 'Show each step\'s state of a run (default: the latest) and the exact next command; exit 7 if incomplete',
    builder: (y) => withJson(withConfig(y)).positional('run-id', { type: 'string', describe: 'run id (default: the latest run)' }) as never,
    handler: (args) => {
      const config = readConfig(args);
      const runId = args.runId ?? listRuns(config.runsDirAbs)[0];
      if (runId === undefined) throw new PreconditionError(`no runs in ${config.runsDirAbs}`, { hint: 'start one with `hmsdr run` or `hmsdr rehearse --yes`' });
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
  const plan: CommandModule<object, ConfigArgs & { json: boolean; offline: boolean }> = {
    command: 'plan',
    describe: 'Dry run: read both sides and report what a run would do (rewrite counts, files to copy, services, databases); changes nothing',
    builder: (y) =>
      withJson(withConfig(y))
        .option('offline', { type: 'boolean', default: false, describe: 'only print the steps and their exact commands and requests; contact nothing' })
        .example('$0 plan --config hmsdr.yaml', 'preflight results, per table.column rewrite counts, DistCp files/bytes, what would stop')
        .epilogue('Exit 0 when a run could start, 4 when a preflight check fails (the report is printed either way).') as never,
    handler: async (args) => {
      const config = readConfig(args);
      const steps = deps.runbook(config);
      const runInfo = { id: '<run-id>', dir: runDirectory(config.runsDirAbs, '<run-id>'), startedAt: new Date().toISOString() };
      if (args.offline) {
        const listed = steps.map((step) => ({ id: step.id, title: step.title, destructive: step.destructive, actions: step.plan(config, runInfo) }));
        if (args.json) process.stdout.write(JSON.stringify({ config: config.file, steps: listed }, null, 2) + '\n');
        else listed.forEach((step, index) => process.stdout.write(`${index + 1}. ${step.id} — ${step.title}${step.destructive ? '  [changes the DR side]' : ''}\n${formatActions(step.actions)}\n`));
        return;
      }
      const adapters = await deps.createAdapters(config, runInfo);
      try {
        const report = await dryRun(config, steps, adapters, (text) => {
          if (!args.json && process.stderr.isTTY) process.stderr.write(`… ${text}\n`);
        });
        process.stdout.write((args.json ? JSON.stringify(report, null, 2) : formatDryRun(report)) + '\n');
        const failed = report.preflight.filter((c) => c.status === 'fail');
        if (failed.length > 0) throw new PreconditionError(`a run would stop at preflight: ${failed.map((c) => c.id).join(', ')}`, { hint: 'fix the failed checks listed above' });
      } finally {
        await adapters.close?.();
      }
    },
  };
  const rollback: CommandModule<object, RunArgs & { runId: string }> = {
    command: 'rollback <run-id>',
    describe: 'Put back the DR metastore that a run replaced: stop Hive, two renames in one transaction, start Hive',
    builder: (y) =>
      withJson(withConfig(y))
        .positional('run-id', { type: 'string', describe: 'the run whose swap to undo', demandOption: true })
        .option('yes', yesOption)
        .epilogue('Refused when a later run swapped again (roll that one back first) or when the previous database was pruned by retention.') as never,
    handler: async (args) => {
      const options = engineOptions(deps, args, 'rollback', { subject: args.runId });
      await execute({ ...options, steps: deps.rollbackRunbook(options.config, args.runId) }, args.json);
    },
  };
  return [run, rehearse, resume, status, plan, rollback];
}

