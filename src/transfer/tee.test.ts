import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { teeTo } from './tee.js';

/** A writable that keeps what it gets and takes `delayMs` per chunk (a slow consumer). */
function sink(delayMs = 0, highWaterMark = 16): Writable & { got: Buffer[] } {
  const got: Buffer[] = [];
  const w = new Writable({
    highWaterMark,
    write(chunk: Buffer, _e, cb) {
      got.push(chunk);
      setTimeout(cb, delayMs);
    },
  }) as Writable & { got: Buffer[] };
  w.got = got;
  return w;
}

describe('teeTo', () => {
  it('delivers every byte to both, in order, and finishes only when both finished', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.from(`chunk ${i}\n`));
    const a = sink(0);
    const b = sink(2);
    await pipeline(Readable.from(chunks), teeTo(a, b));
    expect(Buffer.concat(a.got).toString()).toBe(Buffer.concat(chunks).toString());
    expect(Buffer.concat(b.got).toString()).toBe(Buffer.concat(chunks).toString());
    expect(a.writableFinished && b.writableFinished).toBe(true);
  });

  it('holds the producer back while the slower side has not taken the previous chunk', async () => {
    const fast = sink(0);
    const slow = new PassThrough({ highWaterMark: 8 }); // nobody reads it yet
    const tee = teeTo(fast, slow);
    const producer = (async () => {
      for (let i = 0; i < 100; i++) {
        if (!tee.write(Buffer.alloc(8, i))) await new Promise((r) => tee.once('drain', r));
      }
      tee.end();
    })();
    await new Promise((r) => setTimeout(r, 50));
    // The fast side got only what the unread side could buffer (its 8-byte high-water mark): the rest waits in the tee.
    expect(fast.got.length).toBeLessThanOrEqual(3);
    expect(tee.writableLength).toBeGreaterThan(0);
    slow.resume();
    await producer;
    await new Promise((r) => tee.once('finish', r));
    expect(fast.got.length).toBe(100);
  });

  it("fails with the first side's error and destroys the other side", async () => {
    const failing = new Writable({
      write(_c, _e, cb) {
        cb(new Error('disk full'));
      },
    });
    const other = sink(0);
    await expect(pipeline(Readable.from([Buffer.from('x'), Buffer.from('y')]), teeTo(failing, other))).rejects.toThrow('disk full');
    expect(other.destroyed).toBe(true);
  });
});
