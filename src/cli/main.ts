#!/usr/bin/env node
// hmsdr's executable: the real runbook and adapters, then the exit code.
import { hideBin } from 'yargs/helpers';
import { runCli } from './cli.js';
import { defaultDeps } from './default-deps.js';

process.exitCode = await runCli(hideBin(process.argv), defaultDeps);
