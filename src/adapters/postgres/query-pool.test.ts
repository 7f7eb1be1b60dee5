import { describe, expect, it } from 'vitest';
import type { PgClient } from './connection.js';
import { concurrent, openQueryPool, queryPool, withQueryPool } from './query-pool.js';

/** A client whose queries answer after `ms`, recording how many ran at once on all fakes together. */
function fakes(count: number, ms: number) {
  const state = { running: 0, most: 0, byClient: [] as string[][], ended: 0 };
  const clients = Array.from({ length: count }, (_, i) => {
    state.byClient.push([]);
    return {
      async query(text: string) {
        state.running++;
        state.most = Math.max(state.most, state.running);
        state.byClient[i]?.push(text);
        await new Promise((r) => setTimeout(r, ms));
        state.running--;
        if (text === 'fail') throw Object.assign(new Error('boom'), { code: 'XX000' });
        return { rows: [{ text, client: i }] };
      },
      async end() {
        state.ended++;
      },
    } as unknown as PgClient;
  });
  return { clients, state };
}

describe('queryPool', () => {
  it('runs queries side by side, one per idle client, and answers each with its own result', async () => {
    const { clients, state } = fakes(2, 20);
    const pool = queryPool(clients);
    const answers = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((q) => pool.query<{ text: string }>(q)));
    expect(answers.map((a) => a.rows[0]?.text)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(state.most).toBe(2);
    expect(state.byClient.flat().sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(state.byClient.every((queries) => queries.length >= 2)).toBe(true);
  });

  it('gives a failed query its error and its client back', async () => {
    const { clients, state } = fakes(1, 1);
    const pool = queryPool(clients);
    const results = await Promise.allSettled([pool.query('fail'), pool.query('after')]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { message: 'boom' } });
    expect(results[1]).toMatchObject({ status: 'fulfilled' });
    expect(state.byClient[0]).toEqual(['fail', 'after']);
  });
});

describe('concurrent', () => {
  it('queues concurrent queries for a single client (one at a time, in order) and leaves a pool as it is', async () => {
    const { clients, state } = fakes(1, 5);
    const one = concurrent(clients[0] as PgClient);
    await Promise.all(['a', 'b', 'c'].map((q) => one.query(q)));
    expect(state.most).toBe(1);
    expect(state.byClient[0]).toEqual(['a', 'b', 'c']);
    const pool = queryPool(fakes(2, 1).clients);
    expect(concurrent(pool)).toBe(pool);
  });
});

describe('openQueryPool', () => {
  it('opens each connection with JIT off and closes all of them', async () => {
    const { clients, state } = fakes(3, 1);
    let next = 0;
    const pool = await openQueryPool(async () => clients[next++] as PgClient, 3);
    expect(pool.size).toBe(3);
    expect(state.byClient).toEqual([['SET jit = off'], ['SET jit = off'], ['SET jit = off']]);
    await pool.close();
    expect(state.ended).toBe(3);
  });

  it('accepts a server without the jit setting, and closes what it opened when a connection fails', async () => {
    const { clients, state } = fakes(1, 1);
    const old = clients[0] as unknown as { query(text: string): Promise<unknown> };
    old.query = async () => {
      throw Object.assign(new Error('unrecognized configuration parameter "jit"'), { code: '42704' });
    };
    let opened = 0;
    const refused = new Error('connection refused');
    await expect(
      openQueryPool(async () => {
        if (opened++ === 0) return clients[0] as PgClient;
        throw refused;
      }, 2),
    ).rejects.toBe(refused);
    expect(state.ended).toBe(1);
  });

  it('withQueryPool closes every connection after `use`, also when it fails', async () => {
    const { clients, state } = fakes(2, 1);
    let next = 0;
    const failure = new Error('use failed');
    await expect(
      withQueryPool(
        async () => clients[next++] as PgClient,
        2,
        async (pool) => {
          await pool.query('x');
          throw failure;
        },
      ),
    ).rejects.toBe(failure);
    expect(state.ended).toBe(2);
  });
});
