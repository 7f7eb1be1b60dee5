// What else is using the CPU when a benchmark starts. On a 2-core machine one busy process (seen
// here: a RabbitMQ `epmd-starter` Erlang VM spinning at 100 % of a core, two of them at once) makes
// every figure slower and the ratios noisier, and nothing in the figures says so. Linux only: reads
// /proc; elsewhere it reports nothing.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { parseStat } from './bench-cpu-split.js';

export interface BusyProcess {
  pid: number;
  command: string;
  /** Share of one CPU over the sample, in percent. */
  cpuPercent: number;
}

/** utime + stime of every process, in clock ticks. */
function cpuTicks(): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      ticks.set(Number(name), parseStat(Number(name), readFileSync(`/proc/${name}/stat`, 'utf8')).ticks);
    } catch {
      // ended between the listing and the read
    }
  }
  return ticks;
}

function commandOf(pid: number): string {
  try {
    const words = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return words.join(' ').slice(0, 100) || `[${readFileSync(`/proc/${pid}/comm`, 'utf8').trim()}]`;
  } catch {
    return '?';
  }
}

/** What counts as busy: this share of one CPU, in percent. */
export const BUSY_PERCENT = 20;

/** Processes other than this one that used at least `minPercent` of a CPU over `sampleMs`. */
export async function busyProcesses(sampleMs = 1000, minPercent = BUSY_PERCENT): Promise<BusyProcess[]> {
  let before: Map<number, number>;
  try {
    before = cpuTicks();
  } catch {
    return []; // no /proc
  }
  const started = process.hrtime.bigint();
  await new Promise((done) => setTimeout(done, sampleMs));
  const after = cpuTicks();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const hz = clockTicksPerSecond();
  const busy: BusyProcess[] = [];
  for (const [pid, ticks] of after) {
    if (pid === process.pid) continue;
    const cpuPercent = (100 * (ticks - (before.get(pid) ?? ticks))) / hz / seconds;
    if (cpuPercent >= minPercent) busy.push({ pid, command: commandOf(pid), cpuPercent: Math.round(cpuPercent) });
  }
  return busy.sort((a, b) => b.cpuPercent - a.cpuPercent);
}

/** Clock ticks per second of /proc's CPU times (getconf CLK_TCK; 100 on Linux). */
export function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** One line for the report: nothing busy, or who was and how much. */
export function formatBusy(busy: readonly BusyProcess[], when: string): string {
  if (busy.length === 0) return `other processes ${when}: none above ${BUSY_PERCENT} % of a CPU`;
  const list = busy.map((b) => `${b.command} (pid ${b.pid}) ${b.cpuPercent} %`).join('; ');
  return `WARNING: other processes busy ${when}: ${list}. Every figure of this run is slower and noisier for it.`;
}
