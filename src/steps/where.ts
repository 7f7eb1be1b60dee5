// Where a site's PostgreSQL client programs run, for plans (same rule as SitePort.pgExecutor).
import type { ResolvedConfig } from '../config/load.js';

export function pgWhere(config: ResolvedConfig, side: 'source' | 'dr'): 'local' | { host: string } {
  const site = config[side];
  return site.metastore.via === 'ssh' && site.ssh ? { host: site.ssh.host } : 'local';
}

/** Marks a secret in plans: printed as *** like the real one. */
export const PLAN_SECRET = '<secret>';

export const planPassword = (ref: { passwordEnv?: string | undefined; passwordFile?: string | undefined }): string | undefined =>
  ref.passwordEnv || ref.passwordFile ? PLAN_SECRET : undefined;
