// The Cloudera Manager replication client and the engine's schedule handling against the CM
// emulator: the exact JSON field names hmsdr sends, a schedule created once then reused, updated
// when the config changes, a same-named schedule hmsdr did not create left alone, a missing peer
// (created only with createPeer, its password read from the environment), a 400 for a bad argument with
// CM's `{"message"}`, and a command that never ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CmApiError, CmReplicationClient } from '../../src/adapters/cloudera-manager/replication-client.js';
import { cmEngineSchema } from '../../src/config/schema-cm-engine.js';
import { ensurePeer } from '../../src/copy/cloudera-manager/connect.js';
import { ensureSchedule, runAndWait } from '../../src/copy/cloudera-manager/replicator.js';
import { desiredSchedule, scheduleName, type CmSettings } from '../../src/copy/cloudera-manager/schedule.js';
import { startCmEmulator, type CmEmulator } from '../../src/lab/cm-emulator.js';

const quiet = { progress: () => undefined, info: () => undefined, warn: () => undefined };
const signal = new AbortController().signal;
const pair = { source: '/warehouse/managed', target: '/dr/managed' };

describe('Cloudera Manager replication API (emulator)', () => {
  const root = mkdtempSync(join(tmpdir(), 'hmsdr-cm-api-'));
  let cm: CmEmulator;
  let client: CmReplicationClient;
  const engine = (extra: Record<string, unknown> = {}) =>
    cmEngineSchema.parse({ peer: { name: 'prod' }, sourceCluster: 'prodcluster', pollIntervalMs: 20, ...extra });

  beforeAll(async () => {
    cm = await startCmEmulator({
      cluster: 'dr',
      timing: { pendingMs: 20, inProgressMs: 60 },
      replication: { sites: { root, sourceAuthority: 'prodns', drAuthority: 'drns' } },
    });
    client = new CmReplicationClient({
      url: cm.url,
      apiVersion: 'v41',
      cluster: 'dr',
      hdfsService: 'hdfs',
      user: 'admin',
      password: 'admin',
    });
  });
  afterAll(async () => {
    await client.close();
    await cm.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('a missing peer stops the run unless createPeer; then POST /cm/peers with the password from its environment variable', async () => {
    const settings = { engine: engine() } as unknown as CmSettings;
    await expect(ensurePeer(client, settings, signal, quiet)).rejects.toThrow(/has no peer named prod/);
    process.env.HMSDR_TEST_PEER_PASSWORD = 'peer-s3cret';
    const creating = {
      engine: engine({
        createPeer: true,
        peer: { name: 'prod', url: 'https://cm.prod:7183', user: 'admin', passwordEnv: 'HMSDR_TEST_PEER_PASSWORD' },
      }),
    } as unknown as CmSettings;
    expect(await ensurePeer(client, creating, signal, quiet)).toBe('created');
    expect(await ensurePeer(client, creating, signal, quiet)).toBe('present');
    const post = cm.recorded.find((r) => r.method === 'POST' && r.path === '/api/v41/cm/peers');
    expect(JSON.parse(post!.body)).toEqual({
      name: 'prod',
      url: 'https://cm.prod:7183',
      username: 'admin',
      password: 'peer-s3cret',
      type: 'REPLICATION',
    });
    expect(post!.headers['content-type']).toBe('application/json');
  });

  it('creates the schedule once with the API field names, reuses it, updates it when the config changes', async () => {
    const first = await ensureSchedule(client, engine(), pair, signal, quiet);
    expect(first).toMatchObject({ created: true, name: scheduleName(pair) });
    const post = cm.recorded.find((r) => r.method === 'POST' && r.path === '/api/v41/clusters/dr/services/hdfs/replications');
    const item = (JSON.parse(post!.body) as { items: Record<string, unknown>[] }).items[0]!;
    expect(item).toMatchObject({ displayName: scheduleName(pair), paused: true, interval: 1, intervalUnit: 'DAY' });
    expect(Object.keys(item.hdfsArguments as object).sort()).toEqual(
      [
        'abortOnError',
        'destinationPath',
        'exclusionFilters',
        'mapreduceServiceName',
        'preserveBlockSize',
        'preservePermissions',
        'preserveReplicationCount',
        'preserveXAttrs',
        'raiseSnapshotDiffFailures',
        'removeMissingFiles',
        'replicationStrategy',
        'skipChecksumChecks',
        'skipListingChecksumChecks',
        'skipTrash',
        'sourcePath',
        'sourceService',
      ].sort(),
    );
    expect(item.hdfsArguments).toMatchObject({
      sourceService: { peerName: 'prod', clusterName: 'prodcluster', serviceName: 'hdfs' },
      replicationStrategy: 'DYNAMIC',
    });
    expect(await ensureSchedule(client, engine(), pair, signal, quiet)).toEqual({ ...first, created: false });
    const changed = await ensureSchedule(client, engine({ numMaps: 7, exclusionFilters: ['.*/_tmp.*'] }), pair, signal, quiet);
    expect(changed).toMatchObject({ id: first.id, created: false, updated: ['numMaps', 'exclusionFilters'] });
    expect((await client.readSchedule(first.id, signal)).hdfsArguments).toMatchObject({ numMaps: 7, exclusionFilters: ['.*/_tmp.*'] });
    expect(cm.replication!.schedules.size).toBe(1);
  });

  it('never touches a same-named schedule hmsdr did not create', async () => {
    const other = { source: '/other', target: '/other' };
    const foreign = { ...desiredSchedule(engine(), other), description: 'made by an operator' };
    await client.createSchedule(foreign, 'foreign', signal);
    const before = cm.recorded.length;
    await expect(ensureSchedule(client, engine(), other, signal, quiet)).rejects.toThrow(/was not created by hmsdr/);
    expect(cm.recorded.slice(before).map((r) => r.method)).toEqual(['GET']);
  });

  it('a bad argument: HTTP 400 with CM\'s {"message"} surfaces in the error', async () => {
    const bad = {
      ...desiredSchedule(engine(), pair),
      hdfsArguments: { ...desiredSchedule(engine(), pair).hdfsArguments!, replicationStrategy: 'FASTEST' as never },
    };
    const error = await client.createSchedule(bad, 'bad', signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CmApiError);
    expect((error as CmApiError).status).toBe(400);
    expect((error as CmApiError).message).toMatch(/\(400\): Invalid value for replicationStrategy: FASTEST/);
    const last = cm.recorded.at(-1)!;
    expect(last.status).toBe(400);
  });

  it('a command that never ends stops at data.cm.timeoutMs, naming the command', async () => {
    const schedule = await ensureSchedule(client, engine(), pair, signal, quiet);
    cm.replicationFault({ kind: 'never-ends' });
    const error = await runAndWait(client, engine({ timeoutMs: 1000 }), schedule, false, signal, quiet).catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(/replication command \d+ .* is still active after 1 s/);
    const history = await client.history(schedule.id, signal);
    expect(history[0]).toMatchObject({ active: true });
  });
});
