// metrics.textfile: every family of docs/monitoring.md, in an exposition a strict parser accepts, for
// a complete run and for a failed one; written atomically and readable by node_exporter (0644).
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { at, completeRun, failedAtCopyRun, START, T0 } from '../../test/harness/report-runs.js';
import { parsePrometheusText } from '../../test/harness/prom-text.js';
import { lastSuccessOf, writeLastSuccess } from './freshness.js';
import { renderRunMetrics, writeRunMetrics } from './metrics.js';
import { renderExposition } from './prometheus.js';
import { buildRunSummary } from './summary.js';

const FAMILIES = [
  'hmsdr_last_run_timestamp_seconds',
  'hmsdr_last_success_timestamp_seconds',
  'hmsdr_recovery_point_timestamp_seconds',
  'hmsdr_rpo_seconds',
  'hmsdr_rto_seconds',
  'hmsdr_hive_downtime_seconds',
  'hmsdr_step_duration_seconds',
  'hmsdr_data_bytes_copied',
  'hmsdr_ladder_rung_passed',
  'hmsdr_exit_code',
];

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});
const temp = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'hmsdr-metrics-'));
  roots.push(dir);
  return dir;
};
const value = (families: ReturnType<typeof parsePrometheusText>, name: string, labels: Record<string, string> = {}): number | undefined =>
  families.get(name)?.samples.find((s) => JSON.stringify(s.labels) === JSON.stringify(labels))?.value;

describe('the Prometheus textfile', () => {
  it('a complete run: every family with HELP and TYPE, values in seconds and bytes', () => {
    const run = completeRun();
    roots.push(join(run.dir, '..'));
    const summary = buildRunSummary(run.dir);
    const families = parsePrometheusText(renderRunMetrics(summary, lastSuccessOf(summary, at(310))));
    for (const name of FAMILIES) {
      expect(families.get(name)?.help, name).toBeTruthy();
      expect(families.get(name)?.type, name).toBe('gauge');
    }
    expect(value(families, 'hmsdr_last_success_timestamp_seconds')).toBe((START + 310_000) / 1000);
    expect(value(families, 'hmsdr_recovery_point_timestamp_seconds')).toBe(Date.parse(T0) / 1000);
    expect(value(families, 'hmsdr_rto_seconds')).toBe(298);
    expect(value(families, 'hmsdr_hive_downtime_seconds')).toBe(92);
    expect(value(families, 'hmsdr_step_duration_seconds', { step: 'copy-data' })).toBe(120);
    expect(value(families, 'hmsdr_data_bytes_copied', { path: '/data/landing' })).toBe(1_073_741_824);
    expect(value(families, 'hmsdr_ladder_rung_passed', { rung: 'L5' })).toBe(1);
    expect(families.get('hmsdr_last_run_timestamp_seconds')!.samples).toHaveLength(1);
  });

  it('a failed run: its outcome and exit code, the last success kept, failed rungs absent or 0', () => {
    const run = failedAtCopyRun();
    roots.push(join(run.dir, '..'));
    const families = parsePrometheusText(renderRunMetrics(buildRunSummary(run.dir), undefined));
    expect(families.get('hmsdr_last_run_timestamp_seconds')!.samples[0]!.labels).toEqual({ outcome: 'failed-step' });
    expect(value(families, 'hmsdr_exit_code')).toBe(1);
    expect(families.get('hmsdr_last_success_timestamp_seconds')!.samples).toEqual([]);
    expect(families.get('hmsdr_rto_seconds')!.samples).toEqual([]);
    expect(value(families, 'hmsdr_ladder_rung_passed', { rung: 'L5' })).toBeUndefined();
  });

  it('escapes label values the way the format requires', () => {
    const text = renderExposition([
      { name: 'x_total', help: 'a \\ help\nline', type: 'gauge', samples: [{ labels: { path: '/a "b"\\c\nd' }, value: 1.5 }] },
    ]);
    expect(parsePrometheusText(text).get('x_total')!.samples[0]!.labels.path).toBe('/a "b"\\c\nd');
  });

  it('the strict parser refuses what a scrape refuses', () => {
    expect(() => parsePrometheusText('a 1')).toThrow(/newline/);
    expect(() => parsePrometheusText('# TYPE a gauge\n# TYPE a gauge\na 1\n')).toThrow(/second TYPE/);
    expect(() => parsePrometheusText('a{b="1"} 1\nc 2\na{b="2"} 3\n')).toThrow(/not contiguous/);
    expect(() => parsePrometheusText('a{b="\\x"} 1\n')).toThrow(/escape/);
    expect(() => parsePrometheusText('a 1\na 2\n')).toThrow(/duplicate/);
    expect(() => parsePrometheusText('a one\n')).toThrow(/invalid value/);
  });

  it('writeRunMetrics: the configured path (relative to the config file), atomically, mode 0644, nothing when not configured', () => {
    const dir = temp();
    const run = completeRun();
    roots.push(join(run.dir, '..'));
    const summary = buildRunSummary(run.dir);
    writeLastSuccess(dir, lastSuccessOf(summary, at(310)));
    expect(writeRunMetrics({ file: join(dir, 'hmsdr.yaml') }, dir, summary)).toBeUndefined();
    const path = writeRunMetrics({ file: join(dir, 'hmsdr.yaml'), metrics: { textfile: 'hmsdr.prom' } }, dir, summary)!;
    expect(path).toBe(join(dir, 'hmsdr.prom'));
    expect(statSync(path).mode & 0o777).toBe(0o644 & ~process.umask());
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(value(parsePrometheusText(readFileSync(path, 'utf8')), 'hmsdr_last_success_timestamp_seconds')).toBe((START + 310_000) / 1000);
  });
});
