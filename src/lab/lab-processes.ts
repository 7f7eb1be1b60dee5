// Where a lab's programs are, and which of its processes still run: shared by lab up, down and demo.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { labServersDir } from './server-dirs.js';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PreconditionError } from '../errors/errors.js';
import { isLabProcess, readLabState, readPidFile, waitFor } from './lab-state.js';

export const stdoutLog = (line: string): void => void process.stdout.write(line + '\n');
export const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** The hmsdr checkout or package this module belongs to (holds package.json and fixtures/bin). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'hmsdr') return dir;
      } catch {
        /* keep looking */
      }
    }
    dir = dirname(dir);
  }
  throw new Error('cannot find the hmsdr package root above ' + fileURLToPath(import.meta.url));
}

/** The compiled entry of a lab program (`dist/src/lab/<name>.js`), whether this module runs compiled or from source. */
export function builtLabScript(name: string): string {
  const here = fileURLToPath(import.meta.url);
  const path = here.endsWith('.js') ? join(dirname(here), name) : join(repoRoot(), 'dist/src/lab', name);
  if (!existsSync(path)) throw new PreconditionError(`${path} is missing`, { hint: 'build hmsdr first: npm run build' });
  return path;
}

/** Postmaster pid of a running private server. */
export function postmasterPid(dataDir: string): number | undefined {
  return readPidFile(join(dataDir, 'postmaster.pid'));
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

export function isNonEmptyDir(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

/** True when `dir` holds anything a lab creates (so `down` may remove it). */
export function looksLikeLab(dir: string): boolean {
  return ['lab.json', 'pg-source', 'pg-dr', 'hmsdr.yaml', 'hdfs'].some((name) => existsSync(join(dir, name)));
}

/** The processes of a lab that are still running. */
export function runningParts(dir: string): string[] {
  const state = readLabState(dir);
  const running: string[] = [];
  for (const side of ['source', 'dr'] as const) {
    const pid = postmasterPid(join(labServersDir(dir), `pg-${side}`, 'data')) ?? state?.[side]?.pid;
    if (isLabProcess(pid, 'postgres')) running.push(`PostgreSQL ${side} (pid ${pid})`);
  }
  const ambariPid = state?.ambari?.pid;
  if (isLabProcess(ambariPid, 'serve-ambari')) running.push(`Ambari emulator (pid ${ambariPid})`);
  const prodAmbariPid = state?.prodAmbari?.pid;
  if (isLabProcess(prodAmbariPid, 'serve-ambari')) running.push(`production's Ambari emulator (pid ${prodAmbariPid})`);
  const sshdPid = readPidFile(join(dir, 'sshd', 'sshd.pid'));
  if (isLabProcess(sshdPid, join(dir, 'sshd'))) running.push(`sshd (pid ${sshdPid})`);
  return running;
}

/** SIGTERM, then SIGKILL after 5 s, a process that /proc still shows running `marker`. */
export async function stopProcess(pid: number, marker: string, label: string, log: (line: string) => void): Promise<void> {
  if (!isLabProcess(pid, marker)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    /* gone */
  }
  if (!(await waitFor(() => !isLabProcess(pid, marker), 5000))) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    await waitFor(() => !isLabProcess(pid, marker), 3000);
  }
  log(`stopped ${label} (pid ${pid})`);
}
