#!/usr/bin/env node
// hmsdr's executable: the real runbook and adapters, then the exit code.
import { hideBin } from 'yargs/helpers';
import { createAdapters } from '../adapters/create.js';
import { canonicalRunbook } from '../runbook/runbook.js';
import { runCli } from './cli.js';

process.exitCode = await runCli(hideBin(process.argv), { runbook: canonicalRunbook, createAdapters });
