// Real adapters for a run, built from the config. The only place that wires implementations to ports.
import type { ResolvedConfig } from '../config/load.js';
import { withMetastoreAdmin } from './postgres/metastore-admin.js';
import { localExecutor } from './executor.js';
import type { Adapters } from './index.js';
import { createServiceController } from './service-control/factory.js';
import { hdfsPortsFor } from './hdfs/factory.js';
import { withReadCache } from './hdfs/read-cache.js';
import { createSite } from './site.js';

export async function createAdapters(config: ResolvedConfig, _run?: { readonly id: string }): Promise<Adapters> {
  const source = createSite(config, 'source');
  const dr = createSite(config, 'dr');
  // The command controller runs its systemctl-style commands on the DR host (the config requires dr.ssh).
  const drExecutor = config.dr.serviceControl.type === 'command' ? await dr.executor('shell') : undefined;
  // Read caches: a step's probe and run share snapshot-state answers; forgotten at each step start.
  const hdfs = hdfsPortsFor(config, { source, dr });
  const cached = { source: withReadCache(hdfs.source), dr: withReadCache(hdfs.dr) };
  return {
    local: localExecutor,
    source,
    dr,
    // Hadoop commands run here or on the site's edge node (hdfs.via), opened on first use.
    hdfs: cached,
    beginStep() {
      cached.source.forget();
      cached.dr.forget();
    },
    serviceControl: createServiceController(config.dr.serviceControl, { drExecutor }),
    drSessions: {
      listSessions: (database, signal) =>
        withMetastoreAdmin(
          (db) => dr.connect(db, signal),
          (admin) => admin.listSessions(database, { clientsOnly: true }),
        ),
    },
    async close() {
      await Promise.all([source.close(), dr.close()]);
    },
  };
}
