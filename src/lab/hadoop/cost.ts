// The stand-in's cost model: what a real Hadoop client command costs — a JVM start per process,
// NameNode RPCs (listings paged at 1,000 entries per directory), DistCp job submission and copy
// throughput. Off unless HMSDR_STANDIN_COST (or `<root>/.standin/cost.json`) turns it on, then
// either `sleep` (real latency) or `account` (no sleeping: each process appends its launch, RPC
// count and modelled milliseconds to the ledger named by HMSDR_STANDIN_COST_LEDGER).
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type CostMode = 'sleep' | 'account';

export interface CostModel {
  mode: CostMode;
  /** Per process start (JVM, client configuration, Kerberos login), ms. */
  startMs: number;
  /** Per NameNode RPC, ms. */
  rpcMs: number;
  /** Entries per getListing page (dfs.ls.limit). */
  pageSize: number;
  /** DistCp job submission and set-up (copy listing, MR job start, commit), ms. */
  distcpSubmitMs: number;
  /** DistCp aggregate copy throughput, MB/s (10^6 bytes). */
  copyMBps: number;
}

export const DEFAULT_COST: Omit<CostModel, 'mode'> = {
  startMs: 1200,
  rpcMs: 0.3,
  pageSize: 1000,
  distcpSubmitMs: 15_000,
  copyMBps: 1000,
};

const KEYS: Record<string, keyof Omit<CostModel, 'mode'>> = {
  start: 'startMs',
  rpc: 'rpcMs',
  page: 'pageSize',
  distcp: 'distcpSubmitMs',
  mbps: 'copyMBps',
};

/**
 * `account` · `sleep` · `off`, optionally followed by overrides:
 * `account,start=1200,rpc=0.3,page=1000,distcp=15000,mbps=1000`. Undefined for off/empty.
 */
export function parseCostSpec(spec: string | undefined): CostModel | undefined {
  const text = (spec ?? '').trim();
  if (text === '' || text === 'off') return undefined;
  const [mode, ...settings] = text.split(',').map((s) => s.trim());
  if (mode !== 'sleep' && mode !== 'account') throw new Error(`HMSDR_STANDIN_COST: unknown mode "${mode}" (off, sleep or account)`);
  const model: CostModel = { mode, ...DEFAULT_COST };
  for (const setting of settings) {
    const [key, value] = setting.split('=');
    const field = KEYS[key ?? ''];
    const number = Number(value);
    if (!field || value === undefined || !Number.isFinite(number) || number < 0)
      throw new Error(`HMSDR_STANDIN_COST: bad setting "${setting}" (start=, rpc=, page=, distcp=, mbps= with a number)`);
    model[field] = number;
  }
  if (model.pageSize < 1) throw new Error('HMSDR_STANDIN_COST: page must be at least 1');
  return model;
}

/** The cost model of this process: HMSDR_STANDIN_COST, else `<root>/.standin/cost.json` ({"cost": "account,..."}). */
export function costModelFrom(env: NodeJS.ProcessEnv): CostModel | undefined {
  if (env.HMSDR_STANDIN_COST !== undefined) return parseCostSpec(env.HMSDR_STANDIN_COST);
  const root = env.HMSDR_HADOOP_STANDIN_ROOT;
  const file = root ? join(root, '.standin', 'cost.json') : undefined;
  if (!file || !existsSync(file)) return undefined;
  return parseCostSpec((JSON.parse(readFileSync(file, 'utf8')) as { cost?: string }).cost);
}

/** getListing RPCs to read a directory of `entries` children: one per page, at least one. */
export function listingRpcs(entries: number, pageSize = DEFAULT_COST.pageSize): number {
  return Math.max(1, Math.ceil(entries / pageSize));
}

/** One ledger line: one process. */
export interface LedgerEntry {
  /** `hdfs dfs -ls`, `hadoop distcp` … */
  command: string;
  launches: number;
  rpcs: number;
  bytes: number;
  /** Start + RPCs + DistCp submission + copy time. */
  modelledMs: number;
  /** Real time the stand-in process spent (its own work, without the modelled time). */
  realMs: number;
  /** Real start and end (epoch ms): which processes ran at the same time (absent in older ledgers). */
  startedAt?: number;
  endedAt?: number;
}

const sleep = (ms: number): void => {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** Counts one process's cost; in `sleep` mode it also waits it out. */
export class CostMeter {
  rpcs = 0;
  bytes = 0;
  private extraMs = 0;
  private owedMs = 0;
  private readonly started = Date.now();

  constructor(readonly model: CostModel | undefined) {}

  get on(): boolean {
    return this.model !== undefined;
  }

  private charge(ms: number): void {
    if (this.model?.mode !== 'sleep') return;
    this.owedMs += ms;
    if (this.owedMs >= 5) {
      const whole = Math.floor(this.owedMs);
      sleep(whole);
      this.owedMs -= whole;
    }
  }

  /** The JVM start (called once, at the beginning of the process). */
  start(): void {
    if (this.model) this.charge(this.model.startMs);
  }

  rpc(n = 1): void {
    if (!this.model || n <= 0) return;
    this.rpcs += n;
    this.charge(n * this.model.rpcMs);
  }

  /** Reading one directory of `entries` children (getListing, paged). */
  listing(entries: number): void {
    if (this.model) this.rpc(listingRpcs(entries, this.model.pageSize));
  }

  /** Server-side work of a call that walks `inodes` inodes (getContentSummary): one RPC-equivalent per page. */
  walk(inodes: number): void {
    if (this.model) this.rpc(Math.floor(inodes / this.model.pageSize));
  }

  distcpSubmit(): void {
    if (!this.model) return;
    this.extraMs += this.model.distcpSubmitMs;
    this.charge(this.model.distcpSubmitMs);
  }

  copied(bytes: number): void {
    if (!this.model) return;
    this.bytes += bytes;
    const ms = bytes / (this.model.copyMBps * 1000);
    this.extraMs += ms;
    this.charge(ms);
  }

  modelledMs(): number {
    if (!this.model) return 0;
    return this.model.startMs + this.rpcs * this.model.rpcMs + this.extraMs;
  }

  entry(command: string): LedgerEntry {
    return {
      command,
      launches: 1,
      rpcs: this.rpcs,
      bytes: this.bytes,
      modelledMs: Math.round(this.modelledMs() * 1000) / 1000,
      realMs: Date.now() - this.started,
      startedAt: this.started,
      endedAt: Date.now(),
    };
  }

  /** Sleep what is still owed; append this process to the ledger (when one is named). */
  finish(command: string, ledger: string | undefined): void {
    if (!this.model) return;
    if (this.model.mode === 'sleep') sleep(Math.ceil(this.owedMs));
    if (ledger) appendFileSync(ledger, JSON.stringify(this.entry(command)) + '\n');
  }
}

/**
 * The modelled elapsed time of processes that may have overlapped: a process is taken to depend on
 * every process that really ended before it really started (it may have waited for it), and to
 * run alongside the others, as a cluster serves concurrent clients. So a sequence costs the sum,
 * two listings read at once cost the longer one, and a bounded pool costs at least its critical
 * path. Entries without real times count as one sequence.
 */
export function modelledElapsedMs(entries: readonly LedgerEntry[]): number {
  const timed = entries.filter((e) => e.startedAt !== undefined && e.endedAt !== undefined);
  const ends: { real: number; modelled: number }[] = [];
  for (const e of [...timed].sort((a, b) => a.startedAt! - b.startedAt!)) {
    let start = 0;
    for (const before of ends) if (before.real < e.startedAt!) start = Math.max(start, before.modelled);
    ends.push({ real: e.endedAt!, modelled: start + e.modelledMs });
  }
  const untimed = entries.filter((e) => !timed.includes(e)).reduce((n, e) => n + e.modelledMs, 0);
  return ends.reduce((n, e) => Math.max(n, e.modelled), 0) + untimed;
}

/** Sums of a ledger file (launches, RPCs, modelled ms), optionally from byte `offset` on. */
export function readLedger(
  file: string,
  offset = 0,
): {
  launches: number;
  rpcs: number;
  bytes: number;
  /** Every process one after the other. */
  modelledMs: number;
  /** Processes that really overlapped counted as concurrent (modelledElapsedMs). */
  modelledElapsedMs: number;
  entries: LedgerEntry[];
} {
  const text = existsSync(file) ? readFileSync(file).subarray(offset).toString('utf8') : '';
  const entries = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LedgerEntry);
  return {
    launches: entries.reduce((n, e) => n + e.launches, 0),
    rpcs: entries.reduce((n, e) => n + e.rpcs, 0),
    bytes: entries.reduce((n, e) => n + e.bytes, 0),
    modelledMs: entries.reduce((n, e) => n + e.modelledMs, 0),
    modelledElapsedMs: modelledElapsedMs(entries),
    entries,
  };
}

/** The meter of the running stand-in process (cli.ts replaces it when the model is on). */
export let meter = new CostMeter(undefined);

export function useMeter(next: CostMeter): void {
  meter = next;
}
