// Wires the HDFS ports of a config: each site's Hadoop commands run locally or, with
// `hdfs.via: ssh`, on the site's SSH host (the connection is opened on first use).
import type { ResolvedConfig } from '../../config/load.js';
import { localExecutor } from '../executor.js';
import type { SitePort } from '../site.js';
import { createHdfsPorts, type ExecutorSource, type HdfsPorts } from './hdfs.js';

type HdfsSite = Pick<SitePort, 'where' | 'executor'>;

function executorFor(site: HdfsSite): ExecutorSource {
  const where = site.where('hdfs');
  return where === 'local' ? localExecutor : { where, open: () => site.executor('hdfs') };
}

/** For createAdapters: `hdfs: hdfsPortsFor(config, { source, dr })` with the run's SitePorts. */
export function hdfsPortsFor(config: ResolvedConfig, sites: { source: HdfsSite; dr: HdfsSite }): HdfsPorts {
  return createHdfsPorts(config, { source: executorFor(sites.source), dr: executorFor(sites.dr) });
}
