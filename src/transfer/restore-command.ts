// The one psql restore command of the staged and streamed transfers (plans print it, steps run it):
// the staged file after copy-data (restore-staging), or `-` (stdin) while the dump streams.
import { psqlRestoreCommand } from '../adapters/postgres/commands.js';
import type { Command } from '../actions/command.js';
import type { ResolvedConfig } from '../config/load.js';
import { stagedDumpPath } from './staging.js';
import { stagingDatabase } from '../names/run-names.js';

export const stagedPathFor = (config: ResolvedConfig, runId: string): string => stagedDumpPath(config.dr.stagingDir, runId);

export const restoreCommandFor = (
  config: ResolvedConfig,
  runId: string,
  password: string | undefined,
  from: 'file' | 'stdin' = 'file',
): Command =>
  psqlRestoreCommand(
    config.dr.metastore,
    stagingDatabase(config.dr.metastore.database, runId),
    from === 'file' ? stagedPathFor(config, runId) : '-',
    { password },
  );
