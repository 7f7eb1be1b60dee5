import { describe, expect, it } from 'vitest';
import { formatCommand } from '../actions/command.js';
import type { ResolvedConfig } from '../config/load.js';
import { configSchema } from '../config/schema.js';
import { createCopyDataStep } from './copy-data.js';
import { snapshotSource } from './snapshot-source.js';

const metastore = { host: 'db', database: 'hive', user: 'hive' };
const config = {
  ...configSchema.parse({
    version: 1,
    source: { name: 'prod', metastore, nameNode: 'hdfs://prodns' },
    dr: {
      name: 'dr',
      metastore: { ...metastore, host: 'drdb' },
      nameNode: 'hdfs://drns',
      stagingDir: '/s',
      serviceControl: { type: 'none' },
      ssh: { host: 'edge.dr', user: 'hdfs' },
      hdfs: { via: 'ssh' },
    },
    data: { paths: [{ source: '/warehouse', target: '/dr/warehouse' }], maps: 8, bandwidthMB: 40, filtersFile: '/etc/hmsdr/filters' },
  }),
  file: '/c.yaml',
  hash: 'h',
  runsDirAbs: '/runs',
} as ResolvedConfig;
const run = { id: '20260101t000000', dir: '/runs/x', startedAt: '' };

describe('data step plans (the same builders run() uses)', () => {
  it('snapshot-source: allowSnapshot when needed, then the T1 snapshot, on the source', () => {
    const lines = snapshotSource
      .plan(config, run)
      .map((a) => (a.kind === 'exec' ? `${JSON.stringify(a.where)} ${formatCommand(a.command)}` : a.kind));
    expect(lines).toEqual([
      '"local" LC_ALL=C.UTF-8 HADOOP_CLIENT_OPTS=\'-Dfile.encoding=UTF-8 -Dsun.jnu.encoding=UTF-8\' hdfs dfsadmin -D fs.defaultFS=hdfs://prodns -allowSnapshot hdfs://prodns/warehouse',
      '"local" LC_ALL=C.UTF-8 HADOOP_CLIENT_OPTS=\'-Dfile.encoding=UTF-8 -Dsun.jnu.encoding=UTF-8\' hdfs dfs -createSnapshot hdfs://prodns/warehouse hmsdr-20260101t000000',
    ]);
  });

  it('copy-data: incremental DistCp and target snapshot on the DR edge node, bootstrap as a note', () => {
    const actions = createCopyDataStep().plan(config, run);
    const exec = actions.filter((a) => a.kind === 'exec');
    expect(exec.map((a) => (a.kind === 'exec' ? [a.where, formatCommand(a.command)] : []))).toEqual([
      [
        { host: 'edge.dr' },
        "LC_ALL=C.UTF-8 HADOOP_CLIENT_OPTS='-Dfile.encoding=UTF-8 -Dsun.jnu.encoding=UTF-8' hadoop distcp -update -diff '<prev>' hmsdr-20260101t000000 -pb -m 8 -bandwidth 40 -filters /etc/hmsdr/filters hdfs://prodns/warehouse hdfs://drns/dr/warehouse",
      ],
      [
        { host: 'edge.dr' },
        "LC_ALL=C.UTF-8 HADOOP_CLIENT_OPTS='-Dfile.encoding=UTF-8 -Dsun.jnu.encoding=UTF-8' hdfs dfs -createSnapshot hdfs://drns/dr/warehouse hmsdr-20260101t000000",
      ],
    ]);
    expect(
      actions.some(
        (a) =>
          a.kind === 'note' &&
          a.text.includes(
            '-update -delete -pb -m 8 -bandwidth 40 -filters /etc/hmsdr/filters hdfs://prodns/warehouse/.snapshot/hmsdr-20260101t000000 hdfs://drns/dr/warehouse',
          ),
      ),
    ).toBe(true);
  });
});
