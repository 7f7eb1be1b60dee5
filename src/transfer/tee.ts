// One stream into two writables with backpressure from both (the streamed transfer sends the
// rewritten dump to the staging file and to psql at once): a chunk is taken only when both took
// the previous one, so memory stays bounded by their buffers.
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** Write `chunk` to `target`; call back once it is accepted (drained), or with the target's error. */
export function writeTo(target: Writable, chunk: Buffer, callback: (error?: Error | null) => void): void {
  if (target.destroyed) return callback(target.errored ?? new Error('the stream was closed'));
  if (target.write(chunk)) return callback();
  const onDrain = (): void => {
    cleanup();
    callback();
  };
  const onGone = (): void => {
    cleanup();
    callback(target.errored ?? new Error('the stream was closed'));
  };
  const cleanup = (): void => {
    target.off('drain', onDrain);
    target.off('close', onGone);
    target.off('error', onGone);
  };
  target.on('drain', onDrain);
  target.on('close', onGone);
  target.on('error', onGone);
}

export function teeTo(first: Writable, second: Writable): Writable {
  const tee = new Writable({
    highWaterMark: 1024 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      let pending = 2;
      let failed = false;
      const done = (error?: Error | null): void => {
        if (failed) return;
        if (error) {
          failed = true;
          callback(error);
        } else if (--pending === 0) {
          callback();
        }
      };
      writeTo(first, chunk, done);
      writeTo(second, chunk, done);
    },
    final(callback) {
      first.end();
      second.end();
      Promise.all([finished(first, { readable: false }), finished(second, { readable: false })]).then(() => callback(), callback);
    },
    destroy(error, callback) {
      for (const target of [first, second]) if (!target.writableFinished) target.destroy(error ?? undefined);
      callback(error);
    },
  });
  // A side's error (also one it emits on its own, outside a write) fails the whole tee; without a
  // listener it would be an uncaught 'error' event.
  for (const target of [first, second]) target.on('error', (error) => tee.destroy(error));
  return tee;
}
