// The lab's Cloudera Manager emulator (for `--data-engine cloudera-manager`): a detached
// `serve-cm` process whose replication schedules copy the lab's HDFS stand-in trees.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PreconditionError } from '../errors/errors.js';
import { authorityOf } from './lab-hdfs.js';
import { waitFor } from './lab-state.js';
import { freePort } from './pg-cluster.js';

export const CM_CLUSTER = 'drcluster';
export const CM_USER = 'admin';
export const CM_PEER = 'prod';
export const CM_SOURCE_CLUSTER = 'prodcluster';

export interface LabCm {
  pid: number;
  port: number;
  url: string;
  logFile: string;
}

export async function startLabCm(
  dir: string,
  script: string,
  passwordFile: string,
  hdfs: { root: string; sourceNameNode: string; drNameNode: string },
): Promise<LabCm> {
  const cmDir = join(dir, 'cm');
  mkdirSync(cmDir, { recursive: true });
  const logFile = join(cmDir, 'cm.log');
  const readyFile = join(cmDir, 'ready.json');
  const port = await freePort();
  const fd = openSync(logFile, 'a');
  const args = [
    '--port',
    String(port),
    '--cluster',
    CM_CLUSTER,
    '--user',
    CM_USER,
    '--password-file',
    passwordFile,
    '--ready-file',
    readyFile,
  ];
  args.push(
    '--standin-root',
    hdfs.root,
    '--source-authority',
    authorityOf(hdfs.sourceNameNode),
    '--dr-authority',
    authorityOf(hdfs.drNameNode),
  );
  args.push('--peer', `${CM_PEER}=https://cm.prod.example:7183`);
  const child = spawn(process.execPath, [script, ...args], { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  child.unref();
  const ready = await waitFor(() => exited !== null || existsSync(readyFile), 15_000);
  if (!ready || exited !== null || !existsSync(readyFile)) {
    throw new PreconditionError(`the Cloudera Manager emulator did not start${exited !== null ? ` (exit ${exited})` : ''}`, {
      stderrTail: existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '',
      hint: `see ${logFile}`,
    });
  }
  const info = JSON.parse(readFileSync(readyFile, 'utf8')) as { pid: number; port: number; url: string };
  return { pid: info.pid, port: info.port, url: info.url, logFile };
}

export function readCmPid(dir: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'cm', 'ready.json'), 'utf8')) as { pid?: number }).pid;
  } catch {
    return undefined;
  }
}
