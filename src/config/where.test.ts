import { describe, expect, it } from 'vitest';
import { whereRuns } from './where.js';

const site = (metastoreVia: 'local' | 'ssh', hdfsVia: 'local' | 'ssh', ssh = true) =>
  ({
    metastore: { via: metastoreVia },
    hdfs: { via: hdfsVia },
    ...(ssh ? { ssh: { host: 'edge.example' } } : {}),
  }) as unknown as Parameters<typeof whereRuns>[0];

describe('whereRuns', () => {
  it('follows metastore.via for PostgreSQL programs and hdfs.via for Hadoop commands, each on its own', () => {
    expect(whereRuns(site('ssh', 'local'), 'pg')).toEqual({ host: 'edge.example' });
    expect(whereRuns(site('ssh', 'local'), 'hdfs')).toBe('local');
    expect(whereRuns(site('local', 'ssh'), 'pg')).toBe('local');
    expect(whereRuns(site('local', 'ssh'), 'hdfs')).toEqual({ host: 'edge.example' });
  });

  it('runs shell commands on the site host whenever the site has one, else here', () => {
    expect(whereRuns(site('local', 'local'), 'shell')).toEqual({ host: 'edge.example' });
    expect(whereRuns(site('local', 'local', false), 'shell')).toBe('local');
  });
});
