import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pgCopyStreams from 'pg-copy-streams';
import { describe, expect, it } from 'vitest';
import { copyOut } from './copy-out.js';

const message = (code: string, content: Buffer | string = Buffer.alloc(0)): Buffer => {
  const body = Buffer.isBuffer(content) ? content : Buffer.from(content);
  const header = Buffer.alloc(5);
  header.write(code, 0, 'latin1');
  header.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
};

const ROWS = ['1\thdfs://nn1:8020/a\n', '2\t\\N\n', '', '3\tx'.repeat(40) + '\n', '4\té\n'];
/** What a server sends for `COPY … TO STDOUT`: a notice and a parameter change inside, then completion. */
const COPY_BYTES = Buffer.concat([
  message('H', Buffer.from([0, 0, 2, 0, 0, 0, 0])),
  message('d', ROWS[0]),
  message('N', 'SNOTICE\0Mhello\0\0'),
  message('d', ROWS[1]),
  message('d', ROWS[2]),
  message('S', 'application_name\0x\0'),
  message('d', ROWS[3]),
  message('d', ROWS[4]),
  message('c'),
]);
const AFTER = Buffer.concat([message('C', 'COPY 5\0'), message('Z', 'I')]);
const ERROR = message('E', 'SERROR\0C57P01\0Mterminating connection\0\0');

/** A pg Connection as far as a submittable sees it: a socket-like stream with pg's one 'data' listener. */
function fakeConnection() {
  const stream = new Readable({ read() {} });
  const toPg: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => toPg.push(Buffer.from(chunk)));
  const sent: string[] = [];
  return { connection: { stream, query: (text: string) => sent.push(text) }, stream, toPg, sent };
}

/** Feed `bytes` in chunks of `size` (fresh buffers, as a socket gives), one per turn of the event loop. */
async function feed(stream: Readable, bytes: Buffer, size: number): Promise<void> {
  for (let at = 0; at < bytes.length; at += size) {
    stream.push(Buffer.from(bytes.subarray(at, at + size)));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function collect(delayMs = 0): Writable & { bytes(): Buffer } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      if (delayMs > 0) setTimeout(callback, delayMs);
      else callback();
    },
  }) as Writable & { bytes(): Buffer };
  sink.bytes = () => Buffer.concat(chunks);
  return sink;
}

/** Run a copy stream over the fake connection, `bytes` arriving in chunks of `size`. */
async function run(make: (sql: string) => Readable & { submit(c: unknown): void }, bytes: Buffer, size: number, delayMs = 0) {
  const fake = fakeConnection();
  const copy = make('COPY t TO STDOUT');
  copy.submit(fake.connection);
  const sink = collect(delayMs);
  const done = pipeline(copy, sink);
  await feed(fake.stream, bytes, size);
  await done;
  await new Promise((resolve) => setImmediate(resolve));
  return { rows: sink.bytes(), toPg: Buffer.concat(fake.toPg), sent: fake.sent };
}

describe('copyOut', () => {
  const expected = Buffer.from(ROWS.join(''));

  it('gives the rows and hands pg every byte after CopyDone, whatever the chunk size (as pg-copy-streams does)', async () => {
    const all = Buffer.concat([COPY_BYTES, AFTER]);
    for (let size = 1; size <= all.length; size++) {
      const ours = await run(copyOut, all, size);
      expect(ours.rows.equals(expected), `chunks of ${size}`).toBe(true);
      expect(ours.toPg.equals(AFTER), `chunks of ${size}`).toBe(true);
      expect(ours.sent).toEqual(['COPY t TO STDOUT']);
      if (size % 7 === 1) {
        const theirs = await run(pgCopyStreams.to as never, all, size);
        expect(theirs.rows.equals(ours.rows)).toBe(true);
        expect(theirs.toPg.equals(ours.toPg)).toBe(true);
      }
    }
  });

  it('keeps the order and every byte when the consumer is slower than the socket', async () => {
    const many = Array.from({ length: 300 }, (_, i) => `${i}\t${'v'.repeat(i % 50)}\n`);
    const bytes = Buffer.concat([message('H', Buffer.from([0, 0, 0])), ...many.map((r) => message('d', r)), message('c'), ...[AFTER]]);
    const { rows, toPg } = await run(copyOut, bytes, 97, 1);
    expect(rows.toString()).toBe(many.join(''));
    expect(toPg.equals(AFTER)).toBe(true);
  });

  it('hands pg an ErrorResponse untouched, rows before it delivered, and fails with the error pg reports', async () => {
    const fake = fakeConnection();
    const copy = copyOut('COPY t TO STDOUT');
    copy.submit(fake.connection);
    const sink = collect();
    const done = pipeline(copy, sink);
    const bytes = Buffer.concat([message('H', Buffer.from([0, 0, 0])), message('d', ROWS[0]), ERROR, message('Z', 'I')]);
    await feed(fake.stream, bytes, 3);
    expect(Buffer.concat(fake.toPg).equals(Buffer.concat([ERROR, message('Z', 'I')]))).toBe(true);
    copy.handleError(new Error('terminating connection')); // what pg does with it
    await expect(done).rejects.toThrow('terminating connection');
    expect(sink.bytes().toString()).toBe(ROWS[0]);
  });

  it("reads the server's row count from its CommandComplete", () => {
    const copy = copyOut('COPY t TO STDOUT');
    copy.handleCommandComplete({ text: 'COPY 1000000' });
    expect(copy.rowCount).toBe(1_000_000);
  });
});
