// Read-only verification over a few connections to one database: independent queries (row counts,
// URI column scans, partition-name digests) run side by side instead of one after another, each
// on the next idle connection. Code written against SqlRunner runs the same on one client (in
// order, see `concurrent`) as on a pool (side by side).
import type { QueryResult, QueryResultRow } from 'pg';
import type { PgClient } from './connection.js';

/** What the inspection needs of a connection: a query. A pg client is one; so is a pool. */
export interface SqlRunner {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

export interface QueryPool extends SqlRunner {
  readonly size: number;
  /** Close every connection (errors ignored: nothing was written). */
  close(): Promise<void>;
}

/**
 * JIT compilation costs more than it saves on these one-off scans: measured on a restored 1M-partition
 * metastore (PostgreSQL 15, jit on by default, one direct connection), the inspection took 1.7 s with
 * JIT and 1.15 s without, the partition-name digests 1.6 s and 1.25 s (docs/verification.md has the
 * figures through the SSH tunnel). Servers before PostgreSQL 11 have no `jit` setting.
 */
export async function withoutJit(client: PgClient): Promise<void> {
  try {
    await client.query('SET jit = off');
  } catch (error) {
    if ((error as { code?: string }).code !== '42704') throw error; // undefined_object: no such setting
  }
}

/** A pool over `size` connections from `open` (each without JIT); closes what it opened if one fails. */
export async function openQueryPool(open: () => Promise<PgClient>, size: number): Promise<QueryPool> {
  const clients: PgClient[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  };
  try {
    for (let i = 0; i < Math.max(1, size); i++) {
      const client = await open();
      clients.push(client);
      await withoutJit(client);
    }
  } catch (error) {
    await close();
    throw error;
  }
  const pool = queryPool(clients);
  return Object.assign(pool, { close });
}

/** `use` a pool of `size` connections from `open`, closed after whatever happens. */
export async function withQueryPool<T>(open: () => Promise<PgClient>, size: number, use: (pool: SqlRunner) => Promise<T>): Promise<T> {
  const pool = await openQueryPool(open, size);
  try {
    return await use(pool);
  } finally {
    await pool.close();
  }
}

const pools = new WeakSet<SqlRunner>();

/**
 * `runner` as something that may be sent queries concurrently: a pool as it is, a single client
 * behind a queue of its own (pg warns that concurrent queries on one client will stop working in pg 9).
 */
export function concurrent(runner: SqlRunner): SqlRunner {
  return pools.has(runner) ? runner : queryPool([runner]);
}

/** Dispatch each query to an idle client, or wait for one. */
export function queryPool(clients: readonly SqlRunner[]): SqlRunner & { readonly size: number } {
  const idle = [...clients];
  const waiting: Array<(client: SqlRunner) => void> = [];
  const release = (client: SqlRunner): void => {
    const next = waiting.shift();
    if (next) next(client);
    else idle.push(client);
  };
  const pool = {
    size: clients.length,
    async query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>> {
      const client = idle.pop() ?? (await new Promise<SqlRunner>((resolve) => waiting.push(resolve)));
      try {
        return await client.query<R>(text, values);
      } finally {
        release(client);
      }
    },
  };
  pools.add(pool);
  return pool;
}
