// The emulated BDR side of Cloudera Manager: peers, HDFS replication schedules, runs (real or dry)
// as ApiReplicationCommand with hdfsResult, the schedule's history, diagnostic collection, and
// faults (setup error, a failed file, a command that never ends). Replications copy the lab's HDFS
// stand-in trees (replication-copy.ts). Command wording marked "unverified" is not from a capture.
import type { CmCluster } from './cluster.js';
import { performCopy, planCopy, type CopyArguments, type CopyCounters, type StandinSites } from './replication-copy.js';
import { storedZip } from './zip.js';

export type ReplicationFault =
  | { readonly kind: 'setup-error'; readonly message?: string }
  | { readonly kind: 'failed-file'; readonly file: string }
  | { readonly kind: 'never-ends' };

export interface Peer {
  name: string;
  url: string;
  username: string;
  type: string;
  clouderaManagerCreatedUser: boolean;
}

export interface ReplicationCommand {
  readonly id: number;
  readonly name: string;
  readonly startTime: string;
  endTime?: string;
  active: boolean;
  success?: boolean;
  resultMessage?: string;
  resultDataUrl?: string;
  readonly scheduleId: number;
  /** Absent for diagnostic commands. */
  hdfsResult?: Record<string, unknown>;
}

export interface Schedule {
  readonly id: number;
  body: Record<string, unknown>;
  history: ReplicationCommand[];
}

const iso = (): string => new Date().toISOString();

export class BadArgument extends Error {}

const STRATEGIES = ['STATIC', 'DYNAMIC'];

export class CmReplication {
  readonly peers = new Map<string, Peer>();
  readonly schedules = new Map<number, Schedule>();
  readonly commands = new Map<number, ReplicationCommand>();
  readonly bundles = new Map<number, Buffer>();
  faults: ReplicationFault[] = [];
  private nextSchedule = 1;

  constructor(
    private readonly cm: CmCluster,
    private readonly sites: StandinSites | undefined,
    private readonly timing: { pendingMs: number; inProgressMs: number },
    private readonly later: (ms: number, fn: () => void) => void,
  ) {}

  /** CM rejects a schedule whose arguments it cannot use: HTTP 400 `{ "message" }` (wording unverified). */
  validate(body: Record<string, unknown>): void {
    const args = body.hdfsArguments as Record<string, unknown> | undefined;
    if (!args) throw new BadArgument('Replication arguments are required for HDFS replication.');
    const source = args.sourceService as { peerName?: string } | undefined;
    if (source?.peerName && !this.peers.has(source.peerName)) throw new BadArgument(`Peer with name '${source.peerName}' not found.`);
    for (const key of ['sourcePath', 'destinationPath']) {
      if (typeof args[key] !== 'string' || !(args[key] as string).startsWith('/'))
        throw new BadArgument(`Invalid ${key}: ${String(args[key])}`);
    }
    if (args.replicationStrategy !== undefined && !STRATEGIES.includes(String(args.replicationStrategy)))
      throw new BadArgument(
        `Invalid value for replicationStrategy: ${String(args.replicationStrategy)}. Valid values: ${STRATEGIES.join(', ')}`,
      );
    if (args.numMaps !== undefined && (typeof args.numMaps !== 'number' || args.numMaps < 1))
      throw new BadArgument(`Invalid numMaps: ${String(args.numMaps)}`);
  }

  create(body: Record<string, unknown>): Schedule {
    this.validate(body);
    const schedule: Schedule = { id: this.nextSchedule++, body: { ...body }, history: [] };
    this.schedules.set(schedule.id, schedule);
    return schedule;
  }

  update(schedule: Schedule, body: Record<string, unknown>): void {
    this.validate(body);
    const { id: _id, history: _history, active: _active, nextRun: _nextRun, ...rest } = body;
    schedule.body = rest;
  }

  /** POST .../run?dryRun=: an active command (or a finished failed one for a setup error). */
  run(schedule: Schedule, dryRun: boolean): ReplicationCommand {
    const args = schedule.body.hdfsArguments as unknown as CopyArguments & { numMaps?: number };
    const command: ReplicationCommand = {
      id: this.cm.allocateId(),
      name: 'HdfsReplicationCommand',
      startTime: iso(),
      active: true,
      scheduleId: schedule.id,
      hdfsResult: { progress: 0, dryRun, numFilesCopied: 0, numBytesCopied: 0 },
    };
    this.commands.set(command.id, command);
    schedule.history.unshift(command);
    const fault = dryRun ? undefined : this.faults.shift();
    if (fault?.kind === 'never-ends') return command;
    this.later(this.timing.pendingMs, () => {
      if (fault?.kind === 'setup-error') {
        const setupError = fault.message ?? `Source path ${args.sourcePath} on peer is not accessible: Permission denied`;
        this.finish(command, false, 'Replication failed during setup.', { setupError }); // wording unverified
        return;
      }
      if (!this.sites) {
        this.finish(command, false, 'Replication failed.', { setupError: 'the emulator has no HDFS stand-in to copy' });
        return;
      }
      if (dryRun) {
        const plan = planCopy(this.sites, args);
        const copy = plan.missingSource ? [] : plan.copy;
        this.finish(command, true, 'Replication dry run completed.', {
          numFilesDryRun: copy.length,
          numBytesDryRun: copy.reduce((n, [, size]) => n + size, 0),
          progress: 100,
          dryRun: true,
        });
        return;
      }
      const failing = fault?.kind === 'failed-file' ? fault.file : undefined;
      const started = Date.now();
      const counters = performCopy(this.sites, args, (rel) => failing !== undefined && (rel === failing || rel.endsWith(`/${failing}`)));
      const jobId = `job_${Date.now()}_${String(command.id).padStart(4, '0')}`;
      command.hdfsResult = { ...this.running(counters, 0, started), jobId };
      const steps = 4;
      for (let i = 1; i < steps; i++) {
        this.later((this.timing.inProgressMs * i) / steps, () => {
          if (command.active) command.hdfsResult = { ...this.running(counters, i / steps, started), jobId };
        });
      }
      this.later(this.timing.inProgressMs, () => {
        const ok = counters.numFilesCopyFailed === 0;
        this.finish(
          command,
          ok,
          ok ? 'Replication completed successfully.' : `Replication failed: ${counters.numFilesCopyFailed} file(s) could not be copied.`,
          {
            ...counters,
            progress: 100,
            throughput: this.throughput(counters.numBytesCopied, started),
            jobId,
            runAsUser: args.userName ?? 'hdfs',
            dryRun: false,
          },
        );
      });
    });
    return command;
  }

  private running(c: CopyCounters, fraction: number, started: number): Record<string, unknown> {
    return {
      progress: Math.floor(fraction * 100),
      numFilesExpected: c.numFilesExpected,
      numBytesExpected: c.numBytesExpected,
      numFilesCopied: Math.floor(c.numFilesCopied * fraction),
      numBytesCopied: Math.floor(c.numBytesCopied * fraction),
      throughput: this.throughput(Math.floor(c.numBytesCopied * fraction), started),
      dryRun: false,
    };
  }

  private throughput(bytes: number, started: number): number {
    return Math.round(bytes / 1024 / Math.max(0.001, (Date.now() - started + 1) / 1000));
  }

  private finish(command: ReplicationCommand, success: boolean, message: string, result: Record<string, unknown>): void {
    command.active = false;
    command.endTime = iso();
    command.success = success;
    command.resultMessage = message;
    command.hdfsResult = { ...command.hdfsResult, ...result };
  }

  /** POST .../collectDiagnosticData: a command whose resultDataUrl serves a zip once it finished. */
  collectDiagnostics(schedule: Schedule, commandIds: number[], baseUrl: string): ReplicationCommand {
    const command: ReplicationCommand = {
      id: this.cm.allocateId(),
      name: 'CollectReplicationDiagnosticData',
      startTime: iso(),
      active: true,
      scheduleId: schedule.id,
    };
    this.commands.set(command.id, command);
    this.later(this.timing.pendingMs, () => {
      const commands = (commandIds.length > 0 ? commandIds : schedule.history.slice(0, 10).map((c) => c.id))
        .map((id) => this.commands.get(id))
        .filter((c) => c !== undefined);
      const data = Buffer.from(JSON.stringify({ schedule: { id: schedule.id, ...schedule.body }, commands }, null, 2));
      this.bundles.set(command.id, storedZip([{ name: `replication-schedule-${schedule.id}/diagnostics.json`, data }]));
      command.active = false;
      command.endTime = iso();
      command.success = true;
      command.resultMessage = 'Collected replication diagnostic data.';
      command.resultDataUrl = `${baseUrl}/cmf/command/${command.id}/download`;
    });
    return command;
  }
}
