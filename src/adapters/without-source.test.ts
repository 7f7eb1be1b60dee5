// A failover's adapters: every use of the source fails loudly, the DR side passes through.
import { describe, expect, it } from 'vitest';
import type { HdfsPort } from './hdfs/hdfs.js';
import type { Adapters } from './index.js';
import type { SitePort } from './site.js';
import { withoutSource } from './without-source.js';

const drSite = { where: () => 'local' } as unknown as SitePort;
const drHdfs = { listSnapshots: async () => [] } as unknown as HdfsPort;
const calls: string[] = [];
const given = {
  local: {},
  source: { connect: async () => calls.push('source.connect'), close: async () => calls.push('source.close') },
  dr: drSite,
  hdfs: { source: { listSnapshots: async () => calls.push('hdfs.source') }, dr: drHdfs },
  close: async () => undefined,
} as unknown as Adapters;

describe('withoutSource', () => {
  it('refuses every member of the source site and the source HDFS, naming it', async () => {
    const adapters = withoutSource(given);
    expect(() => adapters.source.connect('hive')).toThrow(/a failover never contacts the source: source\.connect was used/);
    expect(() => adapters.source.executor('shell')).toThrow(/source\.executor was used/);
    expect(() => adapters.hdfs.source.listSnapshots('/data')).toThrow(/hdfs\.source\.listSnapshots was used/);
    expect(() => adapters.hdfs.source.site).toThrow(/hdfs\.source\.site was used/);
    expect(calls).toEqual([]);
  });

  it('passes the DR side through, and closing the source is a no-op', async () => {
    const adapters = withoutSource(given);
    expect(adapters.dr).toBe(drSite);
    expect(adapters.hdfs.dr).toBe(drHdfs);
    await adapters.source.close();
    // awaiting a port (promise probing) does not count as using it
    expect(await Promise.resolve(adapters.source)).toBe(adapters.source);
    expect(calls).toEqual([]);
  });
});
