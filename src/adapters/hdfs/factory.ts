// Wires the HDFS ports of a config: each site's Hadoop commands run locally or, with
// `hdfs.via: ssh`, on the site's SSH host (the connection is opened on first use).
import type { ResolvedConfig } from '../../config/load.js';
import { localExecutor } from '../executor.js';
import type { SitePort } from '../site.js';
import { createHdfsPorts, type ExecutorSource, type HdfsPorts } from './hdfs.js';

function executorFor(config: ResolvedConfig, side: 'source' | 'dr', site: Pick<SitePort, 'ssh'>): ExecutorSource {
  const spec = config[side];
  if (spec.hdfs.via !== 'ssh' || !spec.ssh) return localExecutor;
  return { where: { host: spec.ssh.host }, open: async () => (await site.ssh()).executor() };
}

/** For createAdapters: `hdfs: hdfsPortsFor(config, { source, dr })` with the run's SitePorts. */
export function hdfsPortsFor(config: ResolvedConfig, sites: { source: Pick<SitePort, 'ssh'>; dr: Pick<SitePort, 'ssh'> }): HdfsPorts {
  return createHdfsPorts(config, { source: executorFor(config, 'source', sites.source), dr: executorFor(config, 'dr', sites.dr) });
}
