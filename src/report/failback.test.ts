import { describe, expect, it } from 'vitest';
import { renderFailbackHtml, renderFailbackMarkdown, type FailbackRecord } from './failback.js';

const record = (over: Partial<FailbackRecord['paths'][number]> = {}): FailbackRecord => ({
  version: 1,
  runId: '20261202t100000',
  startedAt: '2026-12-02T10:00:00.000Z',
  finishedAt: '2026-12-02T10:01:15.000Z',
  metastore: { database: 'hive', restoredFromRun: '20261202t100000', previous: 'hive_hmsdr_prev_20261202t100000' },
  durationMs: 75_000,
  paths: [
    {
      source: '/w',
      target: '/w',
      common: 'hmsdr-20261201t000000',
      kept: 'hmsdr-kept-20261202t100000',
      renamed: [{ from: 'hmsdr-20261201t120000', to: 'hmsdr-kept-20261202t100000-hmsdr-20261201t120000' }],
      unreplicated: [
        { label: 'M', path: '' },
        { label: '+', path: 'db/<t>/part=1' },
        { label: 'R', path: 'a', target: 'b' },
      ],
      unreplicatedCount: 3,
      rewound: true,
      snapshot: 'hmsdr-20261202t100000',
      copyMode: 'incremental',
      nextIncremental: true,
      ...over,
    },
  ],
});

describe('failback record', () => {
  it('lists every unreplicated write with where it is kept, and the next run incremental', () => {
    const md = renderFailbackMarkdown(record());
    expect(md).toContain('### /w (kept in .snapshot/hmsdr-kept-20261202t100000)');
    expect(md).toMatch(/```\nM \.\n\+ db\/<t>\/part=1\nR a -> b\n```/);
    expect(md).toContain('hmsdr-20261201t120000 → hmsdr-kept-20261202t100000-hmsdr-20261201t120000');
    expect(md).toContain('incremental from hmsdr-20261202t100000 on every path');
    expect(md).toContain('kept as hive_hmsdr_prev_20261202t100000');
  });

  it('says how many more changes the record does not list, and when the next run is not incremental', () => {
    const md = renderFailbackMarkdown(record({ unreplicatedCount: 503, nextIncremental: false }));
    expect(md).toContain('… 500 more (failback-paths.json)');
    expect(md).toContain('not incremental on /w');
  });

  it('the HTML page escapes paths and holds the same facts', () => {
    const html = renderFailbackHtml(record());
    expect(html).toContain('+ db/&lt;t&gt;/part=1');
    expect(html).not.toContain('<t>');
    expect(html).toContain('Content-Security-Policy');
  });

  it('nothing unreplicated: says so', () => {
    const md = renderFailbackMarkdown(record({ kept: null, unreplicated: [], unreplicatedCount: 0, renamed: [], rewound: false }));
    expect(md).toContain('None: production had written nothing after its last replication.');
    expect(md).toContain('nothing: production was at the common snapshot');
  });
});
