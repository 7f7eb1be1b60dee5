// restore.transfer: streamed — the staged transfer, with psql restoring the rewritten stream into the
// (new, empty) staging database while it is staged: `psql -X -v ON_ERROR_STOP=1 --single-transaction
// -f -` on the DR side, fed on stdin up to the dump's post-data section, which then runs on
// `restore.workers` connections (streamed-post-data.ts). The staging database is only marked
// restored once the post-data is in and the staged file's sha256 was checked too; it is not live
// before verify-staging and the swap in any case; any failure drops it. restore-staging then finds
// it done, or restores the staged file when it is gone.
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { planPassword } from '../actions/action.js';
import { metastorePassword } from '../adapters/postgres/connection.js';
import { quoteIdent } from '../adapters/postgres/sql-text.js';
import { pgWhere } from '../config/where.js';
import { settledError } from '../util/settled.js';
import { stagingDatabase } from './names.js';
import { restoreCommandFor } from './restore-command.js';
import { fileTransfer, stageDump, stagedDumpPlan, stagedRestorePlan, type StreamRestore } from './staged.js';
import { stagingOwner } from './staging-database.js';
import { PostDataCut } from './post-data-cut.js';
import { applyStreamedPostData, cutAtPostData } from './streamed-post-data.js';
import type { Transfer, TransferContext } from './transfer.js';

async function startStreamedRestore(ctx: TransferContext): Promise<StreamRestore> {
  const { config, adapters, signal, log, run } = ctx;
  const executor = await adapters.dr.pgExecutor(signal);
  const psqlInput = new PassThrough({ highWaterMark: 1024 * 1024 });
  const stop = new AbortController();
  const stopped = AbortSignal.any([signal, stop.signal]);
  const psql = executor.run(restoreCommandFor(config, run.id, metastorePassword(config.dr.metastore, 'dr.metastore'), 'stdin'), {
    signal: stopped,
    stdin: psqlInput,
    onStderr: (chunk) => log.stderr('psql', chunk),
  });
  psql.catch(() => undefined); // observed through done
  const cut = new PostDataCut({ freeze: true });
  const stdin = cutAtPostData(psqlInput, cut);
  const database = stagingDatabase(config.dr.metastore.database, run.id);
  // psql has committed the schema and the data; the whole dump went by (its end is only let through
  // once pg_dump exited 0 with its trailer): now the post-data, side by side.
  const done = Promise.all([psql, finished(stdin, { readable: false })]).then(async () => {
    const postData = cut.postData();
    if (postData !== undefined) await applyStreamedPostData(ctx, database, postData, stopped);
  });
  done.catch(() => undefined); // observed by the step (the sink is destroyed with its error)
  return {
    stdin,
    done,
    cancel: async () => {
      stop.abort();
      await settledError(done);
    },
  };
}

export const streamed: Transfer = {
  name: 'streamed',
  ...fileTransfer,
  plan: (config, run) => [
    ...stagedDumpPlan(config, run),
    {
      kind: 'sql',
      target: 'dr',
      database: 'postgres',
      text: `CREATE DATABASE ${quoteIdent(stagingDatabase(config.dr.metastore.database, run.id))} OWNER ${quoteIdent(stagingOwner(config.dr.metastore))}`,
    },
    {
      kind: 'exec',
      where: pgWhere(config, 'dr'),
      command: restoreCommandFor(config, run.id, planPassword(config.dr.metastore), 'stdin'),
      description:
        "the same stream restored at the same time (its COPY statements WITH (FREEZE)), up to where the dump's post-data section begins",
    },
    {
      kind: 'note',
      text: `then the post-data section (primary keys, indexes, foreign keys) on ${config.restore.workers} connections to ${stagingDatabase(config.dr.metastore.database, run.id)}: never two statements on one table at once, foreign keys in two steps (ADD … NOT VALID, then VALIDATE); restore-staging then finds it done`,
    },
  ],
  restored(dump, database) {
    const facts = fileTransfer.restored(dump, database);
    return { ...facts, exitStatus: { ...facts.exitStatus, 'post-data': 0 } };
  },
  integrityNotes: [
    fileTransfer.integrityNotes[0],
    'L2: psql ON_ERROR_STOP + single transaction exited 0 (schema and data), then every post-data statement finished without error',
  ],
  run: (ctx) => stageDump(ctx, startStreamedRestore),
  restorePlan: (config, run, database) => [
    {
      kind: 'note',
      text: `nothing left to do: psql restored ${database} while dump-metastore streamed (checked here by its comment); if it is gone, the staged file is restored as below`,
    },
    ...stagedRestorePlan(config, run.id, database),
  ],
};
