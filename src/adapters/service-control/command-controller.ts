// The `command` controller for plain Apache installs: configured shell lines (e.g. systemctl) run
// on the DR SSH host through an Executor; the status line answers 0 = running, 3 = stopped.
import { AdapterError } from '../../errors/errors.js';
import type { ServiceControlConfig } from '../../config/schema.js';
import type { Action } from '../../actions/action.js';
import type { Executor } from '../executor.js';
import type { Command } from '../../actions/command.js';
import type { ComponentStatus, ControlOptions, ControlOutcome, ControllerState, ServiceController, Target } from './controller.js';

export type CommandControlConfig = Extract<ServiceControlConfig, { type: 'command' }>;

/** A configured line as Command data: `sh -c <line>` (the line is the operator's own shell text). */
export function shellLine(line: string): Command {
  return { file: 'sh', args: ['-c', line] };
}

export function planCommandControl(config: CommandControlConfig, where: Executor['where'], target: Target): Action[] {
  const line = target === 'stopped' ? config.stop : config.start;
  return [
    { kind: 'exec', where, command: shellLine(config.status), description: 'read the Hive state (exit 0 running, 3 stopped)' },
    {
      kind: 'exec',
      where,
      command: shellLine(line),
      description: `${target === 'stopped' ? 'stop' : 'start'} Hive (skipped when the status already says ${target})`,
    },
    { kind: 'exec', where, command: shellLine(config.status), description: `prove Hive is ${target}` },
  ];
}

export function createCommandController(config: CommandControlConfig, executor: Executor): ServiceController {
  const host = executor.where === 'local' ? 'localhost' : executor.where.host;

  const getState = async (signal: AbortSignal): Promise<ControllerState> => {
    const result = await executor.runAnyExit(shellLine(config.status), { signal, timeoutMs: config.timeoutMs });
    const phase = result.exitCode === 0 ? 'started' : result.exitCode === 3 ? 'stopped' : undefined;
    if (phase === undefined) {
      throw new AdapterError(
        'E_SERVICE_STATUS',
        `the Hive status command on ${host} exited with ${result.exitCode}, which is neither 0 (running) nor 3 (stopped): ${config.status}`,
        {
          hint: 'make dr.serviceControl.status follow `systemctl is-active` exit codes (0 running, 3 stopped), e.g. `systemctl is-active --quiet hive-metastore hive-server2`',
          stderrTail: result.stderr.trim().split('\n').slice(-10).join('\n') || undefined,
        },
      );
    }
    const component: ComponentStatus = {
      service: 'hive',
      component: 'status command',
      host,
      state: phase === 'started' ? 'running (exit 0)' : 'stopped (exit 3)',
      phase,
      maintenance: 'OFF',
      skippedByMaintenance: false,
      agent: 'ok',
    };
    return { observable: true, services: [{ name: 'hive', state: component.state, maintenance: 'OFF', components: [component] }] };
  };

  const change = async (target: Target, options: ControlOptions): Promise<ControlOutcome> => {
    const phase = (s: ControllerState): string | undefined => s.services[0]?.components[0]?.phase;
    if (phase(await getState(options.signal)) === target) {
      return { target, actions: [{ service: 'hive', result: 'already', detail: `the status command reports Hive ${target}` }] };
    }
    options.onProgress?.(undefined, `running the ${target === 'stopped' ? 'stop' : 'start'} command on ${host}`);
    await executor.run(shellLine(target === 'stopped' ? config.stop : config.start), {
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? config.timeoutMs,
    });
    const after = await getState(options.signal);
    if (phase(after) !== target) {
      throw new AdapterError(
        'E_SERVICE_NOT_PROVEN',
        `the ${target === 'stopped' ? 'stop' : 'start'} command on ${host} succeeded but the status command still reports Hive ${phase(after) ?? 'unknown'}`,
        {
          hint: 'check the commands in dr.serviceControl and the services on the DR host (systemctl status ...), then resume',
        },
      );
    }
    return {
      target,
      actions: [
        {
          service: 'hive',
          result: 'requested',
          detail: `ran the ${target === 'stopped' ? 'stop' : 'start'} command on ${host}; status reports ${target}`,
        },
      ],
    };
  };

  return {
    kind: 'command',
    describe: () => `shell commands on ${host}`,
    getState,
    stop: (options) => change('stopped', options),
    start: (options) => change('started', options),
  };
}
