// Where a site's commands run: the one rule, used by plans (printed `[ssh host]` / `[local]`) and by
// the adapters that open the executors, so what `hmsdr plan` shows is where the run goes.
import type { Where } from '../actions/action.js';
import type { ResolvedConfig } from './load.js';

/**
 * pg: pg_dump / psql / the metastore connection (`metastore.via`); hdfs: hdfs / hadoop
 * (`hdfs.via`); shell: commands on the site's own host (service control `command`, the smoke test).
 */
export type SiteTool = 'pg' | 'hdfs' | 'shell';

export type SiteName = 'source' | 'dr';

type SiteConfig = Pick<ResolvedConfig['source'], 'metastore' | 'hdfs' | 'ssh'>;

/**
 * On the site's SSH host when the tool goes `via: ssh` (shell commands: whenever the site has one),
 * else on this machine. The config rules refuse `via: ssh` without `ssh`.
 */
export function whereRuns(site: SiteConfig, tool: SiteTool): Where {
  const via = tool === 'pg' ? site.metastore.via : tool === 'hdfs' ? site.hdfs.via : 'ssh';
  return via === 'ssh' && site.ssh ? { host: site.ssh.host } : 'local';
}

/** Where `side`'s PostgreSQL client programs run (plans). */
export const pgWhere = (config: ResolvedConfig, side: SiteName): Where => whereRuns(config[side], 'pg');

/** Where `side`'s Hadoop commands run (plans). */
export const hdfsWhere = (config: ResolvedConfig, side: SiteName): Where => whereRuns(config[side], 'hdfs');
