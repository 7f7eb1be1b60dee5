// restore.transfer: streamed — psql restores the schema and the data while the dump streams, and
// stops where the post-data section begins (post-data-cut.ts); the post-data then runs on
// `restore.workers` connections to the staging database, as the parallel transfer's does: keys and
// indexes of different tables side by side, foreign keys in two steps and merged. In one psql they
// ran one after another: at 1M partitions 11.7 s of a 26 s transfer, on one of the two cores.
import { Writable } from 'node:stream';
import { restoreRole } from '../adapters/postgres/commands.js';
import type { PgClient } from '../adapters/postgres/connection.js';
import { parseDumpScript } from './parallel/dump-script.js';
import { applyDumpScriptParallel, applyProgressText, prepareSchemaSession, type ApplyResult } from './parallel/post-data.js';
import { closeHard, describeSchemaFailure } from './parallel/transfer.js';
import type { PostDataCut } from './post-data-cut.js';
import { writeTo } from './tee.js';
import type { TransferContext } from './transfer.js';

/** Write `pieces` to `target` in order, with its backpressure. */
function writeAll(target: Writable, pieces: Buffer[], callback: (error?: Error | null) => void): void {
  const next = (i: number): void => {
    const piece = pieces[i];
    if (piece === undefined) return callback();
    writeTo(target, piece, (error) => (error ? callback(error) : next(i + 1)));
  };
  next(0);
}

/**
 * What the tee writes into for psql: the bytes up to the cut go on to `psql`, whose input then ends
 * (its single transaction commits the schema and the data); the rest stays in `cut`.
 */
export function cutAtPostData(psql: Writable, cut: PostDataCut): Writable {
  const endPsql = (): void => {
    if (!psql.writableEnded) psql.end();
  };
  const sink = new Writable({
    highWaterMark: 1024 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      let pieces: Buffer[];
      try {
        pieces = cut.feed(chunk);
      } catch (error) {
        callback(error as Error);
        return;
      }
      writeAll(psql, pieces, (error) => {
        if (!error && cut.cut) endPsql();
        callback(error);
      });
    },
    final(callback) {
      writeAll(psql, cut.finish(), (error) => {
        if (!error) endPsql();
        callback(error);
      });
    },
    destroy(error, callback) {
      // Before the cut psql must not see an end of input: its transaction would commit a part.
      if (!psql.writableEnded) psql.destroy(error ?? new Error('the dump stream was stopped'));
      callback(error);
    },
  });
  // psql's input failing (its process gone) fails the sink; without a listener it would be an uncaught 'error' event.
  psql.on('error', (error) => sink.destroy(error));
  return sink;
}

/** The cut-off post-data on `restore.workers` connections to the staging database. */
export async function applyStreamedPostData(
  ctx: TransferContext,
  database: string,
  text: string,
  signal: AbortSignal,
): Promise<ApplyResult> {
  const { config, adapters, log } = ctx;
  const script = parseDumpScript(text);
  const clients: PgClient[] = [];
  try {
    for (let i = 0; i < config.restore.workers; i++) {
      const client = await adapters.dr.connect(database, signal);
      clients.push(client);
      await prepareSchemaSession(client, restoreRole(config.dr.metastore));
    }
    ctx.progress(`data restored; post-data (${script.entries.length} keys, indexes, constraints) on ${clients.length} connections`);
    const result = await applyDumpScriptParallel(script, clients, {
      signal,
      onProgress: (p) => ctx.progress(applyProgressText(p)),
    });
    log.info('post-data-applied', {
      database,
      connections: clients.length,
      entries: result.entries,
      byType: result.byType,
      phases: result.phases,
    });
    return result;
  } catch (error) {
    throw describeSchemaFailure(error, 'post-data', { source: adapters.source, dr: adapters.dr, database });
  } finally {
    await Promise.all(clients.map(closeHard));
  }
}
