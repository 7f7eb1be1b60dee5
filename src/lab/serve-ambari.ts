#!/usr/bin/env node
// The lab's long-lived Ambari emulator: `node dist/src/lab/serve-ambari.js --port P --cluster C
// --user U --password-file F --ready-file R [--pending-ms 300 --queued-ms 200 --in-progress-ms 1500]`.
// `hmsdr lab up` spawns it detached (stdio to a log file); it writes {pid, port, url} to the ready
// file once it listens, and exits on SIGTERM / SIGINT. The password is read from a file, never argv.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { HDP3_HIVE, startAmbariEmulator } from './ambari-emulator.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

function required(name: string): string {
  const value = arg(name);
  if (value === undefined || value === '') {
    process.stderr.write(`serve-ambari: --${name} is required\n`);
    process.exit(2);
  }
  return value;
}

const passwordFile = required('password-file');
const readyFile = required('ready-file');
const password = (readFileSync(passwordFile, 'utf8').split('\n')[0] ?? '').trim();
const emulator = await startAmbariEmulator({
  port: Number(arg('port') ?? 0),
  cluster: arg('cluster') ?? 'drcluster',
  user: arg('user') ?? 'admin',
  password,
  services: { HIVE: HDP3_HIVE },
  initialState: 'STARTED',
  timing: {
    pendingMs: Number(arg('pending-ms') ?? 300),
    queuedMs: Number(arg('queued-ms') ?? 200),
    inProgressMs: Number(arg('in-progress-ms') ?? 1500),
  },
});
// The emulator records every exchange for tests; a lab runs for days, so keep only the recent ones.
const trim = setInterval(() => {
  if (emulator.recorded.length > 1000) emulator.recorded.splice(0, emulator.recorded.length - 1000);
}, 60_000);
trim.unref();
writeFileSync(readyFile + '.tmp', JSON.stringify({ pid: process.pid, port: emulator.port, url: emulator.url }) + '\n');
renameSync(readyFile + '.tmp', readyFile);
process.stdout.write(`${new Date().toISOString()} Ambari emulator for cluster ${emulator.cluster} listening on ${emulator.url} (pid ${process.pid})\n`);

let closing = false;
const stop = (signal: string): void => {
  if (closing) return;
  closing = true;
  process.stdout.write(`${new Date().toISOString()} ${signal}: stopping\n`);
  void emulator.close().then(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGHUP', () => undefined); // survive the terminal that ran `hmsdr lab up` closing
