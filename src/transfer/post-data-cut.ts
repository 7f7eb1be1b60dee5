// Where a plain pg_dump stream's post-data section begins. The streamed transfer's psql restores
// what comes before (schema and data, one transaction) while the dump streams; the post-data
// (primary keys, indexes, foreign keys) is kept and then runs on N connections instead of one after
// another in that psql. pg_dump sorts every post-data object after all data, so the first TOC header
// of a post-data type outside COPY data is an entry boundary after the last row.
// Rows are only searched for their block's end (`\.`), never copied: they pass as the chunks came.

/** TOC entry types pg_dump puts in the post-data section (CHECK CONSTRAINT is in either: not a cut). */
export const POST_DATA_TYPES: ReadonlySet<string> = new Set([
  'CONSTRAINT',
  'FK CONSTRAINT',
  'INDEX',
  'INDEX ATTACH',
  'STATISTICS',
  'TRIGGER',
  'EVENT TRIGGER',
  'RULE',
  'POLICY',
  'ROW SECURITY',
  'MATERIALIZED VIEW DATA',
  'PUBLICATION',
  'PUBLICATION TABLE',
  'PUBLICATION TABLES IN SCHEMA',
  'SUBSCRIPTION',
  'SUBSCRIPTION TABLE',
]);

/** A TOC header as pg_dump prints it (`--no-owner` prints `Owner: -`). */
const TOC_HEADER = /^-- Name: .*?; Type: (.*?); Schema: .*?; Owner: .*?(?:; Tablespace: .*)?$/;
const NAME_PREFIX = Buffer.from('-- Name: ');
const COPY_PREFIX = Buffer.from('COPY ');
const FROM_STDIN = /\bFROM stdin;\r?$/;
const END_OF_DATA = Buffer.from('\n\\.\n');
const WITH_FREEZE = Buffer.from(' WITH (FREEZE)');
const SEMICOLON = 0x3b;
const NL = 10;
const EMPTY = Buffer.alloc(0);

/** At most this much post-data is kept in memory (a metastore's is a few kB to a few MB). */
export const MAX_POST_DATA_BYTES = 256 * 1024 * 1024;
/** The session settings before the first entry are kept for the post-data's connections. */
const MAX_PREAMBLE_BYTES = 64 * 1024;

export class PostDataTooLarge extends Error {
  constructor(limit: number) {
    super(`the dump's post-data section is over ${limit} bytes: not a metastore dump as pg_dump prints it`);
    this.name = 'PostDataTooLarge';
  }
}

/**
 * Feed it the stream's chunks in order: each call returns the bytes for psql (views of the chunk,
 * or a line held back from the chunk before). After the cut it returns nothing, and `postData()`
 * gives the session settings of the dump's head followed by everything from the cut on.
 */
export class PostDataCut {
  private mode: 'schema' | 'copy' | 'post' = 'schema';
  /** schema: the start of a line not complete yet (held back: it may be the cut). */
  private partial: Buffer = EMPTY;
  /** copy: the last bytes of the block so far, for an end marker split across chunks. */
  private copyTail: Buffer = EMPTY;
  private preamble: Buffer[] = [];
  private preambleBytes = 0;
  private preambleDone = false;
  private post: Buffer[] = [];
  private postBytes = 0;

  private readonly freeze: boolean;
  private readonly maxPostData: number;

  /**
   * `freeze`: psql gets `COPY … FROM stdin WITH (FREEZE);` for pg_dump's `COPY … FROM stdin;`. In
   * psql's single transaction, which created the tables, the rows are then stored frozen and their
   * pages all-visible: the index builds, the foreign-key checks and verification's scans after it
   * no longer set hint bits on (and write back) every page. The staged file keeps pg_dump's text.
   */
  constructor(options: { freeze?: boolean; maxPostData?: number } = {}) {
    this.freeze = options.freeze ?? false;
    this.maxPostData = options.maxPostData ?? MAX_POST_DATA_BYTES;
  }

  /** Whether the stream was cut (psql has all it gets). */
  get cut(): boolean {
    return this.mode === 'post';
  }

  feed(chunk: Buffer): Buffer[] {
    if (this.mode === 'post') {
      this.keep(chunk);
      return [];
    }
    const out: Buffer[] = [];
    let buf = chunk;
    if (this.partial.length > 0) {
      // Only a schema line is joined (short); a COPY line or row never is.
      buf = Buffer.concat([this.partial, chunk]);
      this.partial = EMPTY;
    }
    let pos = 0;
    let sent = 0; // buf[sent, pos) is for psql, not yet in `out`
    while (pos < buf.length) {
      if (this.mode === 'copy') {
        const end = this.endOfData(buf, pos);
        if (end < 0) {
          pos = buf.length;
          break;
        }
        pos = end;
        this.mode = 'schema';
        continue;
      }
      const nl = buf.indexOf(NL, pos);
      if (nl < 0) {
        // An incomplete line: held until its end is seen.
        if (pos > sent) out.push(buf.subarray(sent, pos));
        this.partial = Buffer.from(buf.subarray(pos));
        return out;
      }
      const line = buf.subarray(pos, nl);
      if (this.isCut(line)) {
        if (pos > sent) out.push(buf.subarray(sent, pos));
        this.mode = 'post';
        this.keep(buf.subarray(pos));
        return out;
      }
      this.notePreamble(line, buf.subarray(pos, nl + 1));
      pos = nl + 1;
      if (startsWith(line, COPY_PREFIX) && FROM_STDIN.test(line.toString('latin1'))) {
        if (this.freeze) {
          const semicolon = buf.lastIndexOf(SEMICOLON, nl);
          out.push(buf.subarray(sent, semicolon), WITH_FREEZE);
          sent = semicolon;
        }
        this.mode = 'copy';
        this.copyTail = Buffer.from([NL]); // the COPY line's newline: an empty block ends at once
      }
    }
    if (pos > sent) out.push(buf.subarray(sent, pos));
    return out;
  }

  /** The end of the stream: the line held back, if any (nothing after a cut). */
  finish(): Buffer[] {
    const rest = this.mode === 'post' || this.partial.length === 0 ? [] : [this.partial];
    this.partial = EMPTY;
    return rest;
  }

  /** The post-data script (the dump head's session settings, then the rest), or undefined if there was no cut. */
  postData(): string | undefined {
    if (this.mode !== 'post') return undefined;
    return Buffer.concat([...this.preamble, ...this.post]).toString('utf8');
  }

  /** After the block's rows: the index after its `\.` line, or -1 when it does not end in `buf[pos…]`. */
  private endOfData(buf: Buffer, pos: number): number {
    // A marker that starts in the bytes before this chunk.
    const joined = Buffer.concat([this.copyTail, buf.subarray(pos, pos + END_OF_DATA.length - 1)]);
    const across = joined.indexOf(END_OF_DATA);
    if (across >= 0) return pos + across + END_OF_DATA.length - this.copyTail.length;
    const at = buf.indexOf(END_OF_DATA, pos);
    if (at >= 0) return at + END_OF_DATA.length;
    const keep = Math.min(END_OF_DATA.length - 1, buf.length - pos);
    this.copyTail = Buffer.concat([this.copyTail, buf.subarray(buf.length - keep)]).subarray(-(END_OF_DATA.length - 1));
    return -1;
  }

  private isCut(line: Buffer): boolean {
    if (!startsWith(line, NAME_PREFIX)) return false;
    const header = TOC_HEADER.exec(line.toString('utf8').replace(/\r$/, ''));
    this.preambleDone = true; // the first entry: the session settings are all before it
    return header !== null && POST_DATA_TYPES.has(header[1] as string);
  }

  private notePreamble(line: Buffer, withNewline: Buffer): void {
    if (this.preambleDone) return;
    if (this.preambleBytes + withNewline.length > MAX_PREAMBLE_BYTES) {
      this.preambleDone = true;
      return;
    }
    if (line.length === 0 || line[0] === 0x2d /* - */ || line[0] === 0x5c /* \ */) return; // comments, \restrict
    this.preamble.push(Buffer.from(withNewline));
    this.preambleBytes += withNewline.length;
  }

  private keep(bytes: Buffer): void {
    this.postBytes += bytes.length;
    if (this.postBytes > this.maxPostData) throw new PostDataTooLarge(this.maxPostData);
    this.post.push(Buffer.from(bytes)); // the chunk's buffer may be reused by its producer
  }
}

const startsWith = (line: Buffer, prefix: Buffer): boolean =>
  line.length >= prefix.length && line.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
