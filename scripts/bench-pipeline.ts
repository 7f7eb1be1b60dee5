// Benchmark: the hand-run metastore procedure vs hmsdr's staged transfer, side by side in one run,
// on real parts (two private PostgreSQL servers, a real sshd on 127.0.0.1, a generated metastore).
//   (a) by hand, as operators do it today: pg_dump > file; sed -i 's#old#new#g' file; scp file to
//       the DR host; ssh DR 'psql -c "CREATE DATABASE …"; psql -f file' into a fresh database.
//   (b) hmsdr: dump-metastore + restore-staging + verify-staging through runRunbook, in a child
//       process whose peak RSS is read (process.resourceUsage().maxRSS, cross-checked with VmHWM).
// Each round runs the four sides one after the other (each round starting with the next side); the
// figures are medians over the rounds. Prints one JSON line and a readable table, with the CPU of
// every process of each side (bench-cpu-split.ts): on 2 cores the transfers are CPU-bound.
//   node dist/scripts/bench-pipeline.js [--partitions 1000000] [--rounds 3] [--keep]
//   node dist/scripts/bench-pipeline.js --hold    # the lab only, held up for experiments on one side
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { createAdapters } from '../src/adapters/create.js';
import { loadConfig } from '../src/config/load.js';
import { createLabMetastore, PIPELINE_LAB_NAMENODES, pipelineLabConfig, runSql, withClient } from '../src/lab/metastore/sites.js';
import { startPgCluster, type PgCluster } from '../src/lab/pg-cluster.js';
import { startSshd, type Sshd } from '../src/lab/sshd.js';
import { runRunbook } from '../src/runbook/runner.js';
import { dumpMetastore } from '../src/steps/dump-metastore.js';
import { restoreStaging } from '../src/steps/restore-staging.js';
import { verifyStaging } from '../src/steps/verify-staging.js';
import { parseBenchArgs } from './bench-args.js';
import { teardownOnSignal } from './bench-teardown.js';
import { formatCpuBudget } from './bench-cpu-budget.js';
import { CpuSplitSampler, formatCpuSplit, type CpuSplit } from './bench-cpu-split.js';
import { clockTicksPerSecond } from './bench-machine.js';

/** The CPU split's groups of the two PostgreSQL servers (each postmaster with its backends). */
const SERVER_GROUPS = ['source server', 'DR server'] as const;
/** The issue's targets against the hand-run procedure. */
const STREAMED_TARGET = 0.7;
const PARALLEL_TARGET = 0.5;

const OLD = PIPELINE_LAB_NAMENODES.source;
const NEW = PIPELINE_LAB_NAMENODES.dr;
const SOURCE_PW_ENV = 'HMSDR_BENCH_SOURCE_PW';
const DR_PW_ENV = 'HMSDR_BENCH_DR_PW';

export interface PipelineBenchOptions {
  partitions: number;
  /** Worker connections of the parallel transfer (default 2: this machine's cores). */
  workers?: number;
  /** Keep the lab directory and servers' data (they are stopped either way). */
  keep?: boolean;
  /** Rounds of the four sides (default 1); each round starts with the next side, figures are medians. */
  rounds?: number;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

export interface PipelineBenchResult {
  partitions: number;
  generateMs: number;
  dumpBytes: { hand: number; hmsdr: number };
  hand: { totalMs: number; pgDumpMs: number; sedMs: number; scpMs: number; restoreMs: number; cpu: CpuSplit };
  /** (b) hmsdr with the staged transfer (restore.transfer: staged). */
  hmsdr: HmsdrSide;
  /** (b2) hmsdr with the streamed transfer (restore.transfer: streamed: the staged file restored while it streams). */
  streamed: HmsdrSide;
  /** (c) hmsdr with the parallel transfer (restore.transfer: parallel). */
  parallel: HmsdrSide & { workers: number; timings: Record<string, number> };
  /** hmsdr staged total / hand total (no target of its own: the restore waits for the data copy by design). */
  ratio: number;
  /** hmsdr streamed total / hand total. */
  streamedRatio: number;
  /** hmsdr parallel total / hand total (target ≤ 0.5, issue #21). */
  parallelRatio: number;
  /** Every round's wall times (ms), in the order run; the figures above are the medians (peak RSS: the largest). */
  rounds: Array<Record<SideName, number>>;
  /** Per side: min and max over the rounds of its ratio to the same round's hand-run time. */
  ratioRange: Record<Exclude<SideName, 'hand'>, [number, number]>;
  /** Extra measurements to see where the time goes. */
  profile: { sha256sumOfStagedMs: number; restoredPartitions: { hand: number; hmsdr: number; streamed: number; parallel: number } };
}

export interface HmsdrSide {
  /** Wall time of the child process (node start, config, adapters, the three steps, exit). */
  totalMs: number;
  steps: Record<string, number>;
  peakRssMb: number;
  /** VmHWM sampled from /proc while it ran (a cross-check of maxRSS). */
  sampledHwmMb: number | null;
  /** The CPU of every process of the side while it ran (the median run's), by group. */
  cpu: CpuSplit;
}

interface BenchLab {
  dir: string;
  source: PgCluster;
  dr: PgCluster;
  sshd: Sshd;
  configFile: string;
  parallelConfigFile: string;
  streamedConfigFile: string;
  stagingDir: string;
  env: Record<string, string>;
  destroy(keep: boolean): Promise<void>;
}

async function scalar(url: string, text: string): Promise<string> {
  return withClient(url, async (client) => {
    const { rows } = await client.query(text);
    return String(Object.values(rows[0] as Record<string, unknown>)[0]);
  });
}

/** Source + DR servers, sshd, a generated source metastore with `partitions`, an older DR one, a config. */
async function startBenchLab(partitions: number, workers: number, log: (line: string) => void): Promise<BenchLab & { generateMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'hmsdr-bench-pipeline-'));
  chmodSync(dir, 0o755); // the servers run as the postgres OS user when we are root
  const guard = teardownOnSignal(`stopping the lab's servers and removing ${dir}`);
  const started = await Promise.allSettled([
    // No autovacuum: the ANALYZE/VACUUM of one side's freshly restored database would otherwise run
    // during the next side's measurement (seen: +2-3 s on whichever side ran last).
    startPgCluster({ dir: join(dir, 'source-pg'), settings: { autovacuum: 'off' } }),
    startPgCluster({ dir: join(dir, 'dr-pg'), settings: { autovacuum: 'off' } }),
    startSshd({ dir: join(dir, 'sshd') }),
  ] as const);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    guard.release();
    for (const s of started) if (s.status === 'fulfilled') await Promise.resolve(s.value.destroy()).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw (failed as PromiseRejectedResult).reason;
  }
  const [source, dr, sshd] = started.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [PgCluster, PgCluster, Sshd];
  const destroy = async (keep: boolean): Promise<void> => {
    guard.release();
    for (const part of [source, dr]) {
      try {
        if (keep) part.stop('fast');
        else part.destroy();
      } catch {
        // best effort
      }
    }
    await sshd.destroy().catch(() => undefined);
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };
  await guard.arm(() => destroy(false));
  const sourcePw = `bench-src-${process.pid}`;
  const drPw = `bench-dr-${process.pid}`;
  log(`generating ${partitions} partitions on the source …`);
  const t0 = Date.now();
  let generateMs = 0;
  try {
    await createLabMetastore((db) => source.url(db), {
      side: 'source',
      hiveVersion: '3.1.0',
      password: sourcePw,
      generate: { databases: 20, tablesPerDatabase: 50, partitions, authority: OLD },
    });
    // A field metastore's rows are long settled (hint bits set, pages all-visible). Freshly inserted
    // ones are not: whichever side read them first (the hand-run's pg_dump in round 1) would set the
    // hint bits and write the pages again. (Round 1 stayed slower on every side with this too:
    // docs/performance-pipeline.md.)
    await runSql(source.url('hive'), 'VACUUM (FREEZE, ANALYZE)');
    generateMs = Date.now() - t0;
    await createLabMetastore((db) => dr.url(db), {
      side: 'dr',
      hiveVersion: '3.1.0',
      password: drPw,
      generate: { databases: 1, tablesPerDatabase: 3, partitions: 20, authority: NEW },
    });
  } catch (error) {
    await destroy(false);
    throw error;
  }

  const { config: raw, stagingDir } = pipelineLabConfig({
    dir,
    source,
    dr,
    sourcePasswordEnv: SOURCE_PW_ENV,
    drPasswordEnv: DR_PW_ENV,
    ssh: {
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      keyFile: sshd.clientKeyFile,
      knownHostsFile: sshd.knownHostsFile,
      acceptNewHostKey: false,
    },
  });
  const configFile = join(dir, 'hmsdr.yaml');
  writeFileSync(configFile, stringify(raw));
  const parallelConfigFile = join(dir, 'hmsdr-parallel.yaml');
  writeFileSync(parallelConfigFile, stringify({ ...raw, restore: { transfer: 'parallel', workers } }));
  const streamedConfigFile = join(dir, 'hmsdr-streamed.yaml');
  writeFileSync(streamedConfigFile, stringify({ ...raw, restore: { transfer: 'streamed' } }));
  return {
    dir,
    source,
    dr,
    sshd,
    configFile,
    parallelConfigFile,
    streamedConfigFile,
    stagingDir,
    env: { [SOURCE_PW_ENV]: sourcePw, [DR_PW_ENV]: drPw },
    generateMs,
    destroy,
  };
}

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Run a program; secrets only through `env`. Rejects on a non-zero exit. */
function run(file: string, args: string[], env: Record<string, string> = {}, onPid?: (pid: number) => void): Promise<Exit> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid && onPid) onPid(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout = (stdout + b.toString('utf8')).slice(-1024 * 1024);
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString('utf8')).slice(-64 * 1024);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const result = { code, stdout, stderr, ms: Date.now() - started };
      if (code === 0) resolve(result);
      else reject(new Error(`${file} ${args.slice(0, 3).join(' ')} … exited ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
}

const shq = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/** How often the CPU of a side's processes is read (see bench-cpu-split.ts for what it misses). */
const CPU_SAMPLE_MS = 200;
const pidIn = (file: string): number => Number(readFileSync(file, 'utf8').split('\n')[0]);

/**
 * `side` with the CPU of every process it involves sampled from /proc: each server with its
 * backends, and under their command names what this process, the lab's sshd and hmsdr start.
 */
async function withCpuSplit<T>(lab: BenchLab, side: (sampler: CpuSplitSampler) => Promise<T>): Promise<T & { cpu: CpuSplit }> {
  const sampler = new CpuSplitSampler(
    [
      { pid: pidIn(join(lab.source.dataDir, 'postmaster.pid')), group: SERVER_GROUPS[0], children: 'same' },
      { pid: pidIn(join(lab.dr.dataDir, 'postmaster.pid')), group: SERVER_GROUPS[1], children: 'same' },
      { pid: pidIn(join(lab.sshd.dir, 'sshd.pid')), children: 'by-command' },
      { pid: process.pid, children: 'by-command' },
    ],
    { ticksPerSecond: clockTicksPerSecond() },
  ).start(CPU_SAMPLE_MS);
  let result: T;
  try {
    result = await side(sampler);
  } catch (error) {
    sampler.stop();
    throw error;
  }
  return { ...result, cpu: sampler.stop() };
}

/** (a) The hand-run procedure, step by step, timed. */
async function handProcedure(lab: BenchLab): Promise<Omit<PipelineBenchResult['hand'], 'cpu'> & { bytes: number; stagedFile: string }> {
  const work = join(lab.dir, 'hand');
  rmSync(work, { recursive: true, force: true });
  await run('mkdir', ['-p', work, lab.stagingDir]);
  const file = join(work, 'hive.sql');
  const pgDump = join(lab.source.binDir, 'pg_dump');
  const psql = join(lab.dr.binDir, 'psql');
  // 1. pg_dump > file
  const dump = await run(
    'sh',
    ['-c', 'exec "$0" "$@" > "$HMSDR_BENCH_OUT"', pgDump, '-h', '127.0.0.1', '-p', String(lab.source.port), '-U', 'hmsdr_reader', 'hive'],
    {
      PGPASSWORD: lab.env[SOURCE_PW_ENV]!,
      HMSDR_BENCH_OUT: file,
    },
  );
  // 2. sed -i
  const sed = await run('sed', ['-i', `s#${OLD}#${NEW}#g`, file]);
  const bytes = statSync(file).size;
  // 3. scp to the DR host through the same sshd
  const sshOpts = [
    '-i',
    lab.sshd.clientKeyFile,
    '-o',
    `UserKnownHostsFile=${lab.sshd.knownHostsFile}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
  ];
  const remote = join(lab.stagingDir, 'hand-hive.sql');
  const scp = await run('scp', ['-q', '-P', String(lab.sshd.port), ...sshOpts, file, `${lab.sshd.user}@${lab.sshd.host}:${remote}`]);
  // 4. ssh DR: create a fresh database, psql -f into it (the password from a .pgpass on the DR host)
  const pgpass = join(work, 'pgpass');
  writeFileSync(pgpass, `127.0.0.1:${lab.dr.port}:*:hmsdr_admin:${lab.env[DR_PW_ENV]}\n`, { mode: 0o600 });
  const conn = `-h 127.0.0.1 -p ${lab.dr.port} -U hmsdr_admin`;
  const remoteLine =
    `export PGPASSFILE=${shq(pgpass)}; ${shq(psql)} ${conn} -d postgres -c 'DROP DATABASE IF EXISTS hive_hand' -c 'CREATE DATABASE hive_hand OWNER hive' && ` +
    `${shq(psql)} ${conn} -d hive_hand -f ${shq(remote)} > /dev/null`;
  const restore = await run('ssh', ['-p', String(lab.sshd.port), ...sshOpts, `${lab.sshd.user}@${lab.sshd.host}`, remoteLine]);
  return {
    totalMs: dump.ms + sed.ms + scp.ms + restore.ms,
    pgDumpMs: dump.ms,
    sedMs: sed.ms,
    scpMs: scp.ms,
    restoreMs: restore.ms,
    bytes,
    stagedFile: remote,
  };
}

interface ChildReport {
  runId: string;
  complete: boolean;
  steps: Record<string, number>;
  maxRssKb: number;
  bytesOut: number;
  stagedPath: string;
  database: string;
  timings: Record<string, number>;
}

/** (b) hmsdr in a child process (so its peak RSS is its own). */
async function hmsdrSteps(
  lab: BenchLab,
  configFile: string,
  sampler: CpuSplitSampler,
): Promise<{ totalMs: number; report: ChildReport; sampledHwmKb: number | null }> {
  const script = fileURLToPath(import.meta.url);
  let pid = 0;
  let hwm: number | null = null;
  const sample = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) hwm = Math.max(hwm ?? 0, Number(m[1]));
    } catch {
      // not started yet, or gone
    }
  }, 100);
  try {
    const child = await run(process.execPath, [...process.execArgv, script, '--child', configFile], lab.env, (p) => {
      pid = p;
      sampler.addRoot({ pid, group: 'hmsdr', children: 'by-command' });
    });
    const report = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as ChildReport;
    return { totalMs: child.ms, report, sampledHwmKb: hwm };
  } finally {
    clearInterval(sample);
  }
}

/** The child: dump-metastore + restore-staging + verify-staging through the engine. */
async function childMain(configFile: string): Promise<void> {
  const config = loadConfig(configFile);
  const result = await runRunbook({
    config,
    steps: [dumpMetastore, restoreStaging, verifyStaging],
    adapters: (run) => createAdapters(config, run),
    mode: 'rehearse',
    interactive: false,
    yes: true,
    renderer: 'silent',
    commandLine: 'bench-pipeline --child',
  });
  const state = JSON.parse(readFileSync(join(result.runDir, 'state.json'), 'utf8')) as {
    steps: Record<string, { startedAt?: string; finishedAt?: string; output?: Record<string, unknown> }>;
  };
  const steps: Record<string, number> = {};
  for (const [id, s] of Object.entries(state.steps)) {
    if (s.startedAt && s.finishedAt) steps[id] = Date.parse(s.finishedAt) - Date.parse(s.startedAt);
  }
  const dump = state.steps['dump-metastore']?.output ?? {};
  const report: ChildReport = {
    runId: result.runId,
    complete: result.complete,
    steps,
    maxRssKb: process.resourceUsage().maxRSS,
    bytesOut: Number(dump.bytesOut ?? 0),
    stagedPath: String(dump.stagedPath ?? ''),
    database: String(state.steps['restore-staging']?.output?.database ?? ''),
    timings: (dump['timings'] as Record<string, number> | undefined) ?? {},
  };
  process.stdout.write(JSON.stringify(report) + '\n');
}

type SideName = 'hand' | 'staged' | 'streamed' | 'parallel';
const SIDES: SideName[] = ['hand', 'staged', 'streamed', 'parallel'];
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
/** The run whose total is the median (the lower of the two middle ones for an even count). */
const medianRun = <T extends { totalMs: number }>(runs: T[]): T =>
  [...runs].sort((a, b) => a.totalMs - b.totalMs)[Math.floor((runs.length - 1) / 2)] as T;
const ratioOf = (ms: number, hand: number): number => Math.round((ms / hand) * 100) / 100;

export async function benchPipeline(options: PipelineBenchOptions): Promise<PipelineBenchResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const workers = options.workers ?? 2;
  const rounds = Math.max(1, options.rounds ?? 1);
  const lab = await startBenchLab(options.partitions, workers, log);
  try {
    // Each side starts from a checkpointed server: the WAL of the side before must not be flushed
    // on the next side's clock (untimed).
    const settle = (): Promise<unknown> => Promise.all([runSql(lab.source.url(), 'CHECKPOINT'), runSql(lab.dr.url(), 'CHECKPOINT')]);
    const count = (db: string): Promise<string> => scalar(lab.dr.url(db), 'SELECT count(*) FROM "PARTITIONS"');
    log(`generated in ${(lab.generateMs / 1000).toFixed(1)} s`);
    const hands: Array<Awaited<ReturnType<typeof handProcedure>> & { cpu: CpuSplit }> = [];
    const runs: Record<Exclude<SideName, 'hand'>, Array<Awaited<ReturnType<typeof hmsdrSteps>> & { cpu: CpuSplit }>> = {
      staged: [],
      streamed: [],
      parallel: [],
    };
    const configs = { staged: lab.configFile, streamed: lab.streamedConfigFile, parallel: lab.parallelConfigFile };
    const restoredPartitions = { hand: 0, hmsdr: 0, streamed: 0, parallel: 0 };
    const roundTimes: Array<Record<SideName, number>> = [];
    let sha256sumOfStagedMs = 0;
    for (let round = 0; round < rounds; round++) {
      // Each round starts with the next side: none always runs first (cold) or last (after the others' WAL).
      const order = [...SIDES.slice(round % SIDES.length), ...SIDES.slice(0, round % SIDES.length)];
      const times = {} as Record<SideName, number>;
      for (const which of order) {
        log(`round ${round + 1}/${rounds}: ${which === 'hand' ? 'the hand-run procedure' : `hmsdr, ${which} transfer`} …`);
        await settle();
        if (which === 'hand') {
          const hand = await withCpuSplit(lab, () => handProcedure(lab));
          hands.push(hand);
          times.hand = hand.totalMs;
          restoredPartitions.hand = Number(await count('hive_hand'));
        } else {
          const r = await withCpuSplit(lab, (sampler) => hmsdrSteps(lab, configs[which], sampler));
          if (!r.report.complete) throw new Error(`the ${which} hmsdr run ${r.report.runId} did not complete`);
          runs[which].push(r);
          times[which] = r.totalMs;
          restoredPartitions[which === 'staged' ? 'hmsdr' : which] = Number(await count(r.report.database));
          if (which === 'staged' && round === 0) sha256sumOfStagedMs = (await run('sha256sum', [r.report.stagedPath])).ms;
          // Only the figures are kept: the next rounds must not fill the disk with restored copies.
          await runSql(lab.dr.url(), `DROP DATABASE "${r.report.database}"`);
          if (r.report.stagedPath) rmSync(r.report.stagedPath, { force: true });
        }
        log(`  ${(times[which] / 1000).toFixed(1)} s`);
      }
      roundTimes.push(times);
    }
    const hand = medianRun(hands);
    const handMedian = median(hands.map((h) => h.totalMs));
    const sideOf = (which: Exclude<SideName, 'hand'>): HmsdrSide => ({
      ...side(medianRun(runs[which])),
      totalMs: median(runs[which].map((r) => r.totalMs)),
      peakRssMb: Math.max(...runs[which].map((r) => side(r).peakRssMb)),
    });
    const range = (which: Exclude<SideName, 'hand'>): [number, number] => {
      const ratios = roundTimes.map((t) => ratioOf(t[which], t.hand));
      return [Math.min(...ratios), Math.max(...ratios)];
    };
    const staged = sideOf('staged');
    const streamed = sideOf('streamed');
    const parallel = sideOf('parallel');
    return {
      partitions: Number(await scalar(lab.source.url('hive'), 'SELECT count(*) FROM "PARTITIONS"')),
      generateMs: lab.generateMs,
      dumpBytes: { hand: hand.bytes, hmsdr: medianRun(runs.staged).report.bytesOut },
      hand: {
        totalMs: handMedian,
        pgDumpMs: hand.pgDumpMs,
        sedMs: hand.sedMs,
        scpMs: hand.scpMs,
        restoreMs: hand.restoreMs,
        cpu: hand.cpu,
      },
      hmsdr: staged,
      streamed,
      parallel: { ...parallel, workers, timings: medianRun(runs.parallel).report.timings },
      ratio: ratioOf(staged.totalMs, handMedian),
      streamedRatio: ratioOf(streamed.totalMs, handMedian),
      parallelRatio: ratioOf(parallel.totalMs, handMedian),
      rounds: roundTimes,
      ratioRange: { staged: range('staged'), streamed: range('streamed'), parallel: range('parallel') },
      profile: { sha256sumOfStagedMs, restoredPartitions },
    };
  } finally {
    await lab.destroy(options.keep ?? false);
    if (options.keep) log(`kept ${lab.dir}`);
  }
}

const side = (r: { totalMs: number; report: ChildReport; sampledHwmKb: number | null; cpu: CpuSplit }): HmsdrSide => ({
  totalMs: r.totalMs,
  steps: r.report.steps,
  peakRssMb: Math.round(r.report.maxRssKb / 102.4) / 10,
  sampledHwmMb: r.sampledHwmKb === null ? null : Math.round(r.sampledHwmKb / 102.4) / 10,
  cpu: r.cpu,
});

export function formatPipelineBench(r: PipelineBenchResult): string {
  const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  const spread = ([min, max]: [number, number]): string => (r.rounds.length > 1 ? ` (rounds ${min.toFixed(2)}–${max.toFixed(2)})` : '');
  const lines = [
    `partitions ${r.partitions.toLocaleString('en')}, dump ${(r.dumpBytes.hand / 1048576).toFixed(0)} MB (hand) / ${(r.dumpBytes.hmsdr / 1048576).toFixed(0)} MB (hmsdr), generated in ${s(r.generateMs)}`,
    `(a) hand-run   ${s(r.hand.totalMs).padStart(8)}  = pg_dump ${s(r.hand.pgDumpMs)} + sed -i ${s(r.hand.sedMs)} + scp ${s(r.hand.scpMs)} + ssh psql -f ${s(r.hand.restoreMs)} (no verification)`,
    `(b) hmsdr      ${s(r.hmsdr.totalMs).padStart(8)}  = ${Object.entries(r.hmsdr.steps)
      .map(([id, ms]) => `${id} ${s(ms)}`)
      .join(' + ')} (+ process start/close)`,
    `(b2) streamed  ${s(r.streamed.totalMs).padStart(8)}  = ${Object.entries(r.streamed.steps)
      .map(([id, ms]) => `${id} ${s(ms)}`)
      .join(' + ')} (restore-staging: done while streaming)`,
    `(c) parallel   ${s(r.parallel.totalMs).padStart(8)}  = ${Object.entries(r.parallel.steps)
      .map(([id, ms]) => `${id} ${s(ms)}`)
      .join(' + ')} (${r.parallel.workers} workers; ${Object.entries(r.parallel.timings)
      .map(([k, ms]) => `${k} ${s(ms)}`)
      .join(', ')})`,
    `ratio staged/hand ${r.ratio.toFixed(2)}${spread(r.ratioRange.staged)}   peak RSS ${r.hmsdr.peakRssMb} MB (VmHWM sampled ${r.hmsdr.sampledHwmMb ?? '?'} MB; target ≤ 200 MB)`,
    `ratio streamed/hand ${r.streamedRatio.toFixed(2)}${spread(r.ratioRange.streamed)} (target ≤ ${STREAMED_TARGET.toFixed(2)})   peak RSS ${r.streamed.peakRssMb} MB (VmHWM sampled ${r.streamed.sampledHwmMb ?? '?'} MB; target ≤ 200 MB)`,
    `ratio parallel/hand ${r.parallelRatio.toFixed(2)}${spread(r.ratioRange.parallel)} (target ≤ ${PARALLEL_TARGET.toFixed(2)})   peak RSS ${r.parallel.peakRssMb} MB (VmHWM sampled ${r.parallel.sampledHwmMb ?? '?'} MB; target ≤ 200 MB)`,
    ...(r.rounds.length > 1
      ? [
          `${r.rounds.length} rounds (medians above; peak RSS: the largest), wall per round: ${r.rounds
            .map((t) => SIDES.map((name) => `${name} ${s(t[name])}`).join(', '))
            .join(' | ')}`,
        ]
      : []),
    `CPU of each side's median run, every process of it (/proc every ${CPU_SAMPLE_MS / 1000} s), in CPU-seconds:`,
    ...(
      [
        ['hand', r.hand.cpu],
        ['staged', r.hmsdr.cpu],
        ['streamed', r.streamed.cpu],
        ['parallel', r.parallel.cpu],
      ] as const
    ).map(([name, cpu]) => `  ${name.padEnd(9)} ${formatCpuSplit(cpu, availableParallelism())}`),
    "What each target leaves on this machine's cores after the servers' CPU (the restore's own work, as in the hand-run, and verification's queries):",
    ...(
      [
        ['streamed', r.streamed.cpu, STREAMED_TARGET],
        ['parallel', r.parallel.cpu, PARALLEL_TARGET],
      ] as const
    ).map(
      ([name, cpu, ratio]) => `  ${name.padEnd(9)} ${formatCpuBudget(cpu, r.hand.totalMs, ratio, availableParallelism(), SERVER_GROUPS)}`,
    ),
    `profile: sha256sum of the staged file ${s(r.profile.sha256sumOfStagedMs)}; partitions restored: hand ${r.profile.restoredPartitions.hand}, staged ${r.profile.restoredPartitions.hmsdr}, streamed ${r.profile.restoredPartitions.streamed}, parallel ${r.profile.restoredPartitions.parallel}`,
  ];
  return lines.join('\n');
}

/**
 * The lab alone, running until SIGINT/SIGTERM: one side can then be run again and again, with a
 * profiler or a changed build, on the same generated metastore (`--child`, as the benchmark runs it).
 */
async function holdLab(partitions: number, workers: number): Promise<void> {
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const lab = await startBenchLab(partitions, workers, log);
  const envFile = join(lab.dir, 'env.sh');
  writeFileSync(
    envFile,
    `${Object.entries(lab.env)
      .map(([k, v]) => `export ${k}=${shq(v)}`)
      .join('\n')}\n`,
    { mode: 0o600 },
  );
  const script = fileURLToPath(import.meta.url);
  log(`lab held in ${lab.dir} (${partitions} partitions, generated in ${(lab.generateMs / 1000).toFixed(1)} s); one side:`);
  for (const file of [lab.configFile, lab.streamedConfigFile, lab.parallelConfigFile])
    log(`  (. ${envFile}; node ${script} --child ${file})`);
  log('Ctrl-C stops the servers and removes the directory');
  setInterval(() => undefined, 1 << 30); // held until the lab's signal handler ends the process
}

const USAGE = `node dist/scripts/bench-pipeline.js [options]    (after npm run build)
The metastore move against the hand-run procedure (pg_dump > file, sed -i, scp, psql -f), side by
side on one generated lab: hmsdr staged, streamed and parallel, each dump → restore → verify.
  --partitions N   size of the generated source metastore (default 1000000)
  --rounds N       rounds of the four sides; figures are medians (default 1)
  --workers N      connections of the parallel transfer (default 2)
  --keep           leave the lab's directory behind for a look afterwards
  --hold           start the lab only and hold it until Ctrl-C; prints the command that runs one side
  --child CONFIG   run one hmsdr side against a held lab (env.sh gives the passwords)
`;

async function main(): Promise<void> {
  const values = parseBenchArgs(
    {
      partitions: { type: 'string', default: '1000000' },
      keep: { type: 'boolean', default: false },
      hold: { type: 'boolean', default: false },
      workers: { type: 'string', default: '2' },
      rounds: { type: 'string', default: '1' },
      child: { type: 'string' },
    },
    USAGE,
  );
  if (values.child) {
    await childMain(values.child);
    return;
  }
  if (values.hold) {
    await holdLab(Number(values.partitions), Number(values.workers));
    return;
  }
  const result = await benchPipeline({
    partitions: Number(values.partitions),
    workers: Number(values.workers),
    rounds: Number(values.rounds),
    keep: values.keep ?? false,
  });
  process.stdout.write(JSON.stringify(result) + '\n');
  process.stderr.write(formatPipelineBench(result) + '\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench-pipeline: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
