// Step 9: start Hive on the DR cluster after the swap, in reverse stop order, and prove every
// non-client component on every host is started.
import { AdapterError } from '../errors/errors.js';
import { planServiceControl } from '../adapters/service-control/factory.js';
import { whereRuns } from '../config/where.js';
import { componentFacts, controlOptions, notDoneProbe, readAssessment, requireController } from './service-control.js';
import type { Step } from './step.js';

function createStartHiveStep(): Step {
  return {
    id: 'start-hive',
    title: 'Start Hive on the DR cluster',
    destructive: false,
    plan(config) {
      return planServiceControl(config.dr.serviceControl, whereRuns(config.dr, 'shell'), 'started');
    },
    async probe(ctx) {
      const controller = requireController(ctx);
      const { state, assessment } = await readAssessment(controller, 'started', ctx.signal);
      if (assessment.status !== 'done') return notDoneProbe(assessment);
      return {
        status: 'done',
        reason: `Hive already started: ${assessment.reason}`,
        output: { controller: controller.kind, components: componentFacts(state), actions: [] },
      };
    },
    async run(ctx) {
      const controller = requireController(ctx);
      ctx.log.info('service-start', { controller: controller.describe() });
      const outcome = await controller.start(controlOptions(ctx));
      ctx.log.info('service-started', { actions: outcome.actions });
      const { state, assessment } = await readAssessment(controller, 'started', ctx.signal);
      if (state.observable && assessment.status !== 'done') {
        throw new AdapterError('E_SERVICE_NOT_PROVEN', `Hive is not proven started: ${assessment.reason}`, {
          hint:
            assessment.status === 'blocked'
              ? assessment.hint
              : 'look at the components listed above and their logs (/var/log/hive), then resume',
        });
      }
      return { controller: controller.kind, actions: outcome.actions, components: componentFacts(state) };
    },
    recovery:
      'Hive may be partly started on the new metastore database. Read the message above: it names the host and component that did not start; ' +
      'look at its log on that host (/var/log/hive or the role log in Cloudera Manager), fix it and resume: start-hive is safe to repeat. ' +
      'If the new metastore itself is wrong, stop Hive and run `hmsdr rollback` to put the previous database back before starting again.',
  };
}

export const startHiveStep = createStartHiveStep();
