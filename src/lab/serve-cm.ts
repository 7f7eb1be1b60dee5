#!/usr/bin/env node
// The lab's long-lived Cloudera Manager emulator for the replication engine: `node
// dist/src/lab/serve-cm.js --port P --cluster C --user U --password-file F --ready-file R
// --standin-root D --source-authority A --dr-authority B --peer NAME=URL`. `hmsdr lab up
// --data-engine cloudera-manager` spawns it detached; it writes {pid, port, url} to the ready file
// and exits on SIGTERM / SIGINT. The password is read from a file, never argv.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startCmEmulator, type ReplicationFault } from './cm-emulator.js';

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i === -1 ? undefined : process.argv[i + 1];
  if (value === undefined || value === '') {
    process.stderr.write(`serve-cm: --${name} is required\n`);
    process.exit(2);
  }
  return value;
}

const readyFile = arg('ready-file');
const password = (readFileSync(arg('password-file'), 'utf8').split('\n')[0] ?? '').trim();
const [peerName, ...peerUrl] = arg('peer').split('=');
const emulator = await startCmEmulator({
  port: Number(arg('port')),
  cluster: arg('cluster'),
  user: arg('user'),
  password,
  timing: { pendingMs: 300, inProgressMs: 1500 },
  replication: {
    sites: { root: arg('standin-root'), sourceAuthority: arg('source-authority'), drAuthority: arg('dr-authority') },
    peers: [{ name: peerName ?? 'prod', url: peerUrl.join('=') }],
    timing: { pendingMs: 200, inProgressMs: 800 },
  },
});
const trim = setInterval(() => {
  if (emulator.recorded.length > 1000) emulator.recorded.splice(0, emulator.recorded.length - 1000);
}, 60_000);
trim.unref();
// Lab/test-only fault control (hmsdr never reads or writes it): `faults.json` next to the ready
// file, e.g. {"replication": [{"kind": "setup-error"}]}, polled every 100 ms; each fault meets the
// next replication run; the file is renamed to `faults.applied.json` as the acknowledgement.
const faultFile = join(dirname(readyFile), 'faults.json');
const applyFaults = setInterval(() => {
  if (!existsSync(faultFile)) return;
  try {
    const control = JSON.parse(readFileSync(faultFile, 'utf8')) as { replication?: ReplicationFault[] };
    for (const fault of control.replication ?? []) emulator.replicationFault(fault);
    renameSync(faultFile, join(dirname(readyFile), 'faults.applied.json'));
    process.stdout.write(`${new Date().toISOString()} faults applied: ${JSON.stringify(control)}\n`);
  } catch (error) {
    process.stdout.write(`${new Date().toISOString()} faults.json not applied: ${String(error)}\n`);
    rmSync(faultFile, { force: true });
  }
}, 100);
applyFaults.unref();
writeFileSync(`${readyFile}.tmp`, `${JSON.stringify({ pid: process.pid, port: emulator.port, url: emulator.url })}\n`);
renameSync(`${readyFile}.tmp`, readyFile);
process.stdout.write(
  `${new Date().toISOString()} Cloudera Manager emulator for cluster ${emulator.cluster} listening on ${emulator.url} (pid ${process.pid})\n`,
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
process.on('SIGHUP', () => undefined);
