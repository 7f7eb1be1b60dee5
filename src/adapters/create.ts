// Real adapters for a run, built from the config. The only place that wires implementations to ports.
import type { ResolvedConfig } from '../config/load.js';
import type { RunInfo } from '../runbook/step.js';
import { withMetastoreAdmin } from './postgres/metastore-admin.js';
import { localExecutor } from './executor.js';
import type { Adapters } from './index.js';
import { createServiceController } from './service-control/factory.js';
import { createHdfsPorts } from './hdfs/hdfs.js';
import { createSite, type SitePort } from './site.js';

export async function createAdapters(config: ResolvedConfig, _run: RunInfo): Promise<Adapters> {
  const source = createSite(config, 'source');
  const dr = createSite(config, 'dr');
  // The command controller runs its systemctl-style commands on the DR SSH host.
  const drExecutor = config.dr.serviceControl.type === 'command' ? (await dr.ssh()).executor() : undefined;
  // Hadoop commands run here or on the site's edge node (hdfs.via), opened on first use.
  const hdfsExecutor = (site: SitePort, via: 'local' | 'ssh') =>
    via === 'ssh' ? { where: { host: config[site.name].ssh?.host ?? '?' }, open: async () => (await site.ssh()).executor() } : localExecutor;
  return {
    local: localExecutor,
    source,
    dr,
    hdfs: createHdfsPorts(config, { source: hdfsExecutor(source, config.source.hdfs.via), dr: hdfsExecutor(dr, config.dr.hdfs.via) }),
    serviceControl: createServiceController(config.dr.serviceControl, { drExecutor }),
    drSessions: {
      listSessions: (database, signal) => withMetastoreAdmin((db) => dr.connect(db, signal), (admin) => admin.listSessions(database, { clientsOnly: true })),
    },
    async close() {
      await Promise.all([source.close(), dr.close()]);
    },
  };
}
