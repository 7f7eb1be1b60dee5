// One data path through the DR Cloudera Manager: find or create the schedule `hmsdr-<path id>`
// (updated when the config changed; never one hmsdr did not create), run it, follow the command
// with progress and throughput, read hdfsResult, and on failure collect the replication diagnostic
// bundle into the run directory.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  ApiReplicationCommand,
  ApiReplicationSchedule,
  CmReplicationClient,
} from '../../adapters/cloudera-manager/replication-client.js';
import { sleep } from '../../adapters/service-control/http.js';
import { AdapterError, PreconditionError } from '../../errors/errors.js';
import { formatBytes } from '../../util/format.js';
import type { CmEngineConfig } from '../../config/schema-cm-engine.js';
import type { PathPair } from '../pairs.js';
import { changedArguments, desiredSchedule, isOurs, scheduleName } from './schedule.js';

export interface ReplicationOutcome {
  schedule: { id: number; name: string; created: boolean; updated: string[] };
  command: ApiReplicationCommand;
  durationMs: number;
}

export interface Reporter {
  progress(text: string): void;
  info(event: string, fields: Record<string, unknown>): void;
  warn(event: string, fields: Record<string, unknown>): void;
}

/** Find hmsdr's schedule of a path by its name; refuse a same-named schedule hmsdr did not create. */
export function findOurs(schedules: ApiReplicationSchedule[], pair: PathPair): ApiReplicationSchedule | undefined {
  const name = scheduleName(pair);
  const named = schedules.filter((s) => s.displayName === name);
  const foreign = named.find((s) => !isOurs(s));
  if (foreign) {
    throw new PreconditionError(`Cloudera Manager schedule ${foreign.id} is named ${name} but was not created by hmsdr`, {
      hint: `hmsdr never changes a schedule it did not create: rename or delete schedule ${foreign.id} in Cloudera Manager (Replication > Replication Policies), then resume`,
    });
  }
  return named[0];
}

export async function ensureSchedule(
  cm: CmReplicationClient,
  config: CmEngineConfig,
  pair: PathPair,
  signal: AbortSignal,
  log: Reporter,
): Promise<ReplicationOutcome['schedule']> {
  const name = scheduleName(pair);
  const wanted = desiredSchedule(config, pair);
  const existing = findOurs(await cm.listSchedules(signal), pair);
  if (!existing?.id) {
    const created = await cm.createSchedule(wanted, name, signal);
    log.info('cm-schedule-created', { schedule: created.id, name, source: pair.source, target: pair.target });
    return { id: created.id as number, name, created: true, updated: [] };
  }
  const changed = changedArguments(existing, wanted);
  if (changed.length > 0) {
    await cm.updateSchedule(existing.id, { ...existing, ...wanted, history: undefined } as ApiReplicationSchedule, name, signal);
    log.info('cm-schedule-updated', { schedule: existing.id, name, changed });
  }
  return { id: existing.id, name, created: false, updated: changed };
}

/** The command's entry in the schedule's history (it carries hdfsResult; /commands/{id} is a plain ApiCommand). */
async function historyEntry(
  cm: CmReplicationClient,
  scheduleId: number,
  commandId: number,
  signal: AbortSignal,
): Promise<ApiReplicationCommand | undefined> {
  return (await cm.history(scheduleId, signal)).find((c) => c.id === commandId);
}

/** Runs the schedule (or its dry run) and waits for the command; the final history entry. */
export async function runAndWait(
  cm: CmReplicationClient,
  config: CmEngineConfig,
  schedule: { id: number; name: string },
  dryRun: boolean,
  signal: AbortSignal,
  log: Reporter,
): Promise<{ command: ApiReplicationCommand; durationMs: number }> {
  const started = Date.now();
  const first = await cm.run(schedule.id, dryRun, signal);
  const id = first.id ?? -1;
  log.info('cm-replication-started', { schedule: schedule.id, command: id, dryRun });
  let command = first;
  const deadline = Date.now() + config.timeoutMs;
  while (command.active !== false) {
    if (Date.now() >= deadline) {
      throw new AdapterError(
        'E_CM_COMMAND_TIMEOUT',
        `Cloudera Manager replication command ${id} (${schedule.name}) is still active after ${Math.round(config.timeoutMs / 1000)} s`,
        {
          hint: `the command was not aborted and keeps running: watch it in Cloudera Manager (Running Commands, command ${id}); resume when it has finished, or raise data.cm.timeoutMs`,
        },
      );
    }
    await sleep(config.pollIntervalMs, signal, `waiting for Cloudera Manager replication command ${id}`);
    command = await cm.readCommand(id, signal);
    const result = (await historyEntry(cm, schedule.id, id, signal))?.hdfsResult;
    if (command.active !== false && result) {
      const rate = result.throughput !== undefined ? `, ${formatBytes(result.throughput * 1024)}/s` : '';
      log.progress(
        `${schedule.name}: Cloudera Manager command ${id}${dryRun ? ' (dry run)' : ''}: ${result.progress ?? 0}%` +
          `, ${result.numFilesCopied ?? 0}/${result.numFilesExpected ?? '?'} file(s), ${formatBytes(result.numBytesCopied ?? 0)}${rate}`,
      );
    }
  }
  const final = (await historyEntry(cm, schedule.id, id, signal)) ?? command;
  return { command: { ...command, ...final }, durationMs: Date.now() - started };
}

/**
 * Asks CM for the replication diagnostic bundle of a failed command and saves it under
 * `<run dir>/cm-diagnostics/`; the path, or why there is none (never masks the failure itself).
 */
export async function collectDiagnostics(
  cm: CmReplicationClient,
  config: CmEngineConfig,
  schedule: { id: number; name: string },
  commandId: number,
  runDir: string,
  signal: AbortSignal,
): Promise<{ path: string } | { error: string }> {
  try {
    let command = await cm.collectDiagnostics(schedule.id, [commandId], signal);
    const id = command.id ?? -1;
    const deadline = Date.now() + Math.min(config.timeoutMs, 600_000);
    while (command.active !== false && Date.now() < deadline) {
      await sleep(config.pollIntervalMs, signal, `waiting for Cloudera Manager diagnostic command ${id}`);
      command = await cm.readCommand(id, signal);
    }
    if (command.active !== false) return { error: `diagnostic command ${id} still running (see Cloudera Manager, command ${id})` };
    if (command.success !== true || !command.resultDataUrl)
      return { error: `diagnostic command ${id} failed: ${command.resultMessage ?? 'no result data'}` };
    const bytes = await cm.download(command.resultDataUrl, signal);
    const dir = join(runDir, 'cm-diagnostics');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${schedule.name}-command-${commandId}.zip`);
    writeFileSync(path, bytes, { mode: 0o600 });
    return { path };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
