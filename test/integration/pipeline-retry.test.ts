// Bounded automatic retry on real parts (two PostgreSQL servers, a real sshd): the SSH link to the
// DR host is cut once while the dump uploads; `rehearse --retries 2` (runWithRetries, as the CLI
// calls it) resumes the same run, which ends ok with two attempts recorded, and the DR metastore
// answers throughout. The run also holds the cross-host lock on the DR server (released at the end).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdDrLock } from '../../src/adapters/dr-lock.js';
import { runWithRetries, type RetryRecord } from '../../src/runbook/retry.js';
import { drSnapshot, faultyAdapters, liveSummary, PIPELINE_STEPS, runState, sourceSummary, statuses } from '../harness/pipeline-faults.js';
import { LAB_ENV, startPipelineLab, type PipelineLab } from '../harness/pipeline-lab.js';

let lab: PipelineLab;
beforeAll(async () => {
  Object.assign(process.env, LAB_ENV);
  lab = await startPipelineLab('retry', { generate: { databases: 2, tablesPerDatabase: 6, partitions: 3000 } });
}, 120_000);
afterAll(() => lab?.destroy());

describe('rehearse --retries', () => {
  it('an SSH drop injected once during the transfer: the same run is resumed and ends ok with two attempts recorded', async () => {
    const source = await sourceSummary(lab);
    const before = await drSnapshot(lab);
    let cuts = 0;
    const liveDuringRetry: Record<string, string>[] = [];
    const retries: RetryRecord[] = [];
    const result = await runWithRetries(
      {
        config: lab.config,
        steps: PIPELINE_STEPS,
        adapters: (run) =>
          faultyAdapters(lab.config, run, {
            upload: {
              afterBytes: 128 * 1024,
              fire: (connection) => {
                if (cuts > 0) return;
                cuts += 1;
                connection.destroy(); // the TCP link goes away without a goodbye
              },
            },
          }),
        drLock: (runId) => holdDrLock(lab.config, runId),
        mode: 'rehearse',
        interactive: false,
        yes: true,
        renderer: 'silent',
        commandLine: 'hmsdr rehearse --yes --retries 2 --retry-delay 1s',
      },
      {
        retries: 2,
        delayMs: 1000,
        // While the run waits to be retried, the DR metastore is the one it was.
        sleep: async () => void liveDuringRetry.push((await drSnapshot(lab)).fingerprint),
        onRetry: (r) => retries.push(r),
      },
    );
    expect(cuts).toBe(1);
    expect(result.complete).toBe(true);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ runId: result.runId, attempt: 1, of: 3, code: 'E_SSH_DISCONNECTED' });
    expect(liveDuringRetry).toEqual([before.fingerprint]);
    expect(Object.keys(before.fingerprint).length).toBeGreaterThan(0);
    expect(statuses(lab.config, result.runId)).toEqual(['done', 'done', 'done', 'done']);
    expect(runState(lab.config, result.runId).steps['dump-metastore']!.attempts).toBe(2);
    const events = readFileSync(join(lab.config.runsDirAbs, result.runId, 'events.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.filter((e) => e['event'] === 'run-retry')).toEqual([
      expect.objectContaining({ level: 'warn', attempt: 1, code: 'E_SSH_DISCONNECTED' }),
    ]);
    expect(events.filter((e) => e['event'] === 'run-resumed')).toHaveLength(1);
    expect(await liveSummary(lab)).toEqual({ ...source, oldLocations: 0 });
    // The lock went with the run: another run could take it now.
    const again = await holdDrLock(lab.config, 'next-run');
    await again.release();
  });
});
