import { describe, expect, it } from 'vitest';
import { distcpCommand, hadoopEnv, hdfsCommands, UTF8_JVM_FLAGS, yarnBin, yarnKillCommand, type HdfsSiteSpec } from './commands.js';
import {
  parseChecksums,
  parseCount,
  parseDistcpCounters,
  parseKlistExpiry,
  parseLs,
  parseMapProgress,
  parseSnapshotDiff,
  parseSnapshottableDirs,
  parseSubmittedApplication,
  parseYarnKill,
} from './parse.js';

describe('parsers (reference formats)', () => {
  it('lsSnapshottableDir rows; the empty line of "none"', () => {
    const out =
      'drwxr-xr-x 0 hdfs supergroup 0 2024-05-01 10:00  2 65536 /data/src\ndrwxr-xr-x 0 etl  hadoop     0 2024-05-01 10:05 12 65536 /data/dst\n';
    expect(parseSnapshottableDirs(out)).toEqual([
      { path: '/data/src', snapshotCount: 2, snapshotQuota: 65536, modified: '2024-05-01 10:00' },
      { path: '/data/dst', snapshotCount: 12, snapshotQuota: 65536, modified: '2024-05-01 10:05' },
    ]);
    expect(parseSnapshottableDirs('\n')).toEqual([]);
  });

  it('snapshotDiff: header, labels, renames, root as empty path', () => {
    const out =
      'Difference between snapshot s1 and current directory under directory /data/src:\nM\t.\n+\t./new.csv\nR\t./a.txt -> ./b.txt\n-\t./old.csv\nM\t./dir\n\n';
    expect(parseSnapshotDiff(out)).toEqual({
      from: 's1',
      to: '',
      root: '/data/src',
      entries: [
        { label: 'M', path: '' },
        { label: '+', path: 'new.csv' },
        { label: 'R', path: 'a.txt', target: 'b.txt' },
        { label: '-', path: 'old.csv' },
        { label: 'M', path: 'dir' },
      ],
    });
    expect(() => parseSnapshotDiff('snapshotDiff: oops\n')).toThrow(/unexpected snapshotDiff output/);
  });

  it('-count rows keep the path as typed (spaces included)', () => {
    expect(
      parseCount('           3            5            1048576 /data/src\n           1            0                  0 /data/with space\n'),
    ).toEqual([
      { dirs: 3, files: 5, bytes: 1048576, path: '/data/src' },
      { dirs: 1, files: 0, bytes: 0, path: '/data/with space' },
    ]);
  });

  it('-checksum rows', () => {
    expect(parseChecksums('/data/test.txt\tCOMPOSITE-CRC32C\t6a732798\n/e\tNONE\n')).toEqual([
      { path: '/data/test.txt', algorithm: 'COMPOSITE-CRC32C', hex: '6a732798' },
      { path: '/e', algorithm: 'NONE', hex: '' },
    ]);
  });

  it('-ls -R lines (no "Found N items" with -R; skipped without)', () => {
    const out =
      'Found 2 items\ndrwxr-xr-x   - hdfs supergroup          0 2024-05-01 10:00 /data/src/a\n-rw-r--r--+  3 hdfs supergroup    1048576 2024-05-01 10:02 /data/src/a/part-00000\n';
    expect(parseLs(out)).toEqual([
      {
        type: 'dir',
        permission: 'rwxr-xr-x',
        owner: 'hdfs',
        group: 'supergroup',
        length: 0,
        modified: '2024-05-01 10:00',
        path: '/data/src/a',
      },
      {
        type: 'file',
        permission: 'rw-r--r--',
        owner: 'hdfs',
        group: 'supergroup',
        length: 1048576,
        modified: '2024-05-01 10:02',
        path: '/data/src/a/part-00000',
      },
    ]);
  });

  it('-ls: owner/group with spaces, paths with spaces and non-ASCII; a line that does not parse is an error', () => {
    const out = [
      'drwxr-x---   - hive  domain users            0 2024-05-01 10:00 /data/src/a b',
      '-rw-r--r--   3 svc_etl  domain users 2024    1048576 2024-05-01 10:02 /data/src/a b/päré 2024-05-01 10:02 x',
    ].join('\n');
    expect(parseLs(out)).toEqual([
      {
        type: 'dir',
        permission: 'rwxr-x---',
        owner: 'hive',
        group: 'domain users',
        length: 0,
        modified: '2024-05-01 10:00',
        path: '/data/src/a b',
      },
      {
        type: 'file',
        permission: 'rw-r--r--',
        owner: 'svc_etl',
        group: 'domain users 2024',
        length: 1048576,
        modified: '2024-05-01 10:02',
        path: '/data/src/a b/päré 2024-05-01 10:02 x',
      },
    ]);
    expect(() => parseLs('-rw-r--r-- 3 hdfs supergroup 12 /x\n')).toThrow(/cannot parse a line of hdfs dfs -ls output/);
    expect(() => parseLs('log4j:WARN No appenders could be found\n')).toThrow(/E_HDFS_OUTPUT|cannot parse/);
    expect(parseLs('\n')).toEqual([]);
  });

  it('lsSnapshottableDir: group with spaces, path with spaces; unknown lines are errors', () => {
    const out = 'drwxr-xr-x 0 hdfs domain users 0 2024-05-01 10:00  2 65536 /data/src dir\n';
    expect(parseSnapshottableDirs(out)).toEqual([
      { modified: '2024-05-01 10:00', snapshotCount: 2, snapshotQuota: 65536, path: '/data/src dir' },
    ]);
    expect(() => parseSnapshottableDirs('something else\n')).toThrow(/cannot parse a line of hdfs lsSnapshottableDir output/);
  });

  it('DistCp counters: the last block, display names, absent counters are 0', () => {
    const stderr = [
      '2024-05-01 10:10:00,123 INFO mapreduce.Job:  map 100% reduce 0%',
      '2024-05-01 10:10:01,000 INFO mapreduce.Job: Counters: 26',
      '\tFile System Counters',
      '\t\tHDFS: Number of bytes read=120594553665',
      '\tDistCp Counters',
      '\t\tBandwidth in Btyes=662579300',
      '\t\tBytes Copied=120594553665',
      '\t\tBytes Expected=120594553665',
      '\t\tFiles Copied=40',
      '\t\tDIR_COPY=1',
      '2024-05-01 10:10:01,001 INFO tools.DistCp: done',
      '',
    ].join('\n');
    expect(parseDistcpCounters(stderr)).toMatchObject({
      filesCopied: 40,
      bytesCopied: 120594553665,
      bytesExpected: 120594553665,
      dirsCopied: 1,
      filesSkipped: 0,
      bytesSkipped: 0,
    });
    expect(parseDistcpCounters('no job ran\n')).toMatchObject({ filesCopied: 0, bytesCopied: 0, raw: {} });
  });

  it('map progress and klist expiry', () => {
    expect(parseMapProgress('2024-05-01 10:10:00,123 INFO mapreduce.Job:  map 50% reduce 0%')).toBe(50);
    expect(parseMapProgress('INFO mapreduce.Job: Running job: job_1')).toBeUndefined();
    const klist =
      'Ticket cache: FILE:/tmp/krb5cc_0\nDefault principal: hdfs@EXAMPLE.COM\n\nValid starting       Expires              Service principal\n05/01/2024 10:00:00  05/02/2024 10:00:00  krbtgt/EXAMPLE.COM@EXAMPLE.COM\n';
    expect(parseKlistExpiry(klist)?.toISOString()).toBe('2024-05-02T10:00:00.000Z');
    expect(parseKlistExpiry('klist: No credentials cache found\n')).toBeUndefined();
  });
});

describe('DistCp on YARN', () => {
  it("the application a client submitted: YarnClientImpl's line, else DistCp's job id (same timestamp and sequence)", () => {
    expect(
      parseSubmittedApplication('2024-05-01 10:10:00,123 INFO impl.YarnClientImpl: Submitted application application_1714550000000_0042'),
    ).toBe('application_1714550000000_0042');
    expect(parseSubmittedApplication('INFO tools.DistCp: DistCp job-id: job_1714550000000_0042')).toBe('application_1714550000000_0042');
    expect(parseSubmittedApplication('INFO mapreduce.Job: Running job: job_1714550000000_0042')).toBeUndefined();
    expect(parseSubmittedApplication('INFO mapreduce.Job:  map 50% reduce 0%')).toBeUndefined();
  });

  it("`yarn application -kill`: ApplicationCLI's three answers; anything else is not understood", () => {
    const id = 'application_1714550000000_0042';
    expect(parseYarnKill(`Killing application ${id}\n`, id)).toBe('killed');
    expect(parseYarnKill(`Application ${id} has already finished \n`, id)).toBe('already-finished');
    expect(parseYarnKill(`Application with id '${id}' doesn't exist in RM.\n`, id)).toBe('unknown');
    expect(parseYarnKill('Exception in thread "main" java.net.ConnectException: Connection refused\n', id)).toBeUndefined();
    expect(parseYarnKill(`Killing application ${id.replace('42', '43')}\n`, id)).toBeUndefined();
  });

  it('yarn runs from beside hadoopBin unless yarnBin says otherwise; the kill gets the site env', () => {
    const site: HdfsSiteSpec = {
      label: 'dr',
      nameNode: 'hdfs://drns',
      hdfsBin: 'hdfs',
      hadoopBin: '/opt/hadoop/bin/hadoop',
      env: { HADOOP_CONF_DIR: '/etc/hadoop/conf' },
    };
    expect(yarnBin(site)).toBe('/opt/hadoop/bin/yarn');
    expect(yarnBin({ ...site, hadoopBin: 'hadoop' })).toBe('yarn');
    expect(yarnBin({ ...site, yarnBin: '/usr/bin/yarn' })).toBe('/usr/bin/yarn');
    const kill = yarnKillCommand(site, 'application_1_0001');
    expect(kill).toMatchObject({ file: '/opt/hadoop/bin/yarn', args: ['application', '-kill', 'application_1_0001'] });
    expect(kill.env).toMatchObject({ HADOOP_CONF_DIR: '/etc/hadoop/conf' });
  });
});

describe('distcpCommand', () => {
  const site: HdfsSiteSpec = {
    label: 'dr',
    nameNode: 'hdfs://drns',
    hdfsBin: 'hdfs',
    hadoopBin: '/opt/hadoop/bin/hadoop',
    env: { HADOOP_CONF_DIR: '/etc/hadoop/conf' },
  };
  it('incremental: -update -diff, preserve, maps, bandwidth, filters, extra args before the paths', () => {
    const command = distcpCommand(site, {
      mode: 'diff',
      from: 'hmsdr-a',
      to: 'hmsdr-b',
      source: 'hdfs://prodns/w',
      target: 'hdfs://drns/w',
      preserve: '-pb',
      maps: 8,
      bandwidthMBPerMap: 50,
      filtersFile: '/etc/hmsdr/filters',
      extraArgs: ['-skipcrccheck'],
    });
    expect(command).toEqual({
      file: '/opt/hadoop/bin/hadoop',
      env: { LC_ALL: 'C.UTF-8', HADOOP_CONF_DIR: '/etc/hadoop/conf', HADOOP_CLIENT_OPTS: UTF8_JVM_FLAGS },
      args: [
        'distcp',
        '-update',
        '-diff',
        'hmsdr-a',
        'hmsdr-b',
        '-pb',
        '-m',
        '8',
        '-bandwidth',
        '50',
        '-filters',
        '/etc/hmsdr/filters',
        '-skipcrccheck',
        'hdfs://prodns/w',
        'hdfs://drns/w',
      ],
    });
  });
  it('full copy: -update -delete from the snapshot path, never with -diff', () => {
    const command = distcpCommand(site, {
      mode: 'full',
      source: 'hdfs://prodns/w/.snapshot/hmsdr-b',
      target: 'hdfs://drns/w',
      preserve: '-pb',
      maps: 20,
      deleteMissing: true,
      extraArgs: [],
    });
    expect(command.args).toEqual(['distcp', '-update', '-delete', '-pb', '-m', '20', 'hdfs://prodns/w/.snapshot/hmsdr-b', 'hdfs://drns/w']);
  });
});

describe('hadoopEnv: every Hadoop client speaks UTF-8, whatever the caller environment', () => {
  const site = (env: Record<string, string>): HdfsSiteSpec => ({
    label: 'dr',
    nameNode: 'hdfs://drns',
    hdfsBin: 'hdfs',
    hadoopBin: 'hadoop',
    env,
  });
  it('adds a UTF-8 locale and the JVM encodings to every hdfs and distcp command', () => {
    for (const command of [
      hdfsCommands.listRecursive(site({}), '/d'),
      hdfsCommands.count(site({}), ['/d']),
      distcpCommand(site({}), { mode: 'full', source: 's', target: 't', preserve: '-pb', maps: 1, extraArgs: [] }),
    ]) {
      expect(command.env).toEqual({ LC_ALL: 'C.UTF-8', HADOOP_CLIENT_OPTS: '-Dfile.encoding=UTF-8 -Dsun.jnu.encoding=UTF-8' });
    }
  });
  it("keeps the site's own locale and appends to its HADOOP_CLIENT_OPTS once", () => {
    expect(hadoopEnv(site({ LC_ALL: 'en_US.UTF-8', HADOOP_CLIENT_OPTS: '-Xmx2g' }))).toEqual({
      LC_ALL: 'en_US.UTF-8',
      HADOOP_CLIENT_OPTS: `-Xmx2g ${UTF8_JVM_FLAGS}`,
    });
    expect(hadoopEnv(site({ HADOOP_CLIENT_OPTS: '-Dfile.encoding=UTF-8' })).HADOOP_CLIENT_OPTS).toBe('-Dfile.encoding=UTF-8');
  });
});

describe('hadoop version', () => {
  it('reads the first line as Hadoop prints it, and tells 2.7 apart', async () => {
    const { parseHadoopVersion, isHadoop27 } = await import('./parse.js');
    const hdp26 =
      'Hadoop 2.7.3.2.6.5.0-292\nSubversion git@github.com:hortonworks/hadoop.git -r 3091053c59a62c82d82c9f778c48bde5ef0a89a1\nCompiled by jenkins on 2018-05-11T07:53Z\n';
    expect(parseHadoopVersion(hdp26)).toBe('2.7.3.2.6.5.0-292');
    expect(isHadoop27(parseHadoopVersion(hdp26))).toBe(true);
    expect(
      parseHadoopVersion(
        'Hadoop 3.3.6\nSource code repository https://github.com/apache/hadoop.git -r 1be78238728da9266a4f88195058f08fd012bf9c\n',
      ),
    ).toBe('3.3.6');
    expect(isHadoop27('3.3.6')).toBe(false);
    expect(isHadoop27('2.10.2')).toBe(false);
    expect(isHadoop27('2.7')).toBe(true);
    expect(parseHadoopVersion('Error: JAVA_HOME is not set\n')).toBeUndefined();
  });
});
