#!/usr/bin/env node
// hmsdr's executable: the real runbook and adapters (loaded only by the commands that need them),
// then the exit code.
import module from 'node:module';

// Node ≥ 22: keep compiled code on disk, so a command started every minute (check) starts at once.
// Before any other import: static imports would be compiled before this line ran.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const { hideBin } = await import('yargs/helpers');
const { runCli } = await import('./cli.js');
process.exitCode = await runCli(hideBin(process.argv), async () => (await import('./default-deps.js')).defaultDeps);
