// FAULT MATRIX, streaming half: faults while dump-metastore streams pg_dump → rewriter → SSH → the
// DR staging file, on real parts (two PostgreSQL servers, a real sshd). After each fault: the live
// DR metastore answers and is unchanged, no staging database appeared, the run state names the step
// and the error code, no file carries the complete dump's name, and `resume` completes the run.
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HmsdrError } from '../../src/errors/errors.js';
import { ExitCode } from '../../src/errors/exit-codes.js';
import { stagedDumpName } from '../../src/transfer/staging.js';
import {
  drSnapshot,
  killPgDump,
  liveSummary,
  pgDumpPids,
  runPipeline,
  runState,
  sourceSummary,
  stagedFiles,
  statuses,
  waitFor,
  type Attempt,
  type DrSnapshot,
} from '../harness/pipeline-faults.js';
import { LAB_ENV, startPipelineLab, type PipelineLab } from '../harness/pipeline-lab.js';

let lab: PipelineLab;
let source: Awaited<ReturnType<typeof sourceSummary>>;
beforeAll(async () => {
  Object.assign(process.env, LAB_ENV);
  // ~20k partitions: a dump of several MB, so every fault lands well inside the stream.
  lab = await startPipelineLab('fstream', { generate: { databases: 2, tablesPerDatabase: 6, partitions: 20_000 } });
  source = await sourceSummary(lab);
}, 120_000);
afterAll(() => lab?.destroy());

const MB = 1024 * 1024;

/** The fault stopped the run in dump-metastore with `code`; nothing on the DR side changed. */
async function expectStoppedInDump(
  attempt: Attempt,
  code: string,
  before: DrSnapshot,
  exitCode: number = ExitCode.STEP_FAILED,
): Promise<void> {
  expect(attempt.result).toBeUndefined();
  expect(attempt.error).toBeInstanceOf(HmsdrError);
  expect((attempt.error as HmsdrError).exitCode).toBe(exitCode);
  const state = runState(lab.config, attempt.runId);
  expect(statuses(lab.config, attempt.runId)).toEqual(['failed', 'pending', 'pending', 'pending']);
  expect(state.steps['dump-metastore']!.error?.code).toBe(code);
  // Never a complete-looking file for a dump that did not complete.
  expect(stagedFiles(lab)).not.toContain(stagedDumpName(attempt.runId));
  // The live DR metastore answers, holds exactly what it held, and no staging database appeared.
  expect(await drSnapshot(lab)).toEqual(before);
  // Every process of the pipe is gone (no pg_dump left writing into nothing).
  await waitFor('no pg_dump left', () => pgDumpPids(lab.source.port).length === 0);
}

/** `resume` finishes the run: the live DR metastore now holds the source's content, rewritten. */
async function expectResumeCompletes(runId: string): Promise<void> {
  const resumed = await runPipeline(lab.config, { resumeRunId: runId });
  expect(resumed.error).toBeUndefined();
  expect(resumed.result?.complete).toBe(true);
  expect(statuses(lab.config, runId)).toEqual(['done', 'done', 'done', 'done']);
  const state = runState(lab.config, runId);
  const dump = state.steps['dump-metastore']!.output as { sha256: string; remoteSha256: string; stagedPath: string };
  expect(dump.remoteSha256).toBe(dump.sha256);
  expect(existsSync(dump.stagedPath)).toBe(true);
  expect(stagedFiles(lab)).not.toContain(`${stagedDumpName(runId)}.part`);
  expect(await liveSummary(lab)).toEqual({ ...source, oldLocations: 0 });
  const { databases } = await drSnapshot(lab);
  expect(databases).toContain(`hive_hmsdr_prev_${runId}`);
  expect(databases).not.toContain(`hive_hmsdr_${runId}`);
}

describe('fault matrix: while the dump streams', () => {
  it('SSH connection dropped mid-upload: E_SSH_DISCONNECTED, no complete-looking file, DR unchanged; resume completes', async () => {
    const before = await drSnapshot(lab);
    let cutAt = -1;
    const attempt = await runPipeline(lab.config, {
      faults: {
        upload: {
          afterBytes: 2 * MB,
          fire: (connection) => {
            cutAt = 2 * MB;
            connection.destroy(); // the TCP link goes away without a goodbye
          },
        },
      },
    });
    expect(cutAt).toBeGreaterThan(0);
    await expectStoppedInDump(attempt, 'E_SSH_DISCONNECTED', before);
    expect(runState(lab.config, attempt.runId).steps['dump-metastore']!.error?.message).toMatch(/SSH connection was lost/);
    // The .part may stay behind (the link was gone, nobody could remove it) but it is not a complete dump.
    const part = join(lab.stagingDir, `${stagedDumpName(attempt.runId)}.part`);
    if (existsSync(part)) expect(readFileSync(part, 'latin1')).not.toContain('PostgreSQL database dump complete');
    await expectResumeCompletes(attempt.runId);
  });

  it('pg_dump killed mid-stream: the step fails on its exit status, the .part is removed, DR unchanged; resume completes', async () => {
    const before = await drSnapshot(lab);
    let killed: number[] = [];
    const attempt = await runPipeline(lab.config, {
      faults: {
        // pg_dump's output is held after 1 MB (it blocks on the full pipe), then pg_dump is SIGKILLed.
        dumpOutput: {
          afterBytes: 1 * MB,
          fire: async () => {
            killed = await killPgDump(lab.source.port);
          },
        },
      },
    });
    expect(killed).toHaveLength(1);
    await expectStoppedInDump(attempt, 'E_COMMAND', before);
    const error = runState(lab.config, attempt.runId).steps['dump-metastore']!.error!;
    expect(error.message).toMatch(/pg_dump .*killed by SIGKILL/);
    expect(error.message).not.toContain(LAB_ENV.HMSDR_TEST_SOURCE_PW);
    // The link stayed up: the upload removed its .part.
    expect(stagedFiles(lab).filter((f) => f.startsWith(stagedDumpName(attempt.runId)))).toEqual([]);
    await expectResumeCompletes(attempt.runId);
  });

  it('DR disk full (the .part lands on /dev/full): E_SSH_UPLOAD_NO_SPACE, nothing staged, DR unchanged; resume completes', async () => {
    // The DR host's staging file system is "full": the run's .part is a symlink to /dev/full, so
    // the remote `tee <file>.part` gets ENOSPC on its first write, exactly as on a full disk (a
    // tiny tmpfs cannot be mounted here, and the lab's sshd user is root, so permission bits would
    // not refuse anything).
    const before = await drSnapshot(lab);
    mkdirSync(lab.stagingDir, { recursive: true, mode: 0o700 });
    const attempt = await runPipeline(lab.config, {
      onRunId: (runId) => symlinkSync('/dev/full', join(lab.stagingDir, `${stagedDumpName(runId)}.part`)),
    });
    await expectStoppedInDump(attempt, 'E_SSH_UPLOAD_NO_SPACE', before);
    const error = runState(lab.config, attempt.runId).steps['dump-metastore']!.error!;
    expect(error.stderrTail).toMatch(/No space left on device/);
    expect(error.hint).toMatch(/free space/);
    // The failed upload removed its .part (the link), never /dev/full itself.
    expect(existsSync(join(lab.stagingDir, `${stagedDumpName(attempt.runId)}.part`))).toBe(false);
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
    // Space is back (nothing to do: the link is gone): resume stages and restores.
    await expectResumeCompletes(attempt.runId);
    expect(lstatSync(join(lab.stagingDir, stagedDumpName(attempt.runId))).isFile()).toBe(true);
  });

  it('unknown DR host key: E_SSH_HOST_KEY_UNKNOWN, exit 4, nothing staged; with the key in known_hosts, resume completes', async () => {
    const before = await drSnapshot(lab);
    const stagedBefore = stagedFiles(lab);
    const knownHosts = lab.config.dr.ssh!.knownHostsFile!;
    const good = readFileSync(knownHosts, 'utf8');
    writeFileSync(knownHosts, '# the DR host was re-installed; its key is not here yet\n');
    let attempt: Attempt;
    try {
      attempt = await runPipeline(lab.config);
      await expectStoppedInDump(attempt, 'E_SSH_HOST_KEY_UNKNOWN', before, ExitCode.PRECONDITION);
      expect(stagedFiles(lab)).toEqual(stagedBefore);
      const error = runState(lab.config, attempt.runId).steps['dump-metastore']!.error!;
      expect(error.message).toMatch(/host key .* is not known/);
      expect(error.hint).toContain(lab.sshd.hostKeyFingerprint);
    } finally {
      writeFileSync(knownHosts, good); // the operator adds the right key (the config itself is unchanged)
    }
    await expectResumeCompletes(attempt.runId);
  });
});
