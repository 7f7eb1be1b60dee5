// A NameNode that does not answer (the lab's "disaster"): `<root>/.standin/unreachable/<authority>`
// marks an authority down, and every command that resolves a path on it fails as a Hadoop client
// does when nothing listens on the NameNode's RPC port: java.net.ConnectException, Connection refused.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { FsError } from './errors.js';

const markerFile = (root: string, authority: string): string => join(root, '.standin', 'unreachable', encodeURIComponent(authority));

export function markUnreachable(root: string, authority: string): void {
  mkdirSync(join(root, '.standin', 'unreachable'), { recursive: true });
  writeFileSync(markerFile(root, authority), `${new Date().toISOString()}\n`);
}

export function markReachable(root: string, authority: string): void {
  rmSync(markerFile(root, authority), { force: true });
}

export const isUnreachable = (root: string, authority: string): boolean => existsSync(markerFile(root, authority));

/** Throws Hadoop's connection-refused error when the authority is marked down. */
export function assertReachable(root: string, authority: string): void {
  if (!isUnreachable(root, authority)) return;
  const [host, port = '8020'] = authority.split(':');
  throw new FsError(
    `Call From ${hostname()}/127.0.0.1 to ${host}:${port} failed on connection exception: java.net.ConnectException: Connection refused; For more details see:  http://wiki.apache.org/hadoop/ConnectionRefused`,
    'java.net.ConnectException',
  );
}
