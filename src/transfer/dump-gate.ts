// The last guard before a dump is allowed to end: its producer (pg_dump) must have exited 0 and the
// plain-format trailer must be there. Until both hold, the upload is not ended, so a dump that was
// cut off mid-stream can never be renamed to a name that looks complete.
import { Transform, type TransformCallback } from 'node:stream';
import { AdapterError } from '../errors/errors.js';

export const DUMP_TRAILER = '-- PostgreSQL database dump complete';
const KEEP = 512;

export function dumpGate(producerDone: Promise<unknown>, what = 'pg_dump'): Transform {
  let last = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      last = Buffer.concat([last, chunk.subarray(Math.max(0, chunk.length - KEEP))]).subarray(-KEEP);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      producerDone.then(
        () => {
          if (!last.toString('latin1').includes(DUMP_TRAILER)) {
            callback(
              new AdapterError(
                'E_DUMP_INCOMPLETE',
                `${what} exited 0 but its output does not end with "${DUMP_TRAILER}": the dump is cut off`,
                {
                  hint: 'check the source server and the network, then resume the run',
                },
              ),
            );
            return;
          }
          callback();
        },
        (error: unknown) => callback(error as Error),
      );
    },
  });
}
