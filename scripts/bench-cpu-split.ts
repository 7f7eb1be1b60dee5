// Where a benchmark side's CPU went: the CPU-seconds of every process it involves (the servers,
// hmsdr, sshd and what runs in its sessions), grouped, sampled from /proc while the side runs. On 2
// cores the transfers are CPU-bound (docs/performance-pipeline.md), so this split is where their
// time goes. Linux only: without /proc it reports nothing. A process that lived less than one
// sample is not seen, and one that exits loses what it used after its last sample.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcStat {
  pid: number;
  ppid: number;
  /** The command name (`comm`, at most 15 characters). */
  comm: string;
  /** Start time in clock ticks after boot: with the pid, what tells a process from a later one. */
  startTime: number;
  /** utime + stime in clock ticks. */
  ticks: number;
}

/** `/proc/<pid>/stat`; comm may hold spaces and parentheses, so it ends at the last `)`. */
export function parseStat(pid: number, text: string): ProcStat {
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' '); // from field 3 (state) on
  return {
    pid,
    ppid: Number(fields[1]),
    comm: text.slice(text.indexOf('(') + 1, close),
    startTime: Number(fields[19]),
    ticks: Number(fields[11]) + Number(fields[12]),
  };
}

/** A process whose descendants are counted, and how. */
export interface CpuRoot {
  pid: number;
  /** The group its own CPU counts for; undefined: not counted (the benchmark's own process, a daemon's listener). */
  group?: string;
  /** Its descendants: in its group (a server's backends), or each under its command name. */
  children: 'same' | 'by-command';
}

export interface CpuSplit {
  wallMs: number;
  /** CPU-seconds per group, largest first. */
  cpuSeconds: Record<string, number>;
}

interface Tracked {
  startTime: number;
  group: string | undefined;
  children: CpuRoot['children'];
  /** The group of its descendants when `children` is 'same'. */
  childGroup: string | undefined;
  /**
   * Counted under its command name, as last seen: a shell that execs its program (sshd's `bash -c
   * 'IFS= read -r PGPASSWORD && … exec psql …'`) is then counted as the program, all of it.
   */
  byName: boolean;
  /** Ticks counted from: its ticks at the first sample, or 0 when it started after it. */
  base: number;
  last: number;
}

export class CpuSplitSampler {
  private readonly roots = new Map<number, CpuRoot>();
  private readonly tracked = new Map<number, Tracked>();
  /** Processes seen and not ours: not read again (Linux hands out a pid again only after pid_max others). */
  private readonly ignored = new Set<number>();
  private readonly gone: Tracked[] = [];
  private samples = 0;
  private started = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    roots: readonly CpuRoot[],
    private readonly options: { proc?: string; ticksPerSecond?: number } = {},
  ) {
    for (const root of roots) this.roots.set(root.pid, root);
  }

  /** Count another root from now on (a child spawned after start, before the next sample). */
  addRoot(root: CpuRoot): void {
    this.roots.set(root.pid, root);
    const seen = this.tracked.get(root.pid);
    if (seen) Object.assign(seen, this.ruleOf(root));
  }

  start(intervalMs = 200): this {
    this.started = Date.now();
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): CpuSplit {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    const hz = this.options.ticksPerSecond ?? 100;
    const totals = new Map<string, number>();
    for (const t of [...this.tracked.values(), ...this.gone]) {
      if (t.group === undefined || t.last <= t.base) continue;
      totals.set(t.group, (totals.get(t.group) ?? 0) + (t.last - t.base) / hz);
    }
    const cpuSeconds: Record<string, number> = {};
    for (const [group, seconds] of [...totals].sort((a, b) => b[1] - a[1])) cpuSeconds[group] = Math.round(seconds * 100) / 100;
    return { wallMs: Date.now() - this.started, cpuSeconds };
  }

  /** One look at /proc: the ticks of what is tracked, and which new processes are ours. */
  sample(): void {
    const proc = this.options.proc ?? '/proc';
    let names: string[];
    try {
      names = readdirSync(proc).filter((name) => /^\d+$/.test(name));
    } catch {
      return; // no /proc
    }
    const first = this.samples++ === 0;
    const fresh = new Map<number, ProcStat>();
    const alive = new Set<number>();
    for (const name of names) {
      const pid = Number(name);
      alive.add(pid);
      if (this.ignored.has(pid) && !this.roots.has(pid)) continue;
      const stat = readStat(proc, pid);
      if (stat === undefined) continue;
      const known = this.tracked.get(pid);
      if (known && known.startTime === stat.startTime) {
        known.last = stat.ticks;
        if (known.byName) known.group = stat.comm;
      } else fresh.set(pid, stat);
    }
    for (const [pid, t] of this.tracked) {
      if (alive.has(pid) && !fresh.has(pid)) continue;
      this.gone.push(t); // exited (or its pid now belongs to a new process)
      this.tracked.delete(pid);
    }
    // Parents may be among the new ones: resolve until nothing more joins.
    for (let joined = true; joined; ) {
      joined = false;
      for (const [pid, stat] of fresh) {
        const root = this.roots.get(pid);
        const rule = root ? this.ruleOf(root) : this.inherited(stat);
        if (rule === undefined) continue;
        this.tracked.set(pid, { ...rule, startTime: stat.startTime, base: first ? stat.ticks : 0, last: stat.ticks });
        fresh.delete(pid);
        joined = true;
      }
    }
    for (const pid of fresh.keys()) this.ignored.add(pid);
  }

  private inherited(stat: ProcStat): Omit<Tracked, 'startTime' | 'base' | 'last'> | undefined {
    const parent = this.tracked.get(stat.ppid);
    if (parent === undefined) return undefined;
    if (parent.children === 'same') return { group: parent.childGroup, children: 'same', childGroup: parent.childGroup, byName: false };
    return { group: stat.comm, children: 'by-command', childGroup: undefined, byName: true };
  }

  private ruleOf(root: CpuRoot): Omit<Tracked, 'startTime' | 'base' | 'last'> {
    return { group: root.group, children: root.children, childGroup: root.children === 'same' ? root.group : undefined, byName: false };
  }
}

function readStat(proc: string, pid: number): ProcStat | undefined {
  try {
    return parseStat(pid, readFileSync(join(proc, String(pid), 'stat'), 'utf8'));
  } catch {
    return undefined; // ended between the listing and the read
  }
}

/** One line: the total, its share of the cores, and the groups above `min` CPU-seconds. */
export function formatCpuSplit(split: CpuSplit, cores: number, min = 0.05): string {
  const sum = (entries: [string, number][]): number => entries.reduce((total, [, s]) => total + s, 0);
  const entries = Object.entries(split.cpuSeconds);
  const large = entries.filter(([, s]) => s >= min);
  const total = sum(entries);
  const shown = large.map(([group, s]) => `${group} ${s.toFixed(1)}`);
  const rest = total - sum(large);
  if (rest >= 0.05) shown.push(`others ${rest.toFixed(1)}`);
  const share = split.wallMs > 0 ? Math.round((100 * total) / (cores * (split.wallMs / 1000))) : 0;
  return `${total.toFixed(1)} CPU-s in ${(split.wallMs / 1000).toFixed(1)} s (${share} % of ${cores} cores): ${shown.join(', ')}`;
}
