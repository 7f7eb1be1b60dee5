// Benchmark: hmsdr's URI rewriter vs GNU sed on the same realistic pg_dump (≥ 500 MB, 1M+ partitions),
// same input file, same output device; prints MB/s, the ratio and hmsdr's peak RSS.
// Usage: node dist/scripts/bench-rewrite.js [--input dump.sql] [--partitions 1100000] [--out /dev/null] [--runs 1] [--keep]
import { spawn } from 'node:child_process';
import { closeSync, createReadStream, createWriteStream, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createRewriter } from '../src/rewrite/index.js';

export interface BenchOptions {
  /** Existing dump to use; otherwise one is generated into a temp dir. */
  input?: string;
  /** Partitions in the generated dump (each has an SDS row, params, key values). */
  partitions?: number;
  /** Output device/file for both tools (default /dev/null). */
  out?: string;
  /** Runs per tool; the best is reported. */
  runs?: number;
  /** Keep the generated dump. */
  keep?: boolean;
  from?: string;
  to?: string;
  log?: (line: string) => void;
}

export interface ToolResult {
  seconds: number;
  mbPerSec: number;
}

export interface BenchResult {
  input: string;
  inputBytes: number;
  generated: boolean;
  sed: ToolResult & { version: string; locale: string };
  hmsdr: ToolResult & { peakRssMb: number; rewrites: Record<string, number>; rows: number };
  /** hmsdr MB/s ÷ sed MB/s. */
  ratio: number;
  node: string;
  cpu: string;
}

const MB = 1024 * 1024;

/** Write a pg_dump plain-format Hive 3.1 metastore dump with `partitions` partitions; returns its size. */
export function generateDump(path: string, partitions: number, authority = 'hdfs://nn1.prod:8020'): number {
  const fd = openSync(path, 'w');
  let size = 0;
  const write = (text: string): void => {
    size += writeSync(fd, text);
  };
  const tablesPerDb = 50;
  const partsPerTable = 1000;
  const tables = Math.ceil(partitions / partsPerTable);
  const dbs = Math.ceil(tables / tablesPerDb);
  const sdOfTable = (t: number): number => t + 1;
  const sdOfPart = (p: number): number => tables + p + 1;
  write(
    '--\n-- PostgreSQL database dump\n--\n\n\\restrict bench0123456789abcdef\n\nSET statement_timeout = 0;\nSET client_encoding = \'UTF8\';\n' +
      'SET standard_conforming_strings = on;\n\n' +
      'CREATE TABLE public."SDS" (\n    "SD_ID" bigint NOT NULL,\n    "CD_ID" bigint,\n    "INPUT_FORMAT" character varying(4000) DEFAULT NULL::character varying,\n' +
      '    "IS_COMPRESSED" boolean NOT NULL,\n    "IS_STOREDASSUBDIRECTORIES" boolean NOT NULL,\n    "LOCATION" character varying(4000) DEFAULT NULL::character varying,\n' +
      '    "NUM_BUCKETS" bigint NOT NULL,\n    "OUTPUT_FORMAT" character varying(4000) DEFAULT NULL::character varying,\n    "SERDE_ID" bigint\n);\n\n',
  );
  const block = (header: string, rows: (emit: (line: string) => void) => void): void => {
    write(`COPY public.${header} FROM stdin;\n`);
    let batch: string[] = [];
    rows((line) => {
      batch.push(line);
      if (batch.length >= 20000) {
        write(batch.join('\n') + '\n');
        batch = [];
      }
    });
    if (batch.length > 0) write(batch.join('\n') + '\n');
    write('\\.\n\n\n');
  };
  block('"DBS" ("DB_ID", "DESC", "DB_LOCATION_URI", "NAME", "OWNER_NAME", "OWNER_TYPE", "CTLG_NAME")', (emit) => {
    for (let d = 0; d < dbs; d++) emit(`${d + 1}\tdatabase ${d}\t${authority}/warehouse/tablespace/external/hive/db_${d}.db\tdb_${d}\thive\tUSER\thive`);
  });
  block('"PARTITIONS" ("PART_ID", "CREATE_TIME", "LAST_ACCESS_TIME", "PART_NAME", "SD_ID", "TBL_ID")', (emit) => {
    for (let p = 0; p < partitions; p++) emit(`${p + 1}\t1700000000\t0\tdt=2024-01-${String((p % 28) + 1).padStart(2, '0')}/hour=${p % 24}/part_${p}\t${sdOfPart(p)}\t${Math.floor(p / partsPerTable) + 1}`);
  });
  block('"PARTITION_KEY_VALS" ("PART_ID", "PART_KEY_VAL", "INTEGER_IDX")', (emit) => {
    for (let p = 0; p < partitions; p++) {
      emit(`${p + 1}\t2024-01-${String((p % 28) + 1).padStart(2, '0')}\t0`);
      emit(`${p + 1}\t${p % 24}\t1`);
    }
  });
  block('"PARTITION_PARAMS" ("PART_ID", "PARAM_KEY", "PARAM_VALUE")', (emit) => {
    for (let p = 0; p < partitions; p++) {
      emit(`${p + 1}\tCOLUMN_STATS_ACCURATE\t{"BASIC_STATS":"true"}`);
      emit(`${p + 1}\tnumFiles\t${(p % 7) + 1}`);
      emit(`${p + 1}\ttotalSize\t${(p * 7919) % 100000000}`);
      emit(`${p + 1}\ttransient_lastDdlTime\t${1700000000 + p}`);
    }
  });
  block('"SDS" ("SD_ID", "CD_ID", "INPUT_FORMAT", "IS_COMPRESSED", "IS_STOREDASSUBDIRECTORIES", "LOCATION", "NUM_BUCKETS", "OUTPUT_FORMAT", "SERDE_ID")', (emit) => {
    const inFmt = 'org.apache.hadoop.hive.ql.io.orc.OrcInputFormat';
    const outFmt = 'org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat';
    for (let t = 0; t < tables; t++) {
      emit(`${sdOfTable(t)}\t${t + 1}\t${inFmt}\tf\tf\t${authority}/warehouse/tablespace/managed/hive/db_${Math.floor(t / tablesPerDb)}.db/table_${t}\t-1\t${outFmt}\t${sdOfTable(t)}`);
    }
    for (let p = 0; p < partitions; p++) {
      const t = Math.floor(p / partsPerTable);
      emit(
        `${sdOfPart(p)}\t${t + 1}\t${inFmt}\tf\tf\t${authority}/warehouse/tablespace/managed/hive/db_${Math.floor(t / tablesPerDb)}.db/table_${t}/dt=2024-01-${String((p % 28) + 1).padStart(2, '0')}/hour=${p % 24}/part_${p}\t-1\t${outFmt}\t${sdOfPart(p)}`,
      );
    }
  });
  block('"SERDES" ("SERDE_ID", "NAME", "SLIB", "DESCRIPTION", "SERIALIZER_CLASS", "DESERIALIZER_CLASS", "SERDE_TYPE")', (emit) => {
    for (let s = 0; s < tables + partitions; s++) emit(`${s + 1}\t\\N\torg.apache.hadoop.hive.ql.io.orc.OrcSerde\t\\N\t\\N\t\\N\t0`);
  });
  block('"SERDE_PARAMS" ("SERDE_ID", "PARAM_KEY", "PARAM_VALUE")', (emit) => {
    for (let s = 0; s < tables + partitions; s++) emit(`${s + 1}\tserialization.format\t1`);
  });
  block('"TABLE_PARAMS" ("TBL_ID", "PARAM_KEY", "PARAM_VALUE")', (emit) => {
    for (let t = 0; t < tables; t++) {
      emit(`${t + 1}\tEXTERNAL\tFALSE`);
      emit(`${t + 1}\tbucketing_version\t2`);
      emit(`${t + 1}\ttransactional\ttrue`);
      if (t % 10 === 0) emit(`${t + 1}\tavro.schema.url\t${authority}/schemas/table_${t}.avsc`);
    }
  });
  block('"TBLS" ("TBL_ID", "CREATE_TIME", "DB_ID", "LAST_ACCESS_TIME", "OWNER", "OWNER_TYPE", "RETENTION", "SD_ID", "TBL_NAME", "TBL_TYPE", "VIEW_EXPANDED_TEXT", "VIEW_ORIGINAL_TEXT", "IS_REWRITE_ENABLED")', (emit) => {
    for (let t = 0; t < tables; t++) emit(`${t + 1}\t1700000000\t${Math.floor(t / tablesPerDb) + 1}\t0\thive\tUSER\t0\t${sdOfTable(t)}\ttable_${t}\tMANAGED_TABLE\t\\N\t\\N\tf`);
  });
  block('"VERSION" ("VER_ID", "SCHEMA_VERSION", "VERSION_COMMENT")', (emit) => emit('1\t3.1.0\tHive release version 3.1.0'));
  write('\\unrestrict bench0123456789abcdef\n\n--\n-- PostgreSQL database dump complete\n--\n\n');
  closeSync(fd);
  return size;
}

interface ChildOutput {
  seconds: number;
  maxRssKb: number;
  rewrites: Record<string, number>;
  rows: number;
}

/** The measured side of hmsdr: runs in its own process so its RSS is its own. */
async function childMain(input: string, out: string, from: string, to: string): Promise<void> {
  const started = process.hrtime.bigint();
  const rewriter = createRewriter({ rules: [{ from, to }], parameterKeys: ['avro.schema.url', 'path'], allParameterKeys: false, maxValueLength: 4000 });
  await pipeline(createReadStream(input, { highWaterMark: 1 * MB }), rewriter, createWriteStream(out, { highWaterMark: 1 * MB }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const report = rewriter.report();
  const rows = Object.values(report.rowsPerTable).reduce((a, b) => a + b, 0);
  const result: ChildOutput = { seconds, maxRssKb: process.resourceUsage().maxRSS, rewrites: report.rewritesPerColumn, rows };
  process.stdout.write(JSON.stringify(result) + '\n');
}

function run(file: string, args: string[], stdoutPath?: string, env?: NodeJS.ProcessEnv): Promise<{ seconds: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const outFd = stdoutPath !== undefined ? openSync(stdoutPath, 'w') : undefined;
    const child = spawn(file, args, { stdio: ['ignore', outFd ?? 'pipe', 'inherit'], env: env ?? process.env });
    let stdout = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (outFd !== undefined) closeSync(outFd);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) reject(new Error(`${file} exited ${code}`));
      else resolve({ seconds, stdout });
    });
  });
}

/** Generate (or take) a dump and measure hmsdr's rewriter and GNU sed on it, side by side. */
export async function benchRewrite(opts: BenchOptions = {}): Promise<BenchResult> {
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const from = opts.from ?? 'hdfs://nn1.prod:8020';
  const to = opts.to ?? 'hdfs://nn1.dr:8020';
  const out = opts.out ?? '/dev/null';
  const runs = opts.runs ?? 1;
  let dir: string | undefined;
  let input = opts.input;
  if (input === undefined) {
    dir = mkdtempSync(join(tmpdir(), 'hmsdr-bench-'));
    input = join(dir, 'metastore.sql');
    const partitions = opts.partitions ?? 1_100_000;
    log(`generating ${partitions} partitions into ${input} ...`);
    const t0 = Date.now();
    generateDump(input, partitions, from);
    log(`generated ${(statSync(input).size / MB).toFixed(0)} MB in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  try {
    const inputBytes = statSync(input).size;
    const sedVersion = (await run('sed', ['--version'])).stdout.split('\n')[0] ?? 'sed';
    await run('cat', [input], '/dev/null'); // warm the page cache for both
    const self = fileURLToPath(import.meta.url);
    let sedBest = Infinity;
    let hmsdrBest: ChildOutput | undefined;
    for (let i = 0; i < runs; i++) {
      // C locale: GNU sed's fastest mode (byte-wise matching), so the comparison is conservative.
      const sed = await run('sed', [`s#${from}#${to}#g`, input], out, { ...process.env, LC_ALL: 'C' });
      sedBest = Math.min(sedBest, sed.seconds);
      log(`sed   run ${i + 1}: ${sed.seconds.toFixed(2)} s`);
      const child = await run(process.execPath, [self, '--child', input, out, from, to]);
      const parsed = JSON.parse(child.stdout) as ChildOutput;
      parsed.seconds = child.seconds; // wall time of the whole process, like sed's
      log(`hmsdr run ${i + 1}: ${parsed.seconds.toFixed(2)} s, peak RSS ${(parsed.maxRssKb / 1024).toFixed(0)} MB`);
      if (hmsdrBest === undefined || parsed.seconds < hmsdrBest.seconds) hmsdrBest = parsed;
    }
    const h = hmsdrBest as ChildOutput;
    const mbps = (seconds: number): number => inputBytes / MB / seconds;
    const { cpus } = await import('node:os');
    return {
      input,
      inputBytes,
      generated: dir !== undefined,
      sed: { seconds: sedBest, mbPerSec: mbps(sedBest), version: sedVersion, locale: 'C' },
      hmsdr: { seconds: h.seconds, mbPerSec: mbps(h.seconds), peakRssMb: h.maxRssKb / 1024, rewrites: h.rewrites, rows: h.rows },
      ratio: sedBest / h.seconds,
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
    };
  } finally {
    if (dir !== undefined && !opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}

function argValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    const [, input, out, from, to] = argv as [string, string, string, string, string];
    await childMain(input, out, from, to);
  } else {
    const result = await benchRewrite({
      input: argValue(argv, '--input'),
      partitions: argValue(argv, '--partitions') !== undefined ? Number(argValue(argv, '--partitions')) : undefined,
      out: argValue(argv, '--out'),
      runs: argValue(argv, '--runs') !== undefined ? Number(argValue(argv, '--runs')) : undefined,
      keep: argv.includes('--keep'),
    });
    const mb = (result.inputBytes / MB).toFixed(0);
    process.stdout.write(
      [
        `input            ${result.input} (${mb} MB${result.generated ? ', generated' : ''})`,
        `GNU sed          ${result.sed.seconds.toFixed(2)} s  ${result.sed.mbPerSec.toFixed(0)} MB/s  (${result.sed.version}, LC_ALL=C)`,
        `hmsdr rewrite    ${result.hmsdr.seconds.toFixed(2)} s  ${result.hmsdr.mbPerSec.toFixed(0)} MB/s  peak RSS ${result.hmsdr.peakRssMb.toFixed(0)} MB`,
        `ratio            ${result.ratio.toFixed(2)}x (hmsdr / sed throughput)`,
        `rows             ${result.hmsdr.rows}`,
        `rewrites         ${JSON.stringify(result.hmsdr.rewrites)}`,
        `node ${result.node} on ${result.cpu}`,
        '',
      ].join('\n'),
    );
  }
}
