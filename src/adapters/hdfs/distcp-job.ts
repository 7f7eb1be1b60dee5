// DistCp as a YARN job. Once `hadoop distcp` has submitted its MapReduce job, the job belongs to
// YARN: killing the client (Ctrl-C, hmsdr killed, an SSH session gone) leaves it copying into the
// target, where it would race the next attempt. So the application id is read from the client's
// log as it prints, recorded in the run's children.json until the client sees the job end, and an
// interrupted DistCp is ended with `yarn application -kill`; a resume kills what a killed hmsdr
// left (adapters/create.ts).
import { AdapterError } from '../../errors/errors.js';
import { yarnAppEnded, yarnAppSubmitted } from '../process/children.js';
import { tail, type CommandResult } from '../process/run-command.js';
import type { Executor } from '../executor.js';
import { distcpCommand, yarnKillCommand, type DistcpSpec, type HdfsSiteSpec } from './commands.js';
import { parseDistcpCounters, parseMapProgress, parseSubmittedApplication, parseYarnKill, type YarnKillOutcome } from './parse.js';
import type { DistcpOutcome } from './port.js';

export interface DistcpCallOptions {
  signal?: AbortSignal | undefined;
  onProgress?: (percent: number, line: string) => void;
  onStderr?: (chunk: string) => void;
}

/** How long the kill of an interrupted job may take (the run is already stopping). */
const KILL_TIMEOUT_MS = 60_000;

/** Run DistCp on `site` through `executor`; resolves with the outcome whatever the exit code. */
export async function runDistcp(
  executor: Executor,
  site: HdfsSiteSpec,
  spec: DistcpSpec,
  options: DistcpCallOptions,
): Promise<DistcpOutcome> {
  const started = Date.now();
  let partial = '';
  let applicationId: string | undefined;
  const onStderr = (chunk: string): void => {
    options.onStderr?.(chunk);
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const percent = parseMapProgress(line);
      if (percent !== undefined) options.onProgress?.(percent, line.trim());
      if (applicationId === undefined) {
        applicationId = parseSubmittedApplication(line);
        if (applicationId !== undefined) yarnAppSubmitted(site.label, applicationId, 'distcp');
      }
    }
  };
  let result: CommandResult;
  try {
    result = await executor.runAnyExit(distcpCommand(site, spec), { signal: options.signal, onStderr });
  } catch (error) {
    // The client is gone (interrupted, killed): its job is not. End it before the run stops.
    if (applicationId !== undefined) await killInterruptedJob(executor, site, applicationId, error);
    throw error;
  }
  // The client waits for its job: once it exits, the job has ended.
  if (applicationId !== undefined) yarnAppEnded(applicationId);
  return {
    exitCode: result.exitCode,
    counters: parseDistcpCounters(result.stderr),
    stderrTail: tail(result.stderr, 30),
    durationMs: Date.now() - started,
  };
}

async function killInterruptedJob(executor: Executor, site: HdfsSiteSpec, applicationId: string, cause: unknown): Promise<void> {
  try {
    await killApplication(executor, site, applicationId, { signal: AbortSignal.timeout(KILL_TIMEOUT_MS) });
    yarnAppEnded(applicationId);
  } catch (error) {
    // Left in children.json: the resume tries again. Said now, so that an operator can act first.
    if (cause instanceof Error)
      cause.message += ` (its YARN job ${applicationId} could not be killed: ${(error as Error).message}; run: yarn application -kill ${applicationId})`;
  }
}

/** `yarn application -kill <id>` on the site: what it did, from ApplicationCLI's words. */
export async function killApplication(
  executor: Executor,
  site: HdfsSiteSpec,
  applicationId: string,
  options: { signal?: AbortSignal | undefined },
): Promise<YarnKillOutcome> {
  const result = await executor.runAnyExit(yarnKillCommand(site, applicationId), { signal: options.signal });
  const outcome = parseYarnKill(result.stdout, applicationId);
  if (outcome !== undefined) return outcome;
  throw new AdapterError(
    'E_YARN',
    `yarn application -kill ${applicationId} on the ${site.label} site exited with code ${result.exitCode}`,
    {
      hint: `${tail(result.stderr || result.stdout, 5).trim() || '(no output)'}; check yarnBin and the ResourceManager, then run it by hand`,
    },
  );
}
