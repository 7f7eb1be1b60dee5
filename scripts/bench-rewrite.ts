// Benchmark: `hmsdr rewrite` as users run it against GNU sed, on real pg_dump files of generated
// Hive metastores (see bench-rewrite-dumps.ts). For each dump, in one run, alternating with every
// other round reversed (sed, hmsdr | hmsdr, sed | …):
//   LC_ALL=C sed 's#OLD#NEW#g'                                   < dump > out
//   node dist/src/cli/hmsdr.cjs rewrite --map OLD=NEW             < dump > out
// each under GNU time (/usr/bin/time: user+sys CPU of the child, peak RSS; the wall time measured
// around it, to the millisecond), stdout to a file.
// A second, labelled line measures the rewriter in-process (file stream → createRewriter → file).
// Usage: node dist/scripts/bench-rewrite.js [--partitions 200000] [--large 1050000] [--versions 2.3.0,3.1.0,4.2.0]
//          [--runs 6] [--dumps DIR (reuse/keep dumps)] [--no-in-process]
//          [--compare-cli OTHER/dist/src/cli/hmsdr.cjs (another build of hmsdr, e.g. the last release, in the same alternation)]
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, createReadStream, createWriteStream, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createRewriter } from '../src/rewrite/index.js';
import { isLabHiveVersion } from '../src/lab/metastore/versions.js';
import { prepareDumps, type DumpCase, type PreparedDump } from './bench-rewrite-dumps.js';
import { parseBenchArgs } from './bench-args.js';
import { teardownOnSignal } from './bench-teardown.js';

export const OLD = 'hdfs://nn1.prod:8020';
export const NEW = 'hdfs://nn1.dr:8020';
const GNU_TIME = '/usr/bin/time';
const MB = 1e6;

export interface Sample {
  wall: number;
  cpu: number;
  /** Peak RSS of the child in MB; NaN without GNU time. */
  rssMb: number;
}

export interface Stats {
  median: number;
  min: number;
  max: number;
}

export interface ToolStats {
  tool: string;
  command: string;
  wall: Stats;
  cpu: Stats;
  rssMb: Stats;
  /** MB/s at the median wall time. */
  mbPerSec: number;
  samples: Sample[];
}

export interface CaseResult {
  dump: PreparedDump;
  sed: ToolStats;
  hmsdr: ToolStats;
  inProcess?: ToolStats;
  /** Another build of the CLI (--compare-cli), measured in the same alternation. */
  other?: ToolStats;
  /** hmsdr throughput ÷ sed throughput (median wall times). */
  ratio: number;
  /** sed CPU ÷ hmsdr CPU (medians). */
  cpuRatio: number;
  load: string;
}

export interface RewriteBenchOptions {
  /** Partitions of the ~100 MB dumps (200,000 ≈ 95 MB). */
  partitions?: number;
  /** Partitions of the large Hive 3.1 dump (1,050,000 ≈ 500 MB); 0 skips it. */
  large?: number;
  versions?: readonly DumpCase['hiveVersion'][];
  runs?: number;
  /** Keep and reuse dumps here (default: a temp dir removed afterwards). */
  dumps?: string;
  inProcess?: boolean;
  /** The executable of another build (hmsdr.cjs, or main.js before it), run like hmsdr in the same alternation. */
  compareCli?: string;
  log?: (line: string) => void;
}

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');
const cliMain = join(repoRoot, 'dist/src/cli/hmsdr.cjs');

export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number };
}

const hasGnuTime = (): boolean => existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', '%e', 'true'], { encoding: 'utf8' }).status === 0;

/** Run `argv` with stdin from `input` and stdout to `output`, under GNU time when installed; `okExit`: the codes that mean it worked. */
export function measure(
  argv: string[],
  input: string,
  output: string,
  env: NodeJS.ProcessEnv,
  timeFile: string,
  okExit: readonly number[] = [0],
): Promise<Sample> {
  const gnu = hasGnuTime();
  const [file, ...args] = gnu ? [GNU_TIME, '-f', '%U %S %M', '-o', timeFile, ...argv] : argv;
  return new Promise((resolveSample, reject) => {
    const inFd = openSync(input, 'r');
    const outFd = openSync(output, 'w');
    // Untimed: the outputs of the runs before (0.5 GB each at the large size) written back, so no
    // run shares the machine with the kernel's write-back of another's output.
    spawnSync('sync');
    const started = process.hrtime.bigint();
    const child = spawn(file as string, args, { stdio: [inFd, outFd, 'pipe'], env });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      closeSync(inFd);
      closeSync(outFd);
      if (code === null || !okExit.includes(code)) return reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      if (!gnu) return resolveSample({ wall, cpu: NaN, rssMb: NaN });
      // Wall from here (to the millisecond: GNU time's %e has 10 ms steps, 7 % of a 0.14 s run),
      // GNU time's own start included for every tool alike; CPU and RSS from GNU time.
      const [u, s, m] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number];
      resolveSample({ wall, cpu: u + s, rssMb: m / 1024 });
    });
  });
}

function toolStats(tool: string, command: string, samples: Sample[], bytes: number): ToolStats {
  const wall = stats(samples.map((s) => s.wall));
  return {
    tool,
    command,
    wall,
    cpu: stats(samples.map((s) => s.cpu)),
    rssMb: stats(samples.map((s) => s.rssMb)),
    mbPerSec: bytes / MB / wall.median,
    samples,
  };
}

export const loadNow = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Measure one dump: `runs` rounds of sed, hmsdr (and the in-process rewriter), every other one reversed. */
export async function benchRewriteDump(
  dump: PreparedDump,
  work: string,
  runs: number,
  inProcess: boolean,
  log: (line: string) => void,
  compareCli?: string,
): Promise<CaseResult> {
  const out = join(work, 'out.sql');
  const timeFile = join(work, 'time.txt');
  const sedArgv = ['sed', `s#${OLD}#${NEW}#g`];
  const hmsdrArgv = [process.execPath, cliMain, 'rewrite', '--map', `${OLD}=${NEW}`];
  const selfArgv = [process.execPath, fileURLToPath(import.meta.url), '--child', dump.path, out];
  const env = { ...process.env, LC_ALL: 'C' };
  spawnSync('cat', [dump.path], { stdio: ['ignore', 'ignore', 'ignore'] }); // warm the page cache
  const loads = [loadNow()];
  const otherArgv = compareCli === undefined ? undefined : [process.execPath, compareCli, 'rewrite', '--map', `${OLD}=${NEW}`];
  const samples: Record<'sed' | 'hmsdr' | 'inProcess' | 'other', Sample[]> = { sed: [], hmsdr: [], inProcess: [], other: [] };
  type Step = [tool: keyof typeof samples, argv: string[], input: string, output: string];
  const steps: Step[] = [
    ['sed', sedArgv, dump.path, out],
    ['hmsdr', hmsdrArgv, dump.path, out],
  ];
  if (otherArgv) steps.push(['other', otherArgv, dump.path, out]);
  if (inProcess) steps.push(['inProcess', selfArgv, '/dev/null', '/dev/null']);
  for (let i = 0; i < runs; i++) {
    // Every other round in reverse order (sed, hmsdr | hmsdr, sed | …): on a VM a run can pay
    // for the memory the run before it wrote (0.58 → 1.40 s for the same build right after sed,
    // docs/performance-rewrite.md), so no tool may always come first or always follow another.
    for (const [tool, argv, input, output] of i % 2 === 0 ? steps : [...steps].reverse()) {
      samples[tool].push(await measure(argv, input, output, env, timeFile));
    }
    const last = (k: keyof typeof samples): string => {
      const s = samples[k].at(-1);
      return s ? `${k} ${s.wall.toFixed(3)} s (cpu ${s.cpu.toFixed(2)} s, ${s.rssMb.toFixed(0)} MB)` : '';
    };
    log(`run ${i + 1}: ${[last('sed'), last('hmsdr'), last('other'), last('inProcess')].filter(Boolean).join(' · ')}`);
  }
  loads.push(loadNow());
  rmSync(out, { force: true });
  const sed = toolStats('GNU sed', `LC_ALL=C sed 's#${OLD}#${NEW}#g' < dump.sql > out.sql`, samples.sed, dump.bytes);
  const hmsdr = toolStats(
    'hmsdr rewrite',
    `node dist/src/cli/hmsdr.cjs rewrite --map ${OLD}=${NEW} < dump.sql > out.sql`,
    samples.hmsdr,
    dump.bytes,
  );
  const result: CaseResult = {
    dump,
    sed,
    hmsdr,
    ratio: sed.wall.median / hmsdr.wall.median,
    cpuRatio: sed.cpu.median / hmsdr.cpu.median,
    load: loads.join(' → '),
  };
  if (compareCli !== undefined)
    result.other = toolStats(
      'hmsdr (compared)',
      `node ${compareCli} rewrite --map ${OLD}=${NEW} < dump.sql > out.sql`,
      samples.other,
      dump.bytes,
    );
  if (inProcess)
    result.inProcess = toolStats(
      'in-process rewriter',
      'createReadStream → createRewriter → createWriteStream (one process, no CLI)',
      samples.inProcess,
      dump.bytes,
    );
  return result;
}

export async function benchRewrite(opts: RewriteBenchOptions = {}): Promise<CaseResult[]> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const partitions = opts.partitions ?? 200_000;
  const large = opts.large ?? 1_050_000;
  const cases: DumpCase[] = (opts.versions ?? ['2.3.0', '3.1.0', '4.2.0']).map((hiveVersion) => ({ hiveVersion, partitions }));
  if (large > 0) cases.push({ hiveVersion: '3.1.0', partitions: large });
  if (!existsSync(cliMain)) throw new Error(`${cliMain} not found: npm run build first`);
  const work = mkdtempSync(join(tmpdir(), 'hmsdr-bench-rewrite-'));
  const dumpsDir = opts.dumps ?? join(work, 'dumps');
  // The outputs (0.5 GB at the large size) and, without --dumps, the dumps: not left behind by an interrupted run.
  const guard = teardownOnSignal(`removing ${work}`);
  await guard.arm(async () => rmSync(work, { recursive: true, force: true }));
  try {
    const dumps = await prepareDumps(dumpsDir, cases, OLD, log);
    const results: CaseResult[] = [];
    for (const dump of dumps) {
      log(`${dump.path} (${(dump.bytes / MB).toFixed(0)} MB), load ${loadNow()}`);
      results.push(await benchRewriteDump(dump, work, opts.runs ?? 6, opts.inProcess ?? true, log, opts.compareCli));
    }
    return results;
  } finally {
    guard.release();
    rmSync(work, { recursive: true, force: true });
  }
}

const range = (s: Stats, digits: number, unit: string): string =>
  `${s.median.toFixed(digits)}${unit} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;

export function formatRewriteBench(results: readonly CaseResult[], runs: number): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(
      `Hive ${r.dump.hiveVersion}, ${r.dump.partitions} partitions, pg_dump ${(r.dump.bytes / MB).toFixed(0)} MB, ${runs} rounds (every other one reversed), load ${r.load}`,
    );
    lines.push(
      `  ${'tool'.padEnd(20)} ${'wall s median (min–max)'.padEnd(26)} ${'CPU s median (min–max)'.padEnd(24)} ${'MB/s'.padStart(5)}  peak RSS MB`,
    );
    for (const t of [r.sed, r.hmsdr, r.other, r.inProcess]) {
      if (!t) continue;
      lines.push(
        `  ${t.tool.padEnd(20)} ${range(t.wall, 3, '').padEnd(26)} ${range(t.cpu, 2, '').padEnd(24)} ${t.mbPerSec.toFixed(0).padStart(5)}  ${t.rssMb.max.toFixed(0)}`,
      );
    }
    lines.push(
      `  ratio hmsdr/sed throughput ${r.ratio.toFixed(2)}x (CPU: sed/hmsdr ${r.cpuRatio.toFixed(2)}x); the in-process line is the rewriter alone, not what users run`,
    );
    if (r.other)
      lines.push(
        `  compared build: ratio/sed ${(r.sed.wall.median / r.other.wall.median).toFixed(2)}x (CPU ${(r.sed.cpu.median / r.other.cpu.median).toFixed(2)}x): ${r.other.command}`,
      );
  }
  return lines.join('\n');
}

/** The in-process line: the rewriter alone in a child process, file to file. */
async function childMain(input: string, out: string): Promise<void> {
  const rewriter = createRewriter({
    rules: [{ from: OLD, to: NEW }],
    parameterKeys: ['avro.schema.url', 'path'],
    allParameterKeys: false,
    maxValueLength: 4000,
  });
  await pipeline(createReadStream(input, { highWaterMark: 1 << 20 }), rewriter, createWriteStream(out, { highWaterMark: 1 << 20 }));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv[2] === '--child') {
    await childMain(process.argv[3] as string, process.argv[4] as string);
  } else {
    const values = parseBenchArgs(
      {
        partitions: { type: 'string' },
        large: { type: 'string' },
        versions: { type: 'string' },
        runs: { type: 'string' },
        dumps: { type: 'string' },
        'no-in-process': { type: 'boolean', default: false },
        'compare-cli': { type: 'string' },
      },
      `node dist/scripts/bench-rewrite.js [options]    (after npm run build; npm run bench -- --only rewrite runs it too)
hmsdr rewrite as users run it (stdin → stdout file) against GNU sed on real pg_dump files of
generated metastores, alternating, every other round reversed; medians, CPU and peak RSS.
  --partitions N      partitions of each ~100 MB dump (default 200000)
  --large N           partitions of the large Hive 3.1 dump, 0 for none (default 1050000)
  --versions LIST     Hive versions of the ~100 MB dumps (default 2.3.0,3.1.0,4.2.0)
  --runs N            rounds per dump (default 6)
  --dumps DIR         keep the generated dumps in DIR and reuse them next time
  --no-in-process     leave out the second line (the rewriter in-process, not what users run)
  --compare-cli PATH  another build's dist/src/cli/hmsdr.cjs, measured in the same alternation
`,
    );
    const versions = values.versions?.split(',').map((v) => {
      if (!isLabHiveVersion(v)) throw new Error(`--versions: unknown Hive version ${v}`);
      return v;
    });
    const runs = Number(values.runs ?? 6);
    const results = await benchRewrite({
      ...(values.partitions ? { partitions: Number(values.partitions) } : {}),
      ...(values.large ? { large: Number(values.large) } : {}),
      ...(versions ? { versions } : {}),
      ...(values.dumps ? { dumps: values.dumps } : {}),
      runs,
      inProcess: !values['no-in-process'],
      ...(values['compare-cli'] ? { compareCli: resolve(values['compare-cli']) } : {}),
    });
    process.stdout.write(
      `${formatRewriteBench(results, runs)}\nnode ${process.version}, GNU time ${hasGnuTime() ? 'yes' : 'not installed (no CPU/RSS)'}\n`,
    );
  }
}
