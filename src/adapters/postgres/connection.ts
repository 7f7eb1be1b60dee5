// pg connections built from a metastore config: application_name=hmsdr, TLS per sslmode,
// connect timeout, password read at connect time (env/file only) and registered for redaction.
import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { MetastoreConfig } from '../../config/schema.js';
import { readSecret } from '../../config/secrets.js';
import { AdapterError } from '../../errors/errors.js';
import { classifyPgError, type PgTarget } from './errors.js';

export type PgClient = pg.Client;

/** Per-call overrides: another database on the same server, the socket, the password. */
export interface ConnectOptions {
  /** Database to connect to (default: metastore.database). */
  database?: string;
  /** The socket to the server instead of a TCP connection from here (an SSH channel: site.ts). */
  socket?: () => Duplex;
  /** Dotted config path for secret errors, e.g. `dr.metastore`. */
  where?: string;
  env?: NodeJS.ProcessEnv;
  /** application_name of the session (default `hmsdr`). */
  applicationName?: string;
}

/** The metastore's password (undefined when the config names no secret: trust/peer/.pgpass). */
export function metastorePassword(
  metastore: MetastoreConfig,
  where = 'metastore',
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  return readSecret(metastore, where, env);
}

/** TLS options for node-pg from libpq's sslmode (prefer is handled by a retry in connectMetastore). */
export function tlsOptions(metastore: MetastoreConfig): false | ConnectionOptions {
  const ca = metastore.sslRootCert ? readFileSync(metastore.sslRootCert, 'utf8') : undefined;
  switch (metastore.sslmode) {
    case 'disable':
      return false;
    case 'prefer':
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
      // Chain must verify, host name is not checked (libpq semantics).
      return { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ca, rejectUnauthorized: true };
  }
}

export function targetOf(metastore: MetastoreConfig, options: ConnectOptions = {}): PgTarget {
  return {
    host: metastore.host,
    port: metastore.port,
    user: metastore.user,
    database: options.database ?? metastore.database,
  };
}

/**
 * A server that stops answering (a paused backend) must not hang a run: a query without an answer
 * within `queryTimeoutMs` rejects with E_PG_TIMEOUT and drops the connection (its late answer must
 * never be read as the next query's), and `end()` gives up on a server that never acknowledges it.
 */
function boundedClient(client: PgClient, target: PgTarget, queryTimeoutMs: number): PgClient {
  const socket = (): { destroy(): void } | undefined =>
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  // Not pg's own query_timeout: it also arms on COPY streams (pg-copy-streams), whose end it breaks.
  client.query = ((...args: unknown[]) => {
    const result = query(...args);
    if (!(result instanceof Promise)) return result; // a stream or a callback query: its own consumer times it
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        socket()?.destroy(); // its late answer must never be read as the next query's
        reject(
          new AdapterError(
            'E_PG_TIMEOUT',
            `PostgreSQL at ${target.host}:${target.port} (database ${target.database}) did not answer a query within ${queryTimeoutMs} ms`,
            {
              hint: 'the server is paused, hung or overloaded: check it (pg_stat_activity, its log), then resume the run; metastore.queryTimeoutMs sets the limit',
            },
          ),
        );
      }, queryTimeoutMs);
    });
    return Promise.race([result, timedOut]).finally(() => clearTimeout(timer));
  }) as typeof client.query;
  const end = client.end.bind(client);
  client.end = (async () => {
    let timer: NodeJS.Timeout | undefined;
    const givenUp = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        socket()?.destroy();
        resolve();
      }, 5_000);
    });
    // An error here means the connection is already closed or destroyed: nothing left to end.
    await Promise.race([end().catch(() => undefined), givenUp]);
    clearTimeout(timer);
  }) as typeof client.end;
  return client;
}

/** Open a connection; failures are AdapterErrors (E_PG_AUTH, E_PG_UNREACHABLE, E_PG_NO_DATABASE, E_PG_TLS). */
export async function connectMetastore(metastore: MetastoreConfig, options: ConnectOptions = {}): Promise<PgClient> {
  const target = targetOf(metastore, options);
  const password = metastorePassword(metastore, options.where ?? 'metastore', options.env);
  const open = async (ssl: false | ConnectionOptions): Promise<PgClient> => {
    const client = new pg.Client({
      ...target,
      ...(options.socket ? { stream: options.socket } : {}),
      password,
      ssl,
      application_name: options.applicationName ?? 'hmsdr',
      connectionTimeoutMillis: metastore.connectTimeoutMs,
    });
    client.on('error', () => undefined); // a dropped idle connection surfaces on the next query
    await client.connect();
    return boundedClient(client, target, metastore.queryTimeoutMs);
  };
  const ssl = tlsOptions(metastore);
  try {
    return await open(ssl);
  } catch (error) {
    // sslmode=prefer: like libpq, fall back to a plain connection when the server has no TLS.
    if (metastore.sslmode === 'prefer' && /does not support SSL/i.test(String((error as Error).message))) {
      try {
        return await open(false);
      } catch (retryError) {
        throw classifyPgError(retryError, target);
      }
    }
    throw classifyPgError(error, target);
  }
}

/** Run `fn` with a connection and always close it. */
export async function withMetastore<T>(
  metastore: MetastoreConfig,
  options: ConnectOptions,
  fn: (client: PgClient) => Promise<T>,
): Promise<T> {
  const client = await connectMetastore(metastore, options);
  try {
    return await fn(client);
  } catch (error) {
    throw classifyPgError(error, targetOf(metastore, options));
  } finally {
    await client.end().catch(() => undefined);
  }
}
