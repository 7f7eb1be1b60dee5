// The emulator's replication routes (cm_api services.py / cms.py paths): /cm/peers,
// /clusters/{c}/services/{hdfs}/replications[/{id}[/run|/history|/collectDiagnosticData]], the
// replication commands under /commands/{id}, and the diagnostic bundle download.
import { BadArgument, type CmReplication, type ReplicationCommand, type Schedule } from './replication.js';
import { CmHttpError, type CmRouteResult } from './http-error.js';

export interface ReplicationRouteInput {
  readonly rest: string[];
  readonly method: string;
  readonly url: URL;
  readonly body: string;
  readonly baseUrl: string;
}

function parseBody(body: string): Record<string, unknown> {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch (error) {
    throw new CmHttpError(400, `Unexpected character in request body: ${(error as Error).message}`); // wording unverified
  }
}

/** ApiCommand (for /commands/{id}: no hdfsResult) or ApiReplicationCommand (history). */
export function replicationCommandJson(c: ReplicationCommand, withResult: boolean): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    startTime: c.startTime,
    endTime: c.endTime,
    active: c.active,
    success: c.success,
    resultMessage: c.resultMessage,
    resultDataUrl: c.resultDataUrl,
    canRetry: c.active ? undefined : c.success === false,
    hdfsResult: withResult ? c.hdfsResult : undefined,
  };
}

const scheduleJson = (s: Schedule, limit = 10): Record<string, unknown> => ({
  ...s.body,
  id: s.id,
  active: s.history.some((c) => c.active),
  history: s.history.slice(0, limit).map((c) => replicationCommandJson(c, true)),
});

const peerJson = (p: { name: string; url: string; username: string; type: string; clouderaManagerCreatedUser: boolean }) => ({
  name: p.name,
  type: p.type,
  url: p.url,
  username: p.username,
  clouderaManagerCreatedUser: p.clouderaManagerCreatedUser,
});

/** `rest` is the path after /api/vNN; undefined when the route is not a replication one. */
export function replicationRoute(
  r: CmReplication,
  hdfsService: string,
  clusterName: string,
  input: ReplicationRouteInput,
): CmRouteResult | undefined {
  const { rest, method, url } = input;
  try {
    if (rest[0] === 'cm' && rest[1] === 'peers') {
      if (rest.length === 2 && method === 'GET') return { status: 200, json: { items: [...r.peers.values()].map(peerJson) } };
      if (rest.length === 2 && method === 'POST') {
        const peer = parseBody(input.body) as { name?: string; url?: string; username?: string; password?: string; type?: string };
        if (!peer.name || !peer.url) throw new BadArgument('Peer name and url are required.');
        if (r.peers.has(peer.name)) throw new BadArgument(`Peer with name '${peer.name}' already exists.`);
        if (!peer.username || !peer.password) throw new BadArgument('Username and password are required to create a peer.');
        const created = {
          name: peer.name,
          url: peer.url,
          username: `cmpeer-${peer.name}`,
          type: peer.type ?? 'REPLICATION',
          clouderaManagerCreatedUser: true,
        };
        r.peers.set(peer.name, created);
        return { status: 200, json: peerJson(created) };
      }
      if (rest.length === 3 && method === 'GET') {
        const peer = r.peers.get(rest[2]!);
        if (!peer) throw new CmHttpError(404, `Peer '${rest[2]}' not found.`); // wording unverified
        return { status: 200, json: peerJson(peer) };
      }
      return undefined;
    }
    if (rest[0] === 'commands' && rest.length === 2 && method === 'GET') {
      const c = /^\d+$/.test(rest[1] ?? '') ? r.commands.get(Number(rest[1])) : undefined;
      return c ? { status: 200, json: replicationCommandJson(c, false) } : undefined;
    }
    if (rest[0] !== 'clusters' || rest[2] !== 'services' || rest[4] !== 'replications') return undefined;
    if (rest[1] !== clusterName) throw new CmHttpError(404, `Cluster '${rest[1]}' not found.`);
    if (rest[3] !== hdfsService) throw new CmHttpError(404, `Service '${rest[3]}' not found in cluster '${clusterName}'.`);
    if (rest.length === 5) {
      if (method === 'GET') return { status: 200, json: { items: [...r.schedules.values()].map((s) => scheduleJson(s)) } };
      if (method === 'POST') {
        const items = (parseBody(input.body).items ?? []) as Record<string, unknown>[];
        return { status: 200, json: { items: items.map((item) => scheduleJson(r.create(item))) } };
      }
      return undefined;
    }
    const schedule = /^\d+$/.test(rest[5] ?? '') ? r.schedules.get(Number(rest[5])) : undefined;
    if (!schedule) throw new CmHttpError(404, `Replication schedule '${rest[5]}' not found.`); // wording unverified
    if (rest.length === 6 && method === 'GET') return { status: 200, json: scheduleJson(schedule) };
    if (rest.length === 6 && method === 'PUT') {
      r.update(schedule, parseBody(input.body));
      return { status: 200, json: scheduleJson(schedule) };
    }
    if (rest[6] === 'run' && rest.length === 7 && method === 'POST') {
      const command = r.run(schedule, url.searchParams.get('dryRun') === 'true');
      return { status: 200, json: replicationCommandJson(command, false) };
    }
    if (rest[6] === 'history' && rest.length === 7 && method === 'GET') {
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      return { status: 200, json: { items: schedule.history.slice(offset, offset + limit).map((c) => replicationCommandJson(c, true)) } };
    }
    if (rest[6] === 'collectDiagnosticData' && rest.length === 7 && method === 'POST') {
      const args = (input.body ? parseBody(input.body) : {}) as { commands?: { items?: { id?: number }[] } };
      const ids = (args.commands?.items ?? []).map((c) => c.id).filter((id): id is number => typeof id === 'number');
      return { status: 200, json: replicationCommandJson(r.collectDiagnostics(schedule, ids, input.baseUrl), false) };
    }
    return undefined;
  } catch (error) {
    if (error instanceof BadArgument) throw new CmHttpError(400, error.message);
    throw error;
  }
}
