// `npm run bench`: every benchmark side by side with its baseline, in one run, with peak memory.
//   CLI start-up vs `node -e ''` · rewriter vs GNU sed · inspection + parity of two metastores · hmsdr pipeline vs the hand-run procedure
//   · hmsdr's HDFS data path at field scale (hdfs: --sizes 100k,1M, --hdfs-budget seconds of real time per rung,
//     --hdfs-rungs snapshot-source,copy-data,L4,L5-lengths,L5-checksums; later rungs need the copy-data rung)
// Sizes: --partitions N (default 1000000, the issues' figure); --quick uses 100000 for a look in a minute or two.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBenchArgs } from './bench-args.js';
import { benchHdfs, formatHdfsBench, type Rung } from './bench-hdfs.js';
import { busyProcesses, formatBusy } from './bench-machine.js';
import { benchMetastore } from './bench-metastore.js';
import { benchPipeline, formatPipelineBench } from './bench-pipeline.js';
import { benchRewrite, formatRewriteBench } from './bench-rewrite.js';
import { benchStartup, formatStartupBench } from './bench-startup.js';
import { startGuardedCluster } from './bench-teardown.js';

const USAGE = `npm run bench -- [options]    (or: node dist/scripts/bench.js [options] after npm run build)
Every benchmark side by side with its baseline, in one run, with peak memory:
  startup    hmsdr --version, --help, rewrite --help, check, rewrite --map: CPU against node -e ''
  rewrite    hmsdr rewrite (stdin → stdout file) against GNU sed on real pg_dump files
             (Hive 2.3, 3.1, 4.2 at ~100 MB and Hive 3.1 at ~500 MB)
  metastore  generating a metastore, inspection and parity of two
  pipeline   dump → rewrite → SSH → restore → verify (staged, streamed, parallel)
             against the hand-run pg_dump, sed -i, scp, psql -f; 3 rounds, medians
  hdfs       the HDFS data path at field scale (synthetic namespace, cost model)

Options:
  --only NAME                one benchmark (repeatable); default: all
  --quick                    100,000 partitions, fewer runs: a look in a minute or two
  --partitions N             metastore and pipeline size (default 1000000)
  --rewrite-partitions N     partitions of each ~100 MB dump (default 200000)
  --rewrite-large N          partitions of the large dump, 0 for none (default 1050000)
  --rewrite-runs N           runs of each side per dump (default 6)
  --rewrite-dumps DIR        keep the generated dumps in DIR and reuse them next time
  --rewrite-compare-cli PATH also time another build's CLI entry on the same dumps
  --sizes LIST               hdfs: namespace sizes (default 100k,1M)
  --hdfs-budget SECONDS      hdfs: real time per rung (default 600)
  --hdfs-rungs LIST          hdfs: snapshot-source,copy-data,L4,L5-lengths,L5-checksums
`;
const values = parseBenchArgs(
  {
    partitions: { type: 'string' },
    'rewrite-partitions': { type: 'string' },
    'rewrite-large': { type: 'string' },
    'rewrite-runs': { type: 'string' },
    'rewrite-dumps': { type: 'string' },
    'rewrite-compare-cli': { type: 'string' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
    sizes: { type: 'string' },
    'hdfs-budget': { type: 'string' },
    'hdfs-rungs': { type: 'string' },
  },
  USAGE,
);
const unknown = (values.only ?? []).filter((name) => !['startup', 'rewrite', 'metastore', 'pipeline', 'hdfs'].includes(name));
if (unknown.length > 0) {
  process.stderr.write(`--only ${unknown.join(', ')}: no such benchmark\n\n${USAGE}`);
  process.exit(2);
}
const partitions = Number(values.partitions ?? (values.quick ? 100_000 : 1_000_000));
const selected = (name: string): boolean => !values.only || values.only.includes(name);
const log = (line: string): void => {
  process.stderr.write(`  ${line}\n`);
};
const results: Record<string, unknown> = { partitions, node: process.version, at: new Date().toISOString() };
// Another process on the CPU changes every figure: say so before measuring, and again at the end.
const busyBefore = await busyProcesses();
process.stdout.write(`${formatBusy(busyBefore, 'before the bench')}\n`);

if (selected('startup')) {
  process.stdout.write(`\n== CLI start-up vs node -e '' (CPU) ==\n`);
  const r = await benchStartup({ runs: values.quick ? 5 : 10 });
  results.startup = r;
  process.stdout.write(`${formatStartupBench(r)}\n`);
}

if (selected('rewrite')) {
  // Real pg_dump files of Hive 2.3/3.1/4.2 metastores (~100 MB each) and a large 3.1 one (~500 MB);
  // --quick: one 3.1 dump of 100,000 partitions. --rewrite-dumps DIR keeps and reuses the dumps.
  const rewritePartitions = Number(values['rewrite-partitions'] ?? (values.quick ? 100_000 : 200_000));
  const large = Number(values['rewrite-large'] ?? (values.quick ? 0 : 1_050_000));
  const runs = Number(values['rewrite-runs'] ?? (values.quick ? 4 : 6));
  process.stdout.write(`\n== hmsdr rewrite (the CLI, stdin → stdout file) vs GNU sed on real pg_dump files ==\n`);
  const r = await benchRewrite({
    partitions: rewritePartitions,
    large,
    runs,
    log,
    ...(values.quick ? { versions: ['3.1.0' as const] } : {}),
    ...(values['rewrite-dumps'] ? { dumps: values['rewrite-dumps'] } : {}),
    ...(values['rewrite-compare-cli'] ? { compareCli: values['rewrite-compare-cli'] } : {}),
  });
  results.rewrite = r.map((c) => ({
    ...c,
    sed: { ...c.sed, samples: undefined },
    hmsdr: { ...c.hmsdr, samples: undefined },
    inProcess: undefined,
  }));
  process.stdout.write(`${formatRewriteBench(r, runs)}\n(target: ratio ≥ 2x)\n`);
}

if (selected('metastore')) {
  process.stdout.write(`\n== inspection + parity of two metastores (${partitions} partitions) ==\n`);
  const dir = mkdtempSync(join(tmpdir(), 'hmsdr-bench-pg-'));
  const { cluster, teardown } = await startGuardedCluster({ dir }, "the metastore benchmark's server");
  try {
    const r = await benchMetastore(cluster.url(), { partitions });
    results.metastore = r;
    process.stdout.write(
      `generate ${((r.generateMs ?? 0) / 1000).toFixed(1)} s (target < 120 s at 1M) · inspection + parity ${(r.inspectAndParityMs / 1000).toFixed(2)} s (target < 10 s) · parity ${r.parityOk ? 'ok' : 'FAILED'}\n`,
    );
  } finally {
    teardown();
  }
}

if (selected('pipeline')) {
  process.stdout.write(`\n== hmsdr dump → restore → verify vs the hand-run procedure (${partitions} partitions) ==\n`);
  // Single runs vary by ±2 s at 1M partitions: three rounds, medians.
  const r = await benchPipeline({ partitions, log, rounds: values.quick ? 1 : 3 });
  results.pipeline = r;
  process.stdout.write(formatPipelineBench(r) + '\n');
}

if (selected('hdfs')) {
  // Synthetic namespace + cost model in `account` mode; --sizes 100k for a quick look.
  const sizes = (values.sizes ?? (values.quick ? '100k' : '100k,1M')).split(',').map((s) => s.trim());
  const budgetMs = Number(values['hdfs-budget'] ?? 600) * 1000;
  process.stdout.write(`\n== hmsdr data path at field scale: synthetic namespace, cost model (account) — ${sizes.join(', ')} ==\n`);
  const rungs = values['hdfs-rungs']?.split(',').map((s) => s.trim() as Rung);
  const r = await benchHdfs({ sizes, budgetMs, log, ...(rungs ? { rungs } : {}) });
  results.hdfs = r;
  process.stdout.write(
    `${formatHdfsBench(r)}\n(targets at 1M partitions / 10M files: L4 ≤ 5 min and L5 lengths ≤ 10 min modelled; peak RSS ≤ 300 MB; launches ≤ 20 per data path per rung)\n`,
  );
}

const busyAfter = await busyProcesses();
process.stdout.write(`\n${formatBusy(busyAfter, 'after the bench')}\n`);
results.busy = { before: busyBefore, after: busyAfter };
process.stdout.write(`\n${JSON.stringify(results)}\n`);
