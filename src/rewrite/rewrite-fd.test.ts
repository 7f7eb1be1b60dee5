// The CLI's file loop against the descriptors a shell or a parent process hands it: non-blocking
// pipes that have nothing yet or are full, a reader that goes away, a directory, an archive.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDump, runRewriter } from '../../test/harness/rewrite-stream.js';
import { PreconditionError, VerifyError } from '../errors/errors.js';
import { rewriteFd } from './rewrite-fd.js';
import type { RewriterOptions } from './rules.js';

const options: RewriterOptions = {
  rules: [{ from: 'hdfs://nn1.prod:8020', to: 'hdfs://nn1.dr:8020' }],
  parameterKeys: ['path'],
  allParameterKeys: false,
  maxValueLength: 4000,
};

/** A complete dump of `rows` SDS rows (about 60 bytes each). */
const dumpOf = (rows: number): Buffer =>
  Buffer.from(
    makeDump([
      {
        name: 'SDS',
        columns: ['SD_ID', 'LOCATION', 'INPUT_FORMAT'],
        rows: Array.from({ length: rows }, (_, i) => [String(i), `hdfs://nn1.prod:8020/warehouse/t${i}`, 'org.X']),
      },
    ]) + '--\n-- PostgreSQL database dump complete\n--\n',
  );

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmsdr-rewrite-fd-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fifo(name: string): string {
  const path = join(dir, name);
  const made = spawnSync('mkfifo', [path]);
  if (made.status !== 0) throw new Error(`mkfifo (package coreutils) failed: ${made.stderr}`);
  return path;
}

const exited = (child: ReturnType<typeof spawn>): Promise<number | null> =>
  new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code))));

describe('rewriteFd', () => {
  it('reads a non-blocking pipe that has nothing yet (EAGAIN): waits, then rewrites all of it', async () => {
    const input = dumpOf(2000);
    const source = join(dir, 'slow-in.sql');
    writeFileSync(source, input);
    const path = fifo('in.fifo');
    const readEnd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const writeEnd = openSync(path, constants.O_WRONLY);
    // A writer that gives the dump in pieces with pauses: most reads find the pipe empty.
    const writer = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('node:fs'); const d = fs.readFileSync(process.argv[1]); let i = 0;
         const step = () => { if (i >= d.length) return; fs.writeSync(1, d, i, Math.min(d.length - i, 8192)); i += 8192; setTimeout(step, 3); };
         step();`,
        source,
      ],
      { stdio: ['ignore', writeEnd, 'inherit'] },
    );
    closeSync(writeEnd);
    const output = join(dir, 'slow-out.sql');
    const outFd = openSync(output, 'w');
    try {
      const { report } = rewriteFd({ input: readEnd, output: outFd, inputName: 'stdin', outputName: 'out' }, options, 4096);
      expect(report.rowsPerTable.SDS).toBe(2000);
    } finally {
      closeSync(readEnd);
      closeSync(outFd);
    }
    expect(await exited(writer)).toBe(0);
    expect(readFileSync(output).equals((await runRewriter(input, options)).out)).toBe(true);
  });

  it('writes to a non-blocking pipe that is full (EAGAIN): waits for the reader, loses nothing', async () => {
    const input = dumpOf(5000); // ~300 KB: several times a pipe's 64 KiB
    const source = join(dir, 'full-in.sql');
    writeFileSync(source, input);
    const received = join(dir, 'full-received.sql');
    const path = fifo('out.fifo');
    const readEnd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const writeEnd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    // A reader that starts late: the pipe fills up first.
    const reader = spawn(
      process.execPath,
      ['-e', `setTimeout(() => process.stdin.pipe(require('node:fs').createWriteStream(process.argv[1])), 300);`, received],
      { stdio: [readEnd, 'ignore', 'inherit'] },
    );
    closeSync(readEnd);
    const inFd = openSync(source, 'r');
    try {
      rewriteFd({ input: inFd, output: writeEnd, inputName: 'in', outputName: 'stdout' }, options);
    } finally {
      closeSync(inFd);
      closeSync(writeEnd);
    }
    expect(await exited(reader)).toBe(0);
    expect(readFileSync(received).equals((await runRewriter(input, options)).out)).toBe(true);
  });

  it('a reader that closed the pipe (EPIPE) is a clear error naming the output', () => {
    const path = fifo('gone.fifo');
    const readEnd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const writeEnd = openSync(path, constants.O_WRONLY);
    closeSync(readEnd);
    const source = join(dir, 'epipe-in.sql');
    writeFileSync(source, dumpOf(10));
    const inFd = openSync(source, 'r');
    try {
      let error: unknown;
      try {
        rewriteFd({ input: inFd, output: writeEnd, inputName: 'in', outputName: 'stdout' }, options);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(PreconditionError);
      expect((error as Error).message).toBe('cannot write the output (stdout): the reader closed the pipe before the end (EPIPE)');
    } finally {
      closeSync(inFd);
      closeSync(writeEnd);
    }
  });

  it('a directory as input is a clear error (EISDIR), not an internal one', () => {
    const inFd = openSync(dir, 'r');
    try {
      expect(() => rewriteFd({ input: inFd, output: undefined, inputName: dir, outputName: 'stdout' }, options)).toThrow(
        `cannot read the input (${dir}): it is a directory (EISDIR)`,
      );
    } finally {
      closeSync(inFd);
    }
  });

  it('refuses an archive before writing a byte; a dump cut inside COPY data is truncated', () => {
    const run = (bytes: Buffer): { error: unknown; written: Buffer } => {
      const source = join(dir, 'odd-in');
      const output = join(dir, 'odd-out');
      writeFileSync(source, bytes);
      const inFd = openSync(source, 'r');
      const outFd = openSync(output, 'w');
      let error: unknown;
      try {
        rewriteFd({ input: inFd, output: outFd, inputName: 'in', outputName: 'out' }, options, 64);
      } catch (caught) {
        error = caught;
      } finally {
        closeSync(inFd);
        closeSync(outFd);
      }
      return { error, written: readFileSync(output) };
    };
    const archive = run(Buffer.concat([Buffer.from('PGDMP'), dumpOf(50)]));
    expect(archive.error).toBeInstanceOf(PreconditionError);
    expect((archive.error as Error).message).toMatch(/custom-format archive/);
    expect(archive.written.length).toBe(0);
    const whole = dumpOf(50);
    const cut = run(whole.subarray(0, whole.indexOf('t30')));
    expect(cut.error).toBeInstanceOf(VerifyError);
    expect((cut.error as Error).message).toMatch(/ended inside the COPY data of SDS.*truncated/);
  });
});
