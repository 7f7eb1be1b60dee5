// The Hadoop stand-in reproduces every exact string and exit code of the reference's quick
// reference (§9 of hadoop-snapshot-distcp.md) byte for byte, plus the documented formats.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureStandinBuilt, standin, standinEnv, tempRoot, withoutTimestamp } from './hdfs-harness.js';

const temp = tempRoot('hmsdr-fidelity-');
const env = standinEnv(temp.root, 'hdfs://nn:8020');
const hdfs = (...args: string[]) => standin('hdfs', args, env);
const hadoop = (...args: string[]) => standin('hadoop', args, env);
const stderrLines = (text: string): string[] => text.split('\n').map(withoutTimestamp);

beforeAll(async () => {
  await ensureStandinBuilt();
  // /data/src: snapshottable with s1 and s2; /data/dst: snapshottable with s1, then modified.
  const live = join(temp.root, 'nn:8020');
  mkdirSync(join(live, 'data/src/dir'), { recursive: true });
  mkdirSync(join(live, 'data/dst'), { recursive: true });
  writeFileSync(join(live, 'data/src/a.txt'), 'world\n');
  expect((await hdfs('dfsadmin', '-allowSnapshot', '/data/dst')).exitCode).toBe(0);
  expect((await hdfs('dfs', '-createSnapshot', '/data/dst', 's1')).exitCode).toBe(0);
}, 120_000);
afterAll(() => temp.cleanup());

describe('hdfs snapshot commands (§9)', () => {
  it('createSnapshot on a non-snapshottable directory: exit 1', async () => {
    const r = await hdfs('dfs', '-createSnapshot', '/data/src', 's1');
    expect(r).toMatchObject({ exitCode: 1, stdout: '', stderr: 'createSnapshot: Directory is not a snapshottable directory: /data/src\n' });
  });

  it('allowSnapshot and createSnapshot succeed with the exact lines', async () => {
    expect(await hdfs('dfsadmin', '-allowSnapshot', '/data/src')).toMatchObject({
      exitCode: 0,
      stdout: 'Allowing snapshot on /data/src succeeded\n',
    });
    expect(await hdfs('dfs', '-createSnapshot', '/data/src', 's1')).toMatchObject({
      exitCode: 0,
      stdout: 'Created snapshot /data/src/.snapshot/s1\n',
    });
  });

  it('duplicate snapshot name: exit 1', async () => {
    const r = await hdfs('dfs', '-createSnapshot', '/data/src', 's1');
    expect(r).toMatchObject({
      exitCode: 1,
      stderr: 'createSnapshot: Failed to add snapshot: there is already a snapshot with the same name "s1".\n',
    });
  });

  it('deleting a missing snapshot: exit 1', async () => {
    const r = await hdfs('dfs', '-deleteSnapshot', '/data/src', 's9');
    expect(r).toMatchObject({
      exitCode: 1,
      stderr: 'deleteSnapshot: Cannot delete snapshot s9 from path /data/src: the snapshot does not exist.\n',
    });
  });

  it('snapshotDiff with a missing snapshot: exit 1', async () => {
    const r = await hdfs('snapshotDiff', '/data/src', 's1', 's9');
    expect(r).toMatchObject({
      exitCode: 1,
      stdout: '',
      stderr: 'snapshotDiff: Cannot find the snapshot of directory /data/src with name s9\n',
    });
  });

  it('snapshotDiff against the current directory: header, entries, trailing empty line', async () => {
    const r = await hdfs('snapshotDiff', '/data/dst', 's1', '.');
    expect(r).toMatchObject({ exitCode: 0, stdout: 'Difference between snapshot s1 and current directory under directory /data/dst:\n\n' });
  });

  it('snapshotDiff reports renames, creates, deletes under their parent M entry in component order', async () => {
    const live = join(temp.root, 'nn:8020/data/src');
    await hdfs('dfs', '-mv', '/data/src/a.txt', '/data/src/b.txt');
    writeFileSync(join(live, 'new.csv'), 'n');
    writeFileSync(join(live, 'dir/f2'), 'f');
    expect((await hdfs('dfs', '-createSnapshot', '/data/src', 's2')).exitCode).toBe(0);
    const r = await hdfs('snapshotDiff', '/data/src', 's1', 's2');
    expect(r.stdout).toBe(
      'Difference between snapshot s1 and snapshot s2 under directory /data/src:\nM\t.\n+\t./new.csv\nR\t./a.txt -> ./b.txt\nM\t./dir\n+\t./dir/f2\n\n',
    );
  });

  it('lsSnapshottableDir columns', async () => {
    const r = await hdfs('lsSnapshottableDir');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^drwxr-xr-x 0 hdfs supergroup 0 \d{4}-\d\d-\d\d \d\d:\d\d 1 65536 \/data\/dst$/);
    expect(lines[1]).toMatch(/^drwxr-xr-x 0 hdfs supergroup 0 \d{4}-\d\d-\d\d \d\d:\d\d 2 65536 \/data\/src$/);
  });
});

describe('hdfs dfs formats', () => {
  it('-checksum in MD5-of-MD5-of-CRC32C and COMPOSITE_CRC (reference test vectors)', async () => {
    const r = await hdfs('dfs', '-checksum', '/data/src/b.txt');
    expect(r.stdout).toBe('/data/src/b.txt\tMD5-of-0MD5-of-512CRC32C\t000002000000000000000000a74dcf6d5ba98e50ae0182c9d5d886fe\n');
    const c = await hdfs('dfs', '-Ddfs.checksum.combine.mode=COMPOSITE_CRC', '-checksum', '/data/src/.snapshot/s1/a.txt');
    expect(c.stdout).toBe('/data/src/.snapshot/s1/a.txt\tCOMPOSITE-CRC32C\td4ad7373\n');
  });

  it('-count columns, snapshot data included without -x, missing path exit 1', async () => {
    const r = await hdfs('dfs', '-count', '/data/src', '/nope');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe(`${'2'.padStart(12)} ${'3'.padStart(12)} ${'8'.padStart(18)} /data/src\n`);
    expect(r.stderr).toBe("count: `/nope': No such file or directory\n");
    const x = await hdfs('dfs', '-count', '-x', '/data/src/.snapshot/s1');
    expect(x.stdout).toBe(`${'2'.padStart(12)} ${'1'.padStart(12)} ${'6'.padStart(18)} /data/src/.snapshot/s1\n`);
  });

  it('snapshots are read-only', async () => {
    const r = await hdfs('dfs', '-mkdir', '/data/src/.snapshot/s1/x');
    expect(r).toMatchObject({ exitCode: 1, stderr: 'mkdir: Modification on a read-only snapshot is disallowed\n' });
  });
});

describe('hadoop distcp (§9)', () => {
  it('-diff without -update: Invalid arguments, exit 255', async () => {
    const r = await hadoop('distcp', '-diff', 's1', 's2', '/data/src', '/data/dst');
    expect(r.exitCode).toBe(255);
    expect(stderrLines(r.stderr)).toContain('Invalid arguments: -diff/-rdiff is valid only with -update option');
    expect(r.stdout).toMatch(/^usage: distcp OPTIONS \[source_path\.\.\.\] <target_path>/);
  });

  it('-delete with -diff: Invalid arguments, exit 255', async () => {
    const r = await hadoop('distcp', '-update', '-delete', '-diff', 's1', 's2', '/data/src', '/data/dst');
    expect(r.exitCode).toBe(255);
    expect(stderrLines(r.stderr)).toContain(
      'Invalid arguments: -delete and -diff/-rdiff are mutually exclusive. The -delete option will be ignored.',
    );
  });

  it('target modified since the snapshot: WARN, DistCp sync failed, exit 25', async () => {
    writeFileSync(join(temp.root, 'nn:8020/data/dst/stray.txt'), 'x');
    const r = await hadoop('distcp', '-update', '-diff', 's1', 's2', '/data/src', '/data/dst');
    expect(r.exitCode).toBe(25);
    const lines = stderrLines(r.stderr);
    const at = lines.indexOf('WARN tools.DistCp: The target has been modified since snapshot s1');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe('ERROR tools.DistCp: Exception encountered');
    expect(lines[at + 2]!.startsWith('java.lang.Exception: DistCp sync failed, input options: DistCpOptions{')).toBe(true);
    expect(lines[at + 2]).toContain('sourcePaths=[hdfs://nn:8020/data/src/.snapshot/s2], targetPathExists=true, preserveRawXattrs=false');
  });

  it('target lacks <from>: Failed to compute snapshot diff on the qualified target, exit 25', async () => {
    const r = await hadoop('distcp', '-update', '-diff', 's2', 's1', '/data/src', '/data/dst');
    expect(r.exitCode).toBe(25);
    const lines = stderrLines(r.stderr);
    expect(lines).toContain('WARN tools.DistCp: Failed to compute snapshot diff on hdfs://nn:8020/data/dst at snapshot s2');
    expect(lines).toContain('ERROR tools.DistCp: Exception encountered');
  });

  it('<to> missing on the source: Invalid input, Input snapshot is not found, exit 255', async () => {
    const r = await hadoop('distcp', '-update', '-diff', 's1', 's9', '/data/src', 'hdfs://dr/data/dst');
    await hdfs('dfs', '-mkdir', '-p', 'hdfs://dr/data/dst');
    await hdfs('dfsadmin', '-allowSnapshot', 'hdfs://dr/data/dst');
    await hdfs('dfs', '-createSnapshot', 'hdfs://dr/data/dst', 's1');
    const again = await hadoop('distcp', '-update', '-diff', 's1', 's9', '/data/src', 'hdfs://dr/data/dst');
    expect(r.exitCode).toBe(25); // first: the target had no s1 yet
    expect(again.exitCode).toBe(255);
    const lines = stderrLines(again.stderr);
    const at = lines.indexOf('ERROR tools.DistCp: Invalid input:');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe('org.apache.hadoop.tools.CopyListing$InvalidInputException: Input snapshot is not found');
  });

  it('snapshots in the wrong order: HadoopIllegalArgumentException, exit 25', async () => {
    // s2 is newer than s1 on the source, so -diff s2 s1 is reversed; the dr target has s2? give it one.
    await hdfs('dfs', '-createSnapshot', 'hdfs://dr/data/dst', 's2');
    const r = await hadoop('distcp', '-update', '-diff', 's2', 's1', '/data/src', 'hdfs://dr/data/dst');
    expect(r.exitCode).toBe(25);
    expect(stderrLines(r.stderr)).toContain('org.apache.hadoop.HadoopIllegalArgumentException: Snapshot s1 should be newer than s2');
  });

  it('failure while applying renames/deletes: Failed to use snapshot diff for distcp, exit 25', async () => {
    const faults = join(temp.root, '.standin');
    mkdirSync(faults, { recursive: true });
    writeFileSync(join(faults, 'faults.json'), JSON.stringify({ permissionDenied: { pathPrefix: '/data/dst', times: 1 } }));
    const r = await hadoop('distcp', '-update', '-diff', 's1', 's2', '/data/src', 'hdfs://dr/data/dst');
    expect(r.exitCode).toBe(25);
    const lines = stderrLines(r.stderr);
    expect(lines).toContain('WARN tools.DistCp: Failed to use snapshot diff for distcp');
    expect(
      lines.some((l) => l.startsWith('org.apache.hadoop.security.AccessControlException: Permission denied: user=hdfs, access=WRITE')),
    ).toBe(true);
  });
});
