// The stand-in's stdout: a paced output (a listing) is pulled at the reader's pace, never queued
// whole in the pipe's buffer; the bytes are those of the unpaced output.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { bufferedOut } from './cli.js';
import { printLines, type Io } from './io.js';

function* lines(n: number): Generator<string, number> {
  for (let i = 0; i < n; i++) yield `-rw-r--r--   3 hdfs supergroup       1234 2026-01-05 03:00 /warehouse/file-${i}\n`;
  return 7;
}

describe('stand-in stdout', () => {
  it('pulls a paced output only while the pipe is not full, and writes every byte', async () => {
    const received: string[] = [];
    let receivedBytes = 0;
    let pulledBytes = 0;
    let maxQueued = 0;
    let maxHeld = 0;
    // A slow reader: a 16 KiB buffer taken one write per 2 ms.
    const stream = new Writable({
      highWaterMark: 16_384,
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk.toString('utf8'));
        receivedBytes += chunk.length;
        setTimeout(done, 2);
      },
    });
    const io: Io = { out: (text) => void stream.write(text), err: () => undefined };
    const out = bufferedOut(io, stream);
    const counted = (function* (): Generator<string, number> {
      const inner = lines(60_000);
      for (;;) {
        const next = inner.next();
        if (next.done) return next.value;
        // What was pulled and is neither written nor queued in the pipe is held by the stand-in itself.
        maxHeld = Math.max(maxHeld, pulledBytes - receivedBytes - stream.writableLength);
        maxQueued = Math.max(maxQueued, stream.writableLength);
        pulledBytes += Buffer.byteLength(next.value);
        yield next.value;
      }
    })();
    expect(await out.paced!(counted)).toBe(7);
    out.flush();
    await new Promise<void>((resolve) => stream.end(resolve));
    // ~5 MB of output, pulled one 64 KiB chunk at a time, whatever the timing: never the whole listing at once.
    expect(maxHeld).toBeLessThanOrEqual(65_536 + 200);
    expect(maxQueued).toBeLessThanOrEqual(2 * 65_536 + 200);
    let expected = '';
    for (const line of lines(60_000)) expected += line;
    expect(received.join('')).toBe(expected);
  });

  it('prints at once through an Io without pacing (in-process callers, tests)', () => {
    let text = '';
    expect(printLines(lines(3), { out: (t) => void (text += t), err: () => undefined })).toBe(7);
    expect(text.split('\n')).toHaveLength(4);
  });
});
