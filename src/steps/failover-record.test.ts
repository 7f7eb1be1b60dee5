// The failover record: RPO = now − T0 of the served run, RTO = the failover's duration, and what
// the report says about a swap, a rewind and an accepted NOT-SAFE verdict.
import { describe, expect, it } from 'vitest';
import { renderFailoverHtml, renderFailoverMarkdown } from '../report/failover.js';
import type { FailoverCheckOutput } from './failover-check.js';
import { failoverRecord } from './failover-record.js';
import type { StepContext } from './step.js';

const check: FailoverCheckOutput = {
  verdict: 'NOT-SAFE',
  reasons: ['metastore partitions differ: table db1.t1: same number of partitions, other partition names'],
  repairable: ['/warehouse: extra file on DR: t1/x'],
  acceptedNotSafe: true,
  manifest: {
    file: '/runs/20261201t010000/manifest.json',
    runId: '20261201t010000',
    t0: '2026-12-01T01:00:00.000Z',
    t1: 'hmsdr-20261201t010000',
    sha256: 'a'.repeat(64),
  },
  live: { database: 'hive', runId: '20261130t010000' },
  swap: { staging: 'hive_hmsdr_20261201t010000', runId: '20261201t010000' },
  declinedSwap: null,
  dataRollback: [{ target: '/warehouse', snapshot: 'hmsdr-20261201t010000' }],
  checkedAt: '2026-12-02T03:00:01.000Z',
};

const ctx = {
  outputs: {
    'failover-check': check,
    'failover-swap': {
      swapped: 'hive_hmsdr_20261201t010000',
      live: 'hive',
      previous: 'hive_hmsdr_prev_20261201t010000',
      terminatedSessions: 0,
    },
    'failover-data': {
      rewound: [
        {
          target: '/warehouse',
          snapshot: 'hmsdr-20261201t010000',
          safetySnapshot: 'hmsdr-safety-20261202t030000',
          exitCode: 0,
          filesCopied: 2,
          bytesCopied: 10,
          durationMs: 5,
        },
        {
          target: '/user/hive',
          snapshot: 'hmsdr-20261201t010000',
          safetySnapshot: null,
          exitCode: null,
          filesCopied: 0,
          bytesCopied: 0,
          durationMs: 0,
        },
      ],
    },
    'start-hive': { controller: 'ambari', actions: [], components: [] },
  },
  run: { id: '20261202t030000', dir: '/runs/20261202t030000', startedAt: '2026-12-02T03:00:00.000Z' },
  config: { dr: { metastore: { database: 'hive' } } },
  adapters: { serviceControl: { kind: 'ambari' } },
} as unknown as StepContext;

describe('failoverRecord', () => {
  const record = failoverRecord(ctx, new Date('2026-12-02T03:05:00.000Z'));

  it('RPO is now − T0 of the served run; RTO the failover duration', () => {
    expect(record.rpoMs).toBe((26 * 60 + 5) * 60_000);
    expect(record.rtoMs).toBe(5 * 60_000);
    expect(record.serving).toMatchObject({ database: 'hive', runId: '20261201t010000', t1: 'hmsdr-20261201t010000' });
  });

  it('records the swap, only the paths actually rewound, and the accepted NOT-SAFE reasons', () => {
    expect(record.swapped).toEqual({
      staging: 'hive_hmsdr_20261201t010000',
      runId: '20261201t010000',
      previous: 'hive_hmsdr_prev_20261201t010000',
    });
    expect(record.rewound).toEqual([
      { target: '/warehouse', snapshot: 'hmsdr-20261201t010000', safetySnapshot: 'hmsdr-safety-20261202t030000' },
    ]);
    expect(record.acceptedNotSafe).toBe(true);
    expect(record.acceptedReasons).toEqual(check.reasons);
    expect(record.hive).toEqual({ controller: 'ambari', started: true });
  });

  it('the Markdown and HTML reports say it, escaped', () => {
    const md = renderFailoverMarkdown(record);
    expect(md).toContain('| RPO at failover (now − T0) | 26 h 5 min |');
    expect(md).toContain('NOT-SAFE — started anyway: --accept-not-safe');
    expect(md).toContain('## Accepted differences');
    expect(md).toContain('/warehouse → .snapshot/hmsdr-20261201t010000');
    const html = renderFailoverHtml({ ...record, serving: { ...record.serving, database: '<hive>' } });
    expect(html).toContain('&lt;hive&gt;');
    expect(html).not.toContain('<hive>');
  });
});
