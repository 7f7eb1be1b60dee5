// Taking over a dead holder's lock is atomic: many contenders (worker threads of this process and
// child processes) that find the same stale lock at the same instant — exactly one gets it, every
// round. The contenders run the built src/runbook/lock.ts (real concurrency needs real threads).
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockPath, readLockHolder } from '../../src/runbook/lock.js';
import { within } from '../harness/deadline.js';

const ROUNDS = 20;
const WORKERS = 6;
const CHILDREN = 4;
const TARGET = { host: 'db.dr.example', port: 5432, database: 'hive' };
const CONTENDER = resolve(import.meta.dirname, '../fixtures/lock-contender.mjs');

interface Result {
  id: string;
  round: number;
  runId: string;
  won: boolean;
  code?: string;
  message?: string;
}
interface Contender {
  id: string;
  send(m: unknown): void;
  on(f: (m: { type: string } & Result) => void): void;
  stop(): Promise<unknown>;
}

let dir: string;
let runsDir: string;
const contenders: Contender[] = [];

function worker(id: string, data: object): Contender {
  const w = new Worker(CONTENDER, { workerData: { ...data, id } });
  return { id, send: (m) => w.postMessage(m), on: (f) => w.on('message', f), stop: () => w.terminate() };
}

function child(id: string, data: object): Contender {
  const c: ChildProcess = fork(CONTENDER, [JSON.stringify({ ...data, id })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    id,
    send: (m) => c.send(m as object),
    on: (f) => c.on('message', f),
    stop: () =>
      new Promise((r) => {
        if (c.exitCode !== null) r(undefined);
        else {
          c.once('exit', r);
          c.kill();
        }
      }),
  };
}

/** The pid of a process that has exited (a holder that died). */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hmsdr-lock-takeover-'));
  runsDir = join(dir, 'runs');
  // The built module (npm test builds before the tests run), imported by every thread and process.
  const bundle = resolve(import.meta.dirname, '../../dist/src/runbook/lock.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build first`);
  const data = { bundle, runsDir, target: TARGET };
  for (let i = 0; i < WORKERS; i++) contenders.push(worker(`worker${i}`, data));
  for (let i = 0; i < CHILDREN; i++) contenders.push(child(`child${i}`, data));
  await within(
    'the contenders to start',
    Promise.all(
      contenders.map(
        (c) =>
          new Promise<void>((r) =>
            c.on((m) => {
              if (m.type === 'ready') r();
            }),
          ),
      ),
    ),
  );
});

afterAll(async () => {
  for (const c of contenders) c.send({ type: 'exit' });
  await Promise.all(contenders.map((c) => c.stop()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** All contenders find `stale` in the lock file and try at once; their results. */
async function round(n: number): Promise<Result[]> {
  const goFile = join(dir, `go-${n}`);
  const waiting = contenders.map(
    (c) =>
      new Promise<void>((r) =>
        c.on((m) => {
          if (m.type === 'waiting' && m.round === n) r();
        }),
      ),
  );
  const results = contenders.map(
    (c) =>
      new Promise<Result>((r) =>
        c.on((m) => {
          if (m.type === 'result' && m.round === n) r(m);
        }),
      ),
  );
  for (const c of contenders) c.send({ round: n, goFile });
  await within('every contender to be waiting', Promise.all(waiting));
  writeFileSync(goFile, '');
  return within('every contender to try', Promise.all(results));
}

describe('stale-lock takeover', () => {
  it(`${WORKERS} threads and ${CHILDREN} processes against one dead holder's lock: exactly one wins, ${ROUNDS} rounds out of ${ROUNDS}`, async () => {
    const path = lockPath(runsDir, TARGET);
    const winners: string[][] = [];
    for (let n = 0; n < ROUNDS; n++) {
      rmSync(runsDir, { recursive: true, force: true });
      mkdirSync(runsDir, { recursive: true });
      writeFileSync(
        path,
        JSON.stringify({ pid: deadPid(), host: hostname(), runId: `dead-${n}`, startedAt: new Date().toISOString() }) + '\n',
      );
      const results = await round(n);
      const won = results.filter((r) => r.won);
      winners.push(won.map((r) => r.runId));
      for (const lost of results.filter((r) => !r.won)) expect(lost.code, lost.message).toBe('E_LOCKED');
      // The one winner is the one the lock file names; no takeover leftovers beside it.
      if (won.length === 1) expect(readLockHolder(path)?.runId).toBe(won[0]!.runId);
      expect(readdirSync(runsDir)).toEqual([path.slice(runsDir.length + 1)]);
    }
    expect(
      winners.filter((w) => w.length !== 1),
      'rounds without exactly one winner',
    ).toEqual([]);
  });
});
