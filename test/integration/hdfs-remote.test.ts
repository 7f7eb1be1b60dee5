// The HDFS adapter on an "edge node" over SSH (a real OpenSSH sshd + the real SSH adapter) against the
// Hadoop stand-in: every call gives exactly what it gives through localExecutor on the same tree.
// Kerberos with fake MIT `kinit`/`klist` executables: kinit -kt once before the first Hadoop command,
// klist's expiry read (whatever the edge node's time zone), the preflight "kerberos" check, a missing keytab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localExecutor, type Executor } from '../../src/adapters/executor.js';
import { HdfsCli } from '../../src/adapters/hdfs/hdfs.js';
import type { HdfsSiteSpec } from '../../src/adapters/hdfs/commands.js';
import { checkTicket } from '../../src/adapters/hdfs/kerberos.js';
import { connectSsh, type SshConnection } from '../../src/adapters/ssh/index.js';
import { AdapterError } from '../../src/errors/errors.js';
import { runPreflightChecks } from '../../src/steps/preflight.js';
import type { StepContext } from '../../src/steps/step.js';
import { adapterDoubles } from '../harness/adapter-doubles.js';
import { sshConfigFor, startTestSshd, type Sshd } from '../harness/sshd.js';
import { ensureStandinBuilt, HADOOP_BIN, HDFS_BIN, standinEnv, tempRoot } from './hdfs-harness.js';

const temp = tempRoot('hmsdr-hdfs-remote-');
const fakes = mkdtempSync(join(tmpdir(), 'hmsdr-fake-krb-'));
let sshd: Sshd;
let ssh: SshConnection;

const site = (label: string, nameNode: string, extra: Partial<HdfsSiteSpec> = {}): HdfsSiteSpec => ({
  label,
  nameNode,
  hdfsBin: HDFS_BIN,
  hadoopBin: HADOOP_BIN,
  env: standinEnv(temp.root, nameNode),
  ...extra,
});

/** The same site through SSH and locally. */
function both(spec: HdfsSiteSpec): { remote: HdfsCli; local: HdfsCli } {
  return { remote: new HdfsCli(spec, ssh.executor()), local: new HdfsCli(spec, localExecutor) };
}

function put(authority: string, path: string, content: string | Buffer): void {
  const file = join(temp.root, authority, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content);
}

beforeAll(async () => {
  await ensureStandinBuilt();
  sshd = await startTestSshd('hdfs-remote');
  ssh = await connectSsh(sshConfigFor(sshd), { where: 'dr.ssh' });
  put('prodns', '/data/src/a.txt', 'alpha\n');
  put('prodns', '/data/src/t/p=1/part-0', Buffer.alloc(300_000, 7));
  put('prodns', '/data/src/t/p=2/part-0', 'two');
  put('prodns', '/data/src/old/gone.txt', 'bye');
}, 120_000);

afterAll(async () => {
  ssh?.close();
  await sshd?.destroy();
  temp.cleanup();
  rmSync(fakes, { recursive: true, force: true });
});

describe('Hadoop commands on an edge node over SSH', () => {
  const source = (): { remote: HdfsCli; local: HdfsCli } => both(site('source', 'hdfs://prodns'));
  const dr = (): { remote: HdfsCli; local: HdfsCli } => both(site('dr', 'hdfs://drns'));

  it('runs on the SSH host, with the stand-in env passed through Command.env', async () => {
    const { remote } = source();
    expect(remote.where).toEqual({ host: '127.0.0.1' });
    expect(await remote.exists('/data/src/a.txt')).toBe(true);
    expect(await remote.exists('/data/src/nope')).toBe(false);
  });

  it('allowSnapshot, createSnapshot, listSnapshots, snapshotDiff: same results as local', async () => {
    const { remote, local } = source();
    await remote.allowSnapshot('/data/src');
    expect(await local.snapshottableDirs()).toEqual(await remote.snapshottableDirs());
    expect((await local.snapshottableDirs()).map((d) => d.path)).toEqual(['/data/src']);

    await remote.createSnapshot('/data/src', 's1');
    put('prodns', '/data/src/new.txt', 'new');
    put('prodns', '/data/src/t/p=2/part-0', 'two, modified');
    rmSync(join(temp.root, 'prodns/data/src/old'), { recursive: true });
    await remote.createSnapshot('/data/src', 's2');

    const snapshots = await remote.listSnapshots('/data/src');
    expect(snapshots.map((s) => s.name)).toEqual(['s1', 's2']);
    expect(snapshots.every((s) => s.createdMs > 0)).toBe(true);
    expect(await local.listSnapshots('/data/src')).toEqual(snapshots);

    const diff = await remote.snapshotDiff('/data/src', 's1', 's2');
    expect(diff).toEqual(await local.snapshotDiff('/data/src', 's1', 's2'));
    expect(diff).toMatchObject({ from: 's1', to: 's2' });
    expect(diff.entries).toEqual(
      expect.arrayContaining([
        { label: '+', path: 'new.txt' },
        { label: '-', path: 'old' },
        { label: 'M', path: 't/p=2/part-0' },
      ]),
    );
    // The diff is read as it prints: a snapshot that does not exist is the command's failure, with its stderr.
    for (const port of [remote, local])
      await expect(port.snapshotDiff('/data/src', 's1', 'nope')).rejects.toMatchObject({
        code: 'E_COMMAND',
        stderr: expect.stringContaining('Cannot find the snapshot of directory /data/src with name nope'),
      });
  });

  it('the streamed -ls -R over SSH gives the local listing (spaces and non-ASCII in paths); a missing root fails with stderr; hadoop version', async () => {
    put('prodns', '/data/stream/région=Île de France/part 0', 'x');
    put('prodns', '/data/stream/日本/f', 'yy');
    const { remote, local } = source();
    const read = async (cli: HdfsCli, dir: string): Promise<string[]> => {
      const out: string[] = [];
      for await (const e of cli.listRecursiveStream(dir)) out.push(`${e.type} ${e.length} ${e.path}`);
      return out;
    };
    const overSsh = await read(remote, '/data/stream');
    expect(overSsh).toEqual(await read(local, '/data/stream'));
    expect(overSsh).toEqual(
      expect.arrayContaining(['file 1 hdfs://prodns/data/stream/région=Île de France/part 0', 'file 2 hdfs://prodns/data/stream/日本/f']),
    );
    expect(overSsh).toHaveLength(4);
    await expect(read(remote, '/data/nope')).rejects.toThrow(/exited with code 1/);
    await expect(read(remote, '/data/nope')).rejects.toMatchObject({ stderrTail: expect.stringContaining('No such file or directory') });
    expect(await remote.isDirectory('/data/stream')).toBe(true);
    expect(await remote.isDirectory('/data/nope')).toBe(false);
    expect(await remote.hadoopVersion()).toMatch(/^3\.\d+\.\d+$/);
  });

  it('countMany: batched rows and missing paths, same as local', async () => {
    const { remote, local } = source();
    const paths = ['/data/src', '/data/src/t', '/data/src/missing', '/data/src/.snapshot/s1/old', '/data/src/old'];
    const overSsh = await remote.countMany(paths, { batchSize: 2 });
    expect(overSsh).toEqual(await local.countMany(paths, { batchSize: 2 }));
    expect(overSsh.missing).toEqual(['/data/src/missing', '/data/src/old']);
    expect(overSsh.found.get('/data/src/t')).toEqual({ dirs: 3, files: 2, bytes: 300_000 + 'two, modified'.length, path: '/data/src/t' });
    expect(overSsh.found.get('/data/src/.snapshot/s1/old')).toMatchObject({ files: 1, bytes: 3 });
  });

  it('distcp between two authorities streams map % over SSH; counters and copies match a local run', async () => {
    const { remote, local } = dr();
    await remote.mkdirs('/data');
    const spec = (target: string) => ({
      mode: 'full' as const,
      source: 'hdfs://prodns/data/src/.snapshot/s2',
      target,
      preserve: '-pb',
      maps: 2,
      extraArgs: [],
    });
    const progress: { ssh: number[]; local: number[] } = { ssh: [], local: [] };
    const lines: string[] = [];
    const overSsh = await remote.distcp(spec('hdfs://drns/data/dst-ssh'), {
      onProgress: (pct, line) => {
        progress.ssh.push(pct);
        lines.push(line);
      },
    });
    const locally = await local.distcp(spec('hdfs://drns/data/dst-local'), { onProgress: (pct) => progress.local.push(pct) });

    expect(overSsh.exitCode).toBe(0);
    expect(locally.exitCode).toBe(0);
    expect(progress.ssh).toEqual([0, 50, 100]);
    expect(progress.ssh).toEqual(progress.local);
    expect(lines.at(-1)).toMatch(/INFO mapreduce\.Job: {2}map 100% reduce 0%$/);
    const { raw: _a, ...countersSsh } = overSsh.counters;
    const { raw: _b, ...countersLocal } = locally.counters;
    expect(countersSsh).toEqual(countersLocal);
    expect(countersSsh).toMatchObject({ filesCopied: 4, bytesCopied: 6 + 300_000 + 13 + 3, filesFailed: 0 });
    expect(overSsh.stderrTail).toContain('completed successfully');
  });

  it('checksums (COMPOSITE_CRC) over SSH equal local ones, and the copies equal the source snapshot', async () => {
    const files = ['a.txt', 'new.txt', 't/p=1/part-0', 't/p=2/part-0'];
    const { remote: srcRemote, local: srcLocal } = source();
    const { remote: drRemote, local: drLocal } = dr();
    const srcPaths = files.map((f) => `/data/src/.snapshot/s2/${f}`);
    const srcSums = await srcRemote.checksums(srcPaths, { batchSize: 3 });
    expect(srcSums).toEqual(await srcLocal.checksums(srcPaths, { batchSize: 3 }));
    expect([...srcSums.keys()]).toEqual(srcPaths);
    expect([...srcSums.values()].every((r) => r.algorithm === 'COMPOSITE-CRC32C' && /^[0-9a-f]{8}$/.test(r.hex))).toBe(true);

    for (const dst of ['/data/dst-ssh', '/data/dst-local']) {
      const dstPaths = files.map((f) => `${dst}/${f}`);
      const dstSums = await drRemote.checksums(dstPaths);
      expect(dstSums).toEqual(await drLocal.checksums(dstPaths));
      expect([...dstSums.values()].map((r) => [r.algorithm, r.hex])).toEqual([...srcSums.values()].map((r) => [r.algorithm, r.hex]));
    }
  });

  it('a checksum batch longer than one remote shell argument may be (128 KiB) is cut to fit: no E2BIG', async () => {
    const { remote } = source();
    // 2,000 paths of ~100 bytes: one command line of ~200 KB, which sshd's `$SHELL -c` cannot exec.
    const paths = Array.from({ length: 2000 }, (_, i) => `/data/wide/${'x'.repeat(70)}-${String(i).padStart(5, '0')}.parquet`);
    for (const p of paths) put('prodns', p, p);
    const sums = await remote.checksums(paths);
    expect([...sums.keys()]).toEqual(paths);
  }, 120_000);
});

// ---- Kerberos (fake MIT tools; the keytab, tools and ticket cache live "on the edge node") ----

const KINIT_LOG = join(fakes, 'kinit.log');
const CALLS_LOG = join(fakes, 'calls.log');
const EXPIRY_FILE = join(fakes, 'expiry');
const CCACHE = join(fakes, 'ccache');
const KEYTAB = join(fakes, 'hdfs.keytab');
const PRINCIPAL = 'hdfs-dr@EXAMPLE.COM';

function script(name: string, body: string): string {
  const file = join(fakes, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

// kinit: records its argv (one line, fields separated by |) and the order of calls.
const KINIT = script(
  'kinit',
  `printf '%s|' "$@" >> '${KINIT_LOG}'; echo >> '${KINIT_LOG}'
echo kinit >> '${CALLS_LOG}'
if [ "$1" != "-kt" ] || [ $# -ne 3 ]; then echo "kinit: this fake only knows -kt <keytab> <principal>" >&2; exit 2; fi
if [ ! -f "$2" ]; then echo "kinit: Keytab contains no suitable keys for $3 while getting initial credentials" >&2; exit 1; fi
date +%s > '${CCACHE}'`,
);

// klist: MIT format, local time of its own time zone (TZ), expiry from a file; no cache before kinit.
script(
  'klist',
  `if [ ! -f '${CCACHE}' ]; then echo "klist: No credentials cache found (filename: /tmp/krb5cc_0)" >&2; exit 1; fi
now=$(date +%s); exp=$(cat '${EXPIRY_FILE}')
echo "Ticket cache: FILE:/tmp/krb5cc_0"
echo "Default principal: ${PRINCIPAL}"
echo
echo "Valid starting       Expires              Service principal"
echo "$(date -d @$now '+%m/%d/%y %H:%M:%S')  $(date -d @$exp '+%m/%d/%y %H:%M:%S')  krbtgt/EXAMPLE.COM@EXAMPLE.COM"
echo "	renew until $(date -d @$exp '+%m/%d/%y %H:%M:%S')"`,
);

// hdfs / hadoop wrappers that log each call, then run the stand-in.
const HDFS_LOGGED = script('hdfs', `echo "hdfs $1" >> '${CALLS_LOG}'; exec '${HDFS_BIN}' "$@"`);
const HADOOP_LOGGED = script('hadoop', `echo "hadoop $1" >> '${CALLS_LOG}'; exec '${HADOOP_BIN}' "$@"`);

// The ticket's lifetime is read against a pinned clock: however long kinit and klist take on a busy
// machine, the expected lifetime is exact (and a time zone mistake is off by hours).
const PINNED_NOW_MS = Math.floor(Date.now() / 1000) * 1000;
const pinnedClock = (): number => PINNED_NOW_MS;
const setTicket = (secondsFromNow: number): void => writeFileSync(EXPIRY_FILE, String(PINNED_NOW_MS / 1000 + secondsFromNow));
const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

function resetKerberos(): void {
  for (const f of [KINIT_LOG, CALLS_LOG, CCACHE]) rmSync(f, { force: true });
  writeFileSync(KEYTAB, 'not a real keytab');
}

/** A DR site whose commands find klist on the env's PATH; the edge node is in another time zone. */
function kerberosSite(options: { keytab?: string; minMinutes?: number } = {}): HdfsSiteSpec {
  return site('dr', 'hdfs://drns', {
    hdfsBin: HDFS_LOGGED,
    hadoopBin: HADOOP_LOGGED,
    env: { ...standinEnv(temp.root, 'hdfs://drns'), PATH: `${fakes}:${process.env.PATH ?? '/usr/bin:/bin'}`, TZ: 'Asia/Tokyo' },
    kerberos: {
      principal: PRINCIPAL,
      keytab: options.keytab ?? KEYTAB,
      kinitBin: KINIT,
      minTicketLifetimeMinutes: options.minMinutes ?? 120,
    },
  });
}

/** The SSH connection opened on first use, as the factory does for `hdfs.via: ssh`. */
function overSsh(spec: HdfsSiteSpec): { hdfs: HdfsCli; opens: () => number } {
  let opens = 0;
  const hdfs = new HdfsCli(
    spec,
    {
      where: { host: ssh.host },
      open: async (): Promise<Executor> => {
        opens++;
        return ssh.executor();
      },
    },
    pinnedClock,
  );
  return { hdfs, opens: () => opens };
}

describe('Kerberos on the edge node', () => {
  it('kinit -kt <keytab> <principal> runs once, before the first Hadoop command, never with a password', async () => {
    resetKerberos();
    setTicket(10 * 3600);
    const { hdfs, opens } = overSsh(kerberosSite());
    expect(await hdfs.exists('/data/dst-ssh/a.txt')).toBe(true);
    expect((await hdfs.countMany(['/data/dst-ssh'])).found.get('/data/dst-ssh')).toMatchObject({ files: 4 });
    const outcome = await hdfs.distcp({
      mode: 'full',
      source: 'hdfs://prodns/data/src/.snapshot/s1',
      target: 'hdfs://drns/data/dst-krb',
      preserve: '-pb',
      maps: 1,
      extraArgs: [],
    });
    expect(outcome.exitCode).toBe(0);

    expect(lines(KINIT_LOG)).toEqual([`-kt|${KEYTAB}|${PRINCIPAL}|`]);
    expect(lines(CALLS_LOG)).toEqual(['kinit', 'hdfs dfs', 'hdfs dfs', 'hadoop distcp']);
    expect(opens()).toBe(1);
  });

  it('ticketSecondsLeft reads klist (MIT format) on the edge node, whatever its time zone', async () => {
    resetKerberos();
    setTicket(5 * 3600);
    const { hdfs } = overSsh(kerberosSite());
    const left = await hdfs.ticketSecondsLeft();
    expect(lines(CALLS_LOG)).toEqual(['kinit']); // kinit first, so klist finds a cache
    expect(left).toBeDefined();
    expect(left).toBe(5 * 3600); // the edge node's zone is Tokyo: an expiry read in its local time would be 9 h off
    expect(await checkTicket(hdfs)).toMatchObject({ status: 'ok' });
    // The same through localExecutor.
    const local = new HdfsCli(kerberosSite(), localExecutor, pinnedClock);
    expect(await local.ticketSecondsLeft()).toBe(5 * 3600);
  });

  it('a ticket shorter than minTicketLifetimeMinutes fails the preflight "kerberos" check with its hint', async () => {
    resetKerberos();
    setTicket(30 * 60);
    const drSpec = kerberosSite({ minMinutes: 120 });
    const { hdfs: drHdfs } = overSsh(drSpec);
    const sourceHdfs = new HdfsCli(site('source', 'hdfs://prodns'), ssh.executor());
    const config = {
      source: { hdfs: { hdfsBin: HDFS_BIN, hadoopBin: HADOOP_BIN, env: sourceHdfs.site.env } },
      dr: { hdfs: { hdfsBin: HDFS_LOGGED, hadoopBin: HADOOP_LOGGED, env: drSpec.env, kerberos: drSpec.kerberos } },
      data: { paths: [] },
    };
    const ctx = {
      config,
      adapters: adapterDoubles({ hdfs: { source: sourceHdfs, dr: drHdfs } }),
      signal: new AbortController().signal,
      outputs: {},
      progress: () => undefined,
      confirm: async () => false,
    } as unknown as StepContext;
    const checks = await runPreflightChecks(ctx);
    const kerberos = checks.find((c) => c.id === 'kerberos');
    expect(kerberos).toMatchObject({ status: 'fail', hint: 'renew the keytab ticket (kinit -kt) or lower minTicketLifetimeMinutes' });
    expect(kerberos?.detail).toBe('dr: 30 min left');
    expect(await checkTicket(drHdfs)).toMatchObject({ status: 'too-short' });

    setTicket(4 * 3600);
    const passed = (await runPreflightChecks(ctx)).find((c) => c.id === 'kerberos');
    expect(passed).toMatchObject({ status: 'pass', detail: 'dr: tickets valid long enough' });
  });

  it("a missing keytab fails with an error naming the keytab and kinit's message; no Hadoop command runs", async () => {
    resetKerberos();
    setTicket(10 * 3600);
    const missing = join(fakes, 'no-such.keytab');
    const { hdfs } = overSsh(kerberosSite({ keytab: missing }));
    const error = await hdfs.exists('/data').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect((error as AdapterError).code).toBe('E_KERBEROS');
    expect((error as Error).message).toContain(missing);
    expect((error as Error).message).toContain(PRINCIPAL);
    expect((error as Error).message).toContain('Keytab contains no suitable keys');
    expect((error as { hint?: string }).hint).toContain(missing);
    expect(lines(CALLS_LOG)).toEqual(['kinit']);
    // Not cached: the next call tries kinit again (and works once the keytab is there).
    writeFileSync(missing, 'keytab now present');
    expect(await hdfs.exists('/data')).toBe(true);
    expect(lines(CALLS_LOG)).toEqual(['kinit', 'kinit', 'hdfs dfs']);
  });
});
