// Summaries of run directories written by a real rehearsal (test/fixtures/run-dirs): today's ledger
// format must stay readable, and the summary must stay what the version that ran wrote.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../config/load.js';
import { canonicalRunbook } from '../steps/index.js';
import { titlesOf, type RunSummary } from './model.js';
import { buildRunSummary } from './summary.js';
import { writeReports } from './write.js';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/run-dirs');
const RUNS = ['staged-20261202t003939', 'parallel-20261202t004004'];
const titles = titlesOf(canonicalRunbook({} as ResolvedConfig));
const stored = (run: string): RunSummary => JSON.parse(readFileSync(join(FIXTURES, run, 'summary.json'), 'utf8')) as RunSummary;

/** files expected/skipped/failed/deleted of one path, as that run's copy-data recorded them. */
function countersOf(run: string, source: string, target: string): Record<string, number | null> {
  const state = JSON.parse(readFileSync(join(FIXTURES, run, 'state.json'), 'utf8'));
  const paths = (state.steps['copy-data']?.output?.paths ?? []) as Array<Record<string, unknown>>;
  const done = paths.find((p) => p['source'] === source && p['target'] === target) ?? {};
  const field = (k: string): number | null => (typeof done[k] === 'number' ? (done[k] as number) : null);
  return {
    filesExpected: field('filesExpected'),
    filesSkipped: field('filesSkipped'),
    filesFailed: field('filesFailed'),
    filesDeleted: field('filesDeleted'),
  };
}

const temp: string[] = [];
afterEach(() => {
  for (const dir of temp.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe.each(RUNS)('a run directory written by a real rehearsal: %s', (run) => {
  it("builds the summary that version wrote, with the steps' own titles as labels", () => {
    const before = stored(run);
    const summary = buildRunSummary(join(FIXTURES, run), { now: new Date(before.generatedAt), titles });
    expect(summary.outcome).toBe('ok');
    expect(summary.ladder.map((r) => r.status)).toEqual(Array(7).fill('passed'));
    // The labels came from a second table of names; they are the steps' titles now. Nothing else changed.
    expect(summary.steps.map((s) => s.label)).toEqual(summary.steps.map((s) => titles[s.id]));
    // And per path, the copy engine's `passes` (that version called them `distcpRuns`).
    const data = before.data && {
      ...before.data,
      paths: before.data.paths.map(
        ({
          distcpRuns,
          ...p
        }: RunSummary['data'] extends infer D ? (D extends { paths: (infer P)[] } ? P & { distcpRuns?: number } : never) : never) => ({
          ...p,
          passes: distcpRuns ?? 0,
          // The copy engine's counters, kept in the summary since (from that run's copy-data output).
          ...countersOf(run, p.source, p.target),
        }),
      ),
    };
    // A rehearsal's resume command now carries --yes (it was started unattended).
    // Shared reports name the config file, not its absolute path (that version printed the path).
    const byName = (text: string) => text.replace(/--config [^\s`]*\/([^/\s`]+)/g, '--config $1');
    const resumeCommand = byName(before.resumeCommand.replace(/^hmsdr resume (\S+)/, 'hmsdr resume $1 --yes'));
    // Each warning once, with the steps that saw it: that version listed the two left-alone facts once per step.
    const warnings = before.warnings
      .filter((w) => w.step === 'dump-metastore')
      .map((w) => ({ ...w, steps: ['dump-metastore', 'verify-staging', 'verify-live'] }));
    expect(summary.warnings).toHaveLength(2);
    // Reports show the config by name and sha256 (the run's configHash), not by its absolute path.
    const configSha256 = JSON.parse(readFileSync(join(FIXTURES, run, 'state.json'), 'utf8')).configHash;
    expect(summary).toEqual({
      ...before,
      data,
      resumeCommand,
      rollbackCommand: byName(before.rollbackCommand),
      configFile: basename(before.configFile ?? ''),
      next: before.next.map(byName),
      warnings,
      configSha256,
      steps: before.steps.map((s) => ({ ...s, label: titles[s.id], probeMs: null })), // probe times were not recorded then
    });
  });

  it('renders all three reports from it', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hmsdr-fixture-run-')), run);
    temp.push(join(dir, '..'));
    cpSync(join(FIXTURES, run), dir, { recursive: true });
    const written = writeReports(dir, { titles });
    expect(readFileSync(written.markdownPath, 'utf8')).toContain(': OK');
    expect(readFileSync(written.htmlPath, 'utf8')).toContain(titles['dump-metastore']);
  });
});

it("reads the parallel transfer's dump-metastore output", () => {
  const summary = buildRunSummary(join(FIXTURES, 'parallel-20261202t004004'), { titles });
  expect(summary.metastore?.transfer).toMatch(/^parallel: 2 workers, \d+ table streams, snapshot /);
  expect(summary.metastore?.stagedPath).toBeNull();
});
