// Builds the configured ServiceController (reading its password at that moment) and the pure plan
// of each controller type for `hmsdr plan`.
import { ConfigError } from '../../errors/errors.js';
import type { ServiceControlConfig } from '../../config/schema.js';
import { readSecret } from '../../config/secrets.js';
import type { Action, Where } from '../../actions/action.js';
import { createAmbariController, planAmbari } from '../ambari/client.js';
import { createClouderaManagerController, planClouderaManager } from '../cloudera-manager/client.js';
import type { Executor } from '../executor.js';
import { createCommandController, planCommandControl } from './command-controller.js';
import type { ServiceController, Target } from './controller.js';
import { createNoneController, planManualControl } from './none-controller.js';

export interface ServiceControlDeps {
  /** Executor on the DR SSH host; required by the `command` controller. */
  readonly drExecutor?: Executor;
  readonly env?: NodeJS.ProcessEnv;
}

const WHERE = 'dr.serviceControl';

export function createServiceController(config: ServiceControlConfig, deps: ServiceControlDeps = {}): ServiceController {
  switch (config.type) {
    case 'ambari':
      return createAmbariController(config, requirePassword(config, deps.env));
    case 'cloudera-manager':
      return createClouderaManagerController(config, requirePassword(config, deps.env));
    case 'command':
      if (!deps.drExecutor) throw new ConfigError(`${WHERE}.type is "command" but no DR SSH executor is available (configure dr.ssh)`);
      return createCommandController(config, deps.drExecutor);
    case 'none':
      return createNoneController();
  }
}

/** What stop/start will do, from config alone (no secret read, no connection). */
/** `where`: where the `command` controller's commands run (whereRuns(config.dr, 'shell')). */
export function planServiceControl(config: ServiceControlConfig, where: Where, target: Target): Action[] {
  switch (config.type) {
    case 'ambari':
      return planAmbari(config, target);
    case 'cloudera-manager':
      return planClouderaManager(config, target);
    case 'command':
      return planCommandControl(config, where, target);
    case 'none':
      return planManualControl(target);
  }
}

function requirePassword(
  config: { passwordEnv?: string | undefined; passwordFile?: string | undefined },
  env: NodeJS.ProcessEnv | undefined,
): string {
  const password = readSecret(config, WHERE, env);
  if (password === undefined) {
    throw new ConfigError(`${WHERE}: no password configured`, [
      { path: `${WHERE}.passwordEnv`, message: 'set passwordEnv or passwordFile' },
    ]);
  }
  return password;
}
