// The built CLI on a run directory it cannot read: `status` and `history` exit 4 (precondition) and
// name the file, instead of crashing with an internal error (exit 70).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHmsdr } from '../harness/cli.js';
import { minimalConfigYaml } from '../harness/config.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/run-dirs/staged-20261202t003939');
const RUN_ID = '20261202t003939';
let root: string;
let config: string;
let statePath: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'hmsdr-malformed-cli-'));
  const runs = join(root, 'runs');
  mkdirSync(runs);
  cpSync(FIXTURE, join(runs, RUN_ID), { recursive: true });
  rmSync(join(runs, RUN_ID, 'summary.json'));
  statePath = join(runs, RUN_ID, 'state.json');
  config = join(root, 'hmsdr.yaml');
  writeFileSync(config, minimalConfigYaml({ runsDir: runs }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('hmsdr on a ledger it cannot read', () => {
  it("reads today's ledger: status exits 0 (complete), history lists the run", async () => {
    expect((await runHmsdr(['status', RUN_ID, '--config', config])).exitCode).toBe(0);
    const history = await runHmsdr(['history', '--json', '--config', config]);
    expect(history.exitCode, history.stderr).toBe(0);
    expect(JSON.parse(history.stdout)).toMatchObject([{ runId: RUN_ID, outcome: 'ok' }]);
  });

  it('a step output of another shape: history exits 4 naming state.json and the field', async () => {
    const good = readFileSync(statePath, 'utf8');
    const state = JSON.parse(good);
    state.steps['copy-data'].output.paths[0].bytesCopied = '40276';
    writeFileSync(statePath, JSON.stringify(state));
    const result = await runHmsdr(['history', '--config', config]);
    expect(result.exitCode, result.stderr).toBe(4);
    expect(result.stderr).toContain(statePath);
    expect(result.stderr).toMatch(/copy-data.*paths\.0\.bytesCopied/);
    writeFileSync(statePath, good);
  });

  it('state.json not JSON: status and history exit 4 naming it', async () => {
    const good = readFileSync(statePath, 'utf8');
    writeFileSync(statePath, good.slice(0, 200));
    for (const args of [['status', RUN_ID], ['history']]) {
      const result = await runHmsdr([...args, '--config', config]);
      expect(result.exitCode, `${args[0]}: ${result.stderr}`).toBe(4);
      expect(result.stderr).toContain(statePath);
    }
    writeFileSync(statePath, good);
  });
});
