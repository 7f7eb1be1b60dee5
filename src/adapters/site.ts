// One site (source or DR) as the steps see it: where its PostgreSQL client programs run, a pg
// connection to its metastore server (over an SSH channel when the site says `via: ssh`), and
// its SSH connection. Everything opens lazily and closes with the run.
import type { Where } from '../actions/action.js';
import type { ResolvedConfig } from '../config/load.js';
import type { MetastoreConfig, SshHostConfig } from '../config/schema.js';
import { whereRuns, type SiteName, type SiteTool } from '../config/where.js';
import { AdapterError } from '../errors/errors.js';
import { ExitCode } from '../errors/exit-codes.js';
import { localExecutor, type Executor } from './executor.js';
import { connectMetastore, type PgClient } from './postgres/connection.js';
import { connectSsh, type SshConnection } from './ssh/index.js';

export type { SiteName, SiteTool };

export interface SitePort {
  readonly name: SiteName;
  readonly metastore: MetastoreConfig;
  /** Where the site's `tool` commands run (the rule of config/where.ts). */
  where(tool: SiteTool): Where;
  /** An executor where `tool` commands run: this machine, or the site's SSH connection. */
  executor(tool: SiteTool, signal?: AbortSignal): Promise<Executor>;
  /** Where pg_dump / psql run (metastore.via): executor('pg'). */
  pgExecutor(signal?: AbortSignal): Promise<Executor>;
  /** A new pg client to `database` (default: the metastore) on the site's server; the caller ends it. */
  connect(database?: string, signal?: AbortSignal, applicationName?: string): Promise<PgClient>;
  /** The site's SSH connection (opened once). */
  ssh(signal?: AbortSignal): Promise<SshConnection>;
  /** True when the site has an SSH host configured. */
  readonly hasSsh: boolean;
  /** Why the site's SSH connection dropped, when one was open and dropped (pg connections over it died with it). */
  sshLost(): string | undefined;
  close(): Promise<void>;
}

export function createSite(config: ResolvedConfig, name: SiteName): SitePort {
  const site = config[name];
  let ssh: Promise<SshConnection> | undefined;
  let opened: SshConnection | undefined;
  const openSsh = (signal?: AbortSignal): Promise<SshConnection> => {
    const host: SshHostConfig | undefined = site.ssh;
    if (!host) {
      return Promise.reject(
        new AdapterError('E_SITE_NO_SSH', `${name}.ssh is not configured`, {
          exitCode: ExitCode.CONFIG,
          hint: `add ${name}.ssh to the configuration`,
        }),
      );
    }
    if (opened && !opened.isOpen) {
      // The connection dropped: clean-up after a failure (dropping a staging database through it)
      // must be able to connect again.
      ssh = opened = undefined;
    }
    ssh ??= connectSsh(host, { signal, where: `${name}.ssh` });
    ssh.then(
      (connection) => {
        opened = connection;
      },
      () => {
        ssh = undefined;
      },
    ); // a failed attempt may be retried by a resumed step
    return ssh;
  };
  const where = (tool: SiteTool): Where => whereRuns(site, tool);
  const executor = async (tool: SiteTool, signal?: AbortSignal): Promise<Executor> =>
    where(tool) === 'local' ? localExecutor : (await openSsh(signal)).executor();
  return {
    name,
    metastore: site.metastore,
    hasSsh: site.ssh !== undefined,
    where,
    executor,
    pgExecutor: (signal) => executor('pg', signal),
    async connect(database, signal, applicationName) {
      const named = applicationName ? { applicationName } : {};
      if (where('pg') === 'local') return connectMetastore(site.metastore, { database, where: `${name}.metastore`, ...named });
      // The server is addressed as the SSH host sees it: each connection is an SSH channel to it.
      const connection = await openSsh(signal);
      const socket = () => connection.socketTo(site.metastore.host, site.metastore.port);
      return connectMetastore(site.metastore, { database, where: `${name}.metastore`, socket, ...named });
    },
    ssh: openSsh,
    sshLost: () => (opened && !opened.isOpen ? (opened.lostReason ?? 'the connection closed') : undefined),
    async close() {
      (await ssh?.catch(() => undefined))?.close();
      ssh = opened = undefined;
    },
  };
}
