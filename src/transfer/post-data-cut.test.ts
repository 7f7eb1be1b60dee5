import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { PostDataCut, PostDataTooLarge } from './post-data-cut.js';
import { cutAtPostData } from './streamed-post-data.js';

const HEAD = `--
-- PostgreSQL database dump
--

\\restrict k3y

-- Dumped from database version 15.20

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);

SET default_tablespace = '';

`;

// Schema and data as pg_dump prints them, with rows that look like structure: a row whose text is a
// post-data header, a row holding an escaped "\\.", an empty block, and a pre-data CHECK CONSTRAINT.
const BEFORE_CUT = `${HEAD}--
-- Name: T; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."T" (
    "ID" bigint NOT NULL,
    "TXT" text
);

--
-- Name: d_pos; Type: CHECK CONSTRAINT; Schema: public; Owner: -
--

ALTER DOMAIN public.d ADD CONSTRAINT d_pos CHECK ((VALUE > 0)) NOT VALID;

--
-- Data for Name: E; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public."E" ("ID") FROM stdin;
\\.


--
-- Data for Name: T; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public."T" ("ID", "TXT") FROM stdin;
1\thdfs://nn1.prod:8020/a
2\t-- Name: x; Type: INDEX; Schema: public; Owner: -
-- Name: y; Type: CONSTRAINT; Schema: public; Owner: -\t\\N
3\t\\\\.
4\tCOPY x FROM stdin;
\\.


--
`;

const AFTER_CUT = `-- Name: T T_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."T"
    ADD CONSTRAINT "T_pkey" PRIMARY KEY ("ID");


--
-- PostgreSQL database dump complete
--

\\unrestrict k3y

`;

const DUMP = Buffer.from(BEFORE_CUT + AFTER_CUT);
const PREAMBLE = `SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET default_tablespace = '';
`;

/** Feed `dump` in chunks of the given sizes (the last repeats); what psql got and the post-data. */
function cutIn(dump: Buffer, sizes: number[], cut = new PostDataCut()): { psql: string; post: string | undefined } {
  const out: Buffer[] = [];
  let at = 0;
  for (let i = 0; at < dump.length; i++) {
    const size = sizes[Math.min(i, sizes.length - 1)] as number;
    out.push(...cut.feed(dump.subarray(at, at + size)));
    at += size;
  }
  out.push(...cut.finish());
  return { psql: Buffer.concat(out).toString(), post: cut.postData() };
}

describe('PostDataCut', () => {
  it("sends psql everything before the first post-data header outside COPY data, and keeps the rest with the head's settings", () => {
    const { psql, post } = cutIn(DUMP, [DUMP.length]);
    expect(psql).toBe(BEFORE_CUT);
    expect(post).toBe(PREAMBLE + AFTER_CUT);
  });

  it('cuts at the same place however the stream is chunked (every two-chunk split, and 1 to 64 byte chunks)', () => {
    for (let split = 1; split < DUMP.length; split++) {
      expect(cutIn(DUMP, [split, DUMP.length]), `split at ${split}`).toEqual({ psql: BEFORE_CUT, post: PREAMBLE + AFTER_CUT });
    }
    for (let size = 1; size <= 64; size++) {
      expect(cutIn(DUMP, [size]), `chunks of ${size}`).toEqual({ psql: BEFORE_CUT, post: PREAMBLE + AFTER_CUT });
    }
  });

  it('passes a dump without post-data whole, held-back last line included', () => {
    const noPost = Buffer.from(`${BEFORE_CUT}-- PostgreSQL database dump complete`);
    for (const size of [noPost.length, 7, 1]) {
      expect(cutIn(noPost, [size])).toEqual({ psql: noPost.toString(), post: undefined });
    }
  });

  it('passes rows as the chunks came: a COPY block is searched, never copied', () => {
    const cut = new PostDataCut();
    const rows = Buffer.from('COPY public."T" ("ID") FROM stdin;\n');
    expect(cut.feed(rows)).toEqual([rows]);
    const data = Buffer.from('1\n2\n3\n');
    const [piece] = cut.feed(data);
    expect(piece?.buffer).toBe(data.buffer); // a view, not a copy
  });

  it("with freeze, psql gets COPY … WITH (FREEZE) for pg_dump's COPY lines and nothing else changes, however it is chunked", () => {
    const frozen = BEFORE_CUT.replaceAll(/^(COPY .* FROM stdin);$/gm, '$1 WITH (FREEZE);');
    expect(frozen.match(/WITH \(FREEZE\);$/gm)).toHaveLength(2); // not the row that reads like a COPY line
    for (const size of [DUMP.length, 64, 7, 1]) {
      expect(cutIn(DUMP, [size], new PostDataCut({ freeze: true })), `chunks of ${size}`).toEqual({
        psql: frozen,
        post: PREAMBLE + AFTER_CUT,
      });
    }
  });

  it('refuses post-data over its limit', () => {
    const cut = new PostDataCut({ maxPostData: 100 });
    expect(() => cutIn(Buffer.concat([DUMP, Buffer.alloc(200, 0x20)]), [64], cut)).toThrow(PostDataTooLarge);
  });
});

describe('cutAtPostData', () => {
  it('ends psql input at the cut while the rest of the stream still flows, with backpressure', async () => {
    const psql = new PassThrough({ highWaterMark: 16 });
    const got: Buffer[] = [];
    const slowReader = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _e, cb) {
        got.push(chunk);
        setTimeout(cb, 1);
      },
    });
    const reading = pipeline(psql, slowReader);
    let chunksAfterEnd = 0; // chunks taken once psql's input had ended: the upload still gets these
    const cut = new (class extends PostDataCut {
      override feed(chunk: Buffer): Buffer[] {
        if (psql.writableEnded) chunksAfterEnd++;
        return super.feed(chunk);
      }
    })();
    const padding = '-- more post-data\n'.repeat(200);
    const dump = Buffer.concat([DUMP, Buffer.from(padding)]);
    const chunks = Array.from({ length: Math.ceil(dump.length / 32) }, (_, i) => dump.subarray(i * 32, i * 32 + 32));
    await pipeline(Readable.from(chunks), cutAtPostData(psql, cut));
    await reading;
    expect(Buffer.concat(got).toString()).toBe(BEFORE_CUT);
    expect(cut.postData()).toBe(PREAMBLE + AFTER_CUT + padding);
    expect(chunksAfterEnd).toBeGreaterThan(0);
  });

  it('a stream stopped before the cut destroys psql input instead of ending it (its transaction must not commit a part)', async () => {
    const psql = new PassThrough();
    psql.resume();
    const errors: unknown[] = [];
    psql.on('error', (e) => errors.push(e));
    let ended = false;
    psql.on('end', () => {
      ended = true;
    });
    const closed = new Promise((resolve) => psql.on('close', resolve));
    const sink = cutAtPostData(psql, new PostDataCut());
    sink.on('error', () => undefined);
    sink.write(DUMP.subarray(0, 100));
    sink.destroy(new Error('pg_dump failed'));
    await closed;
    expect(psql.destroyed).toBe(true);
    expect(ended).toBe(false);
    expect(errors).toEqual([new Error('pg_dump failed')]);
  });
});
