// Where a Command runs: on this machine, or on a site's SSH host. Steps and adapters that drive
// CLI tools (pg_dump, psql, hdfs, hadoop, systemctl) take an Executor and never care which.
import type { Command } from '../actions/command.js';
import {
  runCommand,
  runCommandAnyExit,
  streamCommand,
  type CommandResult,
  type RunOptions,
  type StreamingChild,
} from './process/run-command.js';

export interface Executor {
  /** 'local', or the SSH host name the commands run on (for plans and messages). */
  readonly where: 'local' | { host: string };
  /** Run to completion; rejects with CommandFailedError on a non-zero exit. */
  run(command: Command, options?: RunOptions): Promise<CommandResult>;
  /** Run and return whatever exit code the command had (for `-test`-style commands). */
  runAnyExit(command: Command, options?: RunOptions): Promise<CommandResult>;
  /** Start with stdout as a stream; a non-zero exit errors the stream. */
  stream(command: Command, options?: RunOptions): StreamingChild;
}

export const localExecutor: Executor = {
  where: 'local',
  run: runCommand,
  runAnyExit: runCommandAnyExit,
  stream: streamCommand,
};
