#!/usr/bin/env node
// The lab's long-lived Ambari emulator: `node dist/src/lab/serve-ambari.js --port P --cluster C
// --user U --password-file F --ready-file R [--pending-ms 300 --queued-ms 200 --in-progress-ms 1500]`.
// `hmsdr lab up` spawns it detached (stdio to a log file); it writes {pid, port, url} to the ready
// file once it listens, and exits on SIGTERM / SIGINT. The password is read from a file, never argv.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HDP3_HIVE, startAmbariEmulator, type TaskFault } from './ambari-emulator.js';

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
// Lab/test-only fault control (the e2e fault tests use it; hmsdr never reads or writes it): a JSON
// file `faults.json` next to the ready file (`<lab>/ambari/faults.json`), e.g.
//   {"failTasks": [{"component": "HIVE_SERVER", "host": "m1.example", "command": "STOP"}], "stuckPending": false}
// is polled every 100 ms; when present it replaces the emulator's faults (clearFaults, then
// failTask for each entry: the next such task ends FAILED, once), sets stuckPending when given, and
// is renamed to `faults.applied.json` as the acknowledgement.
const faultFile = join(dirname(readyFile), 'faults.json');
const applyFaults = setInterval(() => {
  if (!existsSync(faultFile)) return;
  try {
    const control = JSON.parse(readFileSync(faultFile, 'utf8')) as { failTasks?: TaskFault[]; stuckPending?: boolean };
    emulator.clearFaults();
    for (const fault of control.failTasks ?? []) emulator.failTask(fault);
    if (control.stuckPending !== undefined) emulator.setStuckPending(control.stuckPending);
    renameSync(faultFile, join(dirname(readyFile), 'faults.applied.json'));
    process.stdout.write(`${new Date().toISOString()} faults applied: ${JSON.stringify(control)}\n`);
  } catch (error) {
    process.stdout.write(`${new Date().toISOString()} faults.json not applied: ${String(error)}\n`);
    rmSync(faultFile, { force: true });
  }
}, 100);
applyFaults.unref();
writeFileSync(readyFile + '.tmp', JSON.stringify({ pid: process.pid, port: emulator.port, url: emulator.url }) + '\n');
renameSync(readyFile + '.tmp', readyFile);
process.stdout.write(
  `${new Date().toISOString()} Ambari emulator for cluster ${emulator.cluster} listening on ${emulator.url} (pid ${process.pid})\n`,
);

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
