// `npm run bench -- --only hdfs`: hmsdr's data path at field scale against the Hadoop stand-in with a
// synthetic namespace (no local files) and the cost model in `account` mode. Per size: snapshot-source
// and copy-data (the steps themselves, an incremental with 1% of the partitions changed), L4 and L5
// through `verifyData` (the entry point the verify steps and `hmsdr verify data` call). Each rung runs
// in its own child process (its peak RSS is hmsdr's), with a real-time budget; the modelled time, the
// RPCs and the Hadoop process launches come from the stand-in's ledger.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Adapters } from '../src/adapters/index.js';
import { localExecutor } from '../src/adapters/executor.js';
import { createHdfsPorts, type HdfsPorts } from '../src/adapters/hdfs/hdfs.js';
import type { ResolvedConfig } from '../src/config/load.js';
import { configSchema } from '../src/config/schema.js';
import { Cluster } from '../src/lab/hadoop/cluster.js';
import { readLedger } from '../src/lab/hadoop/cost.js';
import {
  DEFAULT_SHAPE,
  dbName,
  partitionName,
  setLiveGeneration,
  tableName,
  writeSyntheticNamespace,
  type SyntheticShape,
} from '../src/lab/hadoop/synthetic.js';
import { syncSnapshotName } from '../src/names/run-names.js';
import { createCopyDataStep } from '../src/steps/copy-data.js';
import { snapshotSource } from '../src/steps/snapshot-source.js';
import type { StepContext, StepOutput } from '../src/steps/step.js';
import { verifyData, type VerifyDataOptions } from '../src/verify/data/run.js';

const REPO = resolve(fileURLToPath(import.meta.url), '../../..');
const BIN = join(REPO, 'fixtures/bin');
const PREVIOUS_RUN = '20261201t020000';
const RUN = '20261202t020000';
const ROOT_PATH = '/warehouse';

export type Rung = 'snapshot-source' | 'copy-data' | 'L4' | 'L5-lengths' | 'L5-checksums';
export const RUNGS: readonly Rung[] = ['snapshot-source', 'copy-data', 'L4', 'L5-lengths', 'L5-checksums'];

/** What L5 with checksums asks of `verifyData`: the files this run's snapshot diff changed, plus a rotating sample. */
export const CHECKSUM_MODE: VerifyDataOptions['checksums'] = 'changed';

export interface HdfsSize {
  label: string;
  partitions: number;
  files: number;
  shape: SyntheticShape;
}

/** `100k` → 10 dbs × 100 tables × 100 partitions × 10 files; `1M` → × 1,000 partitions. */
export function sizeOf(label: string): HdfsSize {
  const partitions = Math.round(Number(label.replace(/k$/i, 'e3').replace(/M$/, 'e6')));
  if (!(partitions >= 1000) || partitions % 1000 !== 0) throw new Error(`--sizes: ${label} (use e.g. 100k, 1M)`);
  const shape: SyntheticShape = { ...DEFAULT_SHAPE, root: ROOT_PATH, databases: 10, tables: 100, partitions: partitions / 1000, files: 10 };
  return { label, partitions, files: partitions * shape.files, shape };
}

function siteConfig(root: string, nameNode: string, ledger: string) {
  return {
    hdfsBin: join(BIN, 'hdfs'),
    hadoopBin: join(BIN, 'hadoop'),
    env: {
      HMSDR_HADOOP_STANDIN_ROOT: root,
      HMSDR_HADOOP_DEFAULT_FS: nameNode,
      HADOOP_USER_NAME: 'hdfs',
      HMSDR_STANDIN_COST: 'account',
      HMSDR_STANDIN_COST_LEDGER: ledger,
      PATH: process.env.PATH ?? '/usr/bin:/bin',
    },
    publicEnv: ['HMSDR_HADOOP_STANDIN_ROOT', 'HMSDR_HADOOP_DEFAULT_FS', 'HMSDR_STANDIN_COST', 'HMSDR_STANDIN_COST_LEDGER'],
  };
}

function benchConfig(root: string, ledger: string): ResolvedConfig {
  const metastore = { host: 'localhost', database: 'hive', user: 'hive' };
  const parsed = configSchema.parse({
    version: 1,
    source: { name: 'prod', metastore, nameNode: 'hdfs://prodns', hdfs: siteConfig(root, 'hdfs://prodns', ledger) },
    dr: {
      name: 'dr',
      metastore,
      nameNode: 'hdfs://drns',
      stagingDir: '/tmp',
      serviceControl: { type: 'none' },
      hdfs: siteConfig(root, 'hdfs://drns', ledger),
    },
    data: { paths: [{ source: ROOT_PATH, target: ROOT_PATH }], maps: 20 },
    retention: { snapshots: 3 },
  });
  return { ...parsed, file: join(root, 'hmsdr.yaml'), hash: 'bench', runsDirAbs: join(root, 'runs') } as ResolvedConfig;
}

/** Source and DR at generation 0 with the previous run's snapshot on both; the source then changes 1%. */
export function prepareNamespace(root: string, size: HdfsSize): void {
  for (const authority of ['prodns', 'drns']) {
    const cluster = new Cluster(root, authority);
    writeSyntheticNamespace(cluster, size.shape, 0);
    cluster.allowSnapshot(ROOT_PATH, ROOT_PATH);
    cluster.createSnapshot(ROOT_PATH, syncSnapshotName(PREVIOUS_RUN), Date.UTC(2026, 11, 1, 2));
  }
  setLiveGeneration(new Cluster(root, 'prodns'), 1);
}

function context(config: ResolvedConfig, hdfs: HdfsPorts, outputs: Record<string, StepOutput> = {}): StepContext {
  const noop = (): void => undefined;
  const adapters = new Proxy({ hdfs } as Partial<Adapters>, {
    get: (target, name) => {
      if (name in target) return target[name as keyof Adapters];
      if (name === 'then') return undefined;
      throw new Error(`the hdfs bench has no ${String(name)} adapter`);
    },
  }) as Adapters;
  return {
    config,
    run: { id: RUN, dir: config.runsDirAbs, startedAt: new Date().toISOString() },
    outputs,
    adapters,
    log: { info: noop, warn: noop, error: noop, stderr: noop },
    signal: new AbortController().signal,
    progress: noop,
    confirm: async () => true,
  } as StepContext;
}

/**
 * Every partition location on DR (what L4 is given by verify-staging at this size), as the metastore's
 * driver hands them over: each one a string decoded from the wire, not a tree of concatenated pieces
 * (which costs twice the memory and is no part of hmsdr's footprint in the field).
 */
function partitionLocations(shape: SyntheticShape): string[] {
  const out: string[] = [];
  for (let d = 0; d < shape.databases; d++)
    for (let t = 0; t < shape.tables; t++)
      for (let p = 0; p < shape.partitions; p++)
        out.push(Buffer.from(`hdfs://drns${ROOT_PATH}/${dbName(d)}/${tableName(t)}/${partitionName(p)}`).toString('utf8'));
  return out;
}

/** One rung in this process (the child): returns what it found. */
async function runRung(rung: Rung, root: string, ledger: string, size: HdfsSize): Promise<string> {
  const config = benchConfig(root, ledger);
  const hdfs = createHdfsPorts(config, { source: localExecutor, dr: localExecutor });
  const outputs: Record<string, StepOutput> = {};
  const ctx = context(config, hdfs, outputs);
  const pairs = config.data.paths.map((p) => ({ source: p.source, target: p.target ?? p.source }));
  const snapshot = syncSnapshotName(RUN);
  switch (rung) {
    case 'snapshot-source': {
      const probe = await snapshotSource.probe(ctx);
      if (probe.status !== 'todo') throw new Error(`snapshot-source probe: ${probe.status}`);
      const out = (await snapshotSource.run(ctx)) as { paths: { mode: string }[] };
      writeFileSync(join(root, 'snapshot-source.json'), JSON.stringify(out));
      return `mode ${out.paths.map((p) => p.mode).join(',')}`;
    }
    case 'copy-data': {
      // The snapshot-source rung's output, as the runner hands it to copy-data.
      outputs['snapshot-source'] = JSON.parse(readFileSync(join(root, 'snapshot-source.json'), 'utf8')) as StepOutput;
      const out = (await createCopyDataStep().run(ctx)) as { paths: { mode: string; filesCopied: number; bytesCopied: number }[] };
      return out.paths.map((p) => `${p.mode}: ${p.filesCopied} files, ${p.bytesCopied} bytes`).join('; ');
    }
    case 'L4': {
      const result = await verifyData(hdfs, pairs, {
        snapshot,
        equivalence: false,
        locations: partitionLocations(size.shape),
        by: 'bench',
      });
      return `${result.ok ? 'ok' : 'FAILED'}: ${result.presence?.checked} locations, ${result.presence?.missing.length} missing`;
    }
    case 'L5-lengths':
    case 'L5-checksums': {
      const result = await verifyData(hdfs, pairs, { snapshot, by: 'bench', checksums: rung === 'L5-checksums' ? CHECKSUM_MODE : false });
      const p = result.equivalence[0]!;
      return `${result.ok ? 'ok' : 'FAILED'}: ${p.files.source} files, ${p.checksumsCompared} checksums compared`;
    }
  }
}

export interface RungResult {
  rung: Rung;
  outcome: string;
  ok: boolean;
  wallMs: number;
  /** Every Hadoop process one after the other. */
  modelledMs: number;
  /** Processes that ran at the same time counted once (the cluster serves concurrent clients). */
  modelledElapsedMs: number;
  launches: number;
  rpcs: number;
  peakRssMB: number | null;
}

/** VmHWM (peak RSS) of a running process, from /proc (Linux); undefined elsewhere. */
function peakRssKB(pid: number | undefined): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Run `rung` in a child process with a real-time budget; the ledger tells what it cost. */
function rungInChild(rung: Rung, root: string, ledger: string, size: HdfsSize, budgetMs: number): Promise<RungResult> {
  const offset = (() => {
    try {
      return statSync(ledger).size;
    } catch {
      return 0;
    }
  })();
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [fileURLToPath(import.meta.url), '--rung', rung, '--root', root, '--ledger', ledger, '--size', size.label],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => void (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => void (stderr = (stderr + c.toString()).slice(-4000)));
    let timedOut = false;
    let peakAtKillKB: number | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      peakAtKillKB = peakRssKB(child.pid);
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, budgetMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallMs = Date.now() - started;
      const cost = readLedger(ledger, offset);
      let report: { outcome?: string; error?: string; maxRssKB?: number } = {};
      try {
        report = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
      } catch {
        report = {};
      }
      const outcome = timedOut
        ? `failed: not finished within the ${Math.round(budgetMs / 1000)} s real-time budget (figures so far)`
        : report.error !== undefined
          ? `failed: ${report.error}`
          : report.outcome !== undefined
            ? report.outcome
            : `failed: exit ${code}${stderr ? ` (${stderr.trim().split('\n').pop()})` : ''}`;
      done({
        rung,
        outcome,
        ok: !timedOut && report.outcome !== undefined && !outcome.startsWith('FAILED'),
        wallMs,
        modelledMs: cost.modelledMs,
        modelledElapsedMs: cost.modelledElapsedMs,
        launches: cost.launches,
        rpcs: cost.rpcs,
        peakRssMB: (report.maxRssKB ?? peakAtKillKB) === undefined ? null : Math.round((report.maxRssKB ?? peakAtKillKB)! / 1024),
      });
    });
  });
}

export interface HdfsBenchSize {
  size: string;
  partitions: number;
  files: number;
  rungs: RungResult[];
}

/** The benchmark over `sizes`; each rung gets `budgetMs` of real time. */
export async function benchHdfs(options: {
  sizes: readonly string[];
  budgetMs: number;
  rungs?: readonly Rung[];
  log?: (line: string) => void;
}): Promise<HdfsBenchSize[]> {
  const out: HdfsBenchSize[] = [];
  for (const label of options.sizes) {
    const size = sizeOf(label);
    const root = mkdtempSync(join(tmpdir(), 'hmsdr-bench-hdfs-'));
    try {
      prepareNamespace(root, size);
      const ledger = join(root, 'ledger.jsonl');
      const rungs: RungResult[] = [];
      for (const rung of options.rungs ?? RUNGS) {
        options.log?.(`${label}: ${rung} …`);
        const r = await rungInChild(rung, root, ledger, size, options.budgetMs);
        options.log?.(`${label}: ${rung}: ${r.outcome} (${(r.wallMs / 1000).toFixed(1)} s real, ${r.launches} launches)`);
        rungs.push(r);
      }
      out.push({ size: label, partitions: size.partitions, files: size.files, rungs });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  return out;
}

const minutes = (ms: number): string => (ms >= 60_000 ? `${(ms / 60_000).toFixed(2)} min` : `${(ms / 1000).toFixed(1)} s`);

export function formatHdfsBench(sizes: readonly HdfsBenchSize[]): string {
  const lines = [
    '| size | rung | outcome | real wall | modelled | modelled, serial sum | Hadoop launches | NameNode RPCs | hmsdr peak RSS |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of sizes)
    for (const r of s.rungs)
      lines.push(
        `| ${s.size} partitions / ${(s.files / 1e6).toLocaleString('en-US')}M files | ${r.rung} | ${r.outcome} | ${minutes(r.wallMs)} | ${minutes(r.modelledElapsedMs)} | ${minutes(r.modelledMs)} | ${r.launches.toLocaleString('en-US')} | ${r.rpcs.toLocaleString('en-US')} | ${r.peakRssMB === null ? '—' : `${r.peakRssMB} MB`} |`,
      );
  return lines.join('\n');
}

// The child: `bench-hdfs.js --rung <rung> --root <dir> --ledger <file> --size <label>`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string): string => process.argv[process.argv.indexOf(`--${name}`) + 1]!;
  try {
    const outcome = await runRung(arg('rung') as Rung, arg('root'), arg('ledger'), sizeOf(arg('size')));
    process.stdout.write(`${JSON.stringify({ outcome, maxRssKB: process.resourceUsage().maxRSS })}\n`);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
    process.stdout.write(`${JSON.stringify({ error: message, maxRssKB: process.resourceUsage().maxRSS })}\n`);
  }
}
