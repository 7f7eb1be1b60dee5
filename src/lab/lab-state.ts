// <lab dir>/lab.json: what `hmsdr lab up` created (ports, pids, paths), written after every part
// so `hmsdr lab down` can clean up a lab that was interrupted half-way. Processes are identified
// by pid AND by what /proc says they run, so a recycled pid is never signalled.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabHiveVersion } from './metastore/versions.js';

export const LAB_STATE_FILE = 'lab.json';

export interface LabPgState {
  /** Directory given to startPgCluster (data/ and sock/ below it). */
  dir: string;
  dataDir: string;
  binDir: string;
  port: number;
  /** Postmaster pid (from postmaster.pid) at start. */
  pid?: number;
}

export interface LabState {
  version: 1;
  /** `creating` until lab up finished. */
  status: 'creating' | 'up';
  dir: string;
  /** Where the PostgreSQL servers live when not in `dir` (the postgres OS user cannot reach it): server-dirs.ts. */
  serversDir?: string;
  createdAt: string;
  hiveVersion: LabHiveVersion;
  size: { databases: number; tablesPerDatabase: number; partitions: number };
  source?: LabPgState & { database: string; reader: string; nameNode: string };
  dr?: LabPgState & { database: string; admin: string; owner: string; nameNode: string };
  hdfs?: { root: string; dataPaths: string[]; sourceFiles: number; sourceLocations: number };
  ambari?: { pid: number; port: number; url: string; cluster: string; user: string; logFile: string };
  /** Production's Ambari emulator, started by `hmsdr lab reverse` for the failback. */
  prodAmbari?: { pid: number; port: number; url: string; cluster: string; user: string; logFile: string };
  /** The Cloudera Manager emulator of a lab made with --data-engine cloudera-manager. */
  cm?: { pid: number; port: number; url: string; logFile: string };
  sshd?: { pid: number; port: number; dir: string; user: string; logFile: string } | { unavailable: string };
  configFile?: string;
}

export function statePath(dir: string): string {
  return join(dir, LAB_STATE_FILE);
}

export function readLabState(dir: string): LabState | undefined {
  const file = statePath(dir);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

export function writeLabState(state: LabState): void {
  const file = statePath(state.dir);
  writeFileSync(file + '.tmp', JSON.stringify(state, null, 2) + '\n');
  renameSync(file + '.tmp', file);
}

/** The command line of a live process, or undefined when `pid` is not running (zombies count as gone). */
export function processCommand(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return undefined;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return undefined;
  }
}

/** True when `pid` runs and its command line contains `marker` (guards against a recycled pid). */
export function isLabProcess(pid: number | undefined, marker: string): pid is number {
  if (pid === undefined || !Number.isInteger(pid) || pid <= 1) return false;
  const command = processCommand(pid);
  return command?.includes(marker) === true;
}

/** The pid in a pid file (first line), if readable. */
export function readPidFile(file: string): number | undefined {
  try {
    const pid = Number((readFileSync(file, 'utf8').split('\n')[0] ?? '').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
