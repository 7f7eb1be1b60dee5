// The ports steps see. Real implementations are created in src/cli (createAdapters); tests pass fakes.
// Each outside system adds its port here as its adapter lands.
import type { Command } from './process/command.js';
import type { CommandResult, RunOptions, StreamingChild } from './process/run-command.js';

export interface ProcessPort {
  run(command: Command, options?: RunOptions): Promise<CommandResult>;
  runAnyExit(command: Command, options?: RunOptions): Promise<CommandResult>;
  stream(command: Command, options?: RunOptions): StreamingChild;
}

export interface Adapters {
  readonly process: ProcessPort;
}
