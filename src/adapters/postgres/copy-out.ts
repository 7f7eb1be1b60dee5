// `COPY … TO STDOUT` as a Readable of the rows' bytes, submitted with pg's `client.query(copyOut(sql))`.
// The server sends one CopyData message per row. pg-copy-streams' `to()` takes each through a buffer
// list (a peek, two reads and a slice per row, then a concat per chunk): about 1.5 CPU-seconds of a
// 1M-partition transfer. Here each row's bytes are moved down over the 5-byte headers inside the
// chunk the socket gave (copyWithin: no allocation, no copy to another buffer) and one view per
// chunk is pushed. The protocol handling is pg-copy-streams': notices and parameter changes inside
// the copy are skipped; at an ErrorResponse, CopyDone or any other message the connection goes back
// to pg with every byte not consumed, and pg reports the error or the command's completion.
import { Readable, type ReadableOptions } from 'node:stream';

const ERROR_RESPONSE = 0x45; // E
const COPY_DATA = 0x64; // d
/** Messages that may come inside copy-out mode without ending it. */
const WITHIN_COPY = new Set([0x48 /* H CopyOutResponse */, COPY_DATA, 0x53 /* S ParameterStatus */, 0x4e /* N */, 0x41 /* A */]);
const HEADER = 5; // type byte + Int32 length (which counts itself)

/** What pg's Client hands a submittable query (pg's Connection, as far as this uses it). */
interface PgConnection {
  stream: Readable;
  query(text: string): void;
}

export class CopyOut extends Readable {
  /** Rows the server reported (its `COPY n`), once the query has completed. */
  rowCount = 0;
  private connection: PgConnection | undefined;
  private pgDataHandler: ((chunk: Buffer) => void) | undefined;
  /** A message header cut between two chunks. */
  private readonly header = Buffer.alloc(HEADER);
  private headerBytes = 0;
  private code = 0;
  /** Content bytes of the current message not yet read (0 between messages). */
  private remaining = 0;
  private drained = false;
  private forwarding = false;
  private finished = false;
  private readonly onReadable = (): void => this.forward();

  constructor(
    readonly text: string,
    options?: ReadableOptions,
  ) {
    super(options);
  }

  /** Called by pg when the query is sent: take the socket's bytes until the copy ends. */
  submit(connection: PgConnection): void {
    this.connection = connection;
    const stream = connection.stream;
    const [handler, ...others] = stream.listeners('data') as Array<(chunk: Buffer) => void>;
    if (handler === undefined || others.length > 0) throw new Error("copy-out: expected pg's one 'data' listener on the connection");
    this.pgDataHandler = handler;
    stream.removeListener('data', handler);
    stream.pause();
    this.forward();
    stream.on('readable', this.onReadable);
    connection.query(this.text);
  }

  override _read(): void {
    this.drained = true;
    this.forward();
  }

  private forward(): void {
    if (this.forwarding || !this.drained || this.connection === undefined || this.finished) return;
    this.forwarding = true;
    const stream = this.connection.stream;
    let chunk: Buffer | null;
    while (this.drained && !this.finished && (chunk = stream.read() as Buffer | null) !== null) this.drained = this.parse(chunk);
    this.forwarding = false;
  }

  /** Compact the rows of `chunk` to its start and push them; false when the consumer is full. */
  private parse(chunk: Buffer): boolean {
    let read = 0;
    let write = 0;
    let ended: 'error' | 'done' | undefined;
    while (read < chunk.length) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - read);
        if (this.code === COPY_DATA) {
          if (write !== read) chunk.copyWithin(write, read, read + n);
          write += n;
        }
        read += n;
        this.remaining -= n;
        if (this.remaining > 0) break;
      } else {
        if (this.headerBytes === 0 && chunk[read] === ERROR_RESPONSE) {
          ended = 'error'; // pg reads it and calls handleError
          break;
        }
        if (this.headerBytes === 0 && chunk.length - read >= HEADER) {
          this.code = chunk[read] as number;
          this.remaining = chunk.readUInt32BE(read + 1) - 4;
          read += HEADER;
        } else {
          const n = Math.min(HEADER - this.headerBytes, chunk.length - read);
          chunk.copy(this.header, this.headerBytes, read, read + n);
          this.headerBytes += n;
          read += n;
          if (this.headerBytes < HEADER) break;
          this.headerBytes = 0;
          this.code = this.header[0] as number;
          this.remaining = this.header.readUInt32BE(1) - 4;
        }
        if (this.remaining > 0) continue;
      }
      // A whole message has been read.
      if (!WITHIN_COPY.has(this.code)) {
        ended = 'done';
        break;
      }
    }
    const more = write > 0 ? this.push(chunk.subarray(0, write)) : true;
    if (ended) this.end(chunk.subarray(read), ended);
    return more;
  }

  /** The copy is over: give the connection back to pg with the bytes after it. */
  private end(rest: Buffer, how: 'error' | 'done'): void {
    this.finished = true;
    const stream = (this.connection as PgConnection).stream;
    stream.removeListener('readable', this.onReadable);
    const handler = this.pgDataHandler as (chunk: Buffer) => void;
    stream.on('data', handler);
    handler(rest);
    // pg's handler may itself pause the stream (its high-water mark): resume after it returned.
    process.nextTick(() => stream.resume());
    if (how === 'done') this.push(null);
  }

  handleError(error: Error): void {
    this.destroy(error);
  }

  handleCommandComplete(message: { text?: string }): void {
    const match = /COPY (\d+)/.exec(message?.text ?? '');
    if (match) this.rowCount = Number(match[1]);
  }

  handleReadyForQuery(): void {}
}

export const copyOut = (text: string, options?: ReadableOptions): CopyOut => new CopyOut(text, options);
