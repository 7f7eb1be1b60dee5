// `hmsdr check` through the built CLI, as NRPE runs it: the line and the plugin exit code for a runs
// directory with no success, a fresh one, a later failed run; --format json and prometheus; a
// monitoring user without the config's secrets; anything unreadable is UNKNOWN (3), never hmsdr's codes.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastSuccessOf, writeLastSuccess } from '../../src/report/freshness.js';
import { buildRunSummary } from '../../src/report/summary.js';
import { runHmsdr } from '../harness/cli.js';
import { minimalConfigYaml } from '../harness/config.js';
import { ensureBuilt } from '../harness/e2e-lab.js';
import { parsePrometheusText } from '../harness/prom-text.js';
import { completeRun, failedAtCopyRun, RUN_ID } from '../harness/report-runs.js';

let dir = '';
let config = '';
const runs = (): string => join(dir, 'runs');

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'hmsdr-check-cli-'));
  config = join(dir, 'hmsdr.yaml');
  // A password variable the monitoring user does not have: check must not need it.
  writeFileSync(config, minimalConfigYaml({ runsDir: './runs', drPasswordEnv: 'HMSDR_CHECK_TEST_UNSET_PASSWORD' }));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function place(fabricated: { dir: string }, runId: string): string {
  const target = join(runs(), runId);
  mkdirSync(runs(), { recursive: true });
  renameSync(fabricated.dir, target);
  rmSync(join(fabricated.dir, '..'), { recursive: true, force: true });
  const state = JSON.parse(readFileSync(join(target, 'state.json'), 'utf8')) as { runId: string };
  writeFileSync(join(target, 'state.json'), JSON.stringify({ ...state, runId }));
  return target;
}

describe('hmsdr check (built CLI)', () => {
  it('no runs directory yet: CRITICAL, exit 2', async () => {
    const result = await runHmsdr(['check', '--config', config]);
    expect(result.stdout).toBe(
      `HMSDR CRITICAL - no successful run recorded in ${runs()} (DR not verified yet), no run yet | rpo=U;93600;180000\n`,
    );
    expect(result.exitCode).toBe(2);
  });

  it('a fresh success: OK, exit 0 (thresholds far above the age of the fixture run)', async () => {
    const summary = buildRunSummary(place(completeRun(), RUN_ID));
    writeLastSuccess(runs(), lastSuccessOf(summary, summary.endedAt));
    const result = await runHmsdr(['check', '--config', config, '--rpo-warning', '3650d', '--rpo-critical', '7300d']);
    expect(result.stdout).toMatch(
      /^HMSDR OK - DR metastore at T0 2026-11-21 05:30 UTC \(\d+ (h|min) ago\), last run ok \| rpo=\d+s;315360000;630720000 rto=298s\n$/,
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const stale = await runHmsdr(['check', '--config', config, '--rpo-warning', '1s', '--rpo-critical', '2s']);
    expect(stale.stdout).toMatch(/^HMSDR CRITICAL - .*, over 2 s\), last run ok \|/);
    expect(stale.exitCode).toBe(2);
  });

  it('a later failed run: WARNING naming the step, exit 1; json and prometheus say the same', async () => {
    place(failedAtCopyRun(), '20261122t053000');
    const result = await runHmsdr(['check', '--config', config, '--rpo-warning', '3650d', '--rpo-critical', '7300d']);
    expect(result.stdout).toMatch(/^HMSDR WARNING - DR metastore at T0 .*, last run 20261122t053000 failed at copy-data \(E_DISTCP\) \|/);
    expect(result.exitCode).toBe(1);
    const json = await runHmsdr(['check', '--config', config, '--rpo-warning', '3650d', '--rpo-critical', '7300d', '--format', 'json']);
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      status: 'WARNING',
      exitCode: 1,
      latestRun: { runId: '20261122t053000', state: 'failed', step: 'copy-data' },
      lastSuccess: { runId: RUN_ID },
    });
    const prom = await runHmsdr([
      'check',
      '--config',
      config,
      '--rpo-warning',
      '3650d',
      '--rpo-critical',
      '7300d',
      '--format',
      'prometheus',
    ]);
    expect(prom.exitCode).toBe(1);
    expect(parsePrometheusText(prom.stdout).get('hmsdr_check_status')!.samples[0]!.value).toBe(1);
  });

  it('a bad threshold or a missing config is UNKNOWN, exit 3', async () => {
    const bad = await runHmsdr(['check', '--config', config, '--rpo-warning', 'soon']);
    expect(bad.stdout).toBe('HMSDR UNKNOWN - --rpo-warning soon: not a duration (26h, 2d, 90m)\n');
    expect(bad.exitCode).toBe(3);
    const missing = await runHmsdr(['check', '--config', join(dir, 'nope.yaml')]);
    expect(missing.stdout).toMatch(/^HMSDR UNKNOWN - cannot read config file/);
    expect(missing.exitCode).toBe(3);
  });
});
