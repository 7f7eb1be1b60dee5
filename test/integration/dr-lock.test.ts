// The cross-host lock on a real PostgreSQL server (a private one of this file; its superuser logs in
// over TCP without a password): the advisory lock is keyed by the DR database name, so each test
// uses a name of its own.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { holdDrLock, type HeldDrLock } from '../../src/adapters/dr-lock.js';
import { advisoryLockKey, lockApplicationName, parseLockApplicationName } from '../../src/adapters/postgres/advisory-lock.js';
import { parseConfigText } from '../../src/config/load.js';
import { LockedError } from '../../src/errors/errors.js';
import { repoRoot, runHmsdr, startHmsdr } from '../harness/cli.js';
import { minimalConfigYaml } from '../harness/config.js';
import { startTestPg, type PgCluster } from '../harness/postgres.js';

let cluster: PgCluster;
let PG: { host: string; port: number; user: string; database: string };
let dir: string;
let database: string;
const held: HeldDrLock[] = [];

beforeAll(async () => {
  cluster = await startTestPg('drlock');
  PG = { host: '127.0.0.1', port: cluster.port, user: 'postgres', database: 'postgres' };
});
afterAll(() => cluster?.destroy());

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmsdr-dr-lock-'));
  database = `hive_lock_${randomBytes(4).toString('hex')}`;
});
afterEach(async () => {
  for (const lock of held.splice(0)) await lock.release();
  rmSync(dir, { recursive: true, force: true });
});

const configFor = (runsDir: string) =>
  parseConfigText(minimalConfigYaml({ runsDir, drPort: PG.port, drDatabase: database, drUser: 'postgres' }), join(dir, 'hmsdr.yaml'), {});

async function sessionsNamed(prefix: string): Promise<string[]> {
  const client = new pg.Client(PG);
  await client.connect();
  try {
    const result = await client.query<{ application_name: string }>(
      'SELECT application_name FROM pg_stat_activity WHERE application_name LIKE $1',
      [`${prefix}%`],
    );
    return result.rows.map((r) => r.application_name);
  } finally {
    await client.end();
  }
}

describe('the DR advisory lock', () => {
  it('keys by the database name and names its session hmsdr <run-id> @<host>', () => {
    expect(advisoryLockKey('hive')).toBe(advisoryLockKey('hive'));
    expect(advisoryLockKey('hive')).not.toBe(advisoryLockKey('hive2'));
    expect(lockApplicationName('20261202t031500', 'edge1')).toBe('hmsdr 20261202t031500 @edge1');
    expect(Buffer.byteLength(lockApplicationName('20261202t031500', 'x'.repeat(100)))).toBe(63);
    expect(parseLockApplicationName('hmsdr 20261202t031500 @edge1')).toEqual({ runId: '20261202t031500', host: 'edge1' });
    expect(parseLockApplicationName('psql')).toEqual({});
  });

  it('a second holder is refused naming the first (application, run, host, client); released, it can be taken again', async () => {
    const first = await holdDrLock(configFor(join(dir, 'a')), '20261202t010000', 'edge-a');
    held.push(first);
    expect(await sessionsNamed('hmsdr 20261202t010000')).toEqual(['hmsdr 20261202t010000 @edge-a']);

    const refused = await holdDrLock(configFor(join(dir, 'b')), '20261202t020000', 'edge-b').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LockedError);
    const message = (refused as LockedError).message;
    expect(message).toContain(`the DR metastore ${database} on 127.0.0.1:${PG.port} is locked on the server`);
    expect(message).toContain("application 'hmsdr 20261202t010000 @edge-a'");
    expect(message).toContain('run 20261202t010000');
    expect(message).toContain('on edge-a');
    expect(message).toContain('client 127.0.0.1');
    expect((refused as LockedError).exitCode).toBe(6);
    expect((refused as LockedError).holder?.runId).toBe('20261202t010000');
    // The refused contender left no session behind.
    expect(await sessionsNamed('hmsdr 20261202t020000')).toEqual([]);

    // Another DR database on the same server is another lock.
    const other = await holdDrLock(
      parseConfigText(minimalConfigYaml({ drPort: PG.port, drDatabase: `${database}_x`, drUser: 'postgres' }), join(dir, 'x.yaml'), {}),
      'r3',
      'edge-c',
    );
    held.push(other);

    await first.release();
    const second = await holdDrLock(configFor(join(dir, 'b')), '20261202t020000', 'edge-b');
    held.push(second);
    expect(second.applicationName).toBe('hmsdr 20261202t020000 @edge-b');
  });

  it('tells when its session was ended under it (the server then released the lock)', async () => {
    const lock = await holdDrLock(configFor(join(dir, 'a')), 'r-lost', 'edge-a');
    held.push(lock);
    expect(lock.lost()).toBeUndefined();
    const admin = new pg.Client(PG);
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'hmsdr r-lost @edge-a'");
    await admin.end();
    const until = Date.now() + 30_000;
    while (lock.lost() === undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(lock.lost()).toBeDefined();
  });
});

describe('two runs with different runsDir against one DR database', () => {
  const script = join(repoRoot, 'test/fixtures/engine-cli.mjs');

  it('the second exits 6 naming the first, and leaves no run behind; the first is unaffected', async () => {
    const world = join(dir, 'world');
    const env = { ENGINE_WORLD: world, ENGINE_DR_LOCK: '1', PATH: process.env.PATH ?? '' };
    for (const name of ['a', 'b']) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'hmsdr.yaml'), minimalConfigYaml({ drPort: PG.port, drDatabase: database, drUser: 'postgres' }));
    }
    const cli = (name: string, ...args: string[]) => ({
      args: [...args, '--config', join(dir, name, 'hmsdr.yaml')],
      options: { script, env, cwd: join(dir, name) },
    });
    mkdirSync(world, { recursive: true });
    writeFileSync(join(world, 'hang-s3'), '');
    const a = cli('a', 'rehearse', '--yes');
    const first = startHmsdr(a.args, a.options);
    const until = Date.now() + 60_000;
    while (!existsSync(join(world, 's3.started')) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const firstRun = readdirSync(join(dir, 'a', 'runs')).filter((n) => !n.startsWith('.'))[0]!;

    const b = cli('b', 'rehearse', '--yes');
    const second = await runHmsdr(b.args, b.options);
    expect(second.exitCode, second.stderr).toBe(6);
    expect(second.stderr).toContain(`is locked on the server by another hmsdr run: application 'hmsdr ${firstRun} @`);
    expect(second.stderr).toContain(`run ${firstRun}`);
    const leftInB = existsSync(join(dir, 'b', 'runs')) ? readdirSync(join(dir, 'b', 'runs')).filter((n) => !n.startsWith('.')) : [];
    expect(leftInB).toEqual([]);

    rmSync(join(world, 'hang-s3'));
    first.kill('SIGINT');
    expect((await first).exitCode).toBe(130);
    // Interrupted, it let the lock go: the second config's run now gets it (and runs to the end).
    const resumedFirst = JSON.parse(readFileSync(join(dir, 'a', 'runs', firstRun, 'state.json'), 'utf8'));
    expect(resumedFirst.steps.s3.status).toBe('interrupted');
    const again = await runHmsdr(b.args, b.options);
    expect(again.exitCode, again.stderr).toBe(0);
  });
});
