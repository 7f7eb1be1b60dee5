// The long-running parts of a lab, each started detached so it outlives `hmsdr lab up`:
// the two PostgreSQL servers, the Ambari emulator and sshd.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PreconditionError } from '../errors/errors.js';
import { isLabProcess, readPidFile, waitFor, writeLabState, type LabPgState, type LabState } from './lab-state.js';
import { builtLabScript, portOpen, postmasterPid } from './lab-processes.js';
import { freePort, startPgCluster, type PgCluster } from './pg-cluster.js';
import { SSHD_BIN, startSshd } from './sshd.js';

export const AMBARI_CLUSTER = 'drcluster';
export const AMBARI_USER = 'admin';
/** Production's Ambari (`hmsdr lab reverse` starts it for the failback): its own directory and cluster. */
export const PROD_AMBARI = { subdir: 'ambari-prod', cluster: 'prodcluster' } as const;

/** How the lab's config reaches the DR host over SSH. */
export interface LabSsh {
  host: string;
  port: number;
  user: string;
  keyFile: string;
  knownHostsFile: string;
}

/** A private PostgreSQL server in `<dir>/pg-<side>`; `userDir` is the --dir the operator typed (for hints). */
export async function startLabPg(dir: string, side: 'source' | 'dr', userDir: string): Promise<LabPgState> {
  let cluster: PgCluster;
  try {
    cluster = await startPgCluster({ dir: join(dir, `pg-${side}`) });
  } catch (error) {
    throw new PreconditionError(
      `could not start the ${side} PostgreSQL server: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
        hint: `see ${join(dir, `pg-${side}`, 'data', 'server.log')}; remove the half-created lab with: hmsdr lab down --dir ${userDir}`,
      },
    );
  }
  const pgState: LabPgState = { dir: join(dir, `pg-${side}`), dataDir: cluster.dataDir, binDir: cluster.binDir, port: cluster.port };
  const pid = postmasterPid(cluster.dataDir);
  if (pid !== undefined) pgState.pid = pid;
  return pgState;
}

/** The Ambari emulator as a detached `serve-ambari` process, HIVE started; resolves once it wrote its ready file. */
export async function startLabAmbari(
  dir: string,
  ambariScript: string,
  passwordFile: string,
  site: { subdir: string; cluster: string } = { subdir: 'ambari', cluster: AMBARI_CLUSTER },
): Promise<NonNullable<LabState['ambari']>> {
  const ambariDir = join(dir, site.subdir);
  mkdirSync(ambariDir, { recursive: true });
  const logFile = join(ambariDir, 'ambari.log');
  const readyFile = join(ambariDir, 'ready.json');
  // A restart (production's Ambari after `lab disaster`) must not read the stopped emulator's file.
  rmSync(readyFile, { force: true });
  const port = await freePort();
  const fd = openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      ambariScript,
      '--port',
      String(port),
      '--cluster',
      site.cluster,
      '--user',
      AMBARI_USER,
      '--password-file',
      passwordFile,
      '--ready-file',
      readyFile,
      '--pending-ms',
      '300',
      '--queued-ms',
      '200',
      '--in-progress-ms',
      '1500',
    ],
    { detached: true, stdio: ['ignore', fd, fd] },
  );
  closeSync(fd);
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  child.unref();
  const ready = await waitFor(() => exited !== null || existsSync(readyFile), 15_000);
  if (!ready || exited !== null || !existsSync(readyFile)) {
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
    throw new PreconditionError(`the Ambari emulator did not start${exited !== null ? ` (exit ${exited})` : ''}`, {
      stderrTail: tail,
      hint: `see ${logFile}`,
    });
  }
  const info = JSON.parse(readFileSync(readyFile, 'utf8')) as { pid: number; port: number; url: string };
  return { pid: info.pid, port: info.port, url: info.url, cluster: site.cluster, user: AMBARI_USER, logFile };
}

/** Production's Ambari emulator running (started again after `lab disaster`); recorded in lab.json. */
export async function ensureProdAmbari(state: LabState, log: (line: string) => void): Promise<NonNullable<LabState['prodAmbari']>> {
  if (state.prodAmbari && isLabProcess(state.prodAmbari.pid, 'serve-ambari')) return state.prodAmbari;
  state.prodAmbari = await startLabAmbari(
    state.dir,
    builtLabScript('serve-ambari.js'),
    join(state.dir, 'secrets', 'ambari.password'),
    PROD_AMBARI,
  );
  writeLabState(state);
  log(`production's Ambari emulator up: ${state.prodAmbari.url} (cluster ${state.prodAmbari.cluster})`);
  return state.prodAmbari;
}

/**
 * sshd as a daemon in `sshDir`. startSshd generates the keys, the config and known_hosts and checks
 * the config with sshd -t; its sshd is a child of this process (it would die with it), so it is
 * replaced by a daemon started from the same config, which keeps running after `lab up` exits.
 */
export async function startLabSshd(sshdDir: string): Promise<{ ssh: LabSsh; sshd: NonNullable<LabState['sshd']> }> {
  const sshd = await startSshd({ dir: sshdDir, passwordAuthentication: false });
  await sshd.stop();
  const logFile = join(sshdDir, 'sshd.log');
  const daemon = spawnSync(SSHD_BIN, ['-f', join(sshdDir, 'sshd_config'), '-E', logFile], { encoding: 'utf8' });
  if (daemon.status !== 0)
    throw new PreconditionError(`sshd did not start (exit ${daemon.status})`, {
      stderrTail: (daemon.stderr || '').trim(),
      hint: `see ${logFile}`,
    });
  const listening = await waitFor(async () => readPidFile(join(sshdDir, 'sshd.pid')) !== undefined && (await portOpen(sshd.port)), 10_000);
  const pid = readPidFile(join(sshdDir, 'sshd.pid'));
  if (!listening || pid === undefined) {
    throw new PreconditionError(`sshd did not listen on 127.0.0.1:${sshd.port}`, {
      stderrTail: existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '',
      hint: `see ${logFile}`,
    });
  }
  return {
    ssh: { host: sshd.host, port: sshd.port, user: sshd.user, keyFile: sshd.clientKeyFile, knownHostsFile: sshd.knownHostsFile },
    sshd: { pid, port: sshd.port, dir: sshdDir, user: sshd.user, logFile },
  };
}
