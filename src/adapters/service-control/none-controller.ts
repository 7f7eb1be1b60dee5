// The `none` controller for clusters without Ambari/CM: the operator stops and starts Hive by hand
// and confirms. Unattended runs cannot confirm, so they stop with a PreconditionError and a hint.
import { PreconditionError } from '../../errors/errors.js';
import type { Action } from '../../actions/action.js';
import type { ControlOptions, ControlOutcome, ServiceController, Target } from './controller.js';

export const MANUAL_QUESTION = {
  stopped: 'Stop Hive on the DR cluster now (every Hive Metastore and HiveServer2 process), then confirm: is Hive stopped?',
  started: 'Start Hive on the DR cluster now (Hive Metastore first, then HiveServer2), then confirm: is Hive running?',
} as const;

export function planManualControl(target: Target): Action[] {
  return [{ kind: 'note', text: `manual: the operator is asked "${MANUAL_QUESTION[target]}"` }];
}

export function createNoneController(): ServiceController {
  const change = async (target: Target, options: ControlOptions): Promise<ControlOutcome> => {
    const confirmed = options.confirm ? await options.confirm(MANUAL_QUESTION[target]) : false;
    if (!confirmed) {
      throw new PreconditionError(
        `Hive must be ${target === 'stopped' ? 'stopped' : 'started'} by hand (dr.serviceControl.type is none) and nobody confirmed it`,
        {
          hint: 'run `hmsdr run` interactively and answer yes once done, or configure dr.serviceControl as ambari, cloudera-manager or command so unattended runs can do it',
        },
      );
    }
    return { target, actions: [{ service: 'hive', result: 'manual', detail: 'the operator confirmed' }] };
  };
  return {
    kind: 'none',
    describe: () => 'manual (the operator is asked)',
    getState: async () => ({ observable: false, services: [] }),
    stop: (options) => change('stopped', options),
    start: (options) => change('started', options),
  };
}
