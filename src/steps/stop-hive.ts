// Step 7: stop Hive on the DR cluster and prove it: every non-client component on every host is
// stopped (never the service summary), then no session is left on the live DR metastore database.
import { AdapterError, InternalError } from '../errors/errors.js';
import { planned } from '../adapters/postgres/metastore-admin.js';
import { planServiceControl } from '../adapters/service-control/factory.js';
import { whereRuns } from '../config/where.js';
import { sleep } from '../adapters/service-control/http.js';
import { describeSession, HMSDR_APPLICATION_NAME, type DbSession, type SessionLister } from '../adapters/service-control/sessions.js';
import { componentFacts, controlOptions, notDoneProbe, readAssessment, requireController } from './service-control.js';
import type { Action, Step, StepContext } from './step.js';

export interface StopHiveOptions {
  /** How long sessions may take to disappear after the processes stopped (TCP teardown). */
  readonly sessionGraceMs?: number;
  readonly sessionPollMs?: number;
}

export function createStopHiveStep(options: StopHiveOptions = {}): Step {
  const graceMs = options.sessionGraceMs ?? 15_000;
  const pollMs = options.sessionPollMs ?? 500;

  const sessionsLeft = async (ctx: StepContext, waitMs: number): Promise<readonly DbSession[]> => {
    const lister = requireSessions(ctx);
    const database = ctx.config.dr.metastore.database;
    const deadline = Date.now() + waitMs;
    for (;;) {
      const others = (await lister.listSessions(database, ctx.signal)).filter((s) => s.applicationName !== HMSDR_APPLICATION_NAME);
      if (others.length === 0 || Date.now() >= deadline) return others;
      ctx.progress(`waiting for ${others.length} session(s) to leave ${database}`);
      await sleep(pollMs, ctx.signal, `waiting for sessions to leave ${database}`);
    }
  };

  return {
    id: 'stop-hive',
    title: 'Stop Hive on the DR cluster',
    destructive: true,
    plan(config): Action[] {
      return [
        ...planServiceControl(config.dr.serviceControl, whereRuns(config.dr, 'shell'), 'stopped'),
        {
          kind: 'sql',
          target: 'dr',
          database: 'postgres',
          text: planned.listSessions(config.dr.metastore.database, { clientsOnly: true }),
          description: 'prove no client is left on the live metastore database',
        },
      ];
    },
    async probe(ctx) {
      const { state, assessment } = await readAssessment(requireController(ctx), 'stopped', ctx.signal);
      if (assessment.status !== 'done') return notDoneProbe(assessment);
      const sessions = await sessionsLeft(ctx, 0);
      if (sessions.length > 0)
        return {
          status: 'todo',
          reason: `Hive is stopped but ${sessions.length} session(s) remain on ${ctx.config.dr.metastore.database}`,
        };
      return {
        status: 'done',
        reason: `Hive already stopped: ${assessment.reason}; no session on ${ctx.config.dr.metastore.database}`,
        output: { controller: requireController(ctx).kind, components: componentFacts(state), actions: [] },
      };
    },
    async run(ctx) {
      const controller = requireController(ctx);
      ctx.log.info('service-stop', { controller: controller.describe() });
      const outcome = await controller.stop(controlOptions(ctx));
      ctx.log.info('service-stopped', { actions: outcome.actions });
      const { state, assessment } = await readAssessment(controller, 'stopped', ctx.signal);
      if (state.observable && assessment.status !== 'done') {
        throw new AdapterError('E_SERVICE_NOT_PROVEN', `Hive is not proven stopped: ${assessment.reason}`, {
          hint: assessment.status === 'blocked' ? assessment.hint : 'look at the components listed above, stop them, then resume',
        });
      }
      const database = ctx.config.dr.metastore.database;
      const sessions = await sessionsLeft(ctx, graceMs);
      if (sessions.length > 0) {
        throw new AdapterError(
          'E_SESSIONS_REMAIN',
          `Hive is stopped but ${sessions.length} session(s) remain on the DR metastore database ${database}: ${sessions.map(describeSession).join('; ')}`,
          {
            hint: 'stop these clients (a Hive process outside the cluster manager, Ranger/Atlas hooks, Impala catalogd, a psql session), or terminate them with pg_terminate_backend(pid), then resume',
          },
        );
      }
      return {
        controller: controller.kind,
        actions: outcome.actions,
        components: componentFacts(state),
        sessionsOn: database,
        sessionsLeft: 0,
      };
    },
    recovery:
      'Hive may be partly stopped; the DR metastore database was not changed by this step. Read the message above: it names the host and ' +
      'component that refused to stop, or the clients still connected. Fix that on the host (or in Ambari / Cloudera Manager: take the host out of ' +
      'maintenance mode, restart its agent), then resume: the step repeats the stop only where needed. To give up, start Hive again in the cluster manager.',
  };
}

function requireSessions(ctx: StepContext): SessionLister {
  if (!ctx.adapters.drSessions) throw new InternalError('the drSessions adapter is not wired into the step context (createAdapters)');
  return ctx.adapters.drSessions;
}

export const stopHiveStep = createStopHiveStep();
