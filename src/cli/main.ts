#!/usr/bin/env node
// hmsdr's executable: the real runbook and adapters (loaded only by the commands that need them),
// then the exit code.
import module from 'node:module';
import { hideBin } from 'yargs/helpers';
import { runCli } from './cli.js';

// Node ≥ 22: keep compiled code on disk, so a command started every minute (check) starts at once.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

process.exitCode = await runCli(hideBin(process.argv), async () => (await import('./default-deps.js')).defaultDeps);
