// Benchmark: generate a metastore with N partitions, copy it (CREATE DATABASE … TEMPLATE), then
// time inspection of both + parity. node dist/scripts/bench-metastore.js --url postgres://postgres@127.0.0.1:5432/postgres [--partitions 1000000] [--reuse <db>]
import pg from 'pg';
import { labMetastoreDdl } from '../src/lab/metastore/ddl.js';
import { generateMetastore } from '../src/lab/metastore/generate.js';
import { inspectMetastore } from '../src/verify/metastore/inspect.js';
import { compareMetastores } from '../src/verify/metastore/parity.js';
import { parseBenchArgs } from './bench-args.js';

export interface BenchResult {
  partitions: number;
  generateMs: number | null;
  copyMs: number;
  inspectAndParityMs: number;
  parityOk: boolean;
  /** The generated (or reused) database, kept for --reuse. */
  database: string;
}

/** `url` points at a maintenance database (postgres); `reuse` skips generation. */
export async function benchMetastore(
  url: string,
  options: { partitions: number; hiveVersion?: '2.3.0' | '3.1.0' | '4.2.0'; reuse?: string },
): Promise<BenchResult> {
  const dbUrl = (db: string): string => {
    const u = new URL(url);
    u.pathname = `/${db}`;
    return u.toString();
  };
  const connect = async (db: string): Promise<pg.Client> => {
    const c = new pg.Client({ connectionString: dbUrl(db) });
    await c.connect();
    return c;
  };
  const admin = await connect(new URL(url).pathname.slice(1) || 'postgres');
  const source = options.reuse ?? `bench_src_${Date.now()}`;
  const copy = `${source}_copy`;
  let generateMs: number | null = null;
  try {
    if (!options.reuse) {
      await admin.query(`CREATE DATABASE ${source}`);
      const c = await connect(source);
      const t0 = Date.now();
      await c.query(labMetastoreDdl(options.hiveVersion ?? '3.1.0'));
      await generateMetastore(c, {
        databases: 20,
        tablesPerDatabase: 50,
        partitions: options.partitions,
        authority: 'hdfs://nn1.prod:8020',
      });
      generateMs = Date.now() - t0;
      await c.end();
    }
    await admin.query(`DROP DATABASE IF EXISTS ${copy}`);
    const t1 = Date.now();
    await admin.query(`CREATE DATABASE ${copy} TEMPLATE ${source}`);
    const copyMs = Date.now() - t1;
    const [a, b] = [await connect(source), await connect(copy)];
    const t2 = Date.now();
    const [s, t] = await Promise.all([inspectMetastore(a), inspectMetastore(b, { authorities: ['hdfs://old-nn:8020'] })]);
    const result = compareMetastores(s, t, { oldAuthorities: ['hdfs://old-nn:8020'] });
    const inspectAndParityMs = Date.now() - t2;
    await a.end();
    await b.end();
    await admin.query(`DROP DATABASE IF EXISTS ${copy}`);
    return { partitions: s.rowCounts.PARTITIONS ?? 0, generateMs, copyMs, inspectAndParityMs, parityOk: result.ok, database: source };
  } finally {
    await admin.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const values = parseBenchArgs(
    { url: { type: 'string' }, partitions: { type: 'string', default: '1000000' }, reuse: { type: 'string' } },
    `node dist/scripts/bench-metastore.js --url URL [options]    (after npm run build)
Generates a metastore of N partitions on the server at URL (a database it may create), copies it
(CREATE DATABASE … TEMPLATE), then times inspecting both and the L3 parity between them.
  --url URL          a superuser connection, e.g. postgres://postgres@127.0.0.1:5432/postgres (required)
  --partitions N     partitions to generate (default 1000000)
  --reuse DB         an already generated database: skip the generation
The generated database is kept for --reuse (its name is the output's "database"): drop it when done.
`,
    ['url'],
  );
  const result = await benchMetastore(values.url, {
    partitions: Number(values.partitions),
    ...(values.reuse ? { reuse: values.reuse } : {}),
  });
  process.stdout.write(JSON.stringify(result) + '\n');
}
