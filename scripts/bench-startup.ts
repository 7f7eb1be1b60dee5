// Start-up cost of the CLI as a monitoring agent, a pipe or a person meets it: `hmsdr --version`,
// `--help`, `rewrite --help`, `check`, `rewrite --map` on a tiny dump (and any other argv given),
// each alternating with the baseline `node -e ''` on the same machine, under GNU time; medians of
// user+sys CPU and the ratio.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNow, measure, stats, type Sample, type Stats } from './bench-rewrite.js';

const cliMain = join(resolve(fileURLToPath(import.meta.url), '../../..'), 'dist/src/cli/hmsdr.cjs');

/**
 * `CONFIG` is replaced by a config `hmsdr init` writes (check reads it, as NRPE's would). check
 * remembers a validated config (src/cli/check-config-cache.ts): `UNCACHED` runs it with a cache it
 * cannot use, as the first call after an edit or an upgrade meets it. `DUMP` is a complete dump of
 * one COPY block: rewrite's cost before and after the bytes.
 */
export const STARTUP_COMMANDS: readonly (readonly string[])[] = [
  ['--version'],
  ['--help'],
  ['rewrite', '--help'],
  ['check', '--config', 'CONFIG'],
  ['check', '--config', 'CONFIG', 'UNCACHED'],
  ['rewrite', '--map', 'hdfs://nn1.prod:8020=hdfs://nn1.dr:8020', '--in', 'DUMP'],
];

const TINY_DUMP = [
  'COPY public."SDS" ("SD_ID", "LOCATION") FROM stdin;',
  '1\thdfs://nn1.prod:8020/warehouse/t1',
  '\\.',
  '',
  '--',
  '-- PostgreSQL database dump complete',
  '--',
  '',
].join('\n');

/** Invocations per sample. */
const BATCH = 10;
/** `sh -c BATCH_LOOP sh <n> "<ok exit codes>" <argv…>`: run argv n times, stop at an exit code not in the list. */
const BATCH_LOOP =
  'n=$1; ok=$2; shift 2; i=0; while [ $i -lt $n ]; do "$@"; c=$?; case " $ok " in *" $c "*) ;; *) exit $c ;; esac; i=$((i+1)); done';

export interface StartupResult {
  command: string;
  cpu: Stats;
  wall: Stats;
  rssMb: Stats;
  /** Median CPU of this command ÷ median CPU of `node -e ''` (target ≤ 2). */
  cpuRatio: number;
}

export interface StartupBench {
  baseline: { cpu: Stats; wall: Stats; rssMb: Stats };
  commands: StartupResult[];
  runs: number;
  load: string;
}

export async function benchStartup(
  options: { runs?: number; commands?: readonly (readonly string[])[]; env?: NodeJS.ProcessEnv } = {},
): Promise<StartupBench> {
  const runs = options.runs ?? 10;
  const commands = options.commands ?? STARTUP_COMMANDS;
  const work = mkdtempSync(join(tmpdir(), 'hmsdr-bench-startup-'));
  const env = { ...process.env, XDG_CACHE_HOME: join(work, 'cache'), ...options.env };
  // A regular file where the cache directory would be: nothing is remembered, every call validates.
  const uncached = { ...env, XDG_CACHE_HOME: join(work, 'not-a-directory') };
  writeFileSync(uncached.XDG_CACHE_HOME, '');
  const timeFile = join(work, 'time');
  const config = join(work, 'hmsdr.yaml');
  const dump = join(work, 'tiny.sql');
  writeFileSync(dump, TINY_DUMP);
  // GNU time counts CPU in 10 ms steps, about half of `node -e ''`: each sample is the mean of a
  // batch of BATCH invocations (one shell loop under one GNU time), so a ratio near 2× is resolved.
  const run = async (argv: string[]): Promise<Sample> => {
    const ok = argv.includes('check') ? '0 2' : '0'; // no run yet: CRITICAL (2), the answer a fresh DR site gets
    const command = argv.filter((a) => a !== 'UNCACHED').map((a) => (a === 'CONFIG' ? config : a === 'DUMP' ? dump : a));
    const batch = await measure(
      ['sh', '-c', BATCH_LOOP, 'sh', String(BATCH), ok, ...command],
      '/dev/null',
      '/dev/null',
      argv.includes('UNCACHED') ? uncached : env,
      timeFile,
    );
    return { wall: batch.wall / BATCH, cpu: batch.cpu / BATCH, rssMb: batch.rssMb };
  };
  try {
    execFileSync(process.execPath, [cliMain, 'init', '-o', config], { stdio: 'ignore' });
    // One warm-up each (the page cache, and V8's compile cache on Node >= 22), not counted.
    await run([process.execPath, '-e', '']);
    for (const c of commands) await run([process.execPath, cliMain, ...c]);
    const baseline: Sample[] = [];
    const samples: Sample[][] = commands.map(() => []);
    for (let i = 0; i < runs; i++) {
      for (const [k, c] of commands.entries()) {
        baseline.push(await run([process.execPath, '-e', '']));
        samples[k]!.push(await run([process.execPath, cliMain, ...c]));
      }
    }
    const summarize = (s: Sample[]) => ({
      cpu: stats(s.map((x) => x.cpu)),
      wall: stats(s.map((x) => x.wall)),
      rssMb: stats(s.map((x) => x.rssMb)),
    });
    const base = summarize(baseline);
    return {
      baseline: base,
      commands: commands.map((c, k) => {
        const m = summarize(samples[k]!);
        return {
          command: `hmsdr ${c.join(' ').replace('CONFIG', 'hmsdr.yaml').replace(' UNCACHED', ' (not cached)')}`,
          ...m,
          cpuRatio: m.cpu.median / base.cpu.median,
        };
      }),
      runs,
      load: loadNow(),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const range = (s: Stats, digits = 3): string => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;

export function formatStartupBench(r: StartupBench): string {
  const lines = [
    `node ${process.version}, ${r.runs} alternating samples each (a sample: the mean of ${BATCH} invocations), load ${r.load}; CPU = user+sys seconds, median (min–max)`,
  ];
  lines.push(
    `  ${"node -e ''".padEnd(45)} CPU ${range(r.baseline.cpu)} s  wall ${range(r.baseline.wall)} s  RSS ${r.baseline.rssMb.median.toFixed(0)} MB`,
  );
  for (const c of r.commands) {
    lines.push(
      `  ${c.command.padEnd(45)} CPU ${range(c.cpu)} s  wall ${range(c.wall)} s  RSS ${c.rssMb.median.toFixed(0)} MB  = ${c.cpuRatio.toFixed(2)}× node's CPU (target ≤ 2×)`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`${formatStartupBench(await benchStartup({ runs: Number(process.argv[2] ?? 10) }))}\n`);
}
