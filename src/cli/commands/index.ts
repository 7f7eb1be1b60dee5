// Every hmsdr subcommand, in --help order. A command is listed only once it works.
import type { CommandModule } from 'yargs';
import { historyCommand } from './history.js';
import { initCommand } from './init.js';
import { labCommand } from './lab.js';
import { rewriteCommand } from './rewrite.js';
import { verifyCommand } from './verify.js';

// Each entry is a yargs CommandModule whose handler throws HmsdrError (or ExitStatus) instead of exiting.
// biome-ignore lint/suspicious/noExplicitAny: yargs CommandModule is invariant in its arguments; commands with different arguments share one list
export const commands: CommandModule<any, any>[] = [
  initCommand,
  rewriteCommand,
  verifyCommand,
  historyCommand,
  labCommand,
];
