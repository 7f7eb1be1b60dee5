// Connecting to the DR Cloudera Manager: the client with the password from its configured source,
// and the peer of the source Cloudera Manager (created only with data.cm.createPeer: true).
import { CmReplicationClient } from '../../adapters/cloudera-manager/replication-client.js';
import { readSecret } from '../../config/secrets.js';
import { PreconditionError } from '../../errors/errors.js';
import type { Reporter } from './replicator.js';
import type { CmSettings } from './schedule.js';

export function openCmClient(settings: CmSettings): CmReplicationClient {
  const password = readSecret(settings.secret, settings.secret.where);
  if (password === undefined) {
    throw new PreconditionError(`${settings.secret.where} names no password source for Cloudera Manager user ${settings.user}`, {
      hint: `set ${settings.secret.where}.passwordEnv or passwordFile`,
    });
  }
  return new CmReplicationClient({ ...settings, password });
}

/** The peer of the source CM must exist; it is created only with data.cm.createPeer: true. */
export async function ensurePeer(
  cm: CmReplicationClient,
  settings: CmSettings,
  signal: AbortSignal,
  log: Reporter,
): Promise<'present' | 'created'> {
  const peer = settings.engine.peer;
  if (await cm.readPeer(peer.name, signal)) return 'present';
  if (!settings.engine.createPeer || !peer.url || !peer.user) {
    throw new PreconditionError(`the DR Cloudera Manager has no peer named ${peer.name} (the source Cloudera Manager)`, {
      hint: 'add it in Cloudera Manager (Administration > Peers), or set data.cm.createPeer: true with data.cm.peer.url, user and passwordEnv/passwordFile, then resume',
    });
  }
  const password = readSecret(peer, 'data.cm.peer');
  if (password === undefined)
    throw new PreconditionError('data.cm.peer names no password source', { hint: 'set data.cm.peer.passwordEnv or passwordFile' });
  await cm.createPeer({ name: peer.name, url: peer.url, username: peer.user, password }, signal);
  log.info('cm-peer-created', { peer: peer.name, url: peer.url });
  return 'created';
}
