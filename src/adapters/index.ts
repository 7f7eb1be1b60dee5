// The ports steps see. Real implementations are created in src/cli (createAdapters); tests pass fakes.
// Each outside system adds its port here as its adapter lands.
import type { Executor } from './executor.js';
import type { HdfsPorts } from './hdfs/hdfs.js';
import type { ServiceController } from './service-control/controller.js';
import type { SessionLister } from './service-control/sessions.js';

export interface Adapters {
  /** Runs commands on this machine. */
  readonly local: Executor;
  /** Stops/starts Hive on the DR cluster (Ambari, Cloudera Manager, command or none); see src/adapters/service-control/factory.ts. */
  readonly serviceControl?: ServiceController;
  /** Sessions on the DR metastore server's databases (stop-hive proves none are left). */
  readonly drSessions?: SessionLister;
  /** HDFS of both sites (snapshots, DistCp, listings); see src/adapters/hdfs/hdfs.ts. */
  readonly hdfs?: HdfsPorts;
}
