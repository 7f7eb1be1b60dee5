// Real adapters for a run, built from the config. The only place that wires implementations to ports.
import type { ResolvedConfig } from '../config/load.js';
import { withMetastoreAdmin } from './postgres/metastore-admin.js';
import { localExecutor } from './executor.js';
import type { Adapters } from './index.js';
import { createServiceController } from './service-control/factory.js';
import { hdfsPortsFor } from './hdfs/factory.js';
import { withReadCache } from './hdfs/read-cache.js';
import { createSite } from './site.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CHILDREN_FILE, describeLeftover, endLeftoverChildren, recordChildrenIn } from './process/children.js';
import { endRemoteJob } from './ssh/leftover-jobs.js';

export async function createAdapters(config: ResolvedConfig, run?: { readonly id: string; readonly dir?: string }): Promise<Adapters> {
  const recording = run?.dir !== undefined && existsSync(run.dir); // `plan` has no run directory
  const source = createSite(config, 'source');
  const dr = createSite(config, 'dr');
  // Hadoop commands run here or on the site's edge node (hdfs.via), opened on first use.
  const hdfs = hdfsPortsFor(config, { source, dr });
  if (recording) {
    // A resume after hmsdr was killed: end what the killed attempt left running, then record this one's.
    const file = join(run!.dir!, CHILDREN_FILE);
    const ended = await endLeftoverChildren(file, undefined, {
      end: (job) =>
        endRemoteJob(
          [source, dr].map((site) => ({ sshHost: config[site.name].ssh?.host, ssh: () => site.ssh() })),
          job,
        ),
      // Through the Hadoop client of the site that submitted it; a job that already ended is not news.
      endYarn: async (app) => (await hdfs[app.site === 'source' ? 'source' : 'dr'].killApplication?.(app.applicationId)) === 'killed',
      onError: (left, error) =>
        process.stderr.write(
          `could not end ${describeLeftover(left)}, left by an earlier attempt of run ${run!.id}: ${(error as Error).message}\n`,
        ),
    });
    for (const c of ended) process.stderr.write(`ended ${describeLeftover(c)}, left running by an earlier attempt of run ${run!.id}\n`);
    recordChildrenIn(file);
  }
  // The command controller runs its systemctl-style commands on the DR host (the config requires dr.ssh).
  const drExecutor = config.dr.serviceControl.type === 'command' ? await dr.executor('shell') : undefined;
  // Read caches: a step's probe and run share snapshot-state answers; forgotten at each step start.
  const cached = { source: withReadCache(hdfs.source), dr: withReadCache(hdfs.dr) };
  return {
    local: localExecutor,
    source,
    dr,
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
      if (recording) recordChildrenIn(undefined);
      await Promise.all([source.close(), dr.close()]);
    },
  };
}
