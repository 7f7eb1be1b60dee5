import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CommandFailedError, type StreamingChild } from '../process/run-command.js';
import { forEachLine, readListing, type ListingSource } from './listing-stream.js';
import { SnapshotDiffParser } from './parse.js';

const line = (path: string, type: 'd' | '-' = '-', size = 4): string =>
  `${type}rw-r--r--   3 hdfs domain users ${String(size).padStart(10)} 2026-12-01 10:00 ${path}\n`;

function child(chunks: string[], exit: number | 'ok' = 'ok'): StreamingChild {
  const stdout = new PassThrough();
  const done = (async () => {
    for (const c of chunks) stdout.write(Buffer.from(c, 'utf8'));
    await new Promise((r) => setImmediate(r));
    if (exit !== 'ok') {
      const error = new CommandFailedError(
        { file: 'hdfs', args: ['dfs', '-ls', '-R'] },
        exit,
        undefined,
        'ls: Permission denied: user=hive',
      );
      stdout.destroy(error);
      throw error;
    }
    stdout.end();
    return { exitCode: 0, stdout: '', stderr: '' };
  })();
  done.catch(() => undefined);
  return { stdout, done };
}

const source = (c: () => StreamingChild, count?: { dirs: number; files: number }): ListingSource => ({
  root: 'hdfs://drns/w/.snapshot/s1',
  start: async () => c(),
  countRoot: async () => count,
});

async function all(s: ListingSource): Promise<string[]> {
  const out: string[] = [];
  for await (const e of readListing(s)) out.push(`${e.type} ${e.group} ${e.length} ${e.path}`);
  return out;
}

describe('readListing', () => {
  it('parses lines split anywhere (inside a multi-byte character too), spaces in groups and paths', async () => {
    const text = line('/w/t', 'd', 0) + line('/w/t/p=é ü/f 1.txt') + line('/w/t/日本');
    const bytes = Buffer.from(text, 'utf8');
    const stdout = new PassThrough();
    const done = (async () => {
      for (let i = 0; i < bytes.length; i += 7) stdout.write(bytes.subarray(i, i + 7));
      stdout.end();
      return { exitCode: 0, stdout: '', stderr: '' };
    })();
    expect(await all(source(() => ({ stdout, done })))).toEqual([
      'dir domain users 0 /w/t',
      'file domain users 4 /w/t/p=é ü/f 1.txt',
      'file domain users 4 /w/t/日本',
    ]);
  });

  it('a non-zero exit fails with the command and its stderr, even after entries were read', async () => {
    await expect(all(source(() => child([line('/w/a')], 1)))).rejects.toThrow(/exited with code 1/);
    await expect(all(source(() => child([line('/w/a')], 1)))).rejects.toMatchObject({
      stderrTail: expect.stringContaining('Permission denied'),
    });
  });

  it('a line that does not parse is an error, and the child is stopped', async () => {
    let signal: AbortSignal | undefined;
    const s: ListingSource = {
      ...source(() => child([line('/w/a'), 'WARN util.NativeCodeLoader: cannot load\n', line('/w/b')])),
      start: async (sig) => {
        signal = sig;
        return child([line('/w/a'), 'WARN util.NativeCodeLoader: cannot load\n', line('/w/b')]);
      },
    };
    await expect(all(s)).rejects.toThrow(/cannot parse a line of hdfs dfs -ls output: "WARN util/);
    expect(signal?.aborted).toBe(true);
  });

  it('zero entries: an error when -count finds something below the root, a pass for an empty root', async () => {
    await expect(all(source(() => child([]), { dirs: 3, files: 7 }))).rejects.toThrow(
      /printed no entry and exited 0, but -count finds 2 directories and 7 files/,
    );
    expect(await all(source(() => child(['']), { dirs: 1, files: 0 }))).toEqual([]);
  });

  it('reads from any Readable (Readable.from)', async () => {
    const stdout = Readable.from([line('/x')]);
    const done = Promise.resolve({ exitCode: 0, stdout: '', stderr: '' });
    expect(await all(source(() => ({ stdout, done })))).toEqual(['file domain users 4 /x']);
  });
});

describe('forEachLine (snapshotDiff read as it prints)', () => {
  const diff = 'Difference between snapshot s1 and snapshot s2 under directory /w:\nM\t./t/p=1/f\n+\t./t/p=2\n';

  it('feeds every line, split anywhere, and resolves on exit 0', async () => {
    const parser = new SnapshotDiffParser();
    const pieces = diff.match(/[\s\S]{1,5}/g)!;
    await forEachLine(
      async () => child(pieces),
      undefined,
      (l) => parser.line(l),
    );
    expect(parser.report().entries).toEqual([
      { label: 'M', path: 't/p=1/f' },
      { label: '+', path: 't/p=2' },
    ]);
  });

  it('a non-zero exit fails with the command and its stderr, whatever was printed before', async () => {
    const parser = new SnapshotDiffParser();
    const run = forEachLine(
      async () => child([diff], 1),
      undefined,
      (l) => parser.line(l),
    );
    await expect(run).rejects.toBeInstanceOf(CommandFailedError);
    await expect(run).rejects.toMatchObject({ message: 'hdfs dfs -ls -R exited with code 1', stderr: 'ls: Permission denied: user=hive' });
  });

  it('a line that does not parse stops the child (its signal is aborted) and is the error', async () => {
    let signal: AbortSignal | undefined;
    const stdout = new PassThrough();
    const done = new Promise<never>((_, fail) => {
      stdout.write('garbage instead of the header\n');
      // The child runs until it is stopped, as a real one would.
      const stop = (): void => fail(new Error('killed'));
      queueMicrotask(() => signal?.addEventListener('abort', stop));
    });
    done.catch(() => undefined); // as streamCommand's: observed by whoever awaits it
    const parser = new SnapshotDiffParser();
    const run = forEachLine(
      async (s) => {
        signal = s;
        return { stdout, done };
      },
      undefined,
      (l) => parser.line(l),
    );
    await expect(run).rejects.toThrow('unexpected snapshotDiff output: "garbage instead of the header"');
    expect(signal?.aborted).toBe(true);
  });
});
