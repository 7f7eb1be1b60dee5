import { describe, expect, it } from 'vitest';
import { foreignKeyInTwoSteps, parseDumpScript, quoteName, type DumpEntry } from './dump-script.js';

// As printed by pg_dump 15.20 --format=plain --no-owner --no-privileges --section=post-data,
// plus a tablespace change, a table named a"b and a comment holding header-like text.
const POST_DATA = `--
-- PostgreSQL database dump
--

\\restrict o6ecn00BW42gqWxZ9oZM8keHXjrCg7GwgtTg00isy6eNBebxhHjPE8L5YdhbdJx

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

--
-- Name: CDS CDS_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."CDS"
    ADD CONSTRAINT "CDS_pkey" PRIMARY KEY ("CD_ID");


--
-- Name: a"b a"b_pkey; Type: CONSTRAINT; Schema: odd"s; Owner: -
--

ALTER TABLE ONLY "odd""s"."a""b"
    ADD CONSTRAINT "a""b_pkey" PRIMARY KEY (id);


--
-- Name: UNIQUEFUNCTION; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX "UNIQUEFUNCTION" ON public."FUNCS" USING btree ("FUNC_NAME", "DB_ID");


SET default_tablespace = ds_ts;

--
-- Name: a"b_v; Type: INDEX; Schema: odd"s; Owner: postgres; Tablespace: ds_ts
--

CREATE INDEX "a""b_v" ON "odd""s"."a""b" USING btree (v);


SET default_tablespace = '';

--
-- Name: plain_v; Type: INDEX; Schema: odd"s; Owner: -
--

CREATE INDEX plain_v ON "odd""s"."a""b" USING btree (v);


ALTER TABLE "odd""s"."a""b" CLUSTER ON plain_v;


--
-- Name: INDEX plain_v; Type: COMMENT; Schema: odd"s; Owner: -
--

COMMENT ON INDEX "odd""s".plain_v IS 'hello;
-- Name: x; Type: INDEX; Schema: public; Owner: -
\\unrestrict not-a-meta-command';


--
-- Name: a"b trg; Type: TRIGGER; Schema: odd"s; Owner: -
--

CREATE TRIGGER trg BEFORE INSERT OR UPDATE OF v ON "odd""s"."a""b" FOR EACH ROW EXECUTE FUNCTION "odd""s".f();


--
-- Name: COLUMNS_V2 COLUMNS_V2_CD_ID_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."COLUMNS_V2"
    ADD CONSTRAINT "COLUMNS_V2_CD_ID_fkey" FOREIGN KEY ("CD_ID") REFERENCES public."CDS"("CD_ID") DEFERRABLE;


--
-- Name: selfref selfref_parent_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.selfref
    ADD CONSTRAINT selfref_parent_fkey FOREIGN KEY (parent) REFERENCES public.selfref(id);


--
-- PostgreSQL database dump complete
--

\\unrestrict o6ecn00BW42gqWxZ9oZM8keHXjrCg7GwgtTg00isy6eNBebxhHjPE8L5YdhbdJx

`;

// pg_dump --section=pre-data (shortened): a function whose body holds header-like lines.
const PRE_DATA = `--
-- PostgreSQL database dump
--

\\restrict R49DPInnIo4bM3j3NXEbKywwbFTcsYJAXHS9PtMVnNAx85drNvgR9xRdWnG9Mu2

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET row_security = off;

--
-- Name: f(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.f() RETURNS trigger
    LANGUAGE plpgsql
    AS $_$
begin
  raise notice 'it''s $1;
--
-- Name: fake; Type: INDEX; Schema: public; Owner: -
--
\\restrict nope';
  return new;
end $_$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: MASTER_KEYS; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."MASTER_KEYS" (
    "KEY_ID" integer NOT NULL,
    "MASTER_KEY" character varying(767) DEFAULT E'it\\'s; x'::character varying
);


--
-- Name: MASTER_KEYS_KEY_ID_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public."MASTER_KEYS_KEY_ID_seq"
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: MASTER_KEYS_KEY_ID_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public."MASTER_KEYS_KEY_ID_seq" OWNED BY public."MASTER_KEYS"."KEY_ID";


--
-- Name: MASTER_KEYS KEY_ID; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."MASTER_KEYS" ALTER COLUMN "KEY_ID" SET DEFAULT nextval('public."MASTER_KEYS_KEY_ID_seq"'::regclass);


--
-- PostgreSQL database dump complete
--

\\unrestrict R49DPInnIo4bM3j3NXEbKywwbFTcsYJAXHS9PtMVnNAx85drNvgR9xRdWnG9Mu2
`;

describe('parseDumpScript: post-data', () => {
  const script = parseDumpScript(POST_DATA);
  const entry = (name: string, type?: string) => {
    const found = script.entries.find((e) => e.name === name && (type === undefined || e.type === type));
    if (!found) throw new Error(`no entry ${name}`);
    return found;
  };

  it('collects the preamble statements and drops meta-commands and the closing comment', () => {
    expect(script.preamble).toEqual([
      'SET statement_timeout = 0;',
      'SET lock_timeout = 0;',
      'SET idle_in_transaction_session_timeout = 0;',
      "SET client_encoding = 'UTF8';",
      'SET standard_conforming_strings = on;',
      "SELECT pg_catalog.set_config('search_path', '', false);",
      'SET check_function_bodies = false;',
      'SET xmloption = content;',
      'SET client_min_messages = warning;',
      'SET row_security = off;',
      "SET default_tablespace = '';",
    ]);
    const all = [...script.preamble, ...script.entries.map((e) => e.sql)].join('\n');
    expect(all).not.toContain('o6ecn00BW42gqWxZ9oZM8keHXjrCg7GwgtTg00isy6eNBebxhHjPE8L5YdhbdJx');
    expect(all).not.toContain('dump complete');
  });

  it('finds every entry in dump order with its name, type and schema', () => {
    expect(script.entries.map((e) => [e.name, e.type, e.schema])).toEqual([
      ['CDS CDS_pkey', 'CONSTRAINT', 'public'],
      ['a"b a"b_pkey', 'CONSTRAINT', 'odd"s'],
      ['UNIQUEFUNCTION', 'INDEX', 'public'],
      ['a"b_v', 'INDEX', 'odd"s'],
      ['plain_v', 'INDEX', 'odd"s'],
      ['INDEX plain_v', 'COMMENT', 'odd"s'],
      ['a"b trg', 'TRIGGER', 'odd"s'],
      ['COLUMNS_V2 COLUMNS_V2_CD_ID_fkey', 'FK CONSTRAINT', 'public'],
      ['selfref selfref_parent_fkey', 'FK CONSTRAINT', 'public'],
    ]);
  });

  it('keeps the tables each entry locks, quoted as written', () => {
    expect(entry('CDS CDS_pkey').tables).toEqual(['public."CDS"']);
    expect(entry('a"b a"b_pkey').tables).toEqual(['"odd""s"."a""b"']);
    expect(entry('UNIQUEFUNCTION').tables).toEqual(['public."FUNCS"']);
    expect(entry('plain_v').tables).toEqual(['"odd""s"."a""b"']);
    expect(entry('a"b trg').tables).toEqual(['"odd""s"."a""b"']);
    expect(entry('COLUMNS_V2 COLUMNS_V2_CD_ID_fkey').tables).toEqual(['public."COLUMNS_V2"', 'public."CDS"']);
    expect(entry('selfref selfref_parent_fkey').tables).toEqual(['public.selfref']);
    expect(entry('INDEX plain_v').tables).toEqual([]);
  });

  it('keeps statement text exactly, several statements per entry, comments and blank lines between entries dropped', () => {
    expect(entry('COLUMNS_V2 COLUMNS_V2_CD_ID_fkey').sql).toBe(
      `SET default_tablespace = '';\nALTER TABLE ONLY public."COLUMNS_V2"\n    ADD CONSTRAINT "COLUMNS_V2_CD_ID_fkey" FOREIGN KEY ("CD_ID") REFERENCES public."CDS"("CD_ID") DEFERRABLE;`,
    );
    expect(entry('plain_v').sql).toBe(
      `SET default_tablespace = '';\nCREATE INDEX plain_v ON "odd""s"."a""b" USING btree (v);\nALTER TABLE "odd""s"."a""b" CLUSTER ON plain_v;`,
    );
    // Header-like text and a backslash line inside a string literal are text, not structure.
    expect(entry('INDEX plain_v').sql).toBe(
      `SET default_tablespace = '';\nCOMMENT ON INDEX "odd""s".plain_v IS 'hello;\n-- Name: x; Type: INDEX; Schema: public; Owner: -\n\\unrestrict not-a-meta-command';`,
    );
  });

  it('gives every entry the tablespace pg_dump selected for it, so any connection can run it', () => {
    expect(entry('a"b_v').sql).toBe(`SET default_tablespace = ds_ts;\nCREATE INDEX "a""b_v" ON "odd""s"."a""b" USING btree (v);`);
    expect(entry('CDS CDS_pkey').sql.startsWith(`SET default_tablespace = '';\n`)).toBe(true);
    expect(entry('a"b trg').sql.startsWith(`SET default_tablespace = '';\n`)).toBe(true);
  });
});

describe('parseDumpScript: pre-data', () => {
  const script = parseDumpScript(PRE_DATA);

  it('puts the session settings printed before the first entry in the preamble', () => {
    expect(script.preamble).toEqual([
      'SET statement_timeout = 0;',
      "SET client_encoding = 'UTF8';",
      'SET standard_conforming_strings = on;',
      "SELECT pg_catalog.set_config('search_path', '', false);",
      'SET row_security = off;',
    ]);
  });

  it('reads a dollar-quoted function body as one statement, whatever it holds', () => {
    expect(script.entries.map((e) => [e.name, e.type])).toEqual([
      ['f()', 'FUNCTION'],
      ['MASTER_KEYS', 'TABLE'],
      ['MASTER_KEYS_KEY_ID_seq', 'SEQUENCE'],
      ['MASTER_KEYS_KEY_ID_seq', 'SEQUENCE OWNED BY'],
      ['MASTER_KEYS KEY_ID', 'DEFAULT'],
    ]);
    const f = script.entries[0]?.sql ?? '';
    expect(f).toContain("raise notice 'it''s $1;\n--\n-- Name: fake; Type: INDEX; Schema: public; Owner: -\n--\n\\restrict nope';");
    expect(f.endsWith('end $_$;')).toBe(true);
  });

  it('gives entries after a default_tablespace / default_table_access_method change the new values', () => {
    const [f, table] = script.entries;
    expect(f?.sql.split('\n').slice(0, 2)).toEqual(['SET default_tablespace = DEFAULT;', 'SET default_table_access_method = DEFAULT;']);
    expect(table?.sql.split('\n').slice(0, 2)).toEqual(["SET default_tablespace = '';", 'SET default_table_access_method = heap;']);
  });

  it("reads E'' strings with backslash escapes", () => {
    const table = script.entries[1];
    expect(table?.sql).toContain(`DEFAULT E'it\\'s; x'::character varying\n);`);
    expect(script.entries[4]?.tables).toEqual(['public."MASTER_KEYS"']);
  });
});

describe('parseDumpScript: edge cases', () => {
  it('puts no SET in entries when the script never changes a setting after the preamble', () => {
    const script = parseDumpScript(
      `SET default_tablespace = '';\n\n--\n-- Name: t t_pkey; Type: CONSTRAINT; Schema: public; Owner: -\n--\n\nALTER TABLE ONLY public.t\n    ADD CONSTRAINT t_pkey PRIMARY KEY (id);\n`,
    );
    expect(script.entries[0]?.sql).toBe('ALTER TABLE ONLY public.t\n    ADD CONSTRAINT t_pkey PRIMARY KEY (id);');
  });

  it('normalises identifiers: quoted lower-case names equal bare ones, unqualified names take the entry schema', () => {
    const script = parseDumpScript(
      `--\n-- Name: a a_b; Type: FK CONSTRAINT; Schema: public; Owner: -\n--\n\nALTER TABLE IF EXISTS ONLY "public"."a" ADD CONSTRAINT a_b FOREIGN KEY (b) REFERENCES B (id);\n` +
        `--\n-- Name: i; Type: INDEX; Schema: s; Owner: -\n--\n\nCREATE UNIQUE INDEX IF NOT EXISTS i ON ONLY "T" (x);\n` +
        `--\n-- Name: c trg; Type: TRIGGER; Schema: public; Owner: -\n--\n\nCREATE CONSTRAINT TRIGGER trg AFTER UPDATE ON public.c FROM public.d FOR EACH ROW EXECUTE FUNCTION public.f();\n` +
        `--\n-- Name: parted_1; Type: TABLE ATTACH; Schema: public; Owner: -\n--\n\nALTER TABLE ONLY public.parted ATTACH PARTITION public.parted_1 FOR VALUES FROM (0) TO (10);\n`,
    );
    expect(script.entries.map((e) => e.tables)).toEqual([
      ['public.a', 'public.b'],
      ['s."T"'],
      ['public.c', 'public.d'],
      ['public.parted', 'public.parted_1'],
    ]);
  });

  it('quotes names the way pg_dump does', () => {
    expect(quoteName('txns')).toBe('txns');
    expect(quoteName('SDS')).toBe('"SDS"');
    expect(quoteName('a"b')).toBe('"a""b"');
    expect(quoteName('1x')).toBe('"1x"');
  });

  it('reads backslash escapes in plain strings when standard_conforming_strings is off', () => {
    const script = parseDumpScript(
      `SET standard_conforming_strings = off;\n--\n-- Name: TABLE t; Type: COMMENT; Schema: public; Owner: -\n--\n\nCOMMENT ON TABLE public.t IS 'a\\'; b';\n--\n-- Name: t t_pkey; Type: CONSTRAINT; Schema: public; Owner: -\n--\n\nALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);\n`,
    );
    expect(script.entries.map((e) => e.sql)).toEqual([
      `COMMENT ON TABLE public.t IS 'a\\'; b';`,
      'ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);',
    ]);
  });

  it('refuses a data section (COPY ... FROM stdin)', () => {
    expect(() =>
      parseDumpScript(
        `--\n-- Data for Name: t; Type: TABLE DATA; Schema: public; Owner: -\n--\n\nCOPY public.t (id) FROM stdin;\n1\n\\.\n`,
      ),
    ).toThrow(/COPY \.\.\. FROM stdin/);
  });

  it('parses an empty script', () => {
    expect(parseDumpScript('')).toEqual({ preamble: [], entries: [] });
  });
});

describe('foreignKeyInTwoSteps', () => {
  const fk = (sql: string, type = 'FK CONSTRAINT'): DumpEntry => ({ name: 'k', type, schema: 'public', sql, tables: [] });

  it("adds pg_dump's key NOT VALID and validates it by its table and name as printed", () => {
    const script = parseDumpScript(POST_DATA);
    const entry = script.entries.find((e) => e.name === 'COLUMNS_V2 COLUMNS_V2_CD_ID_fkey') as DumpEntry;
    expect(foreignKeyInTwoSteps(entry)).toEqual({
      add: `SET default_tablespace = '';\nALTER TABLE ONLY public."COLUMNS_V2"\n    ADD CONSTRAINT "COLUMNS_V2_CD_ID_fkey" FOREIGN KEY ("CD_ID") REFERENCES public."CDS"("CD_ID") DEFERRABLE NOT VALID;`,
      validate: 'ALTER TABLE ONLY public."COLUMNS_V2" VALIDATE CONSTRAINT "COLUMNS_V2_CD_ID_fkey";',
      table: 'public."COLUMNS_V2"',
      constraint: 'COLUMNS_V2_CD_ID_fkey',
    });
  });

  it('keeps the settings the entry carries, IF EXISTS, and a table without ONLY', () => {
    expect(
      foreignKeyInTwoSteps(
        fk(
          `SET default_tablespace = '';\nALTER TABLE IF EXISTS "odd""s"."a b" ADD CONSTRAINT a_b FOREIGN KEY (b) REFERENCES x (id) ON DELETE CASCADE;`,
        ),
      ),
    ).toEqual({
      add: `SET default_tablespace = '';\nALTER TABLE IF EXISTS "odd""s"."a b" ADD CONSTRAINT a_b FOREIGN KEY (b) REFERENCES x (id) ON DELETE CASCADE NOT VALID;`,
      validate: 'ALTER TABLE "odd""s"."a b" VALIDATE CONSTRAINT a_b;',
      table: '"odd""s"."a b"',
      constraint: 'a_b',
    });
  });

  it('finds the ADD CONSTRAINT after a table whose name is a keyword', () => {
    expect(foreignKeyInTwoSteps(fk('ALTER TABLE ONLY public.add ADD CONSTRAINT k FOREIGN KEY (a) REFERENCES p (a);'))?.validate).toBe(
      'ALTER TABLE ONLY public.add VALIDATE CONSTRAINT k;',
    );
  });

  it('leaves alone what is not one plain foreign key', () => {
    expect(foreignKeyInTwoSteps(fk('ALTER TABLE ONLY t ADD CONSTRAINT k FOREIGN KEY (a) REFERENCES p (a) NOT VALID;'))).toBeUndefined();
    expect(foreignKeyInTwoSteps(fk('ALTER TABLE ONLY t ADD CONSTRAINT t_pkey PRIMARY KEY (a);', 'CONSTRAINT'))).toBeUndefined();
    expect(foreignKeyInTwoSteps(fk('ALTER TABLE ONLY t ADD CONSTRAINT k UNIQUE (a);'))).toBeUndefined();
    expect(
      foreignKeyInTwoSteps(
        fk("ALTER TABLE ONLY t ADD CONSTRAINT k FOREIGN KEY (a) REFERENCES p (a);\nCOMMENT ON CONSTRAINT k ON t IS 'x';"),
      ),
    ).toBeUndefined();
    expect(foreignKeyInTwoSteps(fk('ALTER TABLE ONLY t ADD CONSTRAINT k FOREIGN KEY (a) REFERENCES p (a)'))).toBeUndefined();
    expect(foreignKeyInTwoSteps(fk(''))).toBeUndefined();
  });
});
