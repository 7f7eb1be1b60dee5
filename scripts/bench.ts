// `npm run bench`: every benchmark side by side with its baseline, in one run, with peak memory.
//   rewriter vs GNU sed · inspection + parity of two metastores · hmsdr pipeline vs the hand-run procedure
// Sizes: --partitions N (default 1000000, the issues' figure); --quick uses 100000 for a look in a minute or two.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startPgCluster } from '../src/lab/pg-cluster.js';
import { benchMetastore } from './bench-metastore.js';
import { benchPipeline, formatPipelineBench } from './bench-pipeline.js';
import { benchRewrite } from './bench-rewrite.js';

const { values } = parseArgs({
  options: {
    partitions: { type: 'string' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
  },
});
const partitions = Number(values.partitions ?? (values.quick ? 100_000 : 1_000_000));
const selected = (name: string): boolean => !values.only || values.only.includes(name);
const log = (line: string): void => {
  process.stderr.write(`  ${line}\n`);
};
const results: Record<string, unknown> = { partitions, node: process.version, at: new Date().toISOString() };

if (selected('rewrite')) {
  process.stdout.write(`\n== rewriter vs GNU sed (${partitions} partitions) ==\n`);
  const r = await benchRewrite({ partitions, runs: values.quick ? 1 : 3, log });
  results.rewrite = r;
  process.stdout.write(
    `input ${(r.inputBytes / 1e6).toFixed(0)} MB · sed ${r.sed.mbPerSec.toFixed(0)} MB/s · hmsdr ${r.hmsdr.mbPerSec.toFixed(0)} MB/s · ` +
      `ratio ${r.ratio.toFixed(2)}x (target ≥ 1.0) · hmsdr peak RSS ${r.hmsdr.peakRssMb.toFixed(0)} MB (target < 150)\n`,
  );
}

if (selected('metastore')) {
  process.stdout.write(`\n== inspection + parity of two metastores (${partitions} partitions) ==\n`);
  const dir = mkdtempSync(join(tmpdir(), 'hmsdr-bench-pg-'));
  const cluster = await startPgCluster({ dir });
  try {
    const r = await benchMetastore(cluster.url(), { partitions });
    results.metastore = r;
    process.stdout.write(
      `generate ${((r.generateMs ?? 0) / 1000).toFixed(1)} s (target < 120 s at 1M) · inspection + parity ${(r.inspectAndParityMs / 1000).toFixed(2)} s (target < 10 s) · parity ${r.parityOk ? 'ok' : 'FAILED'}\n`,
    );
  } finally {
    cluster.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (selected('pipeline')) {
  process.stdout.write(`\n== hmsdr dump → restore → verify vs the hand-run procedure (${partitions} partitions) ==\n`);
  const r = await benchPipeline({ partitions, log });
  results.pipeline = r;
  process.stdout.write(formatPipelineBench(r) + '\n');
}

process.stdout.write(`\n${JSON.stringify(results)}\n`);
