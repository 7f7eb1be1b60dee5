// `hmsdr lab down`: stop every process of a lab (even a half-created one) and delete its directory.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PreconditionError } from '../errors/errors.js';
import { isLabProcess, readLabState, readPidFile, waitFor } from './lab-state.js';
import { readCmPid } from './lab-cm.js';
import { isNonEmptyDir, isRoot, looksLikeLab, postmasterPid, stdoutLog, stopProcess } from './lab-processes.js';
import { labServersDir, removeOutsideServersDir } from './server-dirs.js';
import { findPgBinDir } from './pg-cluster.js';
import { killApplication, runningApplications } from './hadoop/yarn.js';

export interface LabDownOptions {
  dir: string;
  log?: (line: string) => void;
}

export async function stopPg(pgDir: string, label: string, log: (line: string) => void): Promise<void> {
  const dataDir = join(pgDir, 'data');
  const pid = postmasterPid(dataDir);
  if (!isLabProcess(pid, 'postgres')) return;
  let binDir: string | undefined;
  try {
    binDir = findPgBinDir();
  } catch {
    /* signal below */
  }
  if (binDir) {
    const pgCtl = join(binDir, 'pg_ctl');
    const args = ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop'];
    const cmd = isRoot() ? { file: 'runuser', args: ['-u', 'postgres', '--', pgCtl, ...args] } : { file: pgCtl, args };
    spawnSync(cmd.file, cmd.args, { encoding: 'utf8' });
  }
  if (isLabProcess(pid, 'postgres')) {
    try {
      process.kill(pid, 'SIGINT'); // PostgreSQL's fast shutdown
    } catch {
      /* gone */
    }
    await waitFor(() => !isLabProcess(pid, 'postgres'), 10_000);
  }
  log(`stopped PostgreSQL ${label} (pid ${pid})`);
}

/** Stop every process of the lab in `dir` and delete the directory. Works on a half-created lab. */
export async function labDown(options: LabDownOptions): Promise<{ removed: boolean }> {
  const log = options.log ?? stdoutLog;
  const dir = resolve(options.dir);
  if (!existsSync(dir)) {
    log(`no lab in ${dir}`);
    return { removed: false };
  }
  if (!looksLikeLab(dir)) {
    if (!isNonEmptyDir(dir)) {
      rmSync(dir, { recursive: true, force: true });
      return { removed: true };
    }
    throw new PreconditionError(`${dir} is not a lab directory (no lab.json); not removing it`, {
      hint: 'name the directory `hmsdr lab up --dir` created',
    });
  }
  const state = readLabState(dir);
  const ambariPid = state?.ambari?.pid ?? readAmbariPid(dir);
  if (ambariPid !== undefined) await stopProcess(ambariPid, 'serve-ambari', 'the Ambari emulator', log);
  const prodAmbariPid = state?.prodAmbari?.pid ?? readAmbariPid(dir, 'ambari-prod');
  if (prodAmbariPid !== undefined) await stopProcess(prodAmbariPid, 'serve-ambari', 'production’s Ambari emulator', log);
  const cmPid = state?.cm?.pid ?? readCmPid(dir);
  if (cmPid !== undefined) await stopProcess(cmPid, 'serve-cm', 'the Cloudera Manager emulator', log);
  const sshdPid = readPidFile(join(dir, 'sshd', 'sshd.pid')) ?? (state?.sshd && 'pid' in state.sshd ? state.sshd.pid : undefined);
  if (sshdPid !== undefined) await stopProcess(sshdPid, join(dir, 'sshd'), 'sshd', log);
  // DistCp jobs of the stand-in's YARN outlive their clients (as on a cluster): end any still copying.
  const hdfsRoot = state?.hdfs?.root;
  if (hdfsRoot !== undefined)
    for (const app of runningApplications(hdfsRoot)) {
      killApplication(app.id, hdfsRoot);
      log(`killed the stand-in's YARN application ${app.id} (${app.name})`);
    }
  const servers = labServersDir(dir);
  await Promise.all([stopPg(join(servers, 'pg-source'), 'source', log), stopPg(join(servers, 'pg-dr'), 'DR', log)]);
  const outside = removeOutsideServersDir(dir);
  if (outside) log(`removed ${outside}`);
  rmSync(dir, { recursive: true, force: true });
  log(`removed ${dir}`);
  return { removed: true };
}

function readAmbariPid(dir: string, subdir = 'ambari'): number | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, subdir, 'ready.json'), 'utf8')) as { pid?: number }).pid;
  } catch {
    return undefined;
  }
}
