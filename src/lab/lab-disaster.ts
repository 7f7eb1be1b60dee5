// `hmsdr lab disaster` / `hmsdr lab recover-source`: play the day of the disaster on a lab. The
// source PostgreSQL server stops, the source NameNode stops answering (the HDFS stand-in refuses
// connections to its authority, src/lab/hadoop/reachability.ts) and production's Ambari emulator
// stops; DR's Ambari emulator keeps running. recover-source brings all three back.
import { resolve } from 'node:path';
import { PreconditionError } from '../errors/errors.js';
import { authorityOf } from './lab-hdfs.js';
import { stopPg } from './lab-down.js';
import { portOpen, postmasterPid, stdoutLog, stopProcess } from './lab-processes.js';
import { isLabProcess, readLabState, writeLabState, type LabState } from './lab-state.js';
import { markReachable, markUnreachable } from './hadoop/reachability.js';
import { startPgCluster } from './pg-cluster.js';
import { ensureProdAmbari } from './lab-daemons.js';

function upLab(dir: string): LabState & Required<Pick<LabState, 'source' | 'hdfs'>> {
  const state = readLabState(resolve(dir));
  if (state?.status !== 'up' || !state.source || !state.hdfs)
    throw new PreconditionError(`no lab is up in ${resolve(dir)}`, { hint: 'create one with: hmsdr lab up --dir <dir>' });
  return state as LabState & Required<Pick<LabState, 'source' | 'hdfs'>>;
}

export async function labDisaster(options: { dir: string; log?: (line: string) => void }): Promise<void> {
  const log = options.log ?? stdoutLog;
  const state = upLab(options.dir);
  await stopPg(state.source.dir, `source (port ${state.source.port})`, log);
  markUnreachable(state.hdfs.root, authorityOf(state.source.nameNode));
  if (state.prodAmbari && isLabProcess(state.prodAmbari.pid, 'serve-ambari')) {
    await stopProcess(state.prodAmbari.pid, 'serve-ambari', 'production’s Ambari emulator', log);
    delete state.prodAmbari;
    writeLabState(state);
  }
  log(`source NameNode ${state.source.nameNode} unreachable: Hadoop clients get java.net.ConnectException`);
  log('the Ambari emulator of the DR cluster keeps running');
  log(`play the failover: hmsdr failover --config ${state.configFile ?? '<lab>/hmsdr.yaml'}`);
  log(`bring the source back: hmsdr lab recover-source --dir ${options.dir}`);
}

export async function labRecoverSource(options: { dir: string; log?: (line: string) => void }): Promise<void> {
  const log = options.log ?? stdoutLog;
  const state = upLab(options.dir);
  if (!isLabProcess(postmasterPid(state.source.dataDir), 'postgres')) {
    await startPgCluster({ dir: state.source.dir, port: state.source.port });
    const pid = postmasterPid(state.source.dataDir);
    if (pid !== undefined) state.source.pid = pid;
    writeLabState(state);
  }
  if (!(await portOpen(state.source.port)))
    throw new PreconditionError(`the source PostgreSQL server did not start on port ${state.source.port}`);
  log(`source PostgreSQL server up on port ${state.source.port}`);
  markReachable(state.hdfs.root, authorityOf(state.source.nameNode));
  log(`source NameNode ${state.source.nameNode} reachable again`);
  await ensureProdAmbari(state, log);
}
