// restore.transfer: streamed — the staged transfer, with psql restoring the rewritten stream into the
// (new, empty) staging database while it is staged: `psql -X -v ON_ERROR_STOP=1 --single-transaction
// -f -` on the DR side, fed on stdin. The staging database is only marked restored once the staged
// file's sha256 was checked too; it is not live before verify-staging and the swap in any case.
// restore-staging then finds it done, or restores the staged file when it is gone.
import { PassThrough } from 'node:stream';
import { planPassword } from '../actions/action.js';
import { metastorePassword } from '../adapters/postgres/connection.js';
import { quoteIdent } from '../adapters/postgres/sql-text.js';
import { pgWhere } from '../config/where.js';
import { settledError } from '../util/settled.js';
import { stagingDatabase } from './names.js';
import { restoreCommandFor } from './restore-command.js';
import { fileTransfer, stageDump, stagedDumpPlan, stagedRestorePlan, type StreamRestore } from './staged.js';
import { stagingOwner } from './staging-database.js';
import type { Transfer, TransferContext } from './transfer.js';

async function startStreamedRestore(ctx: TransferContext): Promise<StreamRestore> {
  const { config, adapters, signal, log, run } = ctx;
  const executor = await adapters.dr.pgExecutor(signal);
  const stdin = new PassThrough({ highWaterMark: 1024 * 1024 });
  const stop = new AbortController();
  const done = executor.run(restoreCommandFor(config, run.id, metastorePassword(config.dr.metastore, 'dr.metastore'), 'stdin'), {
    signal: AbortSignal.any([signal, stop.signal]),
    stdin,
    onStderr: (chunk) => log.stderr('psql', chunk),
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
      description: 'the same stream restored at the same time (restore-staging then finds it done)',
    },
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
