// The runbook engine: runs steps in order on listr2, recording every transition in the ledger,
// probing before running, asking before each step in interactive mode, honouring Ctrl-C.
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { confirm as confirmPrompt, select } from '@inquirer/prompts';
import { ListrInquirerPromptAdapter } from '@listr2/prompt-adapter-inquirer';
import { Listr, type ListrTask, type ListrTaskWrapper, type ListrDefaultRenderer, type ListrSimpleRenderer } from 'listr2';
import type { ResolvedConfig } from '../config/load.js';
import {
  HmsdrError,
  InterruptedError,
  isAbortError,
  PreconditionError,
  StepFailedError,
  type LockHolder,
  VerifyError,
} from '../errors/errors.js';
import { ExitCode } from '../errors/exit-codes.js';
import { configValues } from '../config/changes.js';
import { acceptChangedConfig } from './config-change.js';
import { redact } from '../util/secrets.js';
import { formatDuration } from '../util/format.js';
import { openEventLog, type RunEventLog } from './events.js';
import { runDirectory } from '../names/run-names.js';
import { isComplete, Ledger, releaseRunId, reserveRunId, type RunMode, type RunState } from './ledger.js';
import { acquireLock } from './lock.js';
import { takeDrLock } from './dr-lock-hook.js';
import { formatActions } from '../actions/action.js';
import { rerunCommand, wayOutCommand } from './next-commands.js';
import { dependentsOf, needsOf } from './needs.js';
import { loadResumedLedger, refusalWithoutYes, rerunIds } from './resume.js';
import type { EngineAdapters, RunInfo, Step, StepContext } from './step.js';
import { ISO_TIMESTAMP } from '../util/log-time.js';

export interface EngineOptions<A extends EngineAdapters = EngineAdapters> {
  config: ResolvedConfig;
  steps: readonly Step<A>[];
  /** Created lazily, after the lock is held (real adapters may open connections). */
  adapters: (run: RunInfo) => A | Promise<A>;
  mode: RunMode;
  /** Ask before each step (needs a TTY). */
  interactive: boolean;
  /** The operator said --yes: destructive steps may run without a prompt. */
  yes: boolean;
  /** Resume this run instead of starting a new one. */
  resumeRunId?: string;
  /** What the run is about beyond the config (the run a rollback undoes); kept in the ledger. */
  subject?: string;
  /** Resume although the config changed since the run started. */
  force?: boolean;
  /** On resume: re-run this skipped or done step, and the later steps that need it. */
  rerun?: string;
  renderer: 'default' | 'simple' | 'silent';
  /** The command line, recorded in the lock for whoever finds it. */
  commandLine: string;
  /** The cross-host lock on the DR server, taken after the file lock and held for the whole run (LockedError when held). */
  drLock?: (runId: string) => Promise<{ lost(): string | undefined; release(): Promise<void> }>;
  /** Told the run id as soon as it exists (for messages printed after a failure). */
  onRunId?: (runId: string) => void;
}

export interface EngineResult {
  runId: string;
  runDir: string;
  complete: boolean;
}

type Task = ListrTaskWrapper<unknown, ListrDefaultRenderer, ListrSimpleRenderer>;

/** Run (or resume) the runbook. Throws the error that decides the exit code. */
export async function runRunbook<A extends EngineAdapters>(options: EngineOptions<A>): Promise<EngineResult> {
  const { config, steps } = options;
  const resumed = options.resumeRunId === undefined ? undefined : loadResumedLedger(options, options.resumeRunId);
  const rerun = rerunIds(options, resumed);
  const statusOf = (id: string): string => (resumed && !rerun.includes(id) ? (resumed.snapshot.steps[id]?.status ?? 'pending') : 'pending');

  // Refusals come before anything is written: a refused cron attempt leaves no run behind.
  // A non-TTY without --yes never runs a destructive step.
  if (!options.interactive && !options.yes) {
    const pendingDestructive = steps.filter((s) => s.destructive && !['done', 'skipped'].includes(statusOf(s.id)));
    if (pendingDestructive.length > 0) {
      throw new PreconditionError(
        refusalWithoutYes(
          options.mode,
          resumed?.snapshot,
          pendingDestructive.map((s) => s.id),
        ),
        { hint: `pass --yes for an unattended run, or use \`hmsdr run\` in a terminal to be asked before each step` },
      );
    }
  }
  const staleHolders: LockHolder[] = [];
  // A fresh run's id comes with its (empty) directory; a refused run gives it back.
  const runId = resumed?.snapshot.runId ?? reserveRunId(config.runsDirAbs);
  const giveBack = (): void => {
    if (!resumed) releaseRunId(config.runsDirAbs, runId);
  };
  let lock: ReturnType<typeof acquireLock>;
  try {
    lock = acquireLock(
      config.runsDirAbs,
      { host: config.dr.metastore.host, port: config.dr.metastore.port, database: config.dr.metastore.database },
      { runId, startedAt: new Date().toISOString(), command: options.commandLine },
      (stale) => staleHolders.push(stale),
    );
  } catch (error) {
    giveBack();
    throw error;
  }
  const { held: drLock, unavailable: drLockUnavailable } = await takeDrLock(options.drLock, runId, () => (lock.release(), giveBack()));
  let ledger: Ledger;
  let acceptedChanges: string[] = [];
  try {
    if (resumed) {
      ledger = resumed;
      ledger.ensureSteps(
        steps.map((s) => s.id),
        needsOf(steps),
      );
      if (rerun.length > 0) ledger.reset(rerun);
      if (ledger.snapshot.configHash !== config.hash) acceptedChanges = acceptChangedConfig(ledger, config);
      ledger.reopen();
    } else {
      ledger = Ledger.create(runDirectory(config.runsDirAbs, runId), {
        runId,
        mode: options.mode,
        ...(options.subject ? { subject: options.subject } : {}),
        unattended: options.yes,
        configFile: config.file,
        configHash: config.hash,
        configValues: configValues(config),
        host: hostname(),
        pid: process.pid,
        order: steps.map((s) => s.id),
        needs: needsOf(steps),
      });
    }
  } catch (error) {
    await drLock?.release();
    lock.release();
    giveBack();
    throw error;
  }
  const state = ledger.snapshot;
  options.onRunId?.(state.runId);
  const run: RunInfo = { id: state.runId, dir: ledger.dir, startedAt: state.createdAt };
  const log: RunEventLog = openEventLog(ledger.dir);
  for (const stale of staleHolders) log.warn('stale-lock-removed', { holder: stale });
  if (drLockUnavailable) log.warn('dr-lock-unavailable', { reason: drLockUnavailable });
  if (acceptedChanges.length > 0) {
    log.warn('config-changed', { keys: acceptedChanges, force: options.force === true });
    if (options.renderer !== 'silent')
      process.stderr.write(`the configuration changed since the run started; resuming with: ${acceptedChanges.join(', ')}\n`);
  }
  ledger.setOwner(process.pid, hostname());
  log.info(options.resumeRunId ? 'run-resumed' : 'run-started', {
    runId: state.runId,
    mode: options.mode,
    config: config.file,
    ...(rerun.length > 0 ? { rerun } : {}),
  });

  const controller = new AbortController();
  let interruptedStep: string | undefined;
  let signals = 0;
  const onSignal = (name: NodeJS.Signals): void => {
    signals += 1;
    log.warn('interrupt', { signal: name, count: signals });
    if (signals === 1) controller.abort(new InterruptedError(`interrupted by ${name}`));
    else {
      // A second Ctrl-C: the operator insists. Record and leave now.
      if (interruptedStep) ledger.update(interruptedStep, { status: 'interrupted', finishedAt: new Date().toISOString() });
      lock.release();
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let adapters: A | undefined;
  let discard = false;
  try {
    adapters = await options.adapters(run);
    const ready = adapters;
    const tasks: ListrTask[] = steps.map((step) => ({
      title: step.title,
      // The last output line (the step's result once done) stays under the step.
      rendererOptions: { persistentOutput: true },
      task: async (_ctx: unknown, task: Task) => {
        interruptedStep = step.id;
        await runOneStep(step, task, { options, ledger, log, run, adapters: ready, signal: controller.signal });
        interruptedStep = undefined;
      },
    }));
    const list = new Listr(tasks, {
      concurrent: false,
      exitOnError: true,
      registerSignalListeners: false,
      renderer: options.renderer,
      fallbackRenderer: 'simple',
      rendererOptions: {
        collapseErrors: false,
        showErrorMessage: false,
        ...(options.renderer === 'simple' ? { timestamp: ISO_TIMESTAMP } : {}),
      },
      // Not a terminal after all: the simple renderer, whose lines carry the time (src/util/log-time.ts).
      fallbackRendererOptions: { timestamp: ISO_TIMESTAMP },
    } as ConstructorParameters<typeof Listr>[1]);
    try {
      await list.run();
    } catch (error) {
      // Refused before any step ran (a probe said blocked: rollback-check, a rollback that is not
      // possible): like the refusals above, a refusal leaves no run behind for `status` to resume.
      discard = !resumed && error instanceof PreconditionError && nothingRan(ledger.snapshot);
      throw error;
    }
    ledger.finish();
    log.info('run-finished', { runId: state.runId, complete: isComplete(ledger.snapshot) });
    return { runId: state.runId, runDir: ledger.dir, complete: isComplete(ledger.snapshot) };
  } finally {
    await adapters?.close?.().catch((error: unknown) => log.warn('adapters-close-failed', { error: String(error) }));
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    const lost = drLock?.lost();
    if (lost) log.warn('dr-lock-lost', { reason: lost });
    await drLock?.release();
    lock.release();
    log.close();
    if (discard) rmSync(ledger.dir, { recursive: true, force: true });
  }
}

/** The step's one-line result; a summarizer that throws must not fail a step that did its work. */
function summarizeSafely<A extends EngineAdapters>(step: Step<A>, output: Record<string, unknown>): string | undefined {
  try {
    return step.summarize?.(output);
  } catch {
    return undefined;
  }
}

/** No step of the run started, was skipped or found done: the run did nothing at all. */
const nothingRan = (state: RunState): boolean =>
  state.order.every((id) => state.steps[id]?.status === 'pending' && state.steps[id]?.attempts === 0);

interface StepEnv<A extends EngineAdapters> {
  options: EngineOptions<A>;
  ledger: Ledger;
  log: RunEventLog;
  run: RunInfo;
  adapters: A;
  signal: AbortSignal;
}

async function runOneStep<A extends EngineAdapters>(step: Step<A>, task: Task, env: StepEnv<A>): Promise<void> {
  const { options, ledger, run, signal } = env;
  const record = ledger.record(step.id);
  const log = env.log.forStep(step.id);
  if (record.status === 'done' || record.status === 'skipped') {
    task.skip(`${step.title} — ${record.status} ${record.finishedAt ?? ''} (recorded)`);
    return;
  }
  const skippedNeed = (step.needs ?? []).find((id) => ledger.snapshot.steps[id]?.status === 'skipped');
  if (skippedNeed) {
    // Not a failure of this step: it cannot work without what the skipped one makes. Say how to get out.
    const message = `${step.id} needs ${skippedNeed}, which was skipped`;
    const hint = `re-run ${skippedNeed} (and the steps that need it) with: ${rerunCommand(ledger.snapshot, skippedNeed)}`;
    ledger.update(step.id, { status: 'pending', error: { code: 'E_PRECONDITION', message, hint } });
    log.warn('step-blocked', { message, hint });
    throw new PreconditionError(message, { hint, stepId: step.id });
  }
  const ctx: StepContext<A> = {
    config: options.config,
    run,
    outputs: ledger.outputs(),
    adapters: env.adapters,
    log,
    signal,
    progress: (text) => {
      task.output = redact(text);
    },
    confirm: async (question) => {
      if (!options.interactive) return false;
      return promptOn(task).run(confirmPrompt, { message: question, default: false });
    },
  };
  try {
    if (signal.aborted) throw signal.reason;
    // The probe reads both sides and can take long on a big cluster: shown while it runs, counted.
    task.output = 'checking what is already done…';
    env.adapters.beginStep?.();
    const probeStarted = Date.now();
    const probe = await step.probe(ctx);
    const probeMs = Date.now() - probeStarted;
    ledger.update(step.id, { probeMs: (record.probeMs ?? 0) + probeMs });
    log.info('step-probe', { result: probe.status, reason: probe.reason, durationMs: probeMs });
    if (probe.status === 'done') {
      ledger.update(step.id, {
        status: 'done',
        via: 'probe',
        reason: probe.reason,
        output: probe.output,
        finishedAt: new Date().toISOString(),
      });
      task.skip(`${step.title} — already done (checked in ${formatDuration(probeMs)}): ${probe.reason}`);
      return;
    }
    if (probe.status === 'blocked') {
      throw new PreconditionError(`${step.id} is blocked: ${probe.reason}`, { hint: probe.hint, stepId: step.id });
    }
    if (options.interactive) {
      const answer = await askOperator(step, task, env);
      log.info('operator-answer', { answer });
      if (answer === 'skip') {
        ledger.update(step.id, { status: 'skipped', via: 'operator', finishedAt: new Date().toISOString() });
        task.skip(`${step.title} — skipped by the operator`);
        return;
      }
      if (answer === 'abort')
        throw new InterruptedError(`aborted by the operator before ${step.id}`, {
          hint: `continue later with: ${wayOutCommand(ledger.snapshot)}`,
        });
    }
    ledger.update(step.id, { status: 'running', attempts: record.attempts + 1, startedAt: new Date().toISOString() });
    for (const action of step.plan(options.config, run)) log.info('action', { action: redact(JSON.stringify(action)) });
    log.info('step-start', { attempt: record.attempts });
    const output = await step.run(ctx);
    if (step.verify) await step.verify(ctx, output);
    ledger.update(step.id, { status: 'done', via: 'run', output, finishedAt: new Date().toISOString() });
    log.info('step-done', { output });
    const result = summarizeSafely(step, output);
    if (result) task.output = redact(result);
  } catch (error) {
    throw recordFailure(step, error, env);
  }
}

/**
 * A prompt adapter that forgets its prompt once answered. The adapter cancels its prompt whenever
 * the task is skipped, even a prompt already answered, and cancelling restores the task's state
 * from before the prompt: a step the operator skipped would then be drawn ✔ as if it had run.
 */
function promptOn(task: Task): { run: ListrInquirerPromptAdapter['run'] } {
  const adapter = task.prompt(ListrInquirerPromptAdapter);
  return {
    run: async (...args) => {
      try {
        return await adapter.run(...args);
      } finally {
        (adapter as unknown as { prompt?: unknown }).prompt = undefined;
      }
    },
  };
}

/**
 * run / skip / abort before a step. A skip that a later step needs is warned and must be confirmed
 * (default no: asked again). Ctrl-C at a prompt interrupts the run like Ctrl-C anywhere else.
 */
async function askOperator<A extends EngineAdapters>(step: Step<A>, task: Task, env: StepEnv<A>): Promise<'run' | 'skip' | 'abort'> {
  const { options, run, ledger } = env;
  const plan = formatActions(step.plan(options.config, run));
  const order = options.steps.map((s) => s.id);
  const dependents = dependentsOf(needsOf(options.steps), order, step.id);
  try {
    for (;;) {
      const answer = await promptOn(task).run(select<'run' | 'skip' | 'abort'>, {
        message: `${step.title}\n${plan}\n  Run this step?`,
        choices: [
          { name: 'run', value: 'run' },
          {
            name:
              dependents.length > 0
                ? `skip (${dependents.join(', ')} need it: they will stop until it is re-run)`
                : 'skip (record it as skipped by the operator)',
            value: 'skip',
          },
          { name: 'abort (stop here; resume later)', value: 'abort' },
        ],
      });
      if (answer !== 'skip' || dependents.length === 0) return answer;
      const sure = await promptOn(task).run(confirmPrompt, {
        message: `${dependents.join(', ')} need ${step.id}. If you skip it the run stops at ${dependents[0]} until you re-run it with: ${rerunCommand(ledger.snapshot, step.id)}\n  Skip ${step.id} anyway?`,
        default: false,
      });
      if (sure) return 'skip';
      env.log.forStep(step.id).info('operator-answer', { answer: 'skip', confirmed: false });
    }
  } catch (error) {
    // Inquirer turns Ctrl-C in raw mode into ExitPromptError: the same interruption as a SIGINT.
    if (error instanceof Error && error.name === 'ExitPromptError') {
      throw new InterruptedError(`interrupted at the prompt before ${step.id}`, {
        hint: `continue with: ${wayOutCommand(ledger.snapshot)}`,
      });
    }
    throw error;
  }
}

function recordFailure<A extends EngineAdapters>(step: Step<A>, error: unknown, env: StepEnv<A>): unknown {
  const { ledger, signal } = env;
  const log = env.log.forStep(step.id);
  const finishedAt = new Date().toISOString();
  const next = wayOutCommand(ledger.snapshot);
  if (signal.aborted || isAbortError(error)) {
    ledger.update(step.id, { status: 'interrupted', finishedAt });
    log.warn('step-interrupted', {});
    return error instanceof InterruptedError
      ? error
      : new InterruptedError(`interrupted during ${step.id}`, { cause: error, hint: `continue with: ${next}` });
  }
  const summary = {
    code: error instanceof HmsdrError ? error.code : 'E_INTERNAL',
    message: redact(error instanceof Error ? error.message : String(error)),
    ...(error instanceof HmsdrError && error.hint ? { hint: redact(error.hint) } : {}),
    ...(error instanceof HmsdrError && error.stderrTail ? { stderrTail: redact(error.stderrTail) } : {}),
  };
  if (error instanceof PreconditionError) {
    // Blocked before doing anything: the step stays pending.
    ledger.update(step.id, { status: 'pending', error: summary });
    log.warn('step-blocked', summary);
    return new PreconditionError(error.message, {
      hint: `${error.hint ?? step.recovery}\n  Then run: ${next}`,
      stepId: step.id,
      cause: error.cause,
    });
  }
  ledger.update(step.id, { status: 'failed', finishedAt, error: summary });
  log.error('step-fail', summary);
  if (error instanceof VerifyError) {
    return new VerifyError(`${step.id}: ${error.message}`, error.differences, {
      stepId: step.id,
      hint: `${step.recovery}\n  Then run: ${next}`,
      cause: error.cause,
    });
  }
  // The adapter's own hint (e.g. "restart the agent on m2") is the most specific advice: it comes first.
  const advice = summary.hint ? `${summary.hint}\n  ${step.recovery}` : step.recovery;
  if (error instanceof HmsdrError && error.exitCode === ExitCode.PRECONDITION) {
    // An adapter refused on a precondition (unknown host key, login refused, database in use):
    // keep its exit code 4 instead of the generic 1, as DESIGN's exit-code table says.
    return new PreconditionError(`${step.id} failed: ${summary.message}`, {
      cause: error,
      hint: `${advice}\n  Then run: ${next}`,
      stepId: step.id,
    });
  }
  return new StepFailedError(step.id, `${step.id} failed: ${summary.message}`, { cause: error, hint: `${advice}\n  Then run: ${next}` });
}
