// Issue 14 acceptance, exclusions end to end on the lab: a rehearsal with an excluded directory and
// an excluded file pattern passes L0–L6 and exits 0; the excluded paths are absent on DR and counted
// in the report; changing the exclusions makes the next run copy that path in full, and says why.
// On the same state, standalone `verify metastore` (against the source and against the run's stream
// counts) and `verify data` give the verdicts the run's verify steps gave.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { authorityOf } from '../../src/lab/lab-hdfs.js';
import { newRunId, runIds, startE2eLab, type E2eLab } from '../harness/e2e-lab.js';

let e2e: E2eLab;

/** The local directory of a data path in the HDFS stand-in of one side. */
function sideDir(side: 'source' | 'dr', dataPath: string): string {
  const { root } = e2e.lab.state.hdfs;
  return join(root, authorityOf(e2e.lab.state[side].nameNode), dataPath);
}

function setExclusions(patterns: string[]): void {
  const config = parse(readFileSync(e2e.configFile, 'utf8')) as { data: Record<string, unknown> };
  config.data.exclude = patterns;
  writeFileSync(e2e.configFile, stringify(config), { mode: 0o600 });
}

let lastRun = '';

async function rehearse(): Promise<{
  runId: string;
  report: string;
  summary: { outcome: string; ladder: { rung: string; status: string }[] };
}> {
  const before = runIds(e2e.runsDir);
  const result = await e2e.hmsdr(['rehearse', '--yes']);
  expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
  const runId = newRunId(e2e.runsDir, before);
  lastRun = runId;
  const dir = join(e2e.runsDir, runId);
  return {
    runId,
    report: readFileSync(join(dir, 'report.md'), 'utf8'),
    summary: JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')),
  };
}

beforeAll(async () => {
  e2e = await startE2eLab({ name: 'exclusions', partitions: 12, databases: 1, tables: 4 });
  const first = e2e.lab.state.hdfs.dataPaths[0]!;
  const source = sideDir('source', first);
  mkdirSync(join(source, 'scratch'), { recursive: true });
  writeFileSync(join(source, 'scratch', 'a'), 'scratch file a\n');
  writeFileSync(join(source, 'scratch', 'b'), 'scratch file bb\n');
  writeFileSync(join(source, 'leftover.tmp'), 'temporary\n');
  setExclusions(['scratch(/.*)?', '.*\\.tmp']);
});

afterAll(async () => {
  await e2e?.down();
});

describe('data.exclude on the lab', () => {
  it('a rehearsal leaves the excluded directory and pattern out, passes L0–L6 and counts them per path', async () => {
    const { report, summary } = await rehearse();
    expect(summary.outcome).toBe('ok');
    expect(summary.ladder.map((r) => `${r.rung} ${r.status}`)).toEqual(
      ['L0', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6'].map((r) => `${r} passed`),
    );
    const first = e2e.lab.state.hdfs.dataPaths[0]!;
    const dr = sideDir('dr', first);
    expect(existsSync(join(dr, 'scratch'))).toBe(false);
    expect(existsSync(join(dr, 'leftover.tmp'))).toBe(false);
    // scratch/a (15 bytes), scratch/b (16 bytes) and leftover.tmp (10 bytes), on the first path only.
    expect(report).toContain(`excluded by data.exclude, not compared: ${first} 3 files, 41 bytes (DR: 0 files)`);
  });

  it('plan announces the full copy when the exclusions change; the next rehearsal copies the path in full and says why', async () => {
    setExclusions(['scratch(/.*)?']);
    const plan = await e2e.hmsdr(['plan']);
    expect(plan.exitCode, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/copy policy changed since hmsdr-\S+ \(.*exclu.*\): full copy/);
    const { report, summary } = await rehearse();
    expect(summary.outcome).toBe('ok');
    const first = e2e.lab.state.hdfs.dataPaths[0]!;
    const dr = sideDir('dr', first);
    expect(readFileSync(join(dr, 'leftover.tmp'), 'utf8')).toBe('temporary\n');
    expect(existsSync(join(dr, 'scratch'))).toBe(false);
    expect(report).toMatch(new RegExp(`- ${first}: copied in full: copy policy changed since hmsdr-\\S+ \\(.*exclu`));
    expect(report).toContain(`excluded by data.exclude, not compared: ${first} 2 files, 31 bytes (DR: 0 files)`);
  });

  it("standalone verify metastore and verify data give the run's verdicts on the same state", async () => {
    const summary = JSON.parse(readFileSync(join(e2e.runsDir, lastRun, 'summary.json'), 'utf8')) as {
      ladder: { rung: string; status: string }[];
    };
    const status = (rung: string) => summary.ladder.find((r) => r.rung === rung)?.status;
    expect([status('L3'), status('L4'), status('L5')]).toEqual(['passed', 'passed', 'passed']);
    const counts = join(e2e.runsDir, lastRun, 'stream-counts.json');
    for (const args of [
      ['verify', 'metastore', '--json'],
      ['verify', 'metastore', '--against', counts, '--json'],
      ['verify', 'data', '--json'],
    ]) {
      const result = await e2e.hmsdr(args);
      expect(result.exitCode, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ ok: true });
    }
  });
});
