// A remote command left running by a killed hmsdr: sshd does not end a command that never reads its
// closed stdin, so the run records each remote command's job tag and host (children.json) and the
// next attempt kills what still carries the tag on that host. Real OpenSSH sshd on 127.0.0.1.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeLeftover, endLeftoverChildren, recordChildrenIn, type RemoteJobRecord } from '../../src/adapters/process/children.js';
import { connectSsh, type SshConnection } from '../../src/adapters/ssh/index.js';
import { endRemoteJob } from '../../src/adapters/ssh/leftover-jobs.js';
import { JOB_ENV } from '../../src/adapters/ssh/remote-line.js';
import { eventually } from '../harness/deadline.js';
import { sshConfigFor, startTestSshd, type Sshd } from '../harness/sshd.js';
import { makeTempDir, removeTempDir } from '../harness/temp.js';

let sshd: Sshd;
let dir: string;

beforeAll(async () => {
  sshd = await startTestSshd('ssh-leftover');
  dir = makeTempDir('ssh-leftover');
});

afterAll(async () => {
  recordChildrenIn(undefined);
  await sshd?.destroy();
  removeTempDir(dir);
});

/** Pids on this machine (the sshd's host) whose environment carries the job tag. */
function taggedPids(jobId: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`${JOB_ENV}=${jobId}`)) pids.push(Number(entry));
    } catch {
      /* exited, or not ours to read */
    }
  }
  return pids;
}

const connect = (): Promise<SshConnection> => connectSsh(sshConfigFor(sshd), { where: 'dr.ssh' });

describe('remote commands left running by a killed hmsdr', () => {
  it('are recorded by job tag while they run, forgotten once they exit, and ended by the next attempt', async () => {
    const file = join(dir, 'children.json');
    const recorded = (): RemoteJobRecord[] => JSON.parse(readFileSync(file, 'utf8')) as RemoteJobRecord[];
    recordChildrenIn(file);
    const first = await connect();
    await first.executor().run({ file: 'true', args: [] });
    expect(recorded(), 'a command that exited is forgotten').toEqual([]);

    const running = first
      .executor()
      .run({ file: 'sleep', args: ['300'] })
      .catch((error: unknown) => error);
    await eventually('the remote sleep recorded and running', () => {
      const [job] = recorded();
      return job !== undefined && taggedPids(job.jobId).length === 1;
    });
    const [job] = recorded();
    expect(job).toMatchObject({ host: sshd.host, program: 'sleep', jobId: expect.stringMatching(/^[\w-]{12}$/) });
    const remotePids = taggedPids(job!.jobId);

    // hmsdr "dies": it records nothing more and its connection goes.
    recordChildrenIn(undefined);
    first.close();
    expect(await running).toBeInstanceOf(Error);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(taggedPids(job!.jobId), 'the remote command outlived the connection (the reason for the record)').toEqual(remotePids);
    expect(recorded(), 'still recorded: the connection was lost before an exit status').toEqual([job]);

    const second = await connect();
    try {
      const errors: unknown[] = [];
      const ended = await endLeftoverChildren(file, 1_000, {
        end: (j) =>
          endRemoteJob(
            [
              { sshHost: undefined, ssh: () => Promise.reject(new Error('no SSH on this site')) },
              { sshHost: sshd.host, ssh: async () => second },
            ],
            j,
          ),
        onError: (_j, error) => errors.push(error),
      });
      expect(errors).toEqual([]);
      expect(ended).toEqual([{ ...job, pids: remotePids }]);
      await eventually('the leftover remote sleep ended', () => taggedPids(job!.jobId).length === 0);
      expect(recorded()).toEqual([]);
    } finally {
      second.close();
    }
  });

  it('a job whose host no site connects to is reported, not ended, and the record is cleared', async () => {
    const file = join(dir, 'children-unknown.json');
    const job: RemoteJobRecord = { host: 'edge9.example', jobId: 'abcdefghijkl', program: 'hadoop', startedAt: new Date().toISOString() };
    writeFileSync(file, JSON.stringify([job]));
    const errors: string[] = [];
    const ended = await endLeftoverChildren(file, 1_000, {
      end: (j) => endRemoteJob([{ sshHost: sshd.host, ssh: connect }], j),
      onError: (j, error) => errors.push(`${describeLeftover(j)}: ${(error as Error).message}`),
    });
    expect(ended).toEqual([]);
    expect(errors).toEqual([
      'hadoop on edge9.example (job abcdefghijkl): no site of this configuration connects to edge9.example over SSH',
    ]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([]);
  });
});
