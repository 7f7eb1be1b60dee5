// Parallel transfer schema sections against a real server: real pg_dump pre-data / post-data of
// the upstream Hive 3.1.0 schema, replayed by parseDumpScript + applyDumpScript{Serial,Parallel}.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignKeyInTwoSteps, parseDumpScript, type DumpEntry, type DumpScript } from '../../src/transfer/parallel/dump-script.js';
import {
  applyDumpScriptParallel,
  applyDumpScriptSerial,
  DumpEntryError,
  heldTables,
  ORDERED_BY_KEY,
  type ApplyProgress,
} from '../../src/transfer/parallel/post-data.js';
import { startTestPg, type PgCluster } from '../harness/postgres.js';
import { hiveSchemaFile } from '../harness/hive-schemas.js';

const HIVE_SCHEMA = hiveSchemaFile('3.1.0');
const SOURCE = 'hive_src';

let cluster: PgCluster;
let preData: DumpScript;
let postData: DumpScript;
let data: string;
const opened: pg.Client[] = [];

function run(program: string, args: string[], input?: string): string {
  return execFileSync(join(cluster.binDir, program), args, {
    encoding: 'utf8',
    input,
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

const psql = (db: string, args: string[], input?: string): string =>
  run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', cluster.url(db), ...args], input);
const pgDump = (db: string, section: string): string =>
  run('pg_dump', ['--format=plain', '--no-owner', '--no-privileges', `--section=${section}`, '-d', cluster.url(db)]);

async function connect(db: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: cluster.url(db) });
  await client.connect();
  opened.push(client);
  return client;
}

async function createDatabase(name: string): Promise<void> {
  const admin = await connect('postgres');
  await admin.query(`CREATE DATABASE ${name}`);
}

/** A target holding the source's tables and rows, without its post-data (what the transfer does before post-data). */
async function targetWithData(name: string): Promise<pg.Client> {
  await createDatabase(name);
  const client = await connect(name);
  await applyDumpScriptSerial(preData, client);
  psql(name, [], data);
  return client;
}

interface Ran {
  sql: string;
  start: number;
  end: number;
}

/** Record when each query ran on the client, as seen by the caller. */
function recordQueries(client: pg.Client, log: Ran[]): pg.Client {
  const query = client.query.bind(client) as (sql: string, values?: unknown[]) => Promise<unknown>;
  (client as unknown as { query: typeof query }).query = async (sql, values) => {
    const start = performance.now();
    try {
      return await query(sql, values);
    } finally {
      log.push({ sql, start, end: performance.now() });
    }
  };
  return client;
}

/** Each statement an entry runs, to its entry: as printed, or a foreign key's two steps. */
function entriesBySql(entries: DumpEntry[]): Map<string, DumpEntry> {
  const bySql = new Map<string, DumpEntry>();
  for (const e of entries) {
    const steps = foreignKeyInTwoSteps(e);
    for (const sql of steps ? [steps.add, steps.validate] : [e.sql]) bySql.set(sql, e);
  }
  return bySql;
}

async function connectRecorded(db: string, n: number, log: Ran[]): Promise<pg.Client[]> {
  return Promise.all(Array.from({ length: n }, async () => recordQueries(await connect(db), log)));
}

/** Pairs of entries that held a common table and ran at the same time (must be none). */
function overlaps(log: Ran[], entries: DumpEntry[]): string[] {
  const bySql = entriesBySql(entries);
  const ran = log.flatMap((r) => {
    const entry = bySql.get(r.sql);
    return entry ? [{ ...r, entry }] : [];
  });
  const found: string[] = [];
  for (const [i, a] of ran.entries()) {
    for (const b of ran.slice(i + 1)) {
      const held = (e: DumpEntry): readonly string[] => heldTables(e.tables, foreignKeyInTwoSteps(e));
      const shared = held(a.entry).some((t) => held(b.entry).includes(t));
      if (shared && a.start < b.end && b.start < a.end) found.push(`${a.entry.name} / ${b.entry.name}`);
    }
  }
  return found;
}

/** Most entries running at once. */
function maxConcurrency(log: Ran[], entries: DumpEntry[]): number {
  const sqls = entriesBySql(entries);
  const ran = log.filter((r) => sqls.has(r.sql));
  return Math.max(0, ...ran.map((r) => ran.filter((o) => o.start <= r.start && r.start < o.end).length));
}

interface Catalog {
  constraints: string[];
  indexes: string[];
  invalidIndexes: number;
  columns: string[];
}

/** Read on a fresh connection: definitions print names relative to the search_path. */
async function catalog(db: string): Promise<Catalog> {
  const client = await connect(db);
  const constraints = await client.query<{ c: string }>(
    `SELECT conrelid::regclass::text || ' ' || conname || ' ' || contype::text || ' ' || pg_get_constraintdef(oid) AS c
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1`,
  );
  const indexes = await client.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`);
  const invalid = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_index WHERE NOT indisvalid`);
  const columns = await client.query<{ c: string }>(
    `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS c
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1`,
  );
  return {
    constraints: constraints.rows.map((r) => r.c),
    indexes: indexes.rows.map((r) => r.indexdef),
    invalidIndexes: invalid.rows[0]?.n ?? -1,
    columns: columns.rows.map((r) => r.c),
  };
}

/** Queries other than the caller's own running in `db` (none once an apply has settled). */
async function activeQueries(db: string): Promise<string[]> {
  const admin = await connect('postgres');
  const { rows } = await admin.query<{ query: string }>(
    `SELECT query FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND state <> 'idle' AND pid <> pg_backend_pid()`,
    [db],
  );
  return rows.map((r) => r.query);
}

async function expectUsable(clients: pg.Client[]): Promise<void> {
  for (const client of clients) {
    const { rows } = await client.query<{ one: number }>('SELECT 1 AS one');
    expect(rows).toEqual([{ one: 1 }]);
  }
}

beforeAll(async () => {
  cluster = await startTestPg('parallel-post-data');
  await createDatabase(SOURCE);
  psql(SOURCE, ['-f', HIVE_SCHEMA]);
  psql(
    SOURCE,
    [],
    `
    INSERT INTO "CDS" VALUES (1), (2);
    INSERT INTO "COLUMNS_V2" VALUES (1, 'a column', 'c1', 'string', 0), (1, NULL, 'c2', 'int', 1), (2, NULL, 'c1', 'bigint', 0);
    INSERT INTO "DBS" ("DB_ID", "DESC", "DB_LOCATION_URI", "NAME", "OWNER_NAME", "OWNER_TYPE", "CTLG_NAME")
      VALUES (1, 'Default Hive database', 'hdfs://nn1:8020/warehouse', 'default', 'public', 'ROLE', 'hive');
  `,
  );
  preData = parseDumpScript(pgDump(SOURCE, 'pre-data'));
  postData = parseDumpScript(pgDump(SOURCE, 'post-data'));
  data = pgDump(SOURCE, 'data');
});

afterAll(async () => {
  await Promise.allSettled(opened.map((c) => c.end()));
  cluster?.destroy();
});

describe('parallel post-data of a real Hive 3.1.0 pg_dump', () => {
  it('parses the real pg_dump output into the expected entries', () => {
    const types = (s: DumpScript): Record<string, number> =>
      Object.fromEntries([...new Set(s.entries.map((e) => e.type))].map((t) => [t, s.entries.filter((e) => e.type === t).length]));
    expect(types(preData)).toEqual({ TABLE: 74, SEQUENCE: 1, 'SEQUENCE OWNED BY': 1, DEFAULT: 1 });
    expect(types(postData)).toEqual({ CONSTRAINT: 81, INDEX: 48, 'FK CONSTRAINT': 52 });
    expect(postData.preamble).toContain("SELECT pg_catalog.set_config('search_path', '', false);");
    const fk = postData.entries.find((e) => e.name === 'COLUMNS_V2 COLUMNS_V2_CD_ID_fkey');
    expect(fk?.tables).toEqual(['public."COLUMNS_V2"', 'public."CDS"']);
    for (const e of postData.entries) expect(e.tables.length).toBeGreaterThan(0);
  });

  it('rebuilds the same tables, constraints and indexes as the source, on 3 connections', async () => {
    const target = await targetWithData('hive_dst');
    const log: Ran[] = [];
    const clients = await connectRecorded('hive_dst', 3, log);
    const progress: ApplyProgress[] = [];
    const result = await applyDumpScriptParallel(postData, clients, { onProgress: (p) => progress.push(p) });

    const [want, got] = [await catalog(SOURCE), await catalog('hive_dst')];
    expect(got.columns).toEqual(want.columns);
    expect(got.constraints).toEqual(want.constraints);
    expect(got.indexes).toEqual(want.indexes);
    expect(want.constraints.filter((c) => / f FOREIGN KEY /.test(c))).toHaveLength(52);
    expect(got.invalidIndexes).toBe(0);
    const rows = await target.query<{ n: number }>('SELECT count(*)::int AS n FROM public."COLUMNS_V2"');
    expect(rows.rows[0]?.n).toBe(3);

    expect(result.entries).toBe(postData.entries.length);
    expect(result.byType).toEqual({ CONSTRAINT: 81, INDEX: 48, 'FK CONSTRAINT': 52 });
    expect(result.phases.map((p) => [p.name, p.entries])).toEqual([
      ['keys, indexes and foreign keys', 181],
      ['after foreign keys', 0],
    ]);
    expect(progress.map((p) => p.done)).toEqual(postData.entries.map((_, i) => i + 1));
    expect(progress.every((p) => p.total === postData.entries.length && p.running.length < 3)).toBe(true);
    expect(progress.at(-1)?.running).toEqual([]);

    // Really parallel, yet never two entries on a common table at once; the preamble ran on each connection.
    expect(maxConcurrency(log, postData.entries)).toBe(3);
    expect(overlaps(log, postData.entries)).toEqual([]);
    expect(log.filter((r) => r.sql === postData.preamble.join('\n'))).toHaveLength(3);
    // A foreign key only started once every key and index of its tables was built.
    const bySql = entriesBySql(postData.entries);
    const ranOf = (fk: boolean): Ran[] => log.filter((r) => bySql.has(r.sql) && (bySql.get(r.sql)?.type === 'FK CONSTRAINT') === fk);
    expect(ranOf(false)).toHaveLength(129);
    const early = ranOf(true).flatMap((fk) => {
      const tables = bySql.get(fk.sql)?.tables ?? [];
      const before = ranOf(false).filter((r) => bySql.get(r.sql)?.tables.some((t) => tables.includes(t)) && r.end > fk.start);
      return before.map((r) => `${bySql.get(fk.sql)?.name} before ${bySql.get(r.sql)?.name}`);
    });
    expect(early).toEqual([]);
    // Every foreign key in two steps (ADD … NOT VALID, then VALIDATE), validated in the end (the catalog above).
    expect(ranOf(true).filter((r) => / NOT VALID;$/.test(r.sql))).toHaveLength(52);
    expect(ranOf(true).filter((r) => /VALIDATE CONSTRAINT/.test(r.sql))).toHaveLength(52);
    await expectUsable(clients);
  });

  it('a failing PRIMARY KEY rejects naming the constraint, after the running entries settled', async () => {
    const target = await targetWithData('hive_dup');
    await target.query('INSERT INTO public."CDS" VALUES (1)'); // duplicate key: "CDS_pkey" cannot be built
    const clients = await connectRecorded('hive_dup', 3, []);

    const error = await applyDumpScriptParallel(postData, clients).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DumpEntryError);
    expect((error as Error).message).toMatch(/^post-data CONSTRAINT "CDS CDS_pkey" failed: could not create unique index "CDS_pkey"/);
    expect((error as DumpEntryError).entry?.name).toBe('CDS CDS_pkey');
    expect(((error as Error).cause as { code?: string }).code).toBe('23505');

    expect(await activeQueries('hive_dup')).toEqual([]);
    await expectUsable(clients);
    const fks = await target.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f'`);
    expect(fks.rows[0]?.n).toBe(0); // no foreign key started
  });

  it('an abort stops handing out entries and rejects with the signal reason', async () => {
    await targetWithData('hive_abort');
    const clients = await connectRecorded('hive_abort', 3, []);
    const controller = new AbortController();
    const reason = new Error('operator pressed Ctrl-C');
    let done = 0;
    const onProgress = (p: ApplyProgress): void => {
      done = p.done;
      if (p.done === 5) controller.abort(reason);
    };

    await expect(applyDumpScriptParallel(postData, clients, { signal: controller.signal, onProgress })).rejects.toBe(reason);
    expect(done).toBeGreaterThanOrEqual(5);
    expect(done).toBeLessThanOrEqual(7); // at most the two entries already running finished
    expect(await activeQueries('hive_abort')).toEqual([]);
    await expectUsable(clients);
    await expect(applyDumpScriptSerial(preData, clients[0] as pg.Client, { signal: controller.signal })).rejects.toBe(reason);
  });
});

describe('foreign keys in opposite directions', () => {
  // Each FK entry first locks its own table, waits, then adds the FK (locking the other table too):
  // run at the same time, a→b and b→a deadlock for sure.
  const fkEntry = (from: string, to: string): string => `--
-- Name: ${from} ${from}_${to}_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

LOCK TABLE public.${from} IN SHARE ROW EXCLUSIVE MODE;
SELECT pg_sleep(0.4);
ALTER TABLE ONLY public.${from}
    ADD CONSTRAINT ${from}_${to}_fkey FOREIGN KEY (${to}_id) REFERENCES public.${to}(id);

`;
  const pkEntry = (table: string): string => `--
-- Name: ${table} ${table}_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.${table}
    ADD CONSTRAINT ${table}_pkey PRIMARY KEY (id);

`;
  const PRE = `SET client_min_messages = warning;
SELECT pg_catalog.set_config('search_path', '', false);

--
-- Name: a; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.a (id integer NOT NULL, b_id integer);
INSERT INTO public.a VALUES (1, 1);

--
-- Name: b; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.b (id integer NOT NULL, a_id integer);
INSERT INTO public.b VALUES (1, 1);
`;
  const POST = `SET lock_timeout = 0;\n\n${pkEntry('a')}${pkEntry('b')}${fkEntry('a', 'b')}${fkEntry('b', 'a')}`;

  it('the hand-written entries do deadlock when run at the same time (control)', async () => {
    await createDatabase('fk_control');
    const setup = await connect('fk_control');
    const pre = parseDumpScript(PRE);
    await applyDumpScriptSerial(pre, setup);
    const post = parseDumpScript(POST);
    await applyDumpScriptParallel({ preamble: post.preamble, entries: post.entries.filter((e) => e.type === 'CONSTRAINT') }, [setup]);
    const [ab, ba] = post.entries.filter((e) => e.type === 'FK CONSTRAINT');
    const [c1, c2] = [await connect('fk_control'), await connect('fk_control')];
    const results = await Promise.allSettled([c1.query(ab?.sql ?? ''), c2.query(ba?.sql ?? '')]);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failures.map((f) => (f.reason as { code?: string }).code)).toEqual(['40P01']); // deadlock detected
  });

  it('a foreign key printed before the key it references still waits for that key to be built', async () => {
    await createDatabase('fk_order');
    await applyDumpScriptSerial(parseDumpScript(PRE), await connect('fk_order'));
    const fk = `--
-- Name: a a_b_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.a
    ADD CONSTRAINT a_b_fkey FOREIGN KEY (b_id) REFERENCES public.b(id);

`;
    // The key of b is slow to build: a foreign key started at once would find no unique key on b.
    const slowKey = pkEntry('b').replace('ALTER TABLE', 'SELECT pg_sleep(0.3);\nALTER TABLE');
    const post = parseDumpScript(`SET lock_timeout = 0;\n\n${fk}${pkEntry('a')}${slowKey}`);
    expect(post.entries.map((e) => e.type)).toEqual(['FK CONSTRAINT', 'CONSTRAINT', 'CONSTRAINT']);
    const clients = await connectRecorded('fk_order', 3, []);

    const result = await applyDumpScriptParallel(post, clients);
    expect(result.phases.map((p) => [p.name, p.entries])).toEqual([
      ['keys, indexes and foreign keys', 3],
      ['after foreign keys', 0],
    ]);
    const { rows } = await (clients[0] as pg.Client).query<{ conname: string }>(
      `SELECT conname FROM pg_constraint WHERE contype = 'f' AND convalidated`,
    );
    expect(rows.map((r) => r.conname)).toEqual(['a_b_fkey']);
  });

  it('never runs them together, so both are created without a deadlock', async () => {
    await createDatabase('fk_cycle');
    const pre = parseDumpScript(PRE);
    const post = parseDumpScript(POST);
    expect(post.entries.find((e) => e.name === 'a a_b_fkey')?.tables).toEqual(['public.a', 'public.b']);
    expect(post.entries.find((e) => e.name === 'b b_a_fkey')?.tables).toEqual(['public.b', 'public.a']);
    await applyDumpScriptSerial(pre, await connect('fk_cycle'));
    const log: Ran[] = [];
    const clients = await connectRecorded('fk_cycle', 3, log);

    const result = await applyDumpScriptParallel(post, clients);
    expect(result.byType).toEqual({ CONSTRAINT: 2, 'FK CONSTRAINT': 2 });
    expect(overlaps(log, post.entries)).toEqual([]);
    const { rows } = await (clients[0] as pg.Client).query<{ conname: string }>(
      `SELECT conname FROM pg_constraint WHERE contype = 'f' ORDER BY 1`,
    );
    expect(rows.map((r) => r.conname)).toEqual(['a_b_fkey', 'b_a_fkey']);
    await expectUsable(clients);
  });
});

describe('foreign keys in two steps (ADD … NOT VALID, then VALIDATE)', () => {
  // Two child tables that reference one parent, as every PARTITIONS child does.
  const PRE = `CREATE TABLE public.p (id integer PRIMARY KEY);
CREATE TABLE public.a (id integer, p_id integer);
CREATE TABLE public.b (id integer, p_id integer);
INSERT INTO public.p SELECT generate_series(1, 1000);
INSERT INTO public.a SELECT i, i FROM generate_series(1, 1000) i;
INSERT INTO public.b SELECT i, 1001 - i FROM generate_series(1, 1000) i;`;
  const fk = (from: string): DumpEntry =>
    parseDumpScript(`--
-- Name: ${from} ${from}_p_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.${from}
    ADD CONSTRAINT ${from}_p_fkey FOREIGN KEY (p_id) REFERENCES public.p(id) ON DELETE CASCADE;
`).entries[0] as DumpEntry;
  const constraints = async (client: pg.Client): Promise<string[]> =>
    (
      await client.query<{ d: string }>(
        `SELECT c.conname || ' ' || pg_get_constraintdef(c.oid) || ' valid=' || c.convalidated
                || ' triggers=' || (SELECT count(*) FROM pg_trigger t WHERE t.tgconstraint = c.oid) AS d
           FROM pg_constraint c WHERE c.contype = 'f' ORDER BY 1`,
      )
    ).rows.map((r) => r.d);
  const database = async (name: string): Promise<pg.Client> => {
    await createDatabase(name);
    const client = await connect(name);
    await client.query(PRE);
    return client;
  };

  it('ends with the same constraints, validated, as the entry run as printed', async () => {
    const printed = await database('fk_printed');
    for (const from of ['a', 'b']) await printed.query(fk(from).sql);
    const twoSteps = await database('fk_two_steps');
    for (const from of ['a', 'b']) {
      const steps = foreignKeyInTwoSteps(fk(from));
      if (!steps) throw new Error('not split');
      await twoSteps.query(steps.add);
      await twoSteps.query(steps.validate);
    }
    expect(await constraints(twoSteps)).toEqual(await constraints(printed));
    expect(await constraints(twoSteps)).toEqual([
      'a_p_fkey FOREIGN KEY (p_id) REFERENCES p(id) ON DELETE CASCADE valid=true triggers=4',
      'b_p_fkey FOREIGN KEY (p_id) REFERENCES p(id) ON DELETE CASCADE valid=true triggers=4',
    ]);
  });

  it('knows when an index orders the referencing rows by the key (VALIDATE then merges instead of hashing)', async () => {
    const client = await database('fk_ordered');
    await client.query(`
      CREATE TABLE public.q (x integer, y integer, PRIMARY KEY (x, y));
      CREATE TABLE public.c (i integer, x integer, y integer);
      CREATE INDEX c_x_y_i ON public.c (x, y, i);
      CREATE INDEX b_p_id ON public.b (p_id) WHERE p_id > 0;
      CREATE INDEX a_id_p ON public.a (id, p_id);
      ALTER TABLE public.a ADD CONSTRAINT a_p_fkey FOREIGN KEY (p_id) REFERENCES public.p (id) NOT VALID;
      ALTER TABLE public.b ADD CONSTRAINT b_p_fkey FOREIGN KEY (p_id) REFERENCES public.p (id) NOT VALID;
      ALTER TABLE public.c ADD CONSTRAINT c_xy_fkey FOREIGN KEY (x, y) REFERENCES public.q (x, y) NOT VALID;
      ALTER TABLE public.c ADD CONSTRAINT c_yx_fkey FOREIGN KEY (y, x) REFERENCES public.q (y, x) NOT VALID;`);
    const ordered = async (table: string, constraint: string): Promise<boolean> =>
      (await client.query<{ ordered: boolean }>(ORDERED_BY_KEY, [table, constraint])).rows[0]?.ordered === true;
    expect(await ordered('public.a', 'a_p_fkey')).toBe(false); // an index on (id, p_id) does not lead with p_id
    expect(await ordered('public.b', 'b_p_fkey')).toBe(false); // a partial index does not hold every row
    expect(await ordered('public.c', 'c_xy_fkey')).toBe(true); // (x, y, i) leads with (x, y)
    expect(await ordered('public.c', 'c_yx_fkey')).toBe(false); // not in the key's order
    await client.query('CREATE INDEX a_p_id ON public.a (p_id)');
    expect(await ordered('public.a', 'a_p_fkey')).toBe(true);
  });

  it('still checks every row: VALIDATE rejects an orphan, naming the key', async () => {
    const client = await database('fk_orphan');
    await client.query('INSERT INTO public.b VALUES (0, 5000)');
    const steps = foreignKeyInTwoSteps(fk('b'));
    if (!steps) throw new Error('not split');
    await client.query(steps.add);
    await expect(client.query(steps.validate)).rejects.toThrow(/violates foreign key constraint "b_p_fkey"/);
  });

  it("a second key to the same table is not held up by the first one's validation, as it is by the printed form's", async () => {
    const setup = await database('fk_locks');
    const [first, second] = [await connect('fk_locks'), await connect('fk_locks')];
    await second.query("SET lock_timeout = '500ms'");
    // The printed form: a's ADD holds SHARE ROW EXCLUSIVE on p for its whole scan; b's ADD waits.
    await first.query('BEGIN');
    await first.query(fk('a').sql);
    await expect(second.query(fk('b').sql)).rejects.toMatchObject({ code: '55P03' }); // lock_not_available
    await first.query('ROLLBACK');
    // Two steps: a's VALIDATE, still open, holds only ROW SHARE on p; b adds and validates meanwhile.
    const [a, b] = [foreignKeyInTwoSteps(fk('a')), foreignKeyInTwoSteps(fk('b'))];
    if (!a || !b) throw new Error('not split');
    await first.query(a.add);
    await first.query('BEGIN');
    await first.query(a.validate);
    await second.query(b.add);
    await second.query(b.validate);
    await first.query('COMMIT');
    expect((await constraints(setup)).map((d) => d.split(' ')[0] + ' ' + d.split(' ').at(-2))).toEqual([
      'a_p_fkey valid=true',
      'b_p_fkey valid=true',
    ]);
  });
});
