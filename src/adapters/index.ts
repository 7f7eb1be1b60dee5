// The ports steps see. Real implementations are created by createAdapters (src/adapters/create.ts);
// tests pass doubles (test/harness/adapter-doubles.ts). Every port is always present.
import type { Executor } from './executor.js';
import type { HdfsPorts } from './hdfs/hdfs.js';
import type { SitePort } from './site.js';
import type { ServiceController } from './service-control/controller.js';
import type { SessionLister } from './service-control/sessions.js';

export interface Adapters {
  /** Runs commands on this machine. */
  readonly local: Executor;
  /** The production site: its metastore server, SSH host and PostgreSQL client programs. */
  readonly source: SitePort;
  /** The DR site: metastore server (staging, swap), SSH host, staging directory. */
  readonly dr: SitePort;
  /** Stops/starts Hive on the DR cluster (Ambari, Cloudera Manager, command or none); see src/adapters/service-control/factory.ts. */
  readonly serviceControl: ServiceController;
  /** Sessions on the DR metastore server's databases (stop-hive proves none are left). */
  readonly drSessions: SessionLister;
  /** HDFS of both sites (snapshots, DistCp, listings); see src/adapters/hdfs/hdfs.ts. */
  readonly hdfs: HdfsPorts;
  /** Close every connection the adapters opened (called once at the end of a run). */
  close(): Promise<void>;
  /** Called by the runner before each step: forget remembered HDFS answers. */
  beginStep?(): void;
}
