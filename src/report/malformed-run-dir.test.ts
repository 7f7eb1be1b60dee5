// A run directory this version cannot read (not JSON, JSON of another shape, a step output that fails
// its schema) is a PreconditionError (exit 4) naming the file — through the functions `hmsdr status`,
// `hmsdr history` and the report writer use — never a TypeError (exit 70) or a silent `undefined`.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { historyRows } from './history.js';
import { PreconditionError } from '../errors/errors.js';
import { ExitCode } from '../errors/exit-codes.js';
import { Ledger } from '../runbook/ledger.js';
import { requireOutput } from '../steps/outputs.js';
import { buildRunSummary } from './summary.js';
import { writeReports } from './write.js';

const FIXTURE = join(import.meta.dirname, '../../test/fixtures/run-dirs/staged-20261202t003939');
const RUN_ID = '20261202t003939';

let runs: string;
let dir: string;
let statePath: string;
beforeEach(() => {
  runs = join(mkdtempSync(join(tmpdir(), 'hmsdr-malformed-')), 'runs');
  dir = join(runs, RUN_ID);
  mkdirSync(runs);
  cpSync(FIXTURE, dir, { recursive: true });
  rmSync(join(dir, 'summary.json')); // history rebuilds the summary from the ledger
  statePath = join(dir, 'state.json');
});
afterEach(() => {
  rmSync(join(runs, '..'), { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: the test edits the ledger into every wrong shape
const state = (): Record<string, any> => JSON.parse(readFileSync(statePath, 'utf8'));
const writeState = (value: unknown): void => writeFileSync(statePath, typeof value === 'string' ? value : JSON.stringify(value));

/** Every path that reads the run: the report, `hmsdr history`, `hmsdr status` (Ledger.load). */
const readers: Array<[string, () => unknown]> = [
  ['buildRunSummary', () => buildRunSummary(dir)],
  ['writeReports', () => writeReports(dir)],
  ['history', () => historyRows(runs, 10)],
];

function expectPrecondition(read: () => unknown, file: string, what: RegExp): void {
  let thrown: unknown;
  try {
    read();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(PreconditionError);
  const error = thrown as PreconditionError;
  expect(error.exitCode).toBe(ExitCode.PRECONDITION);
  expect(error.message).toContain(file);
  expect(error.message).toMatch(what);
}

describe('a state.json this version cannot read', () => {
  it.each(readers)('not JSON: %s names the file', (_name, read) => {
    writeState('{"version": 1, "runId": "20261202t0039');
    expectPrecondition(read, statePath, /not JSON/);
  });

  it.each(readers)('JSON of another shape: %s names the file and the field', (_name, read) => {
    writeState({ ...state(), order: 'preflight', steps: { preflight: { status: 'finished' } } });
    expectPrecondition(read, statePath, /order.*expected array/);
  });

  it.each(readers)('another ledger version: %s says which', (_name, read) => {
    writeState({ ...state(), version: 2 });
    expectPrecondition(read, statePath, /unknown version 2/);
  });

  it('hmsdr status reads it through Ledger.load: the same error', () => {
    writeState([]);
    expectPrecondition(() => Ledger.load(dir), statePath, /unknown version/);
  });
});

describe('a step output that fails its schema', () => {
  it.each(readers)('in state.json: %s names the file, the step and the field', (_name, read) => {
    const s = state();
    s.steps['snapshot-source'].output.paths[0].takenAt = 1733099985623;
    writeState(s);
    expectPrecondition(read, statePath, /snapshot-source .*paths\.0\.takenAt: Invalid input: expected string, received number/);
  });

  it('in the file a failed verification step left: the report names that file', () => {
    const s = state();
    delete s.steps['verify-staging'].output;
    s.steps['verify-staging'].status = 'failed';
    s.steps['verify-staging'].error = { code: 'E_VERIFY', message: 'L3 failed' };
    writeState(s);
    const side = join(dir, 'verify-staging.json');
    writeFileSync(side, JSON.stringify({ ...JSON.parse(readFileSync(side, 'utf8')), rungs: [{ rung: 'L9', ok: true }] }));
    expectPrecondition(() => buildRunSummary(dir), side, /verify-staging .*rungs\.0\.rung/);
  });

  it('read by a step (typed accessor): blocked with the ledger named, not undefined', () => {
    const outputs = { 'dump-metastore': { ...state().steps['dump-metastore'].output, sha256: undefined } };
    expectPrecondition(() => requireOutput({ outputs, run: { dir } }, 'dump-metastore', 'restore-staging'), statePath, /dump-metastore/);
  });
});
