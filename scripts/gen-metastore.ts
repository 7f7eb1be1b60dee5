// CLI: create (optionally) and fill a lab Hive metastore.
//   node dist/scripts/gen-metastore.js --url postgres://postgres@127.0.0.1:5432/hive --hive-version 3.1.0 \
//     --databases 10 --tables 50 --partitions 100000 --authority hdfs://nn1.prod:8020 [--create-schema]
import pg from 'pg';
import { labMetastoreDdl } from '../src/lab/metastore/ddl.js';
import { generateMetastore } from '../src/lab/metastore/generate.js';
import { isLabHiveVersion, LAB_HIVE_VERSIONS } from '../src/lab/metastore/versions.js';
import { parseBenchArgs } from './bench-args.js';

export interface GenCliOptions {
  url: string;
  hiveVersion?: string;
  createSchema: boolean;
  databases: number;
  tables: number;
  partitions: number;
  authority: string;
}

/** Load the lab DDL when asked (empty database), then generate. Prints one JSON line. */
export async function genMetastore(options: GenCliOptions): Promise<Record<string, unknown>> {
  const client = new pg.Client({ connectionString: options.url, application_name: 'hmsdr' });
  await client.connect();
  try {
    let ddlMs = 0;
    if (options.createSchema) {
      const version = options.hiveVersion ?? '';
      if (!isLabHiveVersion(version)) throw new Error(`--hive-version must be one of ${LAB_HIVE_VERSIONS.join(', ')}`);
      const t0 = Date.now();
      await client.query(`BEGIN; ${labMetastoreDdl(version)} COMMIT;`);
      ddlMs = Date.now() - t0;
    }
    const result = await generateMetastore(client, {
      databases: options.databases,
      tablesPerDatabase: options.tables,
      partitions: options.partitions,
      authority: options.authority,
    });
    return { ...result, ddlMs };
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const values = parseBenchArgs(
    {
      url: { type: 'string' },
      'hive-version': { type: 'string' },
      'create-schema': { type: 'boolean', default: false },
      databases: { type: 'string', default: '5' },
      tables: { type: 'string', default: '20' },
      partitions: { type: 'string', default: '1000' },
      authority: { type: 'string', default: 'hdfs://nn1.prod:8020' },
    },
    `node dist/scripts/gen-metastore.js --url URL [options]    (after npm run build)
Fills a lab Hive metastore (the database at URL) with generated databases, tables and partitions.
  --url URL            the metastore database, e.g. postgres://postgres@127.0.0.1:5432/hive (required)
  --hive-version V     the schema version: ${LAB_HIVE_VERSIONS.join(', ')}
  --create-schema      create the lab schema first (the database must be empty)
  --databases N        Hive databases (default 5)
  --tables N           tables per database (default 20)
  --partitions N       partitions in all (default 1000)
  --authority URI      the NameNode in every location (default hdfs://nn1.prod:8020)
`,
    ['url'],
  );
  const result = await genMetastore({
    url: values.url,
    hiveVersion: values['hive-version'],
    createSchema: values['create-schema'] ?? false,
    databases: Number(values.databases),
    tables: Number(values.tables),
    partitions: Number(values.partitions),
    authority: values.authority ?? '',
  });
  process.stdout.write(JSON.stringify(result) + '\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`gen-metastore: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
