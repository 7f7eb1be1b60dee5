// A small dump in pg_dump's plain format, for the build to run the rewriter on before it keeps V8's
// code cache of it (bundle-fast-paths.ts): the tables and columns a Hive 3.1 metastore's dump holds
// URIs and parameters in, and a large table without any, as the generated metastores of the
// benchmark have them. Rows enough to fill several of the rewriter's rounds.
const AUTHORITY = 'hdfs://nn1.prod:8020';
/** The rewrite the build runs on the dump: its authority to another, so that every URI column is rewritten. */
export const TRAINING_MAP = `${AUTHORITY}=hdfs://nn1.dr:8020`;
const WAREHOUSE = `${AUTHORITY}/warehouse/tablespace/managed/hive`;

const copy = (table: string, columns: readonly string[], rows: Iterable<string>): string =>
  [`COPY public."${table}" (${columns.map((c) => `"${c}"`).join(', ')}) FROM stdin;`, ...rows, '\\.', '', ''].join('\n');

function* range<T>(count: number, row: (i: number) => T): Generator<T> {
  for (let i = 1; i <= count; i++) yield row(i);
}

/** The dump's text, `partitions` partitions (each with its own storage descriptor and three parameters). */
export function trainingDump(partitions = 10_000): string {
  const db = (i: number) => `lab_db_${String(((i - 1) % 20) + 1).padStart(3, '0')}.db`;
  const table = (i: number) => `${WAREHOUSE}/${db(i)}/t_${String(i % 1000).padStart(4, '0')}`;
  return [
    '--\n-- PostgreSQL database dump\n--\n\n',
    "SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n\n",
    copy(
      'DBS',
      ['DB_ID', 'DESC', 'DB_LOCATION_URI', 'NAME', 'OWNER_NAME', 'OWNER_TYPE', 'CTLG_NAME'],
      range(20, (i) => `${i}\thmsdr lab database\t${AUTHORITY}/warehouse/tablespace/external/hive/${db(i)}\t${db(i)}\thive\tUSER\thive`),
    ),
    copy(
      'FUNC_RU',
      ['FUNC_ID', 'RESOURCE_TYPE', 'RESOURCE_URI', 'INTEGER_IDX'],
      range(6, (i) => `${i}\t1\t${AUTHORITY}/apps/udf/udf-${i}.jar\t0`),
    ),
    copy(
      'PARTITIONS',
      ['PART_ID', 'CREATE_TIME', 'LAST_ACCESS_TIME', 'PART_NAME', 'SD_ID', 'TBL_ID'],
      range(partitions, (i) => `${i}\t1796503556\t0\tdt=2020-01-01/hr=${String(i % 24).padStart(2, '0')}\t${i + 1000}\t${i % 1000}`),
    ),
    copy(
      'PARTITION_PARAMS',
      ['PART_ID', 'PARAM_KEY', 'PARAM_VALUE'],
      range(partitions * 3, (i) => `${Math.ceil(i / 3)}\t${['transient_lastDdlTime', 'numFiles', 'totalSize'][i % 3]}\t${1796503556 + i}`),
    ),
    copy(
      'SDS',
      [
        'SD_ID',
        'INPUT_FORMAT',
        'IS_COMPRESSED',
        'LOCATION',
        'NUM_BUCKETS',
        'OUTPUT_FORMAT',
        'SERDE_ID',
        'CD_ID',
        'IS_STOREDASSUBDIRECTORIES',
      ],
      range(
        partitions,
        (i) =>
          `${i}\torg.apache.hadoop.hive.ql.io.orc.OrcInputFormat\tf\t${table(i)}/dt=2020-01-01/hr=${i % 24}\t-1\torg.apache.hadoop.hive.ql.io.orc.OrcOutputFormat\t${i}\t${i % 1000}\tf`,
      ),
    ),
    copy(
      'SERDE_PARAMS',
      ['SERDE_ID', 'PARAM_KEY', 'PARAM_VALUE'],
      range(partitions, (i) => (i % 100 === 0 ? `${i}\tpath\t${table(i)}` : `${i}\tserialization.format\t1`)),
    ),
    copy(
      'SKEWED_COL_VALUE_LOC_MAP',
      ['SD_ID', 'STRING_LIST_ID_KID', 'LOCATION'],
      range(10, (i) => `${i}\t${i}\t${table(i)}/skew=${i}`),
    ),
    copy(
      'TABLE_PARAMS',
      ['TBL_ID', 'PARAM_KEY', 'PARAM_VALUE'],
      range(300, (i) => (i % 3 === 0 ? `${i}\tpath\t${table(i)}` : `${i}\ttransient_lastDdlTime\t1796503556`)),
    ),
    copy('VERSION', ['VER_ID', 'SCHEMA_VERSION', 'VERSION_COMMENT'], ['1\t3.1.0\tHive release version 3.1.0']),
    '--\n-- PostgreSQL database dump complete\n--\n\n',
  ].join('');
}
