// A named pipe with a reader copying it into a file: what a loader reading hmsdr's output sees.
import { execFileSync, spawn } from 'node:child_process';
import { lstatSync } from 'node:fs';

export interface FifoReader {
  /** After the writer is done: was `path` still a pipe (not replaced by a file)? Waits for the reader. */
  finished(): Promise<{ stillPipe: boolean }>;
}

export function fifoReader(path: string, into: string): FifoReader {
  execFileSync('mkfifo', [path]);
  const reader = spawn('sh', ['-c', 'cat "$0" > "$1"', path, into]);
  const exited = new Promise<void>((done) => reader.on('exit', () => done()));
  return {
    async finished() {
      const stillPipe = lstatSync(path).isFIFO();
      // Replaced by a file, or the writer never opened it: nothing will end the reader's wait.
      const timer = setTimeout(() => reader.kill(), stillPipe ? 10_000 : 0);
      await exited;
      clearTimeout(timer);
      return { stillPipe };
    },
  };
}
