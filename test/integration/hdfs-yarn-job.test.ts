// A DistCp job outlives its client, as on a real cluster: the stand-in's YARN keeps the job copying
// after the `hadoop distcp` client is killed, and `yarn application -kill` answers as
// ApplicationCLI does. hmsdr reads the application id from DistCp's log, kills the job of a
// DistCp it interrupts, and a resume kills the job a killed hmsdr left (children.json).
import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DistcpSpec } from '../../src/adapters/hdfs/commands.js';
import { endLeftoverChildren, recordChildrenIn, type YarnAppRecord } from '../../src/adapters/process/children.js';
import { readApp, runningApplications } from '../../src/lab/hadoop/yarn.js';
import { ensureStandinBuilt, HADOOP_BIN, REPO, standinEnv, standinPorts, tempRoot } from './hdfs-harness.js';

const YARN_BIN = join(REPO, 'fixtures/bin/yarn');
const FILES = 30;
const DELAY_MS = 150; // per file copied: the job runs for about 4.5 s
const temp = tempRoot('hmsdr-yarn-');
const env = { ...standinEnv(temp.root, 'hdfs://drns'), HMSDR_HADOOP_STANDIN_DELAY_MS: String(DELAY_MS) };
const hdfs = standinPorts(temp.root, undefined, { HMSDR_HADOOP_STANDIN_DELAY_MS: String(DELAY_MS) });

beforeAll(async () => {
  await ensureStandinBuilt();
  for (const dir of ['a', 'b', 'c', 'd']) {
    mkdirSync(join(temp.root, 'prodns', dir), { recursive: true });
    for (let i = 0; i < FILES; i++) writeFileSync(join(temp.root, 'prodns', dir, `f${i}`), `file ${i} of ${dir}\n`);
  }
}, 120_000);

afterAll(async () => {
  // Nothing this file started may outlive it: every job ended.
  for (const app of runningApplications(temp.root)) await yarn(['application', '-kill', app.id]);
  temp.cleanup();
});

const yarn = async (args: string[]) => {
  const r = await execa(YARN_BIN, args, { env, reject: false });
  return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
};

const copied = (dir: string): number => (existsSync(join(temp.root, 'drns', dir)) ? readdirSync(join(temp.root, 'drns', dir)).length : 0);

const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Poll until `test` holds (generous: the machine may be loaded). */
async function until(what: string, test: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  for (const start = Date.now(); !(await test()); await sleep(50))
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
}

const spec = (dir: string): DistcpSpec => ({
  mode: 'full',
  source: `hdfs://prodns/${dir}`,
  target: `hdfs://drns/${dir}`,
  preserve: '',
  maps: 2,
  extraArgs: [],
});

/** Start `hadoop distcp` and wait for its log to name the application. */
async function startClient(dir: string): Promise<{ client: ReturnType<typeof execa>; applicationId: string }> {
  const client = execa(HADOOP_BIN, ['distcp', '-update', `hdfs://prodns/${dir}`, `hdfs://drns/${dir}`], { env, reject: false });
  let stderr = '';
  client.stderr!.on('data', (b: Buffer) => void (stderr += b.toString()));
  await until('the submission line', () => /Submitted application application_\d+_\d+/.test(stderr));
  return { client, applicationId: /Submitted application (application_\d+_\d+)/.exec(stderr)![1]! };
}

describe('the stand-in: a DistCp job belongs to YARN once submitted', () => {
  it('goes on copying after its client is killed, until `yarn application -kill`; the CLI answers as ApplicationCLI', async () => {
    const { client, applicationId } = await startClient('a');
    client.kill('SIGKILL');
    await client;
    const atKill = copied('a');
    await until('the job to copy on without its client', () => copied('a') > atKill);
    const listed = await yarn(['application', '-list']);
    expect(listed.stdout).toContain(
      'Total number of applications (application-types: [], states: [SUBMITTED, ACCEPTED, RUNNING] and tags: []):1',
    );
    expect(listed.stdout).toMatch(new RegExp(`${applicationId}\\s+distcp\\s+MAPREDUCE\\s+\\S+\\s+default\\s+RUNNING\\s+UNDEFINED`));
    const pid = readApp(applicationId, temp.root)!.pid!;
    expect(processAlive(pid)).toBe(true);

    const killed = await yarn(['application', '-kill', applicationId]);
    expect(killed).toMatchObject({ exitCode: 0, stdout: `Killing application ${applicationId}` });
    expect(killed.stderr).toMatch(new RegExp(`INFO impl.YarnClientImpl: Killed application ${applicationId}$`));
    await until('the job process to end', () => !processAlive(pid));
    const afterKill = copied('a');
    expect(afterKill).toBeLessThan(FILES);
    await sleep(4 * DELAY_MS);
    expect(copied('a'), 'nothing is copied once the job is killed').toBe(afterKill);

    expect(await yarn(['application', '-kill', applicationId])).toMatchObject({
      exitCode: 0,
      stdout: `Application ${applicationId} has already finished `,
    });
    expect((await yarn(['application', '-status', applicationId])).stdout).toMatch(/\tState : KILLED\n\tFinal-State : KILLED\n/);
    const unknown = 'application_1_9999';
    expect(await yarn(['application', '-kill', unknown])).toMatchObject({
      exitCode: 255,
      stdout: `Application with id '${unknown}' doesn't exist in RM.`,
    });
  });

  it('a client that waits reports the job killed under it: state KILLED, exit 25', async () => {
    const { client, applicationId } = await startClient('b');
    await yarn(['application', '-kill', applicationId]);
    const ended = await client;
    expect(ended.exitCode).toBe(25);
    expect(String(ended.stderr)).toMatch(
      /INFO mapreduce.Job: Job job_\d+_\d+ failed with state KILLED due to: Application killed by user\./,
    );
    expect(String(ended.stderr)).toMatch(/java.io.IOException: DistCp failure: Job job_\d+_\d+ has failed/);
  });
});

describe('hmsdr ends the DistCp jobs it leaves', () => {
  it('an interrupted DistCp: the client stopped, its job killed, the record cleared', async () => {
    const file = join(temp.root, 'children-interrupt.json');
    recordChildrenIn(file);
    try {
      const abort = new AbortController();
      let applicationId: string | undefined;
      const run = hdfs.dr.distcp(spec('c'), {
        signal: abort.signal,
        onStderr: (chunk) => void (applicationId ??= /Submitted application (application_\d+_\d+)/.exec(chunk)?.[1]),
      });
      await until('the submission', () => applicationId !== undefined);
      const recorded = JSON.parse(readFileSync(file, 'utf8')) as YarnAppRecord[];
      expect(recorded.filter((r) => 'applicationId' in r)).toMatchObject([{ site: 'dr', applicationId, program: 'distcp' }]);
      abort.abort();
      await expect(run).rejects.toThrow();
      expect(readApp(applicationId!, temp.root)).toMatchObject({ state: 'KILLED' });
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([]);
      const afterKill = copied('c');
      await sleep(4 * DELAY_MS);
      expect(copied('c')).toBe(afterKill);
    } finally {
      recordChildrenIn(undefined);
    }
  });

  it('a resume kills the job a killed hmsdr left running (children.json), and says so once', async () => {
    const { client, applicationId } = await startClient('d');
    client.kill('SIGKILL'); // hmsdr and its client gone; the job copies on
    await client;
    const file = join(temp.root, 'children-resume.json');
    const left: YarnAppRecord = { site: 'dr', applicationId, program: 'distcp', startedAt: new Date().toISOString() };
    const finished: YarnAppRecord = { ...left, applicationId: 'application_1_0042' }; // unknown to the RM: nothing to end
    writeFileSync(file, JSON.stringify([left, finished]));
    const endYarn = async (app: YarnAppRecord) => (await hdfs.dr.killApplication!(app.applicationId)) === 'killed';
    expect(await endLeftoverChildren(file, 1_000, { endYarn })).toEqual([left]);
    expect(readApp(applicationId, temp.root)).toMatchObject({ state: 'KILLED' });
    expect(runningApplications(temp.root)).toEqual([]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([]);
  });
});
