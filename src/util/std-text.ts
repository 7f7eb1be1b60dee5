// Text to stdout and stderr, and whether stdin is a terminal, without process.stdout/stderr/stdin or
// an eager `node:tty`: creating those streams loads Node's stream, net and tty modules, about 4 ms
// of a start-up that `hmsdr rewrite` in a pipe and `hmsdr check` every minute pay (docs/performance.md).
// Writes are synchronous, as Node's own are to files, terminals and (on Linux) pipes.
import { fstatSync, writeSync } from 'node:fs';

/** A descriptor that has nothing yet, or no room (EAGAIN), is polled every millisecond. */
const pause = new Int32Array(new SharedArrayBuffer(4));
export const waitABit = (): void => {
  Atomics.wait(pause, 0, 0, 1);
};

/** Write all of `text` to `fd`; a reader that went away (EPIPE, `| head`) ends it quietly. */
export function writeText(fd: 1 | 2, text: string): void {
  const bytes = Buffer.from(text);
  let at = 0;
  while (at < bytes.length) {
    try {
      at += writeSync(fd, bytes, at, bytes.length - at);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw error;
      waitABit();
    }
  }
}

/** Whether `fd` is a terminal: only a character device can be, so files and pipes need no `node:tty`. */
export function isTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return process.getBuiltinModule('node:tty').isatty(fd);
}
