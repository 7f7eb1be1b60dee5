// A resume after hmsdr was killed ends the remote commands the killed attempt left running: sshd
// does not end a command that never reads its closed stdin (a DistCp client, a psql waiting on a
// lock). They are found on their host by the job tag in their environment (remote-line.ts).
import type { RemoteJobRecord } from '../process/children.js';
import type { SshConnection } from './connection.js';
import { killJobCommand } from './remote-line.js';

export interface SshReachableSite {
  /** The configured SSH host of the site (undefined: no SSH). */
  readonly sshHost: string | undefined;
  ssh(): Promise<SshConnection>;
}

/** Kill a recorded job's processes on every site that connects to its host; the pids ended (none: already gone). */
export async function endRemoteJob(sites: readonly SshReachableSite[], job: RemoteJobRecord): Promise<number[]> {
  const on = sites.filter((s) => s.sshHost === job.host);
  if (on.length === 0) throw new Error(`no site of this configuration connects to ${job.host} over SSH`);
  const pids: number[] = [];
  for (const site of on) {
    const { stdout } = await (await site.ssh()).executor().run(killJobCommand(job.jobId));
    pids.push(...stdout.split(/\s+/).filter(Boolean).map(Number));
  }
  return pids;
}
